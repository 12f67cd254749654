import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { isCustodyError, nobleCrypto, parseBase64, toBase64, toHex, utf8 } from '@custody/core';
import {
  checkPassphraseStrength,
  DEFAULT_SCRYPT_COST,
  fingerprint,
  formatFingerprint,
  generateKeyPair,
  formatKeyFile,
  keyPairFromSeed,
  MIN_PASSPHRASE_LENGTH,
  parseKeyFile,
  readKeyFile,
  writeKeyFile,
  type KeyPair,
} from '../src/keyfile.js';

/** A cheap scrypt cost, so that the many error cases do not each spend 0.4 s; one test uses the default. */
const FAST = { N: 1024, r: 8, p: 1 };
const PASSPHRASE = 'kata sandi yang panjang';

const dir = mkdtempSync(join(tmpdir(), 'custody-keyfile-'));
let fileCount = 0;
const newPath = (name = 'key'): string => join(dir, `${name}-${++fileCount}.pem`);

/** failure runs `fn` and returns the CustodyError it throws, or fails the test. */
function failure(fn: () => unknown): { code: string; details: Record<string, unknown>; json: string } {
  try {
    fn();
  } catch (e) {
    if (isCustodyError(e)) return { code: e.code, details: { ...e.details }, json: JSON.stringify(e.toJSON()) };
    throw new Error(`expected a CustodyError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a CustodyError, got success');
}

function openssl(args: string[], env: Record<string, string> = {}): Buffer {
  return execFileSync('openssl', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function writeFast(keyPair: KeyPair = generateKeyPair(), passphrase = PASSPHRASE): { path: string; keyPair: KeyPair } {
  const path = newPath();
  writeKeyFile(path, keyPair, passphrase, { scrypt: FAST });
  return { path, keyPair };
}

function readVector(relative: string): unknown {
  const inRepo = fileURLToPath(new URL(`../../../test/vectors/${relative}`, import.meta.url));
  const path = existsSync(inRepo) ? inRepo : `/work/shared/vectors/${relative}`;
  return JSON.parse(readFileSync(path, 'utf8'));
}

test('a generated key written with the default cost reads back, signs, and verifies with nobleCrypto', () => {
  const keyPair = generateKeyPair();
  const path = newPath();
  writeKeyFile(path, keyPair, PASSPHRASE);
  assert.is(statSync(path).mode & 0o777, 0o600);

  const started = performance.now();
  const loaded = readKeyFile(path, PASSPHRASE);
  const readMs = performance.now() - started;
  assert.equal(loaded.publicKey, keyPair.publicKey);
  assert.is(loaded.fingerprint, keyPair.fingerprint);
  assert.is(loaded.fingerprint, fingerprint(loaded.publicKey));
  const message = utf8('berita acara serah terima');
  const signature = loaded.signer.sign(message);
  assert.ok(nobleCrypto.verify(signature, message, keyPair.publicKey));
  assert.equal(loaded.signer.publicKey, keyPair.publicKey);
  // The default cost is real work: scrypt over 16 MiB, p = 16. Not a timing assertion beyond "not trivial".
  assert.ok(readMs > 50, `reading took ${readMs.toFixed(0)} ms`);

  // What OpenSSL sees: PBES2 with scrypt at the default cost and AES-256-CBC.
  const structure = openssl(['asn1parse', '-in', path]).toString();
  assert.match(structure, /OBJECT\s+:PBES2/);
  assert.match(structure, /OBJECT\s+:scrypt/);
  assert.match(structure, /OBJECT\s+:aes-256-cbc/);
  const integers = [...structure.matchAll(/INTEGER\s+:([0-9A-F]+)/g)].map((m) => parseInt(m[1]!, 16));
  assert.equal(integers, [DEFAULT_SCRYPT_COST.N, DEFAULT_SCRYPT_COST.r, DEFAULT_SCRYPT_COST.p]);
});

test('openssl pkey reads our file with the passphrase from the environment and prints the same public key', () => {
  for (const passphrase of [PASSPHRASE, 'sandi: ñ — 🔑 ümlaut']) {
    const { path, keyPair } = writeFast(generateKeyPair(), passphrase);
    const spki = openssl(['pkey', '-in', path, '-passin', 'env:CUSTODY_TEST_PASSPHRASE', '-pubout', '-outform', 'DER'], {
      CUSTODY_TEST_PASSPHRASE: passphrase,
    });
    assert.is(spki.length, 44);
    assert.equal(new Uint8Array(spki.subarray(12)), keyPair.publicKey);
    // Node reads the PEM text as it is, explanatory lines included.
    const key = createPrivateKey({ key: readFileSync(path, 'utf8'), format: 'pem', passphrase });
    assert.is(key.asymmetricKeyType, 'ed25519');
    // And openssl refuses a wrong passphrase, as we do.
    assert.throws(() => openssl(['pkey', '-in', path, '-passin', 'pass:wrong', '-noout']));
  }
});

test('a standard encrypted PKCS#8 Ed25519 file from openssl genpkey or pkcs8 -scrypt loads', () => {
  const path = newPath('openssl');
  openssl(['genpkey', '-algorithm', 'ed25519', '-aes256', '-pass', `pass:${PASSPHRASE}`, '-out', path]);
  const expected = openssl(['pkey', '-in', path, '-passin', `pass:${PASSPHRASE}`, '-pubout', '-outform', 'DER']).subarray(12);
  const loaded = readKeyFile(path, PASSPHRASE);
  assert.equal(loaded.publicKey, new Uint8Array(expected));
  assert.ok(nobleCrypto.verify(loaded.signer.sign(Uint8Array.of(1)), Uint8Array.of(1), loaded.publicKey));
  const wrong = failure(() => readKeyFile(path, 'wrong'));
  assert.is(wrong.code, 'PASSPHRASE_WRONG');
  assert.is(wrong.details.integrityChecked, false);

  const scrypt = newPath('openssl-scrypt');
  openssl(['pkcs8', '-topk8', '-in', path, '-passin', `pass:${PASSPHRASE}`, '-scrypt', '-passout', 'pass:other', '-out', scrypt]);
  assert.equal(readKeyFile(scrypt, 'other').publicKey, loaded.publicKey);
});

test('a wrong or empty passphrase is PASSPHRASE_WRONG, and the passphrase appears nowhere in the error', () => {
  const { path } = writeFast();
  for (const wrong of ['kata sandi yang panjang!', 'Kata sandi yang panjang', '', PASSPHRASE.slice(0, -1)]) {
    const f = failure(() => readKeyFile(path, wrong));
    assert.is(f.code, 'PASSPHRASE_WRONG', JSON.stringify(wrong));
    assert.is(f.details.integrityChecked, true);
    assert.is(f.details.path, path);
    if (wrong !== '') assert.not.ok(f.json.includes(wrong), 'the tried passphrase is not echoed');
    assert.not.ok(f.json.includes(PASSPHRASE), 'the real passphrase is not echoed');
  }
});

test('a file truncated anywhere that loses content is KEY_FILE_INVALID', () => {
  const { path } = writeFast();
  const text = readFileSync(path, 'utf8');
  const begin = text.indexOf('-----BEGIN');
  const end = text.indexOf('-----END');
  const points = [0, 1, 20, begin - 1, begin, begin + 20, begin + 38, begin + 60, Math.floor((begin + end) / 2), end - 2, end - 1, end, end + 20, text.length - 2];
  for (const at of points) {
    const cut = newPath('truncated');
    writeFileSync(cut, text.slice(0, at));
    assert.is(failure(() => readKeyFile(cut, PASSPHRASE)).code, 'KEY_FILE_INVALID', `cut at ${at} of ${text.length}`);
  }
  // Only the final newline gone: nothing is lost, and the key still loads.
  const trimmed = newPath('trimmed');
  writeFileSync(trimmed, text.slice(0, -1));
  assert.ok(readKeyFile(trimmed, PASSPHRASE).publicKey.length === 32);
});

test('any single character changed in the base64 body of our file is KEY_FILE_INVALID, never a wrong passphrase', () => {
  const { path } = writeFast();
  const text = readFileSync(path, 'utf8');
  const bodyStart = text.indexOf('\n', text.indexOf('-----BEGIN')) + 1;
  const bodyEnd = text.indexOf('-----END');
  let positions = 0;
  for (let i = bodyStart; i < bodyEnd; i++) {
    const c = text[i]!;
    if (c === '\n') continue;
    const replacement = c === 'A' ? 'B' : 'A';
    const damaged = newPath('damaged');
    writeFileSync(damaged, text.slice(0, i) + replacement + text.slice(i + 1));
    const f = failure(() => readKeyFile(damaged, PASSPHRASE));
    assert.is(f.code, 'KEY_FILE_INVALID', `position ${i}`);
    rmSync(damaged);
    positions++;
  }
  assert.ok(positions > 150);
});

test('in a file without our checksum, damage is diagnosed as well as OpenSSL allows', () => {
  const path = newPath('openssl');
  openssl(['genpkey', '-algorithm', 'ed25519', '-aes256', '-pass', `pass:${PASSPHRASE}`, '-out', path]);
  const text = readFileSync(path, 'utf8');
  const der = parseBase64(text.replace(/-----[A-Z ]+-----|\n/g, ''));
  const withDer = (bytes: Uint8Array): string => {
    const p = newPath('damaged');
    writeFileSync(p, `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${toBase64(bytes)}\n-----END ENCRYPTED PRIVATE KEY-----\n`);
    return p;
  };
  const flipped = (at: number): Uint8Array => {
    const copy = der.slice();
    copy[at]! ^= 0x01;
    return copy;
  };
  // The outer structure is ours to check: tags, lengths, the PBES2, PBKDF2, PRF and cipher identifiers.
  const pbes2 = indexOf(der, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d]);
  const aes = indexOf(der, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]);
  for (const at of [0, 1, 2, 3, pbes2 + 8, pbes2 + 22, aes + 8, der.length - 66]) {
    const f = failure(() => readKeyFile(withDer(flipped(at)), PASSPHRASE));
    assert.is(f.code, 'KEY_FILE_INVALID', `byte ${at}`);
    assert.is(f.details.reason, 'structure', `byte ${at}`);
  }
  // Damage to the next-to-last ciphertext block flips bits of the padding block after decryption:
  // the padding check fails, exactly as with a wrong passphrase.
  for (const at of [der.length - 17, der.length - 24]) {
    const f = failure(() => readKeyFile(withDer(flipped(at)), PASSPHRASE));
    assert.is(f.code, 'PASSPHRASE_WRONG', `byte ${at}`);
    assert.is(f.details.integrityChecked, false);
  }
  // Every single-bit flip gives one of three outcomes, and never another error.
  const outcomes = { KEY_FILE_INVALID: 0, PASSPHRASE_WRONG: 0, loaded: 0 };
  const original = readKeyFile(path, PASSPHRASE);
  for (let at = 0; at < der.length; at++) {
    const p = withDer(flipped(at));
    try {
      readKeyFile(p, PASSPHRASE);
      outcomes.loaded++;
    } catch (e) {
      assert.ok(isCustodyError(e, 'KEY_FILE_INVALID') || isCustodyError(e, 'PASSPHRASE_WRONG'), `byte ${at}: ${String(e)}`);
      outcomes[(e as { code: 'KEY_FILE_INVALID' | 'PASSPHRASE_WRONG' }).code]++;
    }
    rmSync(p);
  }
  assert.ok(outcomes.KEY_FILE_INVALID > 20 && outcomes.PASSPHRASE_WRONG > 20, JSON.stringify(outcomes));
  // Some flips (in the IV, or in the ciphertext block before the key's bytes) still load: PKCS#8 has
  // no integrity check. That is why our own files carry a checksum.
  assert.ok(outcomes.loaded > 0, JSON.stringify(outcomes));
  assert.ok(original.publicKey.length === 32);
});

test('fields of our file that OpenSSL would refuse or that would hang the reader are KEY_FILE_INVALID before decryption', () => {
  const path = newPath('fields');
  writeKeyFile(path, generateKeyPair(), PASSPHRASE, { scrypt: { N: 2 ** 14, r: 8, p: 1 } });
  const text = readFileSync(path, 'utf8');
  const der = parseBase64(text.slice(text.indexOf('-----BEGIN')).replace(/-----[A-Z ]+-----|\n/g, ''));
  const scryptParams = indexOf(der, [0x02, 0x02, 0x40, 0x00, 0x02, 0x01, 0x08, 0x02, 0x01, 0x01]); // N=2^14, r=8, p=1
  assert.ok(scryptParams > 0);
  const cases: [string, (d: Uint8Array) => void][] = [
    ['r = 127 with N = 2^14 needs more memory than OpenSSL allows', (d) => void (d[scryptParams + 6] = 0x7f)],
    ['N not a power of two', (d) => void (d[scryptParams + 3] = 0x01)],
    ['p = 0', (d) => void (d[scryptParams + 9] = 0x00)],
    ['the cipher is not AES-CBC', (d) => void (d[indexOf(d, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a]) + 8] = 0x2e)],
    ['the KDF is unknown', (d) => void (d[indexOf(d, [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b]) + 8] = 0x0c)],
  ];
  for (const [what, edit] of cases) {
    const copy = der.slice();
    edit(copy);
    const p = newPath('fields');
    // Without the explanatory lines (so no checksum): the structural check is what must catch it.
    writeFileSync(p, `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${toBase64(copy)}\n-----END ENCRYPTED PRIVATE KEY-----\n`);
    const f = failure(() => readKeyFile(p, PASSPHRASE));
    assert.is(f.code, 'KEY_FILE_INVALID', what);
    assert.is(f.details.reason, 'structure', what);
  }
  // The same file with the lines removed but nothing else changed is a valid standard key file.
  const bare = newPath('bare');
  writeFileSync(bare, text.slice(text.indexOf('-----BEGIN')));
  assert.ok(readKeyFile(bare, PASSPHRASE).publicKey.length === 32);
  // With Windows line endings too.
  const crlf = newPath('crlf');
  writeFileSync(crlf, text.replaceAll('\n', '\r\n'));
  assert.ok(readKeyFile(crlf, PASSPHRASE).publicKey.length === 32);
});

test('a fingerprint line that does not match the key inside is KEY_FILE_INVALID once decrypted', () => {
  const { path } = writeFast();
  const other = generateKeyPair();
  const text = readFileSync(path, 'utf8').replace(/^Fingerprint: .*$/m, `Fingerprint: ${formatFingerprint(other.fingerprint)}`);
  const p = newPath('swapped');
  writeFileSync(p, text);
  const f = failure(() => readKeyFile(p, PASSPHRASE));
  assert.is(f.code, 'KEY_FILE_INVALID');
  assert.is(f.details.reason, 'damaged');
  // A header line that is not as written is damage too, whatever the passphrase.
  const q = newPath('header');
  writeFileSync(q, readFileSync(path, 'utf8').replace('Checksum: sha256:', 'Checksum: sha-256:'));
  assert.is(failure(() => readKeyFile(q, 'anything')).code, 'KEY_FILE_INVALID');
});

test('files that are not encrypted Ed25519 private keys are KEY_FILE_INVALID', () => {
  const plain = newPath('plain');
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', plain]);
  const pub = newPath('public');
  openssl(['pkey', '-in', plain, '-pubout', '-out', pub]);
  const rsa = newPath('rsa');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-aes256', '-pass', `pass:${PASSPHRASE}`, '-out', rsa]);
  const x25519 = newPath('x25519');
  openssl(['genpkey', '-algorithm', 'X25519', '-aes256', '-pass', `pass:${PASSPHRASE}`, '-out', x25519]);
  const cases: [string, string][] = [
    [plain, 'unencrypted'],
    [pub, 'public-key'],
    [rsa, 'algorithm'],
    [x25519, 'algorithm'],
  ];
  const write = (name: string, content: string | Uint8Array): string => {
    const p = newPath(name);
    writeFileSync(p, content);
    return p;
  };
  cases.push(
    [write('empty', ''), 'not-pem'],
    [write('binary', Uint8Array.of(0xff, 0xfe, 0x00, 0x80)), 'not-pem'],
    [write('json', '{"key": "not a key"}\n'), 'not-pem'],
    [write('two', readFileSync(rsa, 'utf8') + readFileSync(rsa, 'utf8')), 'not-pem'],
    [write('rsa-legacy', '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n'), 'not-pkcs8'],
    // An unencrypted PrivateKeyInfo relabelled as encrypted: the structure check sees through it.
    [write('relabelled', readFileSync(plain, 'utf8').replaceAll('PRIVATE KEY', 'ENCRYPTED PRIVATE KEY')), 'structure'],
  );
  for (const [path, reason] of cases) {
    const f = failure(() => readKeyFile(path, PASSPHRASE));
    assert.is(f.code, 'KEY_FILE_INVALID', path);
    assert.is(f.details.reason, reason, path);
  }
  const directory = join(dir, 'a-directory');
  mkdirSync(directory);
  assert.is(failure(() => readKeyFile(directory, PASSPHRASE)).code, 'KEY_FILE_INVALID');
  const large = write('large', 'x'.repeat(70_000));
  assert.is(failure(() => readKeyFile(large, PASSPHRASE)).details.reason, 'too-large');
});

test('a missing file or directory is FILE_NOT_FOUND', () => {
  assert.is(failure(() => readKeyFile(join(dir, 'no-such-key.pem'), PASSPHRASE)).code, 'FILE_NOT_FOUND');
  assert.is(failure(() => readKeyFile(join(dir, 'no-such-dir', 'key.pem'), PASSPHRASE)).code, 'FILE_NOT_FOUND');
  assert.is(failure(() => writeKeyFile(join(dir, 'no-such-dir', 'key.pem'), generateKeyPair(), PASSPHRASE, { scrypt: FAST })).code, 'FILE_NOT_FOUND');
});

test('a file with mode 000 is FILE_UNREADABLE to a user the kernel refuses, and loads for one it allows (root)', () => {
  const { path, keyPair } = writeFast();
  chmodSync(path, 0o000);
  let allowed: boolean;
  try {
    accessSync(path, constants.R_OK);
    allowed = true;
  } catch {
    allowed = false;
  }
  if (allowed) assert.equal(readKeyFile(path, PASSPHRASE).publicKey, keyPair.publicKey, 'the current user may read it');
  else assert.is(failure(() => readKeyFile(path, PASSPHRASE)).code, 'FILE_UNREADABLE');

  // As root, also check the refusal itself: read as the unprivileged user nobody, in a child process.
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    const readable = writeFast().path;
    chmodSync(readable, 0o644);
    const asNobody = (file: string): string => {
      const source = fileURLToPath(new URL('../src/keyfile.ts', import.meta.url));
      const script = 'const m = await import(process.argv[1]); try { m.readKeyFile(process.argv[2], process.argv[3]); console.log("loaded"); } catch (e) { console.log(e.code); }';
      const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script, source, file, PASSPHRASE], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      });
      assert.is(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    assert.is(asNobody(readable), 'loaded', 'the child can read a key it is allowed to');
    assert.is(asNobody(path), 'FILE_UNREADABLE');
    chmodSync(dir, 0o700);
  }
});

test('writing over an existing file is refused, leaves it unchanged, and leaves no temporary files', () => {
  const sub = join(dir, 'no-clobber');
  mkdirSync(sub);
  const path = join(sub, 'officer.pem');
  writeFileSync(path, 'precious\n');
  const f = failure(() => writeKeyFile(path, generateKeyPair(), PASSPHRASE, { scrypt: FAST }));
  assert.is(f.code, 'FILE_EXISTS');
  assert.is(f.details.reason, 'exists');
  assert.is(readFileSync(path, 'utf8'), 'precious\n');

  const second = join(sub, 'second.pem');
  writeKeyFile(second, generateKeyPair(), PASSPHRASE, { scrypt: FAST });
  assert.is(failure(() => writeKeyFile(second, generateKeyPair(), PASSPHRASE, { scrypt: FAST })).details.reason, 'exists');
  assert.equal(readdirSync(sub).sort(), ['officer.pem', 'second.pem']);
});

test('writeKeyFile refuses an empty passphrase, a cost OpenSSL could not read, and a foreign key pair', () => {
  const keyPair = generateKeyPair();
  const path = newPath('refused');
  assert.throws(() => writeKeyFile(path, keyPair, ''), (e: unknown) => e instanceof RangeError);
  assert.throws(() => writeKeyFile(path, keyPair, 'a\uD800b', { scrypt: FAST }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => writeKeyFile(path, keyPair, PASSPHRASE, { scrypt: { N: 2 ** 17, r: 8, p: 1 } }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => writeKeyFile(path, keyPair, PASSPHRASE, { scrypt: { N: 3000, r: 8, p: 1 } }), (e: unknown) => e instanceof RangeError);
  const foreign = { publicKey: keyPair.publicKey, fingerprint: keyPair.fingerprint, signer: keyPair.signer };
  assert.throws(() => writeKeyFile(path, foreign, PASSPHRASE, { scrypt: FAST }), (e: unknown) => e instanceof TypeError);
  assert.not.ok(existsSync(path));
});

test('a passphrase for a new key file shorter than 12 characters or one character repeated is PASSPHRASE_WEAK, and nothing is written', () => {
  const sub = mkdtempSync(join(dir, 'weak-'));
  const keyPair = generateKeyPair();
  const cases: [string, string][] = [
    ['a', 'too-short'],
    ['demo', 'too-short'],
    ['uji-rahasia', 'too-short'], // 11
    ['kunci🔑kunci', 'too-short'], // 11 code points, though 12 UTF-16 units
    ['x'.repeat(40), 'one-character'],
    ['🔑'.repeat(12), 'one-character'],
  ];
  for (const [passphrase, reason] of cases) {
    const path = join(sub, 'officer.pem');
    const f = failure(() => writeKeyFile(path, keyPair, passphrase, { scrypt: FAST }));
    assert.is(f.code, 'PASSPHRASE_WEAK', JSON.stringify(passphrase));
    assert.is(f.details.reason, reason, JSON.stringify(passphrase));
    assert.is(f.details.minLength, MIN_PASSPHRASE_LENGTH);
    if (passphrase.length > 4) assert.not.ok(f.json.includes(passphrase), 'the passphrase is not echoed');
    assert.is(failure(() => formatKeyFile(keyPair, passphrase, { scrypt: FAST })).code, 'PASSPHRASE_WEAK');
    assert.is(failure(() => checkPassphraseStrength(passphrase)).code, 'PASSPHRASE_WEAK');
  }
  assert.equal(readdirSync(sub), [], 'no key file and no temporary file');
});

test('passphrases that meet the rule are accepted: exactly 12 characters, a few words, any script', () => {
  for (const passphrase of ['abcdefghijkl', 'aaaaaaaaaaab', 'gudang lemari tujuh segel', 'печать сургуч', 'kunci🔑kunci!']) {
    checkPassphraseStrength(passphrase);
    const { path, keyPair } = writeFast(generateKeyPair(), passphrase);
    assert.equal(readKeyFile(path, passphrase).publicKey, keyPair.publicKey, passphrase);
  }
});

test('allowWeakPassphrase writes a key file under a weak passphrase, and weak key files, ours or openssl’s, still read', () => {
  const keyPair = generateKeyPair();
  const ours = newPath('weak-allowed');
  writeKeyFile(ours, keyPair, 'demo', { scrypt: FAST, allowWeakPassphrase: true });
  assert.equal(readKeyFile(ours, 'demo').publicKey, keyPair.publicKey);
  assert.ok(formatKeyFile(keyPair, 'x', { scrypt: FAST, allowWeakPassphrase: true }).includes('ENCRYPTED PRIVATE KEY'));
  // The override is for weakness only: an empty passphrase is still an argument error.
  assert.throws(() => writeKeyFile(newPath('empty'), keyPair, '', { scrypt: FAST, allowWeakPassphrase: true }), (e: unknown) => e instanceof RangeError);
  // A key file written elsewhere (or before the rule) with a one-character passphrase opens.
  const theirs = newPath('openssl-weak');
  openssl(['genpkey', '-algorithm', 'ed25519', '-aes256', '-pass', 'pass:a', '-out', theirs]);
  assert.is(readKeyFile(theirs, 'a').publicKey.length, 32);
  assert.is(failure(() => readKeyFile(theirs, 'b')).code, 'PASSPHRASE_WRONG');
});

test('the key pair and its signer expose no private key bytes', () => {
  const seed = new Uint8Array(32).fill(2);
  const keyPair = keyPairFromSeed(seed);
  assert.equal(Object.keys(keyPair).sort(), ['fingerprint', 'publicKey', 'signer']);
  assert.equal(Object.keys(keyPair.signer).sort(), ['publicKey', 'sign']);
  const shown = JSON.stringify(keyPair) + inspect(keyPair, { showHidden: true, depth: null, getters: true });
  for (const secret of [toHex(seed), toBase64(seed), seed.join(',')]) assert.not.ok(shown.includes(secret));
  // A signature by the loaded key is exactly RFC 8032's for this seed.
  const { path } = writeFast(keyPair);
  const message = utf8('serah terima');
  assert.equal(readKeyFile(path, PASSPHRASE).signer.sign(message), nobleCrypto.sign(message, seed));
});

test('fingerprints of the protocol-v1 vector keys match, and format in groups of four', () => {
  const vectors = readVector('custody/protocol-v1.json') as {
    keys: Record<string, { seedByte: number; publicKey: string; fingerprint: string }>;
  };
  const names = Object.keys(vectors.keys);
  assert.ok(names.length >= 4);
  for (const name of names) {
    const v = vectors.keys[name]!;
    const keyPair = keyPairFromSeed(new Uint8Array(32).fill(v.seedByte));
    assert.is(toBase64(keyPair.publicKey), v.publicKey, name);
    assert.is(keyPair.fingerprint, v.fingerprint, name);
    assert.is(fingerprint(parseBase64(v.publicKey, 32)), v.fingerprint, name);
  }
  assert.is(
    formatFingerprint(vectors.keys.ledger!.fingerprint),
    '3475 0f98 bd59 fcfc 946d a45a aabe 933b e154 a4b5 094e 1c4a bf42 8665 05f3 c97e',
  );
  assert.is(failure(() => formatFingerprint('3475')).code, 'HEX_INVALID');
  assert.is(failure(() => formatFingerprint(vectors.keys.ledger!.fingerprint.toUpperCase())).code, 'HEX_INVALID');
  assert.is(failure(() => fingerprint(new Uint8Array(31))).code, 'KEY_INVALID');
});

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error(`pattern ${toHex(Uint8Array.from(needle))} not found`);
}

test.after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a damaged first line does not switch off the checksum: the file is refused, never read as another key', () => {
  const text = formatKeyFile(generateKeyPair(), PASSPHRASE, { scrypt: FAST });
  const lines = text.split('\n');
  lines[0] = lines[0]!.replace('custody', 'custndy');
  const body = lines.findIndex((l) => l.startsWith('-----BEGIN')) + 3;
  lines[body] = lines[body]!.slice(0, 5) + (lines[body]![5] === 'A' ? 'B' : 'A') + lines[body]!.slice(6);
  assert.is(failure(() => parseKeyFile(lines.join('\n'), PASSPHRASE)).code, 'KEY_FILE_INVALID');
  lines[0] = 'Bag Attributes: something another tool wrote';
  assert.is(failure(() => parseKeyFile(lines.join('\n'), PASSPHRASE)).code, 'KEY_FILE_INVALID');
});

test.run();
