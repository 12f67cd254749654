import { createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalize } from '../src/canonical.js';
import { toHex, utf8 } from '../src/codec.js';
import { type Crypto, nobleCrypto } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import {
  type DigestAlgorithm,
  type ManifestEntry,
  DigestAlgorithms,
  DigestByteLengths,
  checkDigests,
  checkManifestPath,
  compareDigests,
  compareManifestPaths,
  computeDigests,
  directoryDigests,
  manifestBytes,
  manifestSize,
  parseDigestArg,
  parseDigestArgs,
  parseDigests,
  parseManifest,
} from '../src/digests.js';
import { code } from './error-code.js';

// Published digests of "abc" (FIPS 180-2 and 202 examples, RFC 1321 A.5, the BLAKE3 reference) and of "".
const ABC: Record<DigestAlgorithm, string> = {
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha512:
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  'sha3-256': '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532',
  blake3: '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  md5: '900150983cd24fb0d6963f7d28e17f72',
};
const EMPTY: Record<DigestAlgorithm, string> = {
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha512:
    'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  'sha3-256': 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
  blake3: 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
};

const hexOf = (n: number): string => toHex(randomBytes(n));

test('computeDigests gives the published digests of "abc" and of the empty string for every algorithm', () => {
  assert.equal(computeDigests(utf8('abc'), DigestAlgorithms), ABC);
  assert.equal(computeDigests(new Uint8Array(0), DigestAlgorithms), EMPTY);
  for (const alg of DigestAlgorithms) {
    assert.is(ABC[alg].length, DigestByteLengths[alg] * 2, alg);
    assert.equal(computeDigests(utf8('abc'), [alg]), { [alg]: ABC[alg] }, alg);
  }
});

test('computeDigests agrees with node:crypto on random data and takes SHA-256 from the injected Crypto', () => {
  const data = randomBytes(100_003);
  let calls = 0;
  const counting: Crypto = { ...nobleCrypto, sha256: (d) => (calls++, nobleCrypto.sha256(d)) };
  const got = computeDigests(data, ['md5', 'sha256', 'sha1', 'sha512', 'sha3-256'], counting);
  for (const alg of ['sha256', 'sha512', 'sha3-256', 'sha1', 'md5'] as const) {
    assert.is(got[alg], createHash(alg).update(data).digest('hex'), alg);
  }
  assert.is(calls, 1);
  assert.equal(Object.keys(got), ['sha256', 'sha512', 'sha3-256', 'sha1', 'md5']);
});

test('computeDigests refuses an empty or unknown algorithm list with a RangeError', () => {
  assert.throws(() => computeDigests(new Uint8Array(1), []), RangeError);
  assert.throws(() => computeDigests(new Uint8Array(1), ['sha224' as DigestAlgorithm]), RangeError);
});

test('parseDigestArg reads ALG:HEX for every algorithm', () => {
  for (const alg of DigestAlgorithms) {
    assert.equal(parseDigestArg(`${alg}:${ABC[alg]}`), { algorithm: alg, hex: ABC[alg] });
  }
});

test('parseDigestArg accepts upper case, as PowerShell and EnCase print it, and returns lowercase', () => {
  assert.equal(parseDigestArg(`SHA256:${ABC.sha256.toUpperCase()}`), { algorithm: 'sha256', hex: ABC.sha256 });
  assert.equal(parseDigestArg(`Md5:${ABC.md5.slice(0, 10).toUpperCase()}${ABC.md5.slice(10)}`), { algorithm: 'md5', hex: ABC.md5 });
  assert.equal(parseDigestArg(`SHA3-256:${ABC['sha3-256']}`).algorithm, 'sha3-256');
});

test('parseDigestArg rejects unknown algorithms, aliases and a missing colon as SCHEMA_INVALID', () => {
  for (const bad of [`sha-256:${ABC.sha256}`, `sha224:${ABC.sha256}`, ABC.sha256, `:${ABC.sha256}`, ` sha256:${ABC.sha256}`, '']) {
    assert.is(code(() => parseDigestArg(bad)), 'SCHEMA_INVALID', JSON.stringify(bad));
  }
});

test('parseDigestArg rejects wrong lengths, spaces and non-hex digits as HEX_INVALID', () => {
  for (const bad of [
    `sha256:${ABC.sha256.slice(1)}`,
    `sha256:${ABC.sha256}0`,
    `sha256: ${ABC.sha256.slice(1)}`,
    `sha256:${ABC.sha256.slice(0, 62)}g0`,
    `sha256:${ABC.sha256}\n`,
    `md5:${ABC.sha1}`,
    `sha1:${ABC.md5}`,
    'sha512:',
  ]) {
    assert.is(code(() => parseDigestArg(bad)), 'HEX_INVALID', JSON.stringify(bad));
  }
});

test('parseDigestArgs merges several arguments and refuses an algorithm named twice', () => {
  assert.equal(parseDigestArgs([`md5:${ABC.md5}`, `sha256:${ABC.sha256}`]), { md5: ABC.md5, sha256: ABC.sha256 });
  assert.is(code(() => parseDigestArgs([`sha256:${ABC.sha256}`, `SHA256:${ABC.sha256}`])), 'SCHEMA_INVALID');
  assert.equal(parseDigestArgs([]), {});
});

test('parseDigests accepts lowercase hex of the right length under known algorithms only', () => {
  assert.equal(parseDigests({ ...ABC }), ABC);
  assert.equal(parseDigests({ md5: ABC.md5 }), { md5: ABC.md5 });
  assert.is(code(() => parseDigests({ sha256: ABC.sha256.toUpperCase() })), 'HEX_INVALID');
  assert.is(code(() => parseDigests({ sha256: ABC.sha256.slice(2) })), 'HEX_INVALID');
  assert.is(code(() => parseDigests({ sha256: 42 })), 'HEX_INVALID');
  assert.is(code(() => parseDigests({ SHA256: ABC.sha256 })), 'SCHEMA_INVALID');
  assert.is(code(() => parseDigests({ sha256: ABC.sha256, crc32: 'cbf43926' })), 'SCHEMA_INVALID');
  for (const bad of [{}, [], null, 'sha256', [ABC.sha256]]) {
    assert.is(code(() => parseDigests(bad)), 'SCHEMA_INVALID', JSON.stringify(bad));
  }
});

test('checkDigests requires at least one strong algorithm', () => {
  for (const strong of ['sha256', 'sha512', 'sha3-256', 'blake3'] as const) {
    assert.is(code(() => checkDigests({ [strong]: ABC[strong], md5: ABC.md5 })), undefined, strong);
  }
  assert.is(code(() => checkDigests({ md5: ABC.md5, sha1: ABC.sha1 })), 'SCHEMA_INVALID');
  assert.is(code(() => checkDigests({ md5: ABC.md5 })), 'SCHEMA_INVALID');
  assert.is(code(() => checkDigests({})), 'SCHEMA_INVALID');
  assert.is(code(() => checkDigests({ sha256: ABC.sha256.toUpperCase() })), 'HEX_INVALID');
});

test('compareDigests matches over the algorithms both sides have', () => {
  const r = compareDigests({ sha256: ABC.sha256, md5: ABC.md5 }, { md5: ABC.md5, sha256: ABC.sha256, sha1: ABC.sha1 });
  assert.equal(r, { match: true, outcome: 'match', compared: ['sha256', 'md5'], mismatched: [], strong: true });
});

test('compareDigests names every mismatched algorithm and is not a match if any differs', () => {
  const r = compareDigests({ sha256: EMPTY.sha256, md5: ABC.md5, sha1: EMPTY.sha1 }, { sha256: ABC.sha256, md5: ABC.md5, sha1: ABC.sha1 });
  assert.equal(r, { match: false, outcome: 'mismatch', compared: ['sha256', 'sha1', 'md5'], mismatched: ['sha256', 'sha1'], strong: true });
});

test('compareDigests says so when the two sides have no algorithm in common, and that is not a match', () => {
  const r = compareDigests({ md5: ABC.md5 }, { sha256: ABC.sha256 });
  assert.equal(r, { match: false, outcome: 'no-common-algorithm', compared: [], mismatched: [], strong: false });
});

test('compareDigests marks a match on weak algorithms alone as not strong', () => {
  const r = compareDigests({ md5: ABC.md5, sha512: ABC.sha512 }, { md5: ABC.md5, sha256: ABC.sha256 });
  assert.equal(r, { match: true, outcome: 'match', compared: ['md5'], mismatched: [], strong: false });
});

test('compareDigests throws on a malformed side instead of reporting a mismatch', () => {
  assert.is(code(() => compareDigests({ sha256: ABC.sha256.toUpperCase() }, { sha256: ABC.sha256 })), 'HEX_INVALID');
  assert.is(code(() => compareDigests({ sha256: ABC.sha256 }, {})), 'SCHEMA_INVALID');
});

// ---------------------------------------------------------------------------------------------------

const e = (path: string, size = 0, digests: ManifestEntry['digests'] = { sha256: EMPTY.sha256 }): ManifestEntry => ({ path, size, digests });

test('manifestBytes is the JCS serialisation with entries sorted by path', () => {
  const x = hexOf(32);
  const bytes = manifestBytes([e('b.bin', 3, { sha256: x }), e('a/c.bin')]);
  const expected =
    `{"entries":[{"digests":{"sha256":"${EMPTY.sha256}"},"path":"a/c.bin","size":0},` +
    `{"digests":{"sha256":"${x}"},"path":"b.bin","size":3}],"format":"custody-manifest/v1"}`;
  assert.is(new TextDecoder().decode(bytes), expected);
  assert.equal(manifestBytes([e('a/c.bin'), e('b.bin', 3, { sha256: x })]), bytes);
  assert.is(new TextDecoder().decode(manifestBytes([])), '{"entries":[],"format":"custody-manifest/v1"}');
});

test('manifestBytes sorts digests keys in JCS order and keeps escapes of JSON strings', () => {
  const bytes = manifestBytes([e('d\u00e9j\u00e0 vu/"q"\\x\u0001.bin', 7, { sha256: ABC.sha256, md5: ABC.md5, sha1: ABC.sha1 })]);
  const text = new TextDecoder().decode(bytes);
  assert.is(
    text,
    `{"entries":[{"digests":{"md5":"${ABC.md5}","sha1":"${ABC.sha1}","sha256":"${ABC.sha256}"},` +
      `"path":"déjà vu/\\"q\\"\\\\x\\u0001.bin","size":7}],"format":"custody-manifest/v1"}`,
  );
});

test('manifest paths sort by UTF-8 bytes, not by UTF-16 code units', () => {
  const paths = ['a0', 'a/b', 'a-b', 'z', '\u00e9', '\uFFFD', '\u{1F600}', 'A', 'a b', 'a'];
  const sorted = [...paths].sort(compareManifestPaths);
  assert.equal(sorted, ['A', 'a', 'a b', 'a-b', 'a/b', 'a0', 'z', '\u00e9', '\uFFFD', '\u{1F600}']);
  assert.equal([...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))), sorted);
});

test('compareManifestPaths agrees with comparing UTF-8 bytes on random strings', () => {
  const alphabet = ['a', 'b', '/', '-', '.', ' ', '\u00ff', '\u0800', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
  const rnd = randomBytes(20_000);
  let r = 0;
  const word = (): string => Array.from({ length: 1 + (rnd[r++ % rnd.length]! % 4) }, () => alphabet[rnd[r++ % rnd.length]! % alphabet.length]).join('');
  for (let i = 0; i < 2000; i++) {
    const a = word();
    const b = word();
    assert.is(Math.sign(compareManifestPaths(a, b)), Buffer.compare(Buffer.from(a), Buffer.from(b)), `${escape(a)} ${escape(b)}`);
  }
});

test('manifestBytes refuses duplicate paths, bad segments and a file that is also a directory', () => {
  assert.is(code(() => manifestBytes([e('a'), e('a')])), 'SCHEMA_INVALID');
  assert.is(code(() => manifestBytes([e('a'), e('a/b')])), 'SCHEMA_INVALID');
  assert.is(code(() => manifestBytes([e('a'), e('a-x'), e('a/b')])), 'SCHEMA_INVALID');
  for (const bad of ['', '/a', 'a/', 'a//b', './a', 'a/./b', '../a', 'a/..', '.', '..', 'a\0b']) {
    assert.is(code(() => manifestBytes([e(bad)])), 'SCHEMA_INVALID', JSON.stringify(bad));
    assert.is(code(() => checkManifestPath(bad)), 'SCHEMA_INVALID', JSON.stringify(bad));
  }
  assert.is(code(() => checkManifestPath('a/\uD800')), 'JSON_LONE_SURROGATE');
  for (const good of ['a', '...', '.a/..b', 'a\\b', 'C:', ' ', 'a b/c']) assert.is(code(() => checkManifestPath(good)), undefined, good);
});

test('manifestBytes refuses bad sizes, weak-only digests and mixed algorithm sets', () => {
  for (const size of [-1, 1.5, 2 ** 53, NaN]) assert.is(code(() => manifestBytes([e('a', size)])), 'SCHEMA_INVALID', String(size));
  assert.is(code(() => manifestBytes([e('a', 0, { md5: EMPTY.md5 })])), 'SCHEMA_INVALID');
  assert.is(code(() => manifestBytes([e('a'), e('b', 0, { sha256: EMPTY.sha256, md5: EMPTY.md5 })])), 'SCHEMA_INVALID');
  assert.is(code(() => manifestBytes([e('a', 0, { sha256: EMPTY.sha256.toUpperCase() })])), 'HEX_INVALID');
  assert.is(code(() => manifestBytes([{ ...e('a'), extra: 1 } as ManifestEntry])), 'SCHEMA_INVALID');
});

test('directoryDigests identifies a directory by the digests of its manifest and the sum of sizes', () => {
  const entries = [e('x/1.bin', 10, { sha256: hexOf(32) }), e('2.bin', 32, { sha256: hexOf(32) })];
  const dir = directoryDigests(entries, ['sha256', 'md5']);
  assert.equal(dir.manifest, manifestBytes(entries));
  assert.equal(dir.digests, {
    sha256: createHash('sha256').update(dir.manifest).digest('hex'),
    md5: createHash('md5').update(dir.manifest).digest('hex'),
  });
  assert.is(dir.size, 42);
  assert.is(manifestSize([]), 0);
});

test('parseManifest returns the entries of manifestBytes, sorted', () => {
  const entries = [e('b', 5, { sha256: hexOf(32), sha1: hexOf(20) }), e('a/\u{1F600}', 9, { sha256: hexOf(32), sha1: hexOf(20) })];
  const parsed = parseManifest(manifestBytes(entries));
  assert.equal(parsed, { format: 'custody-manifest/v1', entries: [entries[1], entries[0]] });
  assert.equal(parseManifest(manifestBytes([])), { format: 'custody-manifest/v1', entries: [] });
});

const doc = (entries: unknown, extra: object = {}): Uint8Array =>
  utf8(canonicalize({ format: 'custody-manifest/v1', entries, ...extra }));

test('parseManifest rejects unsorted, duplicate, nested-under-a-file and dot-dot paths', () => {
  assert.is(code(() => parseManifest(doc([e('b'), e('a')]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('\u{1F600}'), e('\uFFFD')]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('a'), e('a')]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('a'), e('a/b')]))), 'SCHEMA_INVALID');
  for (const bad of ['../a', 'a/../b', '/etc/passwd', 'a//b', './a', 'a/']) {
    assert.is(code(() => parseManifest(doc([e(bad)]))), 'SCHEMA_INVALID', bad);
  }
});

test('parseManifest rejects unknown or missing fields and another format', () => {
  assert.is(code(() => parseManifest(doc([], { note: 'x' }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(utf8('{"format":"custody-manifest/v1"}'))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(utf8('{"entries":[],"format":"custody-manifest/v2"}'))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(utf8('{"entries":{},"format":"custody-manifest/v1"}'))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(utf8('[]'))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([{ ...e('a'), mode: 420 }]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([{ path: 'a', size: 0 }]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('a', 1.5)]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([{ ...e('a'), size: '0' }]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('a', 0, { md5: EMPTY.md5 })]))), 'SCHEMA_INVALID');
  assert.is(code(() => parseManifest(doc([e('a', 0, { sha256: EMPTY.sha256.toUpperCase() })]))), 'HEX_INVALID');
});

test('parseManifest accepts only the canonical bytes', () => {
  const good = new TextDecoder().decode(manifestBytes([e('a', 1)]));
  assert.is(code(() => parseManifest(utf8(good))), undefined);
  for (const bad of [
    good + '\n',
    ' ' + good,
    good.replace('"size":1', '"size":1.0'),
    good.replace('"size":1', '"size":1e0'),
    good.replace('"path":"a"', '"path":"\\u0061"'),
    good.replace('{"entries"', '{"format":"x","entries"'),
    good.replace(`{"digests":{"sha256":"${EMPTY.sha256}"},"path":"a","size":1}`, `{"path":"a","size":1,"digests":{"sha256":"${EMPTY.sha256}"}}`),
  ]) {
    assert.is(code(() => parseManifest(utf8(bad))), 'JSON_NOT_CANONICAL', bad);
  }
});

test('parseManifest rejects bytes that are not UTF-8 JSON, lone surrogates and oversized input', () => {
  const good = manifestBytes([e('a', 1)]);
  assert.is(code(() => parseManifest(Uint8Array.of(0xef, 0xbb, 0xbf, ...good))), 'JSON_SYNTAX');
  assert.is(code(() => parseManifest(Uint8Array.of(...good.subarray(0, 10), 0xff, ...good.subarray(10)))), 'JSON_SYNTAX');
  assert.is(code(() => parseManifest(good.subarray(0, good.length - 1))), 'JSON_SYNTAX');
  assert.is(code(() => parseManifest(new Uint8Array(0))), 'JSON_SYNTAX');
  const lone = `{"entries":[{"digests":{"sha256":"${EMPTY.sha256}"},"path":"a\\udc00","size":0}],"format":"custody-manifest/v1"}`;
  assert.is(code(() => parseManifest(utf8(lone))), 'JSON_LONE_SURROGATE');
  assert.is(code(() => parseManifest(good, { maxBytes: good.length })), undefined);
  assert.is(code(() => parseManifest(good, { maxBytes: good.length - 1 })), 'JSON_TOO_LARGE');
});

test.run();
