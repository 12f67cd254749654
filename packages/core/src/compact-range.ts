/**
 * CompactRange: the hashes of the perfect subtrees covering leaves [0, n), enough to compute the
 * RFC 9162 root of every prefix while leaves stream past, in O(log n) memory.
 */
import { nobleCrypto, type Crypto } from './crypto.js';
import { emptyRoot, nodeHash } from './merkle.js';

export class CompactRange {
  readonly #crypto: Crypto;
  /** Roots of perfect subtrees, largest (leftmost) first: one per set bit of size. */
  readonly #stack: Uint8Array[] = [];
  #size = 0;

  constructor(crypto: Crypto = nobleCrypto) {
    this.#crypto = crypto;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * append adds the next leaf hash and returns the subtree hashes it completes: the leaf's own hash,
   * then one per level, lowest first — the hashes a store keeps for this leaf (storedHashesForLeaf).
   */
  append(leafHash: Uint8Array): Uint8Array[] {
    let hash = leafHash;
    const formed = [hash];
    for (let n = this.#size; n % 2 === 1; n = (n - 1) / 2) {
      hash = nodeHash(this.#stack.pop()!, hash, this.#crypto);
      formed.push(hash);
    }
    this.#stack.push(hash);
    this.#size++;
    return formed;
  }

  /** root returns the tree hash of the leaves appended so far (SHA-256("") when there are none). */
  root(): Uint8Array {
    if (this.#stack.length === 0) return emptyRoot(this.#crypto);
    let hash = this.#stack[this.#stack.length - 1]!;
    for (let i = this.#stack.length - 2; i >= 0; i--) hash = nodeHash(this.#stack[i]!, hash, this.#crypto);
    return hash;
  }
}
