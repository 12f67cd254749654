import { createPublicKey, verify as opensslVerifyRaw } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPublicKey, isValidPublicKey, nobleCrypto, seedSigner } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import { code } from './error-code.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const vectorFile = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/vectors/${path}`, import.meta.url), 'utf8'));

/** flipBit returns a copy of `bytes` with bit `bit` (little-endian within each byte) inverted. */
function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** opensslVerify is Node's node:crypto (OpenSSL) verdict, the reference DESIGN §4 requires agreement with. */
function opensslVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    return opensslVerifyRaw(null, message, key, signature);
  } catch {
    return false;
  }
}

const L = ed.Point.CURVE().n;
const P = ed.Point.CURVE().p;
const B = ed.Point.BASE;

const numberToBytesLE = (n: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
};
const bytesToNumberLE = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
};
const challenge = (rBytes: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint =>
  bytesToNumberLE(sha512(Buffer.concat([rBytes, publicKey, message]))) % L;

/** timesL returns [L]Q, which is the identity exactly when Q lies in the prime-order subgroup. */
const timesL = (q: ed.Point): ed.Point => q.multiply(L - 1n, false).add(q);

/** A point of order 8, the torsion part of a curve point found by trying y = 2, 3, …. */
const T8: ed.Point = (() => {
  for (let y = 2n; ; y++) {
    let q: ed.Point;
    try {
      q = ed.Point.fromBytes(numberToBytesLE(y));
    } catch {
      continue; // no x for this y
    }
    const t = timesL(q);
    if (!t.multiply(4n, false).is0()) return t;
  }
})();

/** The encodings of the eight points of small order, [i]T8 for i = 0…7. */
const SMALL_ORDER = Array.from({ length: 8 }, (_, i) => (i === 0 ? ed.Point.ZERO : T8.multiply(BigInt(i), false)).toBytes());

// ---------------------------------------------------------------------------------------------------
const rfc8032 = suite('RFC 8032 §7.1 Ed25519 test vectors');

interface Rfc8032Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}
const RFC8032 = (vectorFile('rfc8032/ed25519.json') as { tests: Rfc8032Vector[] }).tests;

rfc8032('holds TEST 1, 2, 3, 1024 and SHA(abc)', () => {
  assert.equal(
    RFC8032.map((v) => v.name),
    ['TEST 1', 'TEST 2', 'TEST 3', 'TEST 1024', 'TEST SHA(abc)'],
  );
  assert.is(unhex(RFC8032[3]!.message).length, 1023);
  assert.is(RFC8032[4]!.message, hex(sha512(utf8('abc'))));
});

for (const v of RFC8032) {
  rfc8032(`derives the public key, signs and verifies ${v.name}`, () => {
    const secretKey = unhex(v.secretKey);
    const message = unhex(v.message);
    assert.is(hex(nobleCrypto.publicKey(secretKey)), v.publicKey);
    assert.is(hex(nobleCrypto.sign(message, secretKey)), v.signature);
    assert.ok(nobleCrypto.verify(unhex(v.signature), message, unhex(v.publicKey)));
    const signer = seedSigner(secretKey);
    assert.is(hex(signer.publicKey), v.publicKey);
    assert.is(hex(signer.sign(message)), v.signature);
    assert.ok(opensslVerify(unhex(v.signature), message, unhex(v.publicKey)));
  });

  rfc8032(`rejects ${v.name} with one bit flipped in the signature, the message or the key`, () => {
    const signature = unhex(v.signature);
    const message = unhex(v.message);
    const publicKey = unhex(v.publicKey);
    // Every 7th bit of R and S, so each byte and both halves are touched across the stride.
    for (let bit = 0; bit < 512; bit += 7) {
      assert.not.ok(nobleCrypto.verify(flipBit(signature, bit), message, publicKey), `signature bit ${bit}`);
    }
    for (let bit = 0; bit < 256; bit += 11) {
      assert.not.ok(nobleCrypto.verify(signature, message, flipBit(publicKey, bit)), `key bit ${bit}`);
    }
    for (const bit of message.length === 0 ? [] : [0, 7, message.length * 8 - 1]) {
      assert.not.ok(nobleCrypto.verify(signature, flipBit(message, bit), publicKey), `message bit ${bit}`);
    }
    assert.not.ok(nobleCrypto.verify(signature, Buffer.concat([message, Uint8Array.of(0)]), publicKey), 'longer message');
    if (message.length > 0) assert.not.ok(nobleCrypto.verify(signature, message.subarray(1), publicKey), 'shorter message');
  });
}

rfc8032('says not valid, without throwing, for signatures and keys of the wrong length', () => {
  const v = RFC8032[1]!;
  const signature = unhex(v.signature);
  const message = unhex(v.message);
  const publicKey = unhex(v.publicKey);
  assert.not.ok(nobleCrypto.verify(signature.subarray(0, 63), message, publicKey));
  assert.not.ok(nobleCrypto.verify(Buffer.concat([signature, Uint8Array.of(0)]), message, publicKey));
  assert.not.ok(nobleCrypto.verify(new Uint8Array(0), message, publicKey));
  assert.not.ok(nobleCrypto.verify(signature, message, publicKey.subarray(0, 31)));
  assert.not.ok(nobleCrypto.verify(signature, message, Buffer.concat([publicKey, Uint8Array.of(0)])));
  assert.not.ok(nobleCrypto.verify([...signature] as unknown as Uint8Array, message, publicKey));
});

rfc8032('computes SHA-256 as FIPS 180-2 specifies', () => {
  assert.is(hex(nobleCrypto.sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(hex(nobleCrypto.sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

rfc8032.run();

// ---------------------------------------------------------------------------------------------------
const wycheproof = suite('Wycheproof Ed25519 vectors');

interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<{
    publicKey: { pk: string };
    tests: Array<{ tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable' }>;
  }>;
}
const WYCHEPROOF = vectorFile('wycheproof/ed25519_test.json') as WycheproofFile;

/**
 * Vectors on which this implementation's answer differs from Wycheproof's `result`, with the reason.
 * Empty: strict RFC 8032 with the cofactorless equation agrees with every Wycheproof Ed25519 vector.
 */
const KNOWN_DISAGREEMENTS: Record<number, string> = {};

const wycheproofCases = WYCHEPROOF.testGroups.flatMap((group) =>
  group.tests.map((t) => ({ ...t, publicKey: unhex(group.publicKey.pk), message: unhex(t.msg), signature: unhex(t.sig) })),
);

wycheproof('runs all 151 vectors: 88 valid and 63 invalid', () => {
  assert.is(WYCHEPROOF.algorithm, 'EDDSA');
  assert.is(wycheproofCases.length, WYCHEPROOF.numberOfTests);
  assert.is(wycheproofCases.length, 151);
  assert.is(wycheproofCases.filter((t) => t.result === 'valid').length, 88);
  assert.is(wycheproofCases.filter((t) => t.result === 'invalid').length, 63);
});

wycheproof('gives nobleCrypto.verify the expected answer on every vector', () => {
  const disagreements: number[] = [];
  for (const t of wycheproofCases) {
    const valid = nobleCrypto.verify(t.signature, t.message, t.publicKey);
    if (valid !== (t.result === 'valid')) disagreements.push(t.tcId);
  }
  assert.equal(disagreements, Object.keys(KNOWN_DISAGREEMENTS).map(Number));
});

wycheproof('agrees with node:crypto (OpenSSL) on every vector', () => {
  for (const t of wycheproofCases) {
    assert.is(nobleCrypto.verify(t.signature, t.message, t.publicKey), opensslVerify(t.signature, t.message, t.publicKey), `tcId ${t.tcId}: ${t.comment}`);
  }
});

wycheproof.run();

// ---------------------------------------------------------------------------------------------------
const strict = suite('strict verification (DESIGN §4)');

const SEED = unhex(RFC8032[0]!.secretKey);
const extended = ed.utils.getExtendedPublicKey(SEED);
const PUBLIC_KEY = extended.pointBytes;
const MESSAGE = utf8('custody.transfer BB-2026-0001');

/** signWithR signs MESSAGE under SEED's key with R given as raw bytes, where R = [r]B + torsion. */
function signWithR(rBytes: Uint8Array, r: bigint): Uint8Array {
  const k = challenge(rBytes, PUBLIC_KEY, MESSAGE);
  const s = (r + k * extended.scalar) % L;
  return Buffer.concat([rBytes, numberToBytesLE(s)]);
}

strict('finds a point of order exactly 8 for the constructions below', () => {
  assert.ok(T8.multiply(8n, false).is0());
  assert.not.ok(T8.multiply(4n, false).is0());
  assert.is(new Set(SMALL_ORDER.map(hex)).size, 8);
});

strict('accepts an ordinary signature built by hand the same way, so the constructions below are sound', () => {
  const r = 0x1234567890abcdefn;
  const signature = signWithR(B.multiply(r).toBytes(), r);
  assert.ok(nobleCrypto.verify(signature, MESSAGE, PUBLIC_KEY));
  assert.ok(opensslVerify(signature, MESSAGE, PUBLIC_KEY));
});

strict('rejects a signature whose R has an 8-torsion component, which noble alone (zip215 off) accepts', () => {
  const r = 0x1234567890abcdefn;
  const rPrime = B.multiply(r).add(T8); // R' = R + T: [8]R' = [8]R, but R' ≠ R
  const signature = signWithR(rPrime.toBytes(), r); // S = r + k·a: [S]B = R + [k]A = R' − T + [k]A
  assert.not.ok(rPrime.isTorsionFree());
  assert.ok(ed.verify(signature, MESSAGE, PUBLIC_KEY, { zip215: false }), 'noble: cofactored equation holds');
  assert.ok(ed.verify(signature, MESSAGE, PUBLIC_KEY), 'noble: ZIP-215 accepts too');
  assert.not.ok(nobleCrypto.verify(signature, MESSAGE, PUBLIC_KEY), 'cofactorless equation fails');
  assert.not.ok(opensslVerify(signature, MESSAGE, PUBLIC_KEY), 'OpenSSL agrees');
});

strict('rejects the torsion construction for every point of order 2, 4 and 8', () => {
  const r = 987654321n;
  for (const t of SMALL_ORDER.slice(1)) {
    const rPrime = B.multiply(r).add(ed.Point.fromBytes(t));
    const signature = signWithR(rPrime.toBytes(), r);
    assert.ok(ed.verify(signature, MESSAGE, PUBLIC_KEY, { zip215: false }), hex(t));
    assert.not.ok(nobleCrypto.verify(signature, MESSAGE, PUBLIC_KEY), hex(t));
    assert.not.ok(opensslVerify(signature, MESSAGE, PUBLIC_KEY), hex(t));
  }
});

strict('rejects S ≥ L, including S + L, which satisfies the same equation', () => {
  const valid = unhex(RFC8032[0]!.signature);
  const message = unhex(RFC8032[0]!.message);
  const s = bytesToNumberLE(valid.subarray(32));
  for (const sBad of [s + L, L, 2n ** 256n - 1n, s + 2n ** 255n]) {
    const signature = Buffer.concat([valid.subarray(0, 32), numberToBytesLE(sBad)]);
    assert.not.ok(nobleCrypto.verify(signature, message, PUBLIC_KEY), sBad.toString(16));
    assert.not.ok(opensslVerify(signature, message, PUBLIC_KEY), sBad.toString(16));
  }
  // S + L is mathematically the same scalar: noble's own check refuses it too, by the range test.
  assert.not.ok(ed.verify(Buffer.concat([valid.subarray(0, 32), numberToBytesLE(s + L)]), message, PUBLIC_KEY, { zip215: false }));
});

strict('rejects non-canonical R (y ≥ p, or x = 0 with the sign bit) that ZIP-215 accepts', () => {
  // R is the identity, (x, y) = (0, 1), written as y = 1 + p and as "negative zero" x.
  // With S = k·a, the equation [S]B = R + [k]A holds for the identity, so only the encoding is wrong.
  const canonical = numberToBytesLE(1n);
  const yPlusP = numberToBytesLE(1n + P);
  const signBit = canonical.slice();
  signBit[31]! |= 0x80;
  for (const rBytes of [yPlusP, signBit]) {
    const signature = signWithR(rBytes, 0n);
    assert.ok(ed.verify(signature, MESSAGE, PUBLIC_KEY, { zip215: true }), `ZIP-215 accepts ${hex(rBytes)}`);
    assert.not.ok(nobleCrypto.verify(signature, MESSAGE, PUBLIC_KEY), hex(rBytes));
    assert.not.ok(opensslVerify(signature, MESSAGE, PUBLIC_KEY), hex(rBytes));
  }
  // The canonical encoding of the same R is valid: RFC 8032 does not forbid a small-order R, and
  // OpenSSL accepts it too.
  const signature = signWithR(canonical, 0n);
  assert.ok(nobleCrypto.verify(signature, MESSAGE, PUBLIC_KEY));
  assert.ok(opensslVerify(signature, MESSAGE, PUBLIC_KEY));
});

strict('rejects a signature under a mixed-order key that only the cofactored equation accepts', () => {
  // A' = A + T. With S = r + k·a and k = H(R ‖ A' ‖ M): [S]B = R + [k]A' − [k]T, which misses the
  // cofactorless equation unless 8 divides k. Try messages until it does not.
  const mixedKey = ed.Point.fromBytes(PUBLIC_KEY).add(T8).toBytes();
  const r = 424242n;
  const rBytes = B.multiply(r).toBytes();
  let checked = 0;
  for (let i = 0; checked < 4; i++) {
    const message = utf8(`message ${i}`);
    const k = challenge(rBytes, mixedKey, message);
    if (k % 8n === 0n) continue;
    const signature = Buffer.concat([rBytes, numberToBytesLE((r + k * extended.scalar) % L)]);
    assert.ok(ed.verify(signature, message, mixedKey, { zip215: false }), 'noble: cofactored equation holds');
    assert.not.ok(nobleCrypto.verify(signature, message, mixedKey));
    assert.not.ok(opensslVerify(signature, message, mixedKey));
    checked++;
  }
});

strict('rejects a public key written with y ≥ p, even where the same point verifies', () => {
  // A key is 32 bytes, so y + p < 2^255 only for y < 19: try every such y that is on the curve.
  let tried = 0;
  for (let y = 0n; y < 19n; y++) {
    let point: ed.Point;
    try {
      point = ed.Point.fromBytes(numberToBytesLE(y));
    } catch {
      continue;
    }
    tried++;
    const alias = numberToBytesLE(y + P);
    if (point.x & 1n) alias[31]! |= 0x80;
    assert.ok(ed.Point.fromBytes(alias, true).equals(point), `alias of y = ${y}`);
    assert.not.ok(nobleCrypto.verify(unhex(RFC8032[0]!.signature), new Uint8Array(0), alias));
  }
  assert.ok(tried >= 2, `only ${tried} small y on the curve`);
});

strict.run();

// ---------------------------------------------------------------------------------------------------
const keys = suite('checkPublicKey and isValidPublicKey');

/** The eight small-order points as published (e.g. in libsodium's blocklist and in "Taming the many EdDSAs"). */
const SMALL_ORDER_PUBLISHED = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity, order 1
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // y = −1, order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // y = 0, order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // y = 0, other x, order 4
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
];

const accepts = (key: unknown): boolean => {
  const thrown = code(() => checkPublicKey(key as Uint8Array));
  const valid = isValidPublicKey(key as Uint8Array);
  assert.is(valid, thrown === undefined, 'isValidPublicKey agrees with checkPublicKey');
  if (thrown !== undefined) assert.is(thrown, 'KEY_INVALID');
  return valid;
};

keys('accepts ordinary keys: the RFC 8032 keys and 64 derived from seeds', () => {
  for (const v of RFC8032) assert.ok(accepts(unhex(v.publicKey)), v.name);
  for (let i = 0; i < 64; i++) assert.ok(accepts(nobleCrypto.publicKey(new Uint8Array(32).fill(i))), `seed ${i}`);
});

keys('rejects all eight small-order points, the identity among them', () => {
  assert.equal(SMALL_ORDER.map(hex).sort(), [...SMALL_ORDER_PUBLISHED].sort());
  for (const key of SMALL_ORDER_PUBLISHED) assert.not.ok(accepts(unhex(key)), key);
});

keys('rejects non-canonical encodings: y ≥ p, and x = 0 with the sign bit set', () => {
  const bad = [
    numberToBytesLE(P), // y = p ≡ 0
    numberToBytesLE(P + 1n), // y = p + 1 ≡ 1, the identity
    numberToBytesLE(2n ** 255n - 1n), // y = 2^255 − 1 ≡ 18
    unhex('0100000000000000000000000000000000000000000000000000000000000080'), // identity, x = 0, sign set
    unhex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'), // y = −1, x = 0, sign set
  ];
  // y + p for every small y on the curve, with either sign bit.
  for (let y = 2n; y < 19n; y++) {
    try {
      ed.Point.fromBytes(numberToBytesLE(y));
    } catch {
      continue;
    }
    bad.push(numberToBytesLE(y + P));
    bad.push(numberToBytesLE(y + P + 2n ** 255n));
  }
  assert.ok(bad.length > 7);
  for (const key of bad) assert.not.ok(accepts(key), hex(key));
});

keys('rejects mixed-order keys: a valid key plus a point of order 2, 4 or 8', () => {
  const base = ed.Point.fromBytes(unhex(RFC8032[0]!.publicKey));
  assert.ok(accepts(base.toBytes()));
  for (const t of SMALL_ORDER.slice(1)) {
    const mixed = base.add(ed.Point.fromBytes(t)).toBytes();
    assert.not.ok(accepts(mixed), hex(t));
  }
});

keys('rejects bytes that are not a curve point', () => {
  // The first y ≥ 2 for which (y² − 1)/(dy² + 1) has no square root.
  let offCurve: Uint8Array | undefined;
  for (let y = 2n; offCurve === undefined; y++) {
    try {
      ed.Point.fromBytes(numberToBytesLE(y));
    } catch {
      offCurve = numberToBytesLE(y);
    }
  }
  assert.not.ok(accepts(offCurve));
});

keys('rejects wrong lengths and non-byte values, and isValidPublicKey never throws', () => {
  const good = unhex(RFC8032[0]!.publicKey);
  for (const key of [new Uint8Array(0), good.subarray(0, 31), Buffer.concat([good, Uint8Array.of(0)]), new Uint8Array(64)]) {
    assert.not.ok(accepts(key), `length ${key.length}`);
  }
  for (const key of [undefined, null, 'a'.repeat(32), [...good], 42, {}]) {
    assert.is(code(() => checkPublicKey(key as unknown as Uint8Array)), 'KEY_INVALID');
    assert.is(isValidPublicKey(key as unknown as Uint8Array), false);
  }
});

keys.run();
