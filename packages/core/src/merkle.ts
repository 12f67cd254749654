/**
 * The ledger's Merkle tree (DESIGN §7): RFC 9162 §2.1 over the leaf hashes in `seq` order, with the
 * hash of every complete subtree stored at a (level, index) position, so that the tree hash and the
 * proofs for any size up to the current one read O(log n) stored hashes and nothing is ever rebuilt.
 *
 * The shape follows Go's golang.org/x/mod/sumdb/tlog: the algorithms take data plus a one-method
 * HashReader instead of a database, and index math (which positions are needed) is kept apart from
 * fetching (one readHashes call) and from combining the hashes read. Proofs are in proof.ts.
 */
import { nobleCrypto, type Crypto } from './crypto.js';

/** HASH_SIZE is the length in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

/** leafHash returns the RFC 9162 §2.1.1 leaf hash of `leafBytes`: SHA-256(0x00 ‖ leafBytes). */
export function leafHash(leafBytes: Uint8Array, crypto: Crypto = nobleCrypto): Uint8Array {
  if (!(leafBytes instanceof Uint8Array)) throw new TypeError('leafHash: leafBytes must be a Uint8Array');
  // One growing buffer for every leaf-hash input (hashing is synchronous): verification hashes a
  // leaf per record, and a fresh copy of each would only feed the garbage collector.
  if (leafInput.length < 1 + leafBytes.length) leafInput = new Uint8Array(Math.max(2 * leafInput.length, 1 + leafBytes.length));
  leafInput.set(leafBytes, 1); // leafInput[0] is always 0x00
  return crypto.sha256(leafInput.subarray(0, 1 + leafBytes.length));
}

let leafInput = new Uint8Array(4096);

// One buffer for every interior-node hash input: 0x01 ‖ left ‖ right. Hashing is synchronous and
// crypto.sha256 returns a new array, so sharing it saves an allocation per node on the append path.
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** nodeHash returns the RFC 9162 §2.1.1 interior-node hash SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array, crypto: Crypto = nobleCrypto): Uint8Array {
  requireHash('nodeHash', 'left', left);
  requireHash('nodeHash', 'right', right);
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return crypto.sha256(nodeInput);
}

/** emptyRoot returns the hash of the empty tree, SHA-256 of no bytes (RFC 9162 §2.1.1). */
export function emptyRoot(crypto: Crypto = nobleCrypto): Uint8Array {
  return crypto.sha256(new Uint8Array(0));
}

/** A stored subtree: the hash of leaves [index·2^level, (index+1)·2^level). Level 0 is the leaves. */
export interface TreePosition {
  readonly level: number;
  readonly index: number;
}

/** A hash to store, and where. */
export interface StoredHash {
  readonly position: TreePosition;
  readonly hash: Uint8Array;
}

/**
 * HashReader reads stored subtree hashes. readHashes returns them in the order asked, one per
 * position, and throws if one is missing. The arrays it returns are not modified by this module.
 */
export interface HashReader {
  readHashes(positions: readonly TreePosition[]): Uint8Array[];
}

/**
 * storedHashIndex returns the place of the subtree hash at (level, index) in the order hashes are
 * stored: appending leaf n stores (0, n) and then each parent it completes, lowest first, so the
 * hashes of leaf n take the consecutive places from 2n − popcount(n) (the number stored by leaves
 * 0…n−1), and (level, index) is the level-th hash stored by leaf (index+1)·2^level − 1. A store
 * keyed by this number only ever appends at its end (the layout of Go's tlog.StoredHashIndex).
 */
export function storedHashIndex(level: number, index: number): number {
  requireCount('storedHashIndex', 'level', level);
  requireCount('storedHashIndex', 'index', index);
  const n = (index + 1) * 2 ** level - 1;
  if (!Number.isSafeInteger(2 * n)) throw new RangeError('storedHashIndex: position out of range');
  let ones = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) ones += m % 2;
  return 2 * n - ones + level;
}

/**
 * storedHashesForLeaf returns the hashes to store when leaf `n` (0-based) with hash `hash` is
 * appended: the leaf at (0, n), then one hash for each level that leaf completes, lowest first.
 * It reads the left siblings it needs (one per completed level) with one readHashes call.
 */
export function storedHashesForLeaf(
  n: number,
  hash: Uint8Array,
  reader: HashReader,
  crypto: Crypto = nobleCrypto,
): StoredHash[] {
  requireCount('storedHashesForLeaf', 'n', n);
  requireHash('storedHashesForLeaf', 'hash', hash);
  // Leaf n completes level l+1 when the subtree at level l that holds it is a right child.
  const siblings: TreePosition[] = [];
  for (let index = n, level = 0; index % 2 === 1; index = (index - 1) / 2, level++) {
    siblings.push({ level, index: index - 1 });
  }
  const left = siblings.length === 0 ? [] : readStored(reader, siblings);
  const out: StoredHash[] = [{ position: { level: 0, index: n }, hash }];
  let current = hash;
  for (let i = 0; i < left.length; i++) {
    current = nodeHash(left[i]!, current, crypto);
    out.push({ position: { level: i + 1, index: siblings[i]!.index / 2 }, hash: current });
  }
  return out;
}

/**
 * treeHash returns the RFC 9162 §2.1.1 Merkle tree hash MTH(D[0:size]) of the first `size` leaves,
 * from at most ⌊log2 size⌋ + 1 stored hashes read in one call. treeHash(0) is emptyRoot().
 */
export function treeHash(size: number, reader: HashReader, crypto: Crypto = nobleCrypto): Uint8Array {
  requireCount('treeHash', 'size', size);
  if (size === 0) return emptyRoot(crypto);
  return rangeHashes([[0, size]], reader, crypto)[0]!;
}

/**
 * rootFromLeafHashes returns the RFC 9162 §2.1.1 Merkle tree hash of `leafHashes`, computed in
 * memory by the definition's own recursion. For small trees and for tests.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[], crypto: Crypto = nobleCrypto): Uint8Array {
  if (!Array.isArray(leafHashes)) throw new TypeError('rootFromLeafHashes: leafHashes must be an array');
  leafHashes.forEach((h, i) => requireHash('rootFromLeafHashes', `leafHashes[${i}]`, h));
  if (leafHashes.length === 0) return emptyRoot(crypto);
  const mth = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return new Uint8Array(leafHashes[start]!); // a copy, also of a Buffer
    const k = splitPoint(end - start);
    return nodeHash(mth(start, start + k), mth(start + k, end), crypto);
  };
  return mth(0, leafHashes.length);
}

/**
 * MemoryHashStore keeps every stored subtree hash in memory: a HashReader for tests and small trees,
 * and the reference for what a persistent store must keep. It holds the leaf hashes it is given
 * and hands out its own arrays from readHashes: callers must not modify either.
 */
export class MemoryHashStore implements HashReader {
  readonly #crypto: Crypto;
  readonly #levels: Uint8Array[][] = [[]];

  constructor(crypto: Crypto = nobleCrypto) {
    this.#crypto = crypto;
  }

  /** fromLeafHashes returns a store holding the tree of `leafHashes`, appended in order. */
  static fromLeafHashes(leafHashes: readonly Uint8Array[], crypto: Crypto = nobleCrypto): MemoryHashStore {
    const store = new MemoryHashStore(crypto);
    for (const h of leafHashes) store.append(h);
    return store;
  }

  /** size is the number of leaves appended. */
  get size(): number {
    return this.#levels[0]!.length;
  }

  /** append adds the next leaf and stores the hashes it completes (storedHashesForLeaf). */
  append(leafHash: Uint8Array): void {
    for (const { position, hash } of storedHashesForLeaf(this.size, leafHash, this, this.#crypto)) {
      const level = (this.#levels[position.level] ??= []);
      level.push(hash); // positions arrive in order: index === level.length
    }
  }

  /** readHashes returns the stored hashes at `positions`; a position not yet stored is a RangeError. */
  readHashes(positions: readonly TreePosition[]): Uint8Array[] {
    return positions.map(({ level, index }) => {
      const hash = this.#levels[level]?.[index];
      if (hash === undefined) {
        throw new RangeError(`MemoryHashStore.readHashes: no hash stored at level ${level}, index ${index}`);
      }
      return hash;
    });
  }
}

/** A run of leaves [start, end) that is a subtree of an RFC 9162 tree. */
export type LeafRange = readonly [start: number, end: number];

/**
 * rangeHashes returns the Merkle tree hash MTH(D[start:end]) of each range, for ranges that are
 * nodes of RFC 9162 trees (`start` a multiple of the smallest power of two ≥ end − start), as proofs
 * and tree hashes need them. It plans every stored position first, reads them with one readHashes
 * call, then combines; a range read as a single stored hash is returned as a copy.
 */
export function rangeHashes(
  ranges: readonly LeafRange[],
  reader: HashReader,
  crypto: Crypto = nobleCrypto,
): Uint8Array[] {
  const positions: TreePosition[] = [];
  const counts: number[] = [];
  for (const [start, end] of ranges) {
    const before = positions.length;
    rangePositions(start, end, positions);
    counts.push(positions.length - before);
  }
  const hashes = positions.length === 0 ? [] : readStored(reader, positions);
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const count of counts) {
    // MTH splits at the largest power of two, so the range is its complete subtrees folded from the right.
    let hash = hashes[offset + count - 1]!;
    if (count === 1) hash = new Uint8Array(hash); // a copy, also of a Buffer (whose slice is a view)
    for (let i = offset + count - 2; i >= offset; i--) hash = nodeHash(hashes[i]!, hash, crypto);
    out.push(hash);
    offset += count;
  }
  return out;
}

/**
 * splitPoint returns k, the largest power of two smaller than n (n ≥ 2), where RFC 9162 §2.1.1
 * splits a tree of n leaves into D[0:k] and D[k:n]. Exact for every safe integer.
 */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError('splitPoint: n must be a safe integer ≥ 2');
  return 2 ** bitLength(n - 1) / 2;
}

// rangePositions appends the positions of the complete subtrees that make up [start, end), left to
// right: one per bit of end − start, largest first.
function rangePositions(start: number, end: number, out: TreePosition[]): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new RangeError(`rangeHashes: [${start}, ${end}) is not a range of leaves`);
  }
  if (start % 2 ** bitLength(end - start - 1) !== 0) {
    throw new RangeError(`rangeHashes: [${start}, ${end}) is not a subtree of a Merkle tree`);
  }
  while (start < end) {
    const level = bitLength(end - start) - 1;
    const width = 2 ** level;
    out.push({ level, index: start / width });
    start += width;
  }
}

// bitLength returns the number of bits needed to write the safe non-negative integer x.
function bitLength(x: number): number {
  return x >= 2 ** 32 ? 64 - Math.clz32(Math.floor(x / 2 ** 32)) : 32 - Math.clz32(x);
}

function readStored(reader: HashReader, positions: readonly TreePosition[]): Uint8Array[] {
  const hashes = reader.readHashes(positions);
  if (!Array.isArray(hashes) || hashes.length !== positions.length) {
    throw new TypeError(`reader.readHashes must return ${positions.length} hashes`);
  }
  hashes.forEach((h, i) => requireHash('reader.readHashes', `result[${i}]`, h));
  return hashes;
}

function requireHash(fn: string, name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${fn}: ${name} must be a Uint8Array`);
  if (value.length !== HASH_SIZE) throw new RangeError(`${fn}: ${name} must be ${HASH_SIZE} bytes, got ${value.length}`);
}

function requireCount(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number`);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ${name} must be a safe non-negative integer, got ${value}`);
  }
}
