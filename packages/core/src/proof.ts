/**
 * Inclusion and consistency proofs (DESIGN §7), RFC 9162 §2.1.3 and §2.1.4, as paired verbs.
 *
 * prove* plan the subtrees a proof is made of (the RFC's PATH and SUBPROOF recursions, unrolled),
 * read their stored hashes with one HashReader call and combine them (merkle.ts rangeHashes).
 * check* verify with the RFC's own algorithms, after exact checks of the sizes, of every hash's
 * length and of the proof's length. Every failed check is a CustodyError PROOF_INVALID whose details
 * name the sizes and a `reason`; a wrong argument type is a TypeError naming the parameter.
 */
import { equalBytes } from './codec.js';
import { nobleCrypto, type Crypto } from './crypto.js';
import { CustodyError, type ErrorDetails } from './errors.js';
import { HASH_SIZE, emptyRoot, nodeHash, rangeHashes, splitPoint, type HashReader, type LeafRange } from './merkle.js';

/**
 * proveInclusion returns the inclusion proof PATH(index, D[0:size]) of RFC 9162 §2.1.3.1 for leaf
 * `index` in the tree of the first `size` leaves: sibling subtree hashes from the leaf upwards.
 * It reads at most 2·⌊log2 size⌋ stored hashes, in one readHashes call.
 */
export function proveInclusion(
  index: number,
  size: number,
  reader: HashReader,
  crypto: Crypto = nobleCrypto,
): Uint8Array[] {
  requireCount('proveInclusion', 'index', index);
  requireCount('proveInclusion', 'size', size);
  if (index >= size) throw new RangeError(`proveInclusion: index ${index} must be below size ${size}`);
  return rangeHashes(inclusionRanges(index, size), reader, crypto);
}

/**
 * checkInclusion returns normally if `proof` proves that `leafHash` is leaf `index` of the tree of
 * `size` leaves whose hash is `root`, by RFC 9162 §2.1.3.2. It throws PROOF_INVALID otherwise:
 * index ≥ size, a size or index that is not a safe non-negative integer, a hash that is not 32
 * bytes, a proof of the wrong length, or a root that does not match.
 */
export function checkInclusion(
  proof: readonly Uint8Array[],
  index: number,
  size: number,
  leafHash: Uint8Array,
  root: Uint8Array,
  crypto: Crypto = nobleCrypto,
): void {
  requireProof('checkInclusion', proof);
  requireNumber('checkInclusion', 'index', index);
  requireNumber('checkInclusion', 'size', size);
  requireBytes('checkInclusion', 'leafHash', leafHash);
  requireBytes('checkInclusion', 'root', root);
  const fail = failure({ index: detail(index), size: detail(size) });

  if (!isCount(index)) throw fail('index', 'The leaf index must be a safe non-negative integer.');
  if (!isCount(size)) throw fail('size', 'The tree size must be a safe non-negative integer.');
  if (index >= size) throw fail('index', `Leaf ${index} is not in a tree of size ${size}.`);
  checkHashLengths(fail, proof, leafHash, root);
  const expectedLength = inclusionRanges(index, size).length;
  checkProofLength(fail, proof, expectedLength);

  // RFC 9162 §2.1.3.2, step by step.
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw fail('proof-length', 'The proof is longer than the path to the root.');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r, crypto);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p, crypto);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw fail('proof-length', 'The proof is shorter than the path to the root.');
  if (!equalBytes(r, root)) throw fail('root', 'The proof leads to a different root.');
}

/**
 * proveConsistency returns the consistency proof PROOF(oldSize, D[0:newSize]) of RFC 9162 §2.1.4.1
 * that the tree of `oldSize` leaves is a prefix of the tree of `newSize` leaves. The proof is empty
 * when oldSize is 0 or equals newSize (DESIGN §7). It reads at most 2·⌊log2 newSize⌋ + 1 stored
 * hashes, in one readHashes call.
 */
export function proveConsistency(
  oldSize: number,
  newSize: number,
  reader: HashReader,
  crypto: Crypto = nobleCrypto,
): Uint8Array[] {
  requireCount('proveConsistency', 'oldSize', oldSize);
  requireCount('proveConsistency', 'newSize', newSize);
  if (oldSize > newSize) throw new RangeError(`proveConsistency: oldSize ${oldSize} must not exceed newSize ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  return rangeHashes(consistencyRanges(oldSize, newSize), reader, crypto);
}

/**
 * checkConsistency returns normally if `proof` proves that the tree of `oldSize` leaves with hash
 * `oldRoot` is a prefix of the tree of `newSize` leaves with hash `newRoot`, by RFC 9162 §2.1.4.2.
 * Equal sizes need an empty proof and equal roots; from size 0 the proof is empty and `oldRoot` must
 * be the empty tree's hash. It throws PROOF_INVALID otherwise: oldSize > newSize, a size that is not a
 * safe non-negative integer, a hash that is not 32 bytes, a proof of the wrong length, wrong roots.
 */
export function checkConsistency(
  proof: readonly Uint8Array[],
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  crypto: Crypto = nobleCrypto,
): void {
  requireProof('checkConsistency', proof);
  requireNumber('checkConsistency', 'oldSize', oldSize);
  requireNumber('checkConsistency', 'newSize', newSize);
  requireBytes('checkConsistency', 'oldRoot', oldRoot);
  requireBytes('checkConsistency', 'newRoot', newRoot);
  const fail = failure({ oldSize: detail(oldSize), newSize: detail(newSize) });

  if (!isCount(oldSize) || !isCount(newSize)) throw fail('size', 'Tree sizes must be safe non-negative integers.');
  if (oldSize > newSize) throw fail('size', `The old size ${oldSize} is larger than the new size ${newSize}.`);
  checkHashLengths(fail, proof, oldRoot, newRoot);
  const expectedLength = oldSize === 0 || oldSize === newSize ? 0 : consistencyRanges(oldSize, newSize).length;
  checkProofLength(fail, proof, expectedLength);
  if (oldSize === 0 && !equalBytes(oldRoot, emptyRoot(crypto))) {
    throw fail('old-root', 'A tree of size 0 has the empty root.');
  }
  if (oldSize === newSize) {
    if (!equalBytes(oldRoot, newRoot)) throw fail('new-root', 'Trees of the same size have different roots.');
    return;
  }
  if (oldSize === 0) return; // every tree extends the empty tree

  // RFC 9162 §2.1.4.2, step by step (step 1, a non-empty path, holds by the length check).
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) throw fail('proof-length', 'The proof is longer than the path to the root.');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr, crypto);
      sr = nodeHash(c, sr, crypto);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c, crypto);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw fail('proof-length', 'The proof is shorter than the path to the root.');
  if (!equalBytes(fr, oldRoot)) throw fail('old-root', 'The proof does not lead to the old root.');
  if (!equalBytes(sr, newRoot)) throw fail('new-root', 'The proof does not lead to the new root.');
}

// inclusionRanges returns the subtrees of PATH(index, D[0:size]) (RFC 9162 §2.1.3.1) in proof order:
// the recursion unrolled from the root down, each step keeping the half that holds the leaf and
// taking the other half as the sibling, then reversed so that the lowest sibling comes first.
function inclusionRanges(index: number, size: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const mid = start + splitPoint(end - start);
    if (index < mid) {
      ranges.push([mid, end]);
      end = mid;
    } else {
      ranges.push([start, mid]);
      start = mid;
    }
  }
  return ranges.reverse();
}

// consistencyRanges returns the subtrees of PROOF(oldSize, D[0:newSize]) = SUBPROOF(oldSize,
// D[0:newSize], true) (RFC 9162 §2.1.4.1) for 0 < oldSize < newSize, in proof order. SUBPROOF's flag
// b stays true while the recursion has only gone left (start is 0): then the subtree that ends at
// oldSize is the old tree itself, whose hash the verifier already holds, and it is left out.
function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  while (oldSize < end) {
    const mid = start + splitPoint(end - start);
    if (oldSize <= mid) {
      ranges.push([mid, end]);
      end = mid;
    } else {
      ranges.push([start, mid]);
      start = mid;
    }
  }
  if (start !== 0) ranges.push([start, end]);
  return ranges.reverse();
}

type Failure = (reason: string, message: string, extra?: ErrorDetails) => CustodyError;

function failure(details: ErrorDetails): Failure {
  return (reason, message, extra = {}) => new CustodyError('PROOF_INVALID', message, { ...details, reason, ...extra });
}

function checkProofLength(fail: Failure, proof: readonly Uint8Array[], expectedLength: number): void {
  if (proof.length !== expectedLength) {
    const details = { expectedLength, proofLength: proof.length };
    throw fail('proof-length', `The proof has ${proof.length} hashes; ${expectedLength} expected.`, details);
  }
}

function checkHashLengths(fail: Failure, proof: readonly Uint8Array[], ...hashes: Uint8Array[]): void {
  for (const h of hashes) {
    if (h.length !== HASH_SIZE) throw fail('hash-length', `A ${h.length}-byte hash where ${HASH_SIZE} bytes are needed.`);
  }
  proof.forEach((h, i) => {
    if (h.length !== HASH_SIZE) {
      throw fail('hash-length', `Proof hash ${i} has ${h.length} bytes, not ${HASH_SIZE}.`, { proofIndex: i });
    }
  });
}

// Index arithmetic on safe integers up to 2^53 − 1, where JavaScript's bitwise operators (32-bit) do not reach.
const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function isPowerOfTwo(x: number): boolean {
  while (x > 1 && !isOdd(x)) x /= 2;
  return x === 1;
}

function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

// detail keeps a number JSON-safe for error details (NaN and ±Infinity would print as null).
function detail(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function requireCount(fn: string, name: string, value: unknown): asserts value is number {
  requireNumber(fn, name, value);
  if (!isCount(value)) throw new RangeError(`${fn}: ${name} must be a safe non-negative integer, got ${value}`);
}

function requireNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number`);
}

function requireBytes(fn: string, name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${fn}: ${name} must be a Uint8Array`);
}

function requireProof(fn: string, proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new TypeError(`${fn}: proof must be an array`);
  proof.forEach((h, i) => requireBytes(fn, `proof[${i}]`, h));
}
