import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nobleCrypto, parseHex, toHex, type Crypto } from '@custody/core';
import { createNodeCrypto, measureVerifyRate, nodeCrypto } from '../src/node-crypto.js';

// @noble/ed25519 is a dependency of core, not of ledger: reach its Point API through core's copy,
// imported by URL and typed here (any static import of it makes tsc type-check noble's own index.ts).
interface NoblePoint {
  add(other: NoblePoint): NoblePoint;
  double(): NoblePoint;
  multiply(scalar: bigint): NoblePoint;
  is0(): boolean;
  isSmallOrder(): boolean;
  toBytes(): Uint8Array;
}
interface NobleEd25519 {
  Point: { BASE: NoblePoint; CURVE(): { n: bigint }; fromHex(hex: string): NoblePoint };
  utils: { getExtendedPublicKeyAsync(secretKey: Uint8Array): Promise<{ scalar: bigint; pointBytes: Uint8Array }> };
  verifyAsync(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array, opts?: { zip215?: boolean }): Promise<boolean>;
}
const nobleUrl = new URL('../../core/node_modules/@noble/ed25519/index.js', import.meta.url).href;
const ed = (await import(nobleUrl)) as NobleEd25519;

/** Reads a published vector file from the repository's test/vectors, or from the shared copy. */
function readVector(relative: string): unknown {
  const inRepo = fileURLToPath(new URL(`../../../test/vectors/${relative}`, import.meta.url));
  const path = existsSync(inRepo) ? inRepo : `/work/shared/vectors/${relative}`;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A deterministic byte stream (SHA-256 in counter mode) so a failing random case can be replayed. */
function byteStream(seedHex: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = createHash('sha256').update(`${seedHex}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

const SEED = process.env.CUSTODY_TEST_SEED ?? randomBytes(8).toString('hex');

interface WycheproofFile {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string }[] }[];
}

test('nodeCrypto and nobleCrypto give Wycheproof\'s answer on every Ed25519 vector', () => {
  const file = readVector('wycheproof/ed25519_test.json') as WycheproofFile;
  let count = 0;
  let valid = 0;
  for (const group of file.testGroups) {
    const publicKey = parseHex(group.publicKey.pk);
    for (const t of group.tests) {
      assert.ok(t.result === 'valid' || t.result === 'invalid', `tcId ${t.tcId}: unexpected result ${t.result}`);
      const expected = t.result === 'valid';
      const message = parseHex(t.msg);
      const signature = parseHex(t.sig);
      assert.is(nodeCrypto.verify(signature, message, publicKey), expected, `node, tcId ${t.tcId}`);
      assert.is(nobleCrypto.verify(signature, message, publicKey), expected, `noble, tcId ${t.tcId}`);
      count++;
      if (expected) valid++;
    }
  }
  assert.is(count, file.numberOfTests);
  assert.is(count, 151);
  assert.ok(valid > 0 && valid < count);
});

test('nodeCrypto reproduces RFC 8032 TEST 1 and TEST 2 (public key and signature)', () => {
  const vectors = [
    {
      secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
  ];
  for (const v of vectors) {
    const secretKey = parseHex(v.secretKey);
    assert.is(toHex(nodeCrypto.publicKey(secretKey)), v.publicKey);
    const signature = nodeCrypto.sign(parseHex(v.message), secretKey);
    assert.is(toHex(signature), v.signature);
    assert.is(signature.constructor, Uint8Array, 'a plain Uint8Array, not a Buffer');
    assert.ok(nodeCrypto.verify(signature, parseHex(v.message), parseHex(v.publicKey)));
  }
});

test('nodeCrypto.sha256 equals noble\'s SHA-256 and the FIPS 180-2 "abc" digest', () => {
  const abc = new TextEncoder().encode('abc');
  assert.is(toHex(nodeCrypto.sha256(abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const next = byteStream(`${SEED}:sha`);
  for (const length of [0, 1, 55, 56, 63, 64, 65, 1000, 100_000]) {
    const data = next(length);
    const digest = nodeCrypto.sha256(data);
    assert.is(digest.constructor, Uint8Array);
    assert.equal(digest, nobleCrypto.sha256(data), `length ${length}, seed ${SEED}`);
  }
});

test('3000 random signatures with random single-bit flips get identical answers from both', () => {
  const next = byteStream(`${SEED}:flips`);
  const counts = { valid: 0, signature: 0, message: 0, publicKey: 0 };
  for (let i = 0; i < 3000; i++) {
    const secretKey = next(32);
    const message = next(next(1)[0]!);
    const publicKey = nodeCrypto.publicKey(secretKey);
    const signature = nodeCrypto.sign(message, secretKey);
    if (i < 100) {
      assert.equal(publicKey, nobleCrypto.publicKey(secretKey), `public key ${i}, seed ${SEED}`);
      assert.equal(signature, nobleCrypto.sign(message, secretKey), `signature ${i}, seed ${SEED}`);
    }
    const choice = next(3);
    const target = (['valid', 'signature', 'message', 'publicKey'] as const)[choice[0]! % 4]!;
    const flip = (bytes: Uint8Array): Uint8Array => {
      const copy = bytes.slice();
      const at = ((choice[1]! << 8) | choice[2]!) % (bytes.length * 8);
      copy[at >> 3]! ^= 1 << (at & 7);
      return copy;
    };
    const args: [Uint8Array, Uint8Array, Uint8Array] =
      target === 'signature' ? [flip(signature), message, publicKey]
      : target === 'message' && message.length > 0 ? [signature, flip(message), publicKey]
      : target === 'publicKey' ? [signature, message, flip(publicKey)]
      : [signature, message, publicKey];
    const expected = args[0] === signature && args[1] === message && args[2] === publicKey;
    counts[expected ? 'valid' : target]++;
    const where = `case ${i} (${target}), seed ${SEED}`;
    assert.is(nodeCrypto.verify(...args), expected, `node, ${where}`);
    assert.is(nobleCrypto.verify(...args), expected, `noble, ${where}`);
  }
  for (const [kind, n] of Object.entries(counts)) assert.ok(n > 500, `${kind}: only ${n} cases`);
});

test('a signature whose R has an 8-torsion component is rejected by both, though noble\'s cofactored check accepts it', async () => {
  const secretKey = parseHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
  const { scalar, pointBytes: publicKey } = await ed.utils.getExtendedPublicKeyAsync(secretKey);
  const L = ed.Point.CURVE().n;
  // A point of order exactly 8 (one of the eight small-order points; e.g. libsodium's blocklist).
  const torsion = ed.Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a');
  assert.ok(torsion.isSmallOrder());
  assert.not.ok(torsion.double().double().is0(), 'not of order 4 or less');
  assert.ok(torsion.double().double().double().is0(), 'of order 8');

  const message = new TextEncoder().encode('custody: small-order R');
  const r = 123456789n;
  const R = ed.Point.BASE.multiply(r).add(torsion).toBytes();
  const k = bytesToNumberLE(createHash('sha512').update(R).update(publicKey).update(message).digest()) % L;
  const S = (r + k * scalar) % L;
  const signature = new Uint8Array(64);
  signature.set(R, 0);
  signature.set(numberToBytesLE(S, 32), 32);

  assert.ok(await ed.verifyAsync(signature, message, publicKey, { zip215: false }), 'cofactored check accepts: the vector is meaningful');
  assert.is(nodeCrypto.verify(signature, message, publicKey), false, 'OpenSSL');
  assert.is(nobleCrypto.verify(signature, message, publicKey), false, 'noble with the cofactorless check');
  // The same construction without the torsion component is an ordinary valid signature.
  const R0 = ed.Point.BASE.multiply(r).toBytes();
  const k0 = bytesToNumberLE(createHash('sha512').update(R0).update(publicKey).update(message).digest()) % L;
  const honest = new Uint8Array(64);
  honest.set(R0, 0);
  honest.set(numberToBytesLE((r + k0 * scalar) % L, 32), 32);
  assert.ok(nodeCrypto.verify(honest, message, publicKey));
  assert.ok(nobleCrypto.verify(honest, message, publicKey));
});

test('verify answers false, never throws, for inputs of the wrong length or type', () => {
  const secretKey = new Uint8Array(32).fill(7);
  const message = Uint8Array.of(1, 2, 3);
  const publicKey = nodeCrypto.publicKey(secretKey);
  const signature = nodeCrypto.sign(message, secretKey);
  const cases: [unknown, unknown, unknown][] = [
    [signature.subarray(0, 63), message, publicKey],
    [Uint8Array.from([...signature, 0]), message, publicKey],
    [new Uint8Array(0), message, publicKey],
    [signature, message, publicKey.subarray(0, 31)],
    [signature, message, Uint8Array.from([...publicKey, 0])],
    [signature, message, new Uint8Array(32).fill(0xff)], // not a curve point (y >= p)
    [new Uint8Array(64).fill(0xff), message, publicKey],
    [Array.from(signature), message, publicKey],
    [signature, 'text', publicKey],
    [signature, message, null],
    [undefined, undefined, undefined],
  ];
  for (const [i, c] of cases.entries()) {
    const call = (impl: Crypto): boolean => impl.verify(...(c as [Uint8Array, Uint8Array, Uint8Array]));
    assert.is(call(nodeCrypto), false, `node, case ${i}`);
    assert.is(call(nobleCrypto), false, `noble, case ${i}`);
  }
  assert.ok(nodeCrypto.verify(signature, message, publicKey));
});

test('a node crypto with a tiny key cache still answers correctly as keys are evicted and return', () => {
  const small = createNodeCrypto({ keyCacheSize: 3 });
  const cases = Array.from({ length: 10 }, (_, i) => {
    const secretKey = new Uint8Array(32).fill(i + 1);
    const message = Uint8Array.of(i);
    return { publicKey: small.publicKey(secretKey), message, signature: small.sign(message, secretKey) };
  });
  for (let round = 0; round < 3; round++) {
    for (const [i, c] of cases.entries()) {
      assert.ok(small.verify(c.signature, c.message, c.publicKey), `round ${round}, key ${i}`);
      const other = cases[(i + 1) % cases.length]!;
      assert.not.ok(small.verify(c.signature, c.message, other.publicKey), `round ${round}, key ${i} under another key`);
    }
  }
  // A key OpenSSL will not import is remembered as invalid, and stays invalid.
  const bad = new Uint8Array(32).fill(0xff);
  assert.not.ok(small.verify(cases[0]!.signature, cases[0]!.message, bad));
  assert.not.ok(small.verify(cases[0]!.signature, cases[0]!.message, bad));
  assert.throws(() => createNodeCrypto({ keyCacheSize: 0 }), (e: unknown) => e instanceof RangeError);
});

test('publicKey and sign refuse a secret key that is not 32 bytes with a TypeError', () => {
  for (const bad of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(64)]) {
    assert.throws(() => nodeCrypto.publicKey(bad), (e: unknown) => e instanceof TypeError);
    assert.throws(() => nodeCrypto.sign(Uint8Array.of(1), bad), (e: unknown) => e instanceof TypeError);
  }
});

test('measureVerifyRate reports a positive rate consistent with its count and time', () => {
  for (const impl of [nodeCrypto, nobleCrypto]) {
    const rate = measureVerifyRate(50, impl);
    assert.ok(rate.verifications >= 16);
    assert.ok(rate.elapsedMs >= 50);
    assert.is(rate.perSecond, Math.round((rate.verifications * 1000) / rate.elapsedMs));
  }
  assert.throws(() => measureVerifyRate(0), (e: unknown) => e instanceof RangeError);
});

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function numberToBytesLE(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
}

test.run();
