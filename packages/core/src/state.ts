/**
 * CustodyState: the custody view held in memory, built by replaying records in order. Used by the
 * auditor and by anyone replaying an exported ledger or a bundle; the SQLite ledger keeps the same
 * state in tables instead.
 */
import { currentKey, type IdentityState } from './identity.js';
import type { ItemState } from './item.js';
import type { CustodyView, Transition } from './rules.js';

export class CustodyState implements CustodyView {
  readonly #identities = new Map<string, IdentityState>();
  readonly #items = new Map<string, ItemState>();
  /** Current key (base64) → id of the unrevoked identity holding it. */
  readonly #keyHolders = new Map<string, string>();
  #genesisTime: string | undefined;

  identity(id: string): IdentityState | undefined {
    return this.#identities.get(id);
  }

  item(id: string): ItemState | undefined {
    return this.#items.get(id);
  }

  keyHolder(key: string): string | undefined {
    return this.#keyHolders.get(key);
  }

  /** genesisTime returns the time of the genesis record once it has been applied. */
  genesisTime(): string | undefined {
    return this.#genesisTime;
  }

  /** apply records the new states a record led to. */
  apply(transition: Transition): void {
    for (const next of transition.identities) {
      const { released, taken } = keyHolderChange(this.#identities.get(next.id), next);
      if (released !== null && this.#keyHolders.get(released) === next.id) this.#keyHolders.delete(released);
      if (taken !== null && !this.#keyHolders.has(taken)) this.#keyHolders.set(taken, next.id);
      this.#identities.set(next.id, next);
    }
    for (const next of transition.items) this.#items.set(next.id, next);
    if (transition.genesisTime !== undefined) this.#genesisTime = transition.genesisTime;
  }

  identities(): IterableIterator<IdentityState> {
    return this.#identities.values();
  }

  items(): IterableIterator<ItemState> {
    return this.#items.values();
  }

  /** keyHolders lists (current key, identity id) pairs. */
  keyHolders(): IterableIterator<[string, string]> {
    return this.#keyHolders.entries();
  }
}

/**
 * keyHolderChange says how the index of current keys changes when an identity goes from `before`
 * to `next`: the key it no longer holds (rotated out or revoked) and the key it now holds.
 */
export function keyHolderChange(
  before: IdentityState | undefined,
  next: IdentityState,
): { released: string | null; taken: string | null } {
  const oldKey = before === undefined ? null : currentKey(before);
  const newKey = currentKey(next);
  return oldKey === newKey ? { released: null, taken: null } : { released: oldKey, taken: newKey };
}
