/**
 * The crypto interface of the protocol (DESIGN §4, §11): SHA-256 and Ed25519 behind a small
 * synchronous interface, so Node callers can inject `node:crypto` for speed while browsers use noble.
 *
 * Every implementation must give the same answers: strict RFC 8032 verification with the
 * cofactorless equation, as OpenSSL computes it.
 */
import * as ed from '@noble/ed25519';
import { sha256 as nobleSha256, sha512 } from '@noble/hashes/sha2.js';
import { CustodyError } from './errors.js';

export interface Crypto {
  /** sha256 returns the 32-byte SHA-256 digest of `data`. */
  sha256(data: Uint8Array): Uint8Array;
  /** publicKey returns the 32-byte Ed25519 public key of a 32-byte private key (RFC 8032 seed). */
  publicKey(secretKey: Uint8Array): Uint8Array;
  /** sign returns the 64-byte Ed25519 signature of `message` under a 32-byte private key. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /**
   * verify reports whether `signature` is a valid strict RFC 8032 signature of `message` under
   * `publicKey`: canonical R, A and S < L, and [S]B = R + [k]A (cofactorless, as OpenSSL). Never throws
   * for malformed input: a signature or key of the wrong length is simply not valid.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** Something that signs with one Ed25519 key: a key file held in memory, or a key kept elsewhere. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

// noble needs a synchronous SHA-512 for its synchronous API; this is its documented way to get one.
ed.hashes.sha512 = sha512;

const L = ed.Point.CURVE().n;

function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * nobleVerify checks the RFC 8032 §5.1.7 equation without the cofactor, [S]B = R + [k]A, with the
 * strict decodings of §5.1.3 (y < p, no "negative zero" x) and S < L. That is exactly the check
 * OpenSSL performs, so this path and `node:crypto` agree on every input, including the signatures
 * whose R has a small-order component that noble's own cofactored check would accept (DESIGN §4).
 */
function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  const rBytes = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32));
  if (s >= L) return false;
  let A: ed.Point;
  let R: ed.Point;
  try {
    A = ed.Point.fromBytes(publicKey, false);
    R = ed.Point.fromBytes(rBytes, false);
  } catch {
    return false;
  }
  const k = bytesToNumberLE(sha512(concat3(rBytes, publicKey, message))) % L;
  const sB = s === 0n ? ed.Point.ZERO : ed.Point.BASE.multiply(s, false);
  const rkA = R.add(A.multiply(k, false));
  return sB.equals(rkA);
}

function concat3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length + c.length);
  out.set(a, 0);
  out.set(b, a.length);
  out.set(c, a.length + b.length);
  return out;
}

/** nobleCrypto is the default, pure-JavaScript implementation (@noble/hashes, @noble/ed25519). */
export const nobleCrypto: Crypto = {
  sha256: (data) => nobleSha256(data),
  publicKey: (secretKey) => ed.getPublicKey(secretKey),
  sign: (message, secretKey) => ed.sign(message, secretKey),
  verify: nobleVerify,
};

/** seedSigner returns a Signer over a 32-byte Ed25519 private key held in memory. */
export function seedSigner(secretKey: Uint8Array, crypto: Crypto = nobleCrypto): Signer {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new TypeError('seedSigner: secretKey must be 32 bytes');
  }
  const seed = secretKey.slice();
  return { publicKey: crypto.publicKey(seed), sign: (message) => crypto.sign(message, seed) };
}

/**
 * checkPublicKey throws KEY_INVALID unless `publicKey` is the canonical encoding of a point in the
 * prime-order subgroup other than the identity (DESIGN §4): no non-canonical, small-order or
 * mixed-order keys. Uses noble's point arithmetic on every platform (it runs once per enrolment).
 */
export function checkPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new CustodyError('KEY_INVALID', 'A public key must be 32 bytes.');
  }
  let point: ed.Point;
  try {
    point = ed.Point.fromBytes(publicKey, false);
  } catch (cause) {
    throw new CustodyError('KEY_INVALID', 'The public key is not a canonical curve point.', {}, { cause });
  }
  if (!equalEncoding(point.toBytes(), publicKey)) {
    throw new CustodyError('KEY_INVALID', 'The public key is not canonically encoded.');
  }
  if (point.is0() || point.isSmallOrder()) {
    throw new CustodyError('KEY_INVALID', 'The public key is a small-order point.');
  }
  if (!point.isTorsionFree()) {
    throw new CustodyError('KEY_INVALID', 'The public key is not in the prime-order subgroup.');
  }
}

/** isValidPublicKey is checkPublicKey as a boolean. Never throws. */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  try {
    checkPublicKey(publicKey);
    return true;
  } catch {
    return false;
  }
}

function equalEncoding(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}
