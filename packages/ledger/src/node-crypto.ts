/**
 * The `node:crypto` (OpenSSL) implementation of core's `Crypto` interface: the fast path in Node
 * (DESIGN §4, §11). It gives the same answers as core's `nobleCrypto` on every input — strict RFC 8032
 * verification with the cofactorless equation — which the tests check on Wycheproof's vectors, on
 * thousands of random bit flips and on a signature whose R has a small-order component.
 */
import * as nodeCryptoModule from 'node:crypto';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { toHex, type Crypto } from '@custody/core';

/**
 * SHA-256 in one call where Node has it (crypto.hash, Node ≥ 20.12): no Hash object per digest,
 * which for a ledger's millions of leaf hashes is as much garbage-collection time as hashing time.
 */
const oneShotHash = (nodeCryptoModule as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;
const sha256 = oneShotHash === undefined
  ? (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())
  : (data: Uint8Array): Uint8Array => new Uint8Array(oneShotHash('sha256', data, 'buffer'));

/** RFC 8410 §7: PKCS#8 PrivateKeyInfo of an Ed25519 seed is this 16-byte prefix, then the 32 bytes. */
const PKCS8_ED25519_PREFIX = Uint8Array.of(
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
);
/** RFC 8410 §4: SubjectPublicKeyInfo of an Ed25519 key is this 12-byte prefix, then the 32 bytes. */
const SPKI_ED25519_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

export interface NodeCryptoOptions {
  /**
   * How many public-key KeyObjects to keep (default 1024). Verifying a ledger reuses a few dozen
   * keys, and building a KeyObject costs more than the verification itself. Oldest out first.
   */
  keyCacheSize?: number;
}

/**
 * createNodeCrypto returns a `Crypto` backed by `node:crypto`, with its own cache of public-key
 * KeyObjects. Private keys are never cached: a map keyed by secret bytes would keep them in memory.
 */
export function createNodeCrypto(options: NodeCryptoOptions = {}): Crypto {
  const keyCacheSize = options.keyCacheSize ?? 1024;
  if (!Number.isSafeInteger(keyCacheSize) || keyCacheSize < 1) {
    throw new RangeError('createNodeCrypto: keyCacheSize must be a positive integer');
  }
  // null marks a key OpenSSL refused to import, so a bad key is not re-parsed on every record.
  const publicKeys = new Map<string, KeyObject | null>();

  function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
    const id = toHex(publicKey);
    const cached = publicKeys.get(id);
    if (cached !== undefined) return cached;
    let key: KeyObject | null;
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    if (publicKeys.size >= keyCacheSize) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(id, key);
    return key;
  }

  return {
    sha256,
    publicKey: (secretKey) => ed25519PublicKey(privateKeyObject(secretKey, 'publicKey')),
    sign: (message, secretKey) => new Uint8Array(nodeSign(null, message, privateKeyObject(secretKey, 'sign'))),
    verify(signature, message, publicKey) {
      if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
      if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
      if (!(message instanceof Uint8Array)) return false;
      const key = publicKeyObject(publicKey);
      if (key === null) return false;
      try {
        return nodeVerify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}

/** nodeCrypto is the default `node:crypto` implementation, with a 1024-key cache. */
export const nodeCrypto: Crypto = createNodeCrypto();

/** ed25519PublicKey returns the 32 raw bytes of the public key of an Ed25519 KeyObject. */
export function ed25519PublicKey(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('ed25519PublicKey: key must be an Ed25519 key');
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  if (spki.length !== 44 || !spki.subarray(0, 12).equals(SPKI_ED25519_PREFIX)) {
    throw new Error('ed25519PublicKey: unexpected SubjectPublicKeyInfo from OpenSSL'); // a bug, not bad input
  }
  return new Uint8Array(spki.subarray(12));
}

/** ed25519PrivateKey returns a private KeyObject for a 32-byte Ed25519 seed (RFC 8032 private key). */
export function ed25519PrivateKey(secretKey: Uint8Array): KeyObject {
  return privateKeyObject(secretKey, 'ed25519PrivateKey');
}

function privateKeyObject(secretKey: Uint8Array, caller: string): KeyObject {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new TypeError(`${caller}: secretKey must be 32 bytes`);
  }
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, secretKey]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

export interface VerifyRate {
  /** Verifications per second on one core. */
  perSecond: number;
  verifications: number;
  elapsedMs: number;
}

/**
 * measureVerifyRate verifies signatures with `crypto` for about `durationMs` on the calling thread
 * and returns the rate. The workload imitates verifying a ledger: 32 signers, 400-byte messages
 * (a record's PAE is a few hundred bytes), keys reused round-robin. Every answer must be true.
 */
export function measureVerifyRate(durationMs = 1000, crypto: Crypto = nodeCrypto): VerifyRate {
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) throw new RangeError('measureVerifyRate: durationMs must be positive');
  const cases = Array.from({ length: 32 }, (_, i) => {
    const secretKey = crypto.sha256(Uint8Array.of(1, i));
    const message = new Uint8Array(400).fill(i);
    return { publicKey: crypto.publicKey(secretKey), message, signature: crypto.sign(message, secretKey) };
  });
  const run = (c: (typeof cases)[number]): void => {
    if (!crypto.verify(c.signature, c.message, c.publicKey)) throw new Error('measureVerifyRate: a valid signature did not verify');
  };
  for (const c of cases) run(c); // warm up: JIT, and the key cache of implementations that have one
  let verifications = 0;
  const started = performance.now();
  let elapsedMs = 0;
  do {
    for (let i = 0; i < 16; i++) run(cases[verifications++ % cases.length]!);
    elapsedMs = performance.now() - started;
  } while (elapsedMs < durationMs);
  return { perSecond: Math.round((verifications * 1000) / elapsedMs), verifications, elapsedMs };
}
