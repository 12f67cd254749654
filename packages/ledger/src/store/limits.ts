/** The store's caps on what it reads from a ledger file (store.ts). */

/** Caps on stored values, in bytes (PROTOCOL.md §2.3 for leaves and bundles). */
export const STORE_LIMITS = Object.freeze({
  leaf: 16 * 1024 * 1024,
  /** 32 bytes per level a record completes, at most 64 levels and its own leaf hash. */
  hashes: 32 * 65,
  /** An item's or identity's state (JSON); an identity's grows with its key epochs. */
  state: 4 * 1024 * 1024,
  bundle: 64 * 1024 * 1024,
  note: 1024 * 1024,
  /** Ids, keys, times, origins, types: short text. */
  text: 4096,
});
