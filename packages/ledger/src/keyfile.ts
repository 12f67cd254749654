/**
 * Key files (DESIGN §5): an Ed25519 private key in an encrypted PKCS#8 PEM file that `openssl pkey`
 * reads. We write RFC 5958 EncryptedPrivateKeyInfo with RFC 8018 PBES2: the scrypt KDF (RFC 7914 §7)
 * and AES-256-CBC, DER-encoded here, because node's own `export({ cipher })` uses PBKDF2 with
 * OpenSSL's 2048 iterations, which a stolen file with a weak passphrase would not survive.
 *
 * scrypt's cost is bounded by what OpenSSL will read: it refuses scrypt needing more than 32 MiB
 * (128·r·(N+2) + 128·r·p bytes), so N = 2^17 with r = 8 cannot be opened by `openssl pkey` or by
 * node. We use the largest memory it accepts, N = 2^14 with r = 8 (16 MiB), and reach the time cost
 * through p = 16: about 0.4 s to write or read on the machine this was measured on.
 *
 * Encrypted PKCS#8 has no integrity check: a damaged ciphertext decrypts to garbage, which looks like
 * a wrong passphrase, and damage in some blocks even loads silently as a different key. So the files we
 * write carry two lines of explanatory text before the PEM block (RFC 7468 §2; OpenSSL skips them):
 * the key's fingerprint and the SHA-256 of the DER. Reading checks both, so for our own files damage
 * is KEY_FILE_INVALID and a failed decryption is certainly PASSPHRASE_WRONG. Files from elsewhere
 * (e.g. `openssl genpkey -algorithm ed25519 -aes256`) load too, diagnosed as well as OpenSSL allows.
 */
import {
  createCipheriv,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CustodyError, isHex, parseBase64, toBase64, toHex, type Signer } from '@custody/core';
import { ed25519PrivateKey, ed25519PublicKey } from './node-crypto.js';

/** An Ed25519 key pair loaded in memory. The private key stays inside a KeyObject, never a property. */
export interface KeyPair {
  /** The 32-byte raw public key. */
  readonly publicKey: Uint8Array;
  /** Hex SHA-256 of the raw public key (64 characters). */
  readonly fingerprint: string;
  /** Signs with the private key. */
  readonly signer: Signer;
}

/** scrypt parameters (RFC 7914): N (a power of two), r and p. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** The scrypt cost of new key files: the most memory OpenSSL reads (16 MiB), p for time (~0.4 s). */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 14, r: 8, p: 16 });

export interface WriteKeyFileOptions {
  /** scrypt cost; DEFAULT_SCRYPT_COST unless given. Lower it only for tests. */
  readonly scrypt?: ScryptCost;
  /**
   * Skip checkPassphraseStrength: for tests only, said in so many words at each call. There is no
   * environment variable for it, so that nothing can leave it switched on in production unseen.
   */
  readonly allowWeakPassphrase?: boolean;
}

/** The fewest characters (Unicode code points) a passphrase for a new key file may have: 12. */
export const MIN_PASSPHRASE_LENGTH = 12;

/**
 * checkPassphraseStrength is the one rule for the passphrase of a NEW key file: at least
 * MIN_PASSPHRASE_LENGTH (12) characters, counted as Unicode code points (so "kunci🔑" is 6, not 7),
 * and not one character repeated ("xxxxxxxxxxxx"). A passphrase of several words passes
 * ("gudang lemari tujuh segel"). scrypt makes each guess slow, but cannot save a passphrase that is
 * among the first an attacker with a stolen key file would try. The rule applies when a key
 * file is written (writeKeyFile, formatKeyFile, `custody key generate`, `custody init`), never when
 * one is read: files written before it, or by other tools, open with whatever passphrase they have.
 * Throws PASSPHRASE_WEAK with details.reason "too-short" or "one-character" and details.minLength;
 * the passphrase itself is never in the error.
 */
export function checkPassphraseStrength(passphrase: string): void {
  if (typeof passphrase !== 'string') throw new TypeError('checkPassphraseStrength: passphrase must be a string');
  const characters = [...passphrase];
  const rule = `A passphrase for a new key file needs at least ${MIN_PASSPHRASE_LENGTH} characters and must not be one character repeated; a few ordinary words together pass.`;
  if (characters.length < MIN_PASSPHRASE_LENGTH) {
    throw new CustodyError('PASSPHRASE_WEAK', `The passphrase is too short. ${rule}`, { reason: 'too-short', minLength: MIN_PASSPHRASE_LENGTH, length: characters.length });
  }
  if (characters.every((c) => c === characters[0])) {
    throw new CustodyError('PASSPHRASE_WEAK', `The passphrase is one character repeated. ${rule}`, { reason: 'one-character', minLength: MIN_PASSPHRASE_LENGTH });
  }
}

const privateKeys = new WeakMap<KeyPair, KeyObject>();

/** generateKeyPair returns a new random Ed25519 key pair. */
export function generateKeyPair(): KeyPair {
  return keyPairOf(generateKeyPairSync('ed25519').privateKey);
}

/** keyPairFromSeed returns the key pair of a 32-byte Ed25519 private key (RFC 8032 seed). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  return keyPairOf(ed25519PrivateKey(seed));
}

/**
 * writeKeyFile encrypts `keyPair`'s private key under `passphrase` and writes it to a new file at
 * `path`, mode 0600. It never replaces an existing file (FILE_EXISTS with details.reason "exists"), and
 * the file appears whole or not at all: written to a temporary name in the same directory, synced,
 * then linked into place (link(2) fails if the name is taken). A passphrase that fails
 * checkPassphraseStrength is PASSPHRASE_WEAK and nothing is written, unless
 * `options.allowWeakPassphrase`.
 */
export function writeKeyFile(path: string, keyPair: KeyPair, passphrase: string, options: WriteKeyFileOptions = {}): void {
  if (typeof path !== 'string' || path === '') throw new TypeError('writeKeyFile: path must be a non-empty string');
  if (lstatSync(path, { throwIfNoEntry: false }) !== undefined) throw exists(path); // before the slow KDF
  writeNewFile(path, formatKeyFile(keyPair, passphrase, options));
}

/**
 * readKeyFile reads and decrypts the key file at `path`. Fails with FILE_NOT_FOUND, FILE_UNREADABLE,
 * KEY_FILE_INVALID (damaged, truncated, unencrypted, not a private key, not Ed25519) or
 * PASSPHRASE_WRONG; details carry the path, never the passphrase.
 */
export function readKeyFile(path: string, passphrase: string): KeyPair {
  if (typeof path !== 'string' || path === '') throw new TypeError('readKeyFile: path must be a non-empty string');
  const bytes = readSmallFile(path);
  try {
    return parseKeyFile(bytes, passphrase);
  } catch (e) {
    if (e instanceof CustodyError) throw new CustodyError(e.code, e.message, { ...e.details, path }, { cause: e.cause });
    throw e;
  }
}

/**
 * formatKeyFile returns the text of a key file holding `keyPair`, encrypted under `passphrase`
 * (PASSPHRASE_WEAK as for writeKeyFile).
 */
export function formatKeyFile(keyPair: KeyPair, passphrase: string, options: WriteKeyFileOptions = {}): string {
  const privateKey = privateKeys.get(keyPair);
  if (privateKey === undefined) throw new TypeError('formatKeyFile: keyPair must come from generateKeyPair, keyPairFromSeed or readKeyFile');
  checkNewPassphrase(passphrase);
  if (options.allowWeakPassphrase !== true) checkPassphraseStrength(passphrase);
  const cost = options.scrypt ?? DEFAULT_SCRYPT_COST;
  checkScryptCost(cost);

  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const secret = Buffer.from(passphrase, 'utf8');
  const key = scryptSync(secret, salt, 32, { ...cost, maxmem: OPENSSL_SCRYPT_MAXMEM });
  secret.fill(0);
  const plaintext = privateKey.export({ format: 'der', type: 'pkcs8' });
  let ciphertext: Buffer;
  try {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  } finally {
    key.fill(0);
    plaintext.fill(0);
  }
  // RFC 5958 EncryptedPrivateKeyInfo, RFC 8018 PBES2-params, RFC 7914 §7 scrypt-params.
  const encrypted = der(0x30, [
    der(0x30, [
      derOid(OID.pbes2),
      der(0x30, [
        der(0x30, [derOid(OID.scrypt), der(0x30, [der(0x04, [salt]), derInteger(cost.N), derInteger(cost.r), derInteger(cost.p)])]),
        der(0x30, [derOid(OID.aes256cbc), der(0x04, [iv])]),
      ]),
    ]),
    der(0x04, [ciphertext]),
  ]);
  const body = toBase64(encrypted).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return [
    HEADER_MARKER,
    `Fingerprint: ${formatFingerprint(keyPair.fingerprint)}`,
    `Checksum: sha256:${sha256Hex(encrypted)}`,
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
    body,
    '-----END ENCRYPTED PRIVATE KEY-----',
    '',
  ].join('\n');
}

/**
 * parseKeyFile decrypts the key file `input` (its bytes or text) with `passphrase`: untrusted input,
 * checked before OpenSSL sees it. Throws KEY_FILE_INVALID or PASSPHRASE_WRONG.
 */
export function parseKeyFile(input: Uint8Array | string, passphrase: string): KeyPair {
  if (typeof passphrase !== 'string') throw new TypeError('parseKeyFile: passphrase must be a string');
  const { encrypted, header } = parsePem(typeof input === 'string' ? input : decodeText(input));
  if (header !== null && sha256Hex(encrypted) !== header.checksum) {
    throw invalid('damaged', 'The key file is damaged: its checksum does not match its content.');
  }
  checkEncryptedPrivateKeyInfo(encrypted);

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(encrypted), format: 'der', type: 'pkcs8', passphrase });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    // The structure is sound, so these come from decryption: padding that fails after decrypting
    // ("bad decrypt"), or, about 1 time in 256, padding that happens to pass and garbage that does
    // not parse. Without our checksum, damage to the encrypted bytes looks the same.
    if (typeof code === 'string' && (DECRYPTION_FAILURES.has(code) || code.startsWith('ERR_OSSL_ASN1_'))) {
      const message = header !== null
        ? 'The passphrase is wrong.'
        : 'The passphrase is wrong, or the encrypted part of the key file is damaged.';
      throw new CustodyError('PASSPHRASE_WRONG', message, { integrityChecked: header !== null }, { cause: e });
    }
    throw invalid('openssl', 'OpenSSL could not read the key file.', e);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw invalid('algorithm', `The key file holds a ${String(privateKey.asymmetricKeyType).toUpperCase()} key, not Ed25519.`);
  }
  const pair = keyPairOf(privateKey);
  if (header !== null && pair.fingerprint !== header.fingerprint) {
    throw invalid('damaged', 'The key in the file does not match the fingerprint written beside it.');
  }
  return pair;
}

/** fingerprint returns the hex SHA-256 of a 32-byte raw public key (DESIGN §5). */
export function fingerprint(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('fingerprint: publicKey must be a Uint8Array');
  if (publicKey.length !== 32) throw new CustodyError('KEY_INVALID', 'A public key must be 32 bytes.', { length: publicKey.length });
  return sha256Hex(publicKey);
}

/** formatFingerprint groups a hex fingerprint in fours for people to compare: "3475 0f98 bd59 …". */
export function formatFingerprint(fingerprintHex: string): string {
  if (!isHex(fingerprintHex, 32)) throw new CustodyError('HEX_INVALID', 'A fingerprint is 64 lowercase hex digits.');
  return fingerprintHex.replace(/.{4}(?!$)/g, '$& ');
}

// ---------------------------------------------------------------------------------------------

const HEADER_MARKER = 'custody key file (Ed25519, encrypted PKCS#8: scrypt, AES-256-CBC)';
const MAX_KEY_FILE_BYTES = 64 * 1024;
/** OpenSSL's limit on scrypt memory when it reads PKCS#8 (SCRYPT_MAX_MEM in crypto/evp/pbe_scrypt.c). */
const OPENSSL_SCRYPT_MAXMEM = 32 * 1024 * 1024;
const DECRYPTION_FAILURES = new Set(['ERR_OSSL_BAD_DECRYPT', 'ERR_MISSING_PASSPHRASE', 'ERR_OSSL_UNSUPPORTED', 'ERR_OSSL_EVP_DECODE_ERROR']);

function keyPairOf(privateKey: KeyObject): KeyPair {
  const publicKey = ed25519PublicKey(privateKey);
  const signer: Signer = Object.freeze({
    publicKey: publicKey.slice(),
    sign(message: Uint8Array): Uint8Array {
      if (!(message instanceof Uint8Array)) throw new TypeError('sign: message must be a Uint8Array');
      return new Uint8Array(nodeSign(null, message, privateKey));
    },
  });
  const pair: KeyPair = Object.freeze({ publicKey, fingerprint: fingerprint(publicKey), signer });
  privateKeys.set(pair, privateKey);
  return pair;
}

interface Pem {
  encrypted: Uint8Array;
  header: { fingerprint: string; checksum: string } | null;
}

/** parsePem finds the one PEM block, refuses anything but ENCRYPTED PRIVATE KEY, and reads our header. */
function parsePem(text: string): Pem {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const begins = lines.flatMap((line, i) => (line.startsWith('-----BEGIN ') ? [i] : []));
  if (begins.length === 0) throw invalid('not-pem', 'The file is not a PEM key file (no BEGIN line).');
  if (begins.length > 1) throw invalid('not-pem', 'The file holds more than one PEM block.');
  const begin = begins[0]!;
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[begin]!)?.[1];
  if (label === undefined) throw invalid('not-pem', 'The BEGIN line is malformed.');
  if (label === 'PRIVATE KEY') throw invalid('unencrypted', 'The private key in the file is not encrypted; a key file must be.');
  if (label === 'PUBLIC KEY') throw invalid('public-key', 'The file holds a public key, not a private key.');
  if (label !== 'ENCRYPTED PRIVATE KEY') throw invalid('not-pkcs8', `The file holds "${label}", not an encrypted PKCS#8 private key.`);
  const end = lines.indexOf(`-----END ${label}-----`, begin + 1);
  if (end < 0) throw invalid('truncated', 'The key file is truncated (no END line).');
  const body = lines.slice(begin + 1, end);
  if (body.length === 0 || !body.every((line) => /^[A-Za-z0-9+/=]+$/.test(line))) {
    throw invalid('damaged', 'The key file is damaged: its body is not base64.');
  }
  let encrypted: Uint8Array;
  try {
    encrypted = parseBase64(body.join(''));
  } catch (e) {
    throw invalid('damaged', 'The key file is damaged: its body is not canonical base64.', e);
  }
  return { encrypted, header: parseHeader(lines.slice(0, begin)) };
}

/** parseHeader reads the explanatory lines we write; text from other tools is ignored. */
function parseHeader(lines: string[]): Pem['header'] {
  if (lines[0] !== HEADER_MARKER) {
    // Another tool's file may carry its own text before the key; ours, with a damaged first line,
    // must not pass as such (that would switch off the checksum that tells damage from a key).
    if (lines.some((l) => /^(Fingerprint|Checksum): /.test(l) || /custody/i.test(l))) {
      throw invalid('damaged', 'The key file is damaged: the lines before the key are not as written.');
    }
    return null;
  }
  const fp = /^Fingerprint: ((?:[0-9a-f]{4} ){15}[0-9a-f]{4})$/.exec(lines[1] ?? '')?.[1]?.replaceAll(' ', '');
  const checksum = /^Checksum: sha256:([0-9a-f]{64})$/.exec(lines[2] ?? '')?.[1];
  if (lines.length !== 3 || fp === undefined || checksum === undefined) {
    throw invalid('damaged', 'The key file is damaged: the lines before the key are not as written.');
  }
  return { fingerprint: fp, checksum };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw invalid('not-pem', 'The file is not text.', e);
  }
}

function checkNewPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (passphrase.length === 0) throw new RangeError('passphrase must not be empty');
  // A lone surrogate would be written as U+FFFD, so two different passphrases would open the file.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(passphrase)) {
    throw new RangeError('passphrase must be well-formed Unicode (no lone surrogates)');
  }
}

function checkScryptCost(cost: ScryptCost): void {
  const { N, r, p } = cost;
  const ok = [N, r, p].every((n) => Number.isSafeInteger(n) && n >= 1) && N >= 1024 && N <= 2 ** 30 && (N & (N - 1)) === 0;
  if (!ok) throw new RangeError('scrypt: N must be a power of two of at least 1024, r and p positive integers');
  if (128 * r * (N + 2) + 128 * r * p > OPENSSL_SCRYPT_MAXMEM) {
    throw new RangeError('scrypt: N and r need more than the 32 MiB OpenSSL allows: the file could not be read');
  }
}

function sha256Hex(data: Uint8Array): string {
  return toHex(createHash('sha256').update(data).digest());
}

function invalid(reason: string, message: string, cause?: unknown): CustodyError {
  return new CustodyError('KEY_FILE_INVALID', message, { reason }, cause === undefined ? undefined : { cause });
}

function fileError(e: unknown, path: string, doing: string): CustodyError {
  const errno = (e as { code?: unknown }).code;
  const details = { path, errno: typeof errno === 'string' ? errno : null };
  if (errno === 'ENOENT' || errno === 'ENOTDIR') return new CustodyError('FILE_NOT_FOUND', `No such file: ${path}`, details, { cause: e });
  if (errno === 'EACCES' || errno === 'EPERM') return new CustodyError('FILE_UNREADABLE', `Permission denied ${doing} ${path}`, details, { cause: e });
  return new CustodyError('IO_ERROR', `Could not ${doing} ${path}: ${String(errno ?? e)}`, details, { cause: e });
}

function readSmallFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(e, path, 'reading');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new CustodyError('KEY_FILE_INVALID', `Not a regular file: ${path}`, { reason: 'not-a-file', path });
    if (stat.size > MAX_KEY_FILE_BYTES) throw new CustodyError('KEY_FILE_INVALID', `Too large to be a key file: ${path}`, { reason: 'too-large', path });
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > MAX_KEY_FILE_BYTES) throw new CustodyError('KEY_FILE_INVALID', `Too large to be a key file: ${path}`, { reason: 'too-large', path });
    return new Uint8Array(buffer.subarray(0, length));
  } catch (e) {
    throw e instanceof CustodyError ? e : fileError(e, path, 'reading');
  } finally {
    closeSync(fd);
  }
}

/** writeNewFile creates `path` with `text`, mode 0600, atomically, refusing to replace a file. */
function writeNewFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeSynced(temp, text);
  } catch (e) {
    throw fileError(e, path, 'writing');
  }
  try {
    linkSync(temp, path);
  } catch (e) {
    const errno = (e as { code?: unknown }).code;
    if (errno === 'EEXIST') throw exists(path, e);
    // Filesystems without hard links (FAT, some network shares): an exclusive create instead.
    try {
      writeSynced(path, text);
    } catch (e2) {
      const errno2 = (e2 as { code?: unknown }).code;
      throw errno2 === 'EEXIST' ? exists(path, e2) : fileError(e2, path, 'writing');
    }
  } finally {
    unlinkQuietly(temp);
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Directories cannot be synced everywhere (Windows); the file itself was synced.
  }
}

/** writeSynced creates a new file ('wx': never an existing one), writes, syncs; removes it on failure. */
function writeSynced(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  let written = false;
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let o = 0; o < bytes.length; ) o += writeSync(fd, bytes, o, bytes.length - o);
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) unlinkQuietly(path);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or cannot be removed: the error being reported matters more
  }
}

function exists(path: string, cause?: unknown): CustodyError {
  const details = { path, errno: 'EEXIST', reason: 'exists' };
  return new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${path}`, details, cause === undefined ? undefined : { cause });
}

// ---------------------------------------------------------------------------------------------
// DER (X.690 §10), only as much as EncryptedPrivateKeyInfo needs. The reader accepts only DER:
// definite minimal lengths, minimal integers and OID arcs, nothing left over.

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
} as const;
const AES_KEY_BYTES: Record<string, number> = { [OID.aes128cbc]: 16, [OID.aes192cbc]: 24, [OID.aes256cbc]: 32 };
/** hmacWithSHA1, -SHA224, -SHA256, -SHA384, -SHA512 (RFC 8018 Appendix B.1). */
const HMAC_PRFS = new Set(['7', '8', '9', '10', '11'].map((n) => `1.2.840.113549.2.${n}`));
/** Refuse KDF costs far beyond anything sensible: a hostile file must not hang the program. */
const MAX_SCRYPT_WORK = 2 ** 27; // N·r·p: 64 × the default, tens of seconds
const MAX_PBKDF2_ITERATIONS = 10_000_000;

/**
 * checkEncryptedPrivateKeyInfo checks that `bytes` is an RFC 5958 EncryptedPrivateKeyInfo with PBES2
 * (PBKDF2 with an HMAC-SHA PRF, or scrypt) and AES-CBC, with costs OpenSSL will compute. Untrusted
 * input: throws KEY_FILE_INVALID with the first thing wrong.
 */
function checkEncryptedPrivateKeyInfo(bytes: Uint8Array): void {
  const top = new DerReader(bytes);
  const info = top.sequence();
  top.finish();
  const algorithm = info.sequence();
  if (algorithm.oid() !== OID.pbes2) throw structure('the encryption is not PBES2');
  const params = algorithm.sequence();
  algorithm.finish();

  const kdf = params.sequence();
  const kdfOid = kdf.oid();
  const kdfParams = kdf.sequence();
  kdf.finish();
  const salt = kdfParams.octetString();
  if (salt.length < 8) throw structure('the salt is shorter than 8 bytes');
  let keyLength: number | undefined;
  if (kdfOid === OID.scrypt) {
    const [N, r, p] = [kdfParams.integer(), kdfParams.integer(), kdfParams.integer()];
    if (!kdfParams.done()) keyLength = kdfParams.integer();
    if (N < 2 || N > 2 ** 30 || (N & (N - 1)) !== 0 || r < 1 || p < 1) throw structure('invalid scrypt parameters');
    if (128 * r * (N + 2) + 128 * r * p > OPENSSL_SCRYPT_MAXMEM) throw structure('scrypt needs more memory than OpenSSL allows');
    if (N * r * p > MAX_SCRYPT_WORK) throw structure('scrypt cost is beyond the limit');
  } else if (kdfOid === OID.pbkdf2) {
    const iterations = kdfParams.integer();
    if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) throw structure('PBKDF2 iteration count out of range');
    if (kdfParams.peek() === 0x02) keyLength = kdfParams.integer();
    if (!kdfParams.done()) {
      const prf = kdfParams.sequence();
      if (!HMAC_PRFS.has(prf.oid())) throw structure('unsupported PBKDF2 PRF');
      if (!prf.done()) prf.null();
      prf.finish();
    }
  } else {
    throw structure('unsupported key derivation function');
  }
  kdfParams.finish();

  const cipher = params.sequence();
  const keyBytes = AES_KEY_BYTES[cipher.oid()];
  if (keyBytes === undefined) throw structure('unsupported cipher (AES-CBC only)');
  if (cipher.octetString().length !== 16) throw structure('the IV is not 16 bytes');
  cipher.finish();
  params.finish();
  if (keyLength !== undefined && keyLength !== keyBytes) throw structure('the key length does not match the cipher');

  const ciphertext = info.octetString();
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw structure('the encrypted key is not whole AES blocks');
  info.finish();
}

function structure(what: string): CustodyError {
  return invalid('structure', `The key file is damaged or not an encrypted PKCS#8 key: ${what}.`);
}

class DerReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#end = bytes.length;
  }

  done(): boolean {
    return this.#pos === this.#end;
  }

  peek(): number | undefined {
    return this.done() ? undefined : this.#bytes[this.#pos];
  }

  finish(): void {
    if (!this.done()) throw structure('unexpected data after a field');
  }

  /** read returns the content of the next element, which must have tag `tag`. */
  read(tag: number): Uint8Array {
    const b = this.#bytes;
    if (this.#pos >= this.#end) throw structure('a field is missing (truncated?)');
    if (b[this.#pos] !== tag) throw structure(`expected tag 0x${tag.toString(16)}, found 0x${b[this.#pos]!.toString(16)}`);
    let pos = this.#pos + 1;
    if (pos >= this.#end) throw structure('a length is missing');
    let length = b[pos++]!;
    if (length >= 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) throw structure('indefinite or oversized length');
      if (pos + count > this.#end || b[pos] === 0) throw structure('a length is truncated or not minimal');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + b[pos++]!;
      if (length < 0x80) throw structure('a length is not minimal');
    }
    if (length > this.#end - pos) throw structure('a field runs past its container (truncated?)');
    this.#pos = pos + length;
    return b.subarray(pos, pos + length);
  }

  sequence(): DerReader {
    return new DerReader(this.read(0x30));
  }

  octetString(): Uint8Array {
    return this.read(0x04);
  }

  null(): void {
    if (this.read(0x05).length !== 0) throw structure('NULL with content');
  }

  /** integer reads a non-negative INTEGER below 2^48, minimally encoded. */
  integer(): number {
    const c = this.read(0x02);
    if (c.length === 0 || c.length > 7) throw structure('an integer is empty or too large');
    if (c[0]! & 0x80) throw structure('a negative integer');
    if (c.length > 1 && c[0] === 0 && !(c[1]! & 0x80)) throw structure('an integer is not minimal');
    let n = 0;
    for (const byte of c) n = n * 256 + byte;
    return n;
  }

  /** oid reads an OBJECT IDENTIFIER as dotted decimal, with minimal base-128 arcs. */
  oid(): string {
    const c = this.read(0x06);
    if (c.length === 0 || c.length > 64 || c[c.length - 1]! & 0x80) throw structure('a malformed object identifier');
    const arcs: number[] = [];
    let n = 0;
    for (let i = 0; i < c.length; i++) {
      if (n === 0 && c[i] === 0x80) throw structure('an object identifier is not minimal');
      n = n * 128 + (c[i]! & 0x7f);
      if (n > Number.MAX_SAFE_INTEGER / 128) throw structure('an object identifier arc is too large');
      if (!(c[i]! & 0x80)) {
        arcs.push(n);
        n = 0;
      }
    }
    const first = arcs[0]!;
    const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
    return [...head, ...arcs.slice(1)].join('.');
  }
}

/** der encodes one element: tag, minimal definite length, content. */
function der(tag: number, parts: Uint8Array[]): Uint8Array {
  const content = Buffer.concat(parts);
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 255] : null;
  if (length === null) throw new RangeError('der: content too long');
  return Buffer.concat([Uint8Array.of(tag, ...length), content]);
}

/** derInteger encodes a non-negative safe integer as a minimal INTEGER. */
function derInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('derInteger: value must be a non-negative safe integer');
  const bytes: number[] = [];
  for (let v = value; bytes.length === 0 || v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return der(0x02, [Uint8Array.from(bytes)]);
}

/** derOid encodes a dotted-decimal OBJECT IDENTIFIER. */
function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const group = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift((v & 0x7f) | 0x80);
    out.push(...group);
  }
  return der(0x06, [Uint8Array.from(out)]);
}
