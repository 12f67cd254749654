/**
 * Ledger: one custody log in one SQLite file (DESIGN §11). Appends run the core's checks inside one
 * BEGIN IMMEDIATE transaction — read the head, check the custody rules, sign, store the leaf bytes
 * verbatim, update the stored Merkle hashes and the derived state — so several processes can append
 * to one file without ever forking the chain, and a refused append writes nothing.
 */
import {
  createsItem,
  CustodyError,
  keyHolderChange,
  leafHash,
  LEDGER_ACTOR,
  parseRecord,
  prepareRecord,
  storedHashesForLeaf,
  toBase64,
  toHex,
  treeHash,
  ZERO_HASH_HEX,
  type Crypto,
  type CustodyView,
  type HashReader,
  type IdentityState,
  type ItemState,
  type LedgerRecord,
  type LogHead,
  type RecordInput,
  type Signer,
  type Transition,
  type TreePosition,
} from '@custody/core';
import { rmSync } from 'node:fs';
import { CosignatureChecker } from './cosignatures-ahead.js';
import { nodeCrypto } from './node-crypto.js';
import { parseStoredIdentity, parseStoredItem } from './store/state-rows.js';
import type { Access } from './store/open.js';
import { LedgerStore } from './store/store.js';

export interface OpenOptions {
  /** Open without the right to write (queries and verification only). */
  readonly readonly?: boolean;
  /** How long to wait for another writer before LEDGER_LOCKED (default 10 s). */
  readonly busyTimeoutMs?: number;
  readonly crypto?: Crypto;
}

export interface CreateOptions extends Omit<OpenOptions, 'readonly'> {
  readonly origin: string;
  readonly name: string;
  readonly agency: string;
  readonly description?: string;
  /** The ledger key: signs the genesis record and every checkpoint. */
  readonly signer: Signer;
  readonly time?: string;
  readonly zone?: string;
}

/** An appended record with its position. */
export interface Appended {
  readonly seq: number;
  readonly leafHash: string;
  readonly record: LedgerRecord;
}

/** A stored record with its position and leaf hash. */
export interface StoredRecord {
  readonly seq: number;
  readonly leafHash: string;
  readonly leaf: Uint8Array;
  readonly record: LedgerRecord;
}

export class Ledger implements CustodyView, HashReader {
  readonly path: string;
  readonly origin: string;
  /**
   * How the file was opened: "direct"; "immutable" for a copy on read-only media without its -shm
   * file; "copy" when such a copy has a WAL file too, read through a private temporary copy.
   */
  readonly access: Access;
  readonly #store: LedgerStore;
  readonly #crypto: Crypto;
  readonly #cosignatures = new CosignatureChecker();

  private constructor(store: LedgerStore, crypto: Crypto) {
    this.path = store.path;
    this.access = store.access;
    this.#store = store;
    this.#crypto = crypto;
    stores.set(this, store);
    this.origin = store.origin();
  }

  /**
   * create makes a new ledger file at `path` holding its genesis record, signed by the ledger key.
   * Refuses (LEDGER_EXISTS) if anything is already at `path`.
   */
  static create(path: string, options: CreateOptions): Ledger {
    const store = LedgerStore.create(path, options.origin, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    try {
      const ledger = new Ledger(store, options.crypto ?? nodeCrypto);
      ledger.append(
        {
          type: 'ledger.genesis',
          item: null,
          actor: LEDGER_ACTOR,
          ...(options.time === undefined ? {} : { time: options.time }),
          ...(options.zone === undefined ? {} : { zone: options.zone }),
          data: {
            name: options.name,
            agency: options.agency,
            key: toBase64(options.signer.publicKey),
            ...(options.description === undefined ? {} : { description: options.description }),
          },
        },
        options.signer,
      );
      return ledger;
    } catch (e) {
      store.close();
      // A ledger without its genesis record is no ledger: leave nothing behind.
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      throw e;
    }
  }

  /**
   * open opens an existing ledger file, checking its header and that its schema is exactly the one
   * custody creates: LEDGER_NOT_FOUND, LEDGER_NOT_A_LEDGER, LEDGER_SCHEMA_NEWER or
   * LEDGER_SCHEMA_TAMPERED otherwise. A read-only open of a copy on read-only media succeeds with
   * `access` saying how it was read.
   */
  static open(path: string, options: OpenOptions = {}): Ledger {
    const store = LedgerStore.open(path, {
      readonly: options.readonly ?? false,
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
    try {
      return new Ledger(store, options.crypto ?? nodeCrypto);
    } catch (e) {
      store.close();
      throw e;
    }
  }

  /** close closes the database. */
  close(): void {
    void this.#cosignatures.close();
    this.#store.close();
  }

  /** head returns the log's origin, size and the leaf hash of its last record. */
  head(): LogHead {
    // A record's own leaf hash is the first of its stored hashes.
    const row = this.#store.head();
    if (row === undefined) return { origin: this.origin, size: 0, leafHash: ZERO_HASH_HEX };
    return { origin: this.origin, size: row.seq + 1, leafHash: toHex(row.leafHash) };
  }

  /** size returns the number of records. */
  size(): number {
    return this.head().size;
  }

  /**
   * append checks, signs and stores one record (DESIGN §6). Throws a CustodyError and writes nothing
   * if the record may not be appended; LEDGER_LOCKED if another writer holds the file too long.
   */
  append(input: RecordInput, signer: Signer): Appended {
    return this.appendBatch([{ input, signer }])[0]!;
  }

  /** appendBatch appends many records in one transaction (bulk intake): all of them, or none. */
  appendBatch(entries: readonly { input: RecordInput; signer: Signer }[]): Appended[] {
    return this.#store.transaction(() => {
      // The head and the state rows read inside one write transaction cannot change under us.
      const view = new TransactionView(this, this.#store);
      const crypto = entries.length === 1 ? this.#crypto : this.#cosignatures.ahead(view, this.origin, entries.map((e) => e.input), this.#crypto);
      let head = this.head();
      return entries.map(({ input, signer }) => {
        const appended = this.#appendOne(view, head, input, signer, crypto);
        head = { origin: head.origin, size: head.size + 1, leafHash: appended.leafHash };
        return appended;
      });
    });
  }

  #appendOne(view: TransactionView, head: LogHead, input: RecordInput, signer: Signer, crypto: Crypto): Appended {
    const prepared = prepareRecord(view, head, input, signer, crypto);
    const { record, leafBytes, leafHash } = prepared;
    const stored = storedHashesForLeaf(record.seq, leafHash, this, this.#crypto);
    const hashes = new Uint8Array(32 * stored.length);
    stored.forEach(({ hash }, i) => hashes.set(hash, 32 * i));
    // The seq of the item's previous record: its head before this record is applied.
    const itemPrev = record.item === null || createsItem(record.type) ? null : (view.item(record.item)?.headSeq ?? null);
    this.#store.insertRecord({ seq: record.seq, leaf: leafBytes, hashes, type: record.type, item: record.item, itemPrev, actor: record.actor, time: record.time });
    view.apply(prepared.transition);
    return { seq: record.seq, leafHash: prepared.leafHashHex, record };
  }

  // ---- CustodyView: the state the custody rules read (derived tables) ----

  identity(id: string): IdentityState | undefined {
    const state = this.#store.identityState(id);
    return state === undefined ? undefined : parseStoredIdentity(state, id, this.path);
  }

  item(id: string): ItemState | undefined {
    const state = this.#store.itemState(id);
    return state === undefined ? undefined : parseStoredItem(state, id, this.path);
  }

  keyHolder(key: string): string | undefined {
    return this.#store.keyHolder(key);
  }

  /** genesisTime returns the time of record 0 (none while the genesis is being appended). */
  genesisTime(): string | undefined {
    if (this.#genesisTime === undefined && this.#store.head() !== undefined) this.#genesisTime = this.record(0).record.time;
    return this.#genesisTime;
  }

  #genesisTime: string | undefined;

  // ---- HashReader: stored Merkle hashes ----

  readHashes(positions: readonly TreePosition[]): Uint8Array[] {
    return positions.map(({ level, index }) => {
      // The subtree (level, index) is completed by record (index+1)·2^level − 1, as its level-th hash.
      const hashes = this.#store.hashes((index + 1) * 2 ** level - 1);
      if (hashes === undefined || hashes.length < 32 * (level + 1)) {
        throw new CustodyError('RECORD_UNKNOWN', `The stored tree has no hash at level ${level}, index ${index}.`, { level, index });
      }
      return hashes.subarray(32 * level, 32 * (level + 1));
    });
  }

  // ---- Queries ----

  /** record returns the record at `seq` (RECORD_UNKNOWN if there is none). */
  record(seq: number): StoredRecord {
    const leaf = this.#store.leaf(seq);
    if (leaf === undefined) throw new CustodyError('RECORD_UNKNOWN', `There is no record ${seq} in this ledger.`, { seq });
    return storedRecord(seq, leaf, this.#crypto);
  }

  /** records returns the records in [from, to) in seq order. */
  *records(from = 0, to = Number.MAX_SAFE_INTEGER): IterableIterator<StoredRecord> {
    for (const row of this.#store.leaves(from, to)) yield storedRecord(row.seq, row.leaf, this.#crypto);
  }

  /** leaves returns the leaf bytes of records [from, to) in seq order. */
  *leaves(from = 0, to = Number.MAX_SAFE_INTEGER): IterableIterator<Uint8Array> {
    for (const row of this.#store.leaves(from, to)) yield row.leaf;
  }

  /**
   * exportLines yields the JSON Lines archive of the whole ledger: each record's exact leaf bytes
   * followed by "\n", in seq order — the format an independent tool verifies (DESIGN §4).
   */
  *exportLines(): IterableIterator<Uint8Array> {
    for (const leaf of this.leaves()) {
      const line = new Uint8Array(leaf.length + 1);
      line.set(leaf);
      line[leaf.length] = 0x0a;
      yield line;
    }
  }

  /** timeline returns every record about `itemId`, oldest first (ITEM_UNKNOWN if it has none). */
  timeline(itemId: string): StoredRecord[] {
    const item = this.item(itemId);
    if (item === undefined) throw new CustodyError('ITEM_UNKNOWN', `There is no item "${itemId}" in this ledger.`, { item: itemId });
    // Walk the item's chain back from its head (item_prev links), then put it in order.
    const records: StoredRecord[] = [];
    for (let seq: number | null = item.headSeq; seq !== null; ) {
      const step = this.#store.itemStep(seq);
      if (step === undefined) throw new CustodyError('RECORD_UNKNOWN', `There is no record ${seq} in this ledger.`, { seq });
      const stored = storedRecord(seq, step.leaf, this.#crypto);
      // What is shown is what the leaf says: a row whose leaf is about another item is not this item's.
      if (stored.record.item !== itemId) {
        throw new CustodyError('LEDGER_DAMAGED', `${this.path} is damaged or was altered outside custody: record ${seq}, linked from "${itemId}", is not about it (run custody verify).`, {
          path: this.path,
          seq,
          item: itemId,
        });
      }
      records.push(stored);
      seq = step.itemPrev !== null && step.itemPrev < seq ? step.itemPrev : null;
    }
    return records.reverse();
  }

  /** itemState returns the current state of an item (ITEM_UNKNOWN if there is none). */
  itemState(itemId: string): ItemState {
    const item = this.item(itemId);
    if (item === undefined) throw new CustodyError('ITEM_UNKNOWN', `There is no item "${itemId}" in this ledger.`, { item: itemId });
    return item;
  }

  /** items returns every item's current state, by id; with `custodian`, only the items it holds. */
  items(custodian?: string): ItemState[] {
    return this.#store
      .itemStates()
      .filter((r) => custodian === undefined || r.custodian === custodian)
      .map((r) => parseStoredItem(r.state, r.id, this.path));
  }

  /** identities returns every identity with its keys over time, by id. */
  identities(): IdentityState[] {
    return this.#store.identityStates().map((r) => parseStoredIdentity(r.state, r.id, this.path));
  }

  /** identityByKey returns the unrevoked identity whose current key is `publicKey`, if any. */
  identityByKey(publicKey: Uint8Array): IdentityState | undefined {
    const id = this.keyHolder(toBase64(publicKey));
    return id === undefined ? undefined : this.identity(id);
  }

  /** rootHash returns the Merkle root of the first `size` records (default: all), from stored hashes. */
  rootHash(size = this.size()): Uint8Array {
    return treeHash(size, this, this.#crypto);
  }

  get crypto(): Crypto {
    return this.#crypto;
  }
}

/** The store behind each open Ledger, for this package's own modules (not exported by index.ts). */
const stores = new WeakMap<Ledger, LedgerStore>();

/** storeOf returns the store of an open ledger: checkpoints and bundles read and write through it. */
export function storeOf(ledger: Ledger): LedgerStore {
  return stores.get(ledger)!;
}

/**
 * storedRecord parses a stored leaf. A leaf that does not parse, or whose seq is not its row's, is
 * reported as a damaged file (run verify), never shown as a record.
 */
function storedRecord(seq: number, leaf: Uint8Array, crypto: Crypto): StoredRecord {
  let record: LedgerRecord;
  try {
    record = parseRecord(leaf);
  } catch (e) {
    throw new CustodyError('LEDGER_DAMAGED', `Record ${seq} of this ledger is not a valid record (run custody verify).`, { seq, reason: `record ${seq} is not a valid record` }, { cause: e });
  }
  if (record.seq !== seq) {
    throw new CustodyError('LEDGER_DAMAGED', `The row of record ${seq} holds record ${record.seq} (run custody verify).`, { seq, reason: `the row of record ${seq} holds record ${record.seq}` });
  }
  return { seq, leafHash: toHex(leafHash(leaf, crypto)), leaf, record };
}

/**
 * The custody state as one write transaction sees it: rows read once and parsed once, changes
 * written through. Lives only inside the transaction that made it.
 */
class TransactionView implements CustodyView {
  readonly #identities = new Map<string, IdentityState | undefined>();
  readonly #items = new Map<string, ItemState | undefined>();
  readonly #keyHolders = new Map<string, string | undefined>();

  constructor(
    private readonly ledger: Ledger,
    private readonly store: LedgerStore,
  ) {}

  // Reads trust the writer's own index on a miss (every new id is one): no table scan per append.

  identity(id: string): IdentityState | undefined {
    if (!this.#identities.has(id)) {
      const state = this.store.identityState(id, false);
      this.#identities.set(id, state === undefined ? undefined : parseStoredIdentity(state, id, this.ledger.path));
    }
    return this.#identities.get(id);
  }

  item(id: string): ItemState | undefined {
    if (!this.#items.has(id)) {
      const state = this.store.itemState(id, false);
      this.#items.set(id, state === undefined ? undefined : parseStoredItem(state, id, this.ledger.path));
    }
    return this.#items.get(id);
  }

  keyHolder(key: string): string | undefined {
    if (!this.#keyHolders.has(key)) this.#keyHolders.set(key, this.store.keyHolder(key, false));
    return this.#keyHolders.get(key);
  }

  genesisTime(): string | undefined {
    return this.ledger.genesisTime();
  }

  /** apply writes the states a record led to, and remembers them for the rest of the transaction. */
  apply(transition: Transition): void {
    for (const next of transition.identities) {
      const { released, taken } = keyHolderChange(this.identity(next.id), next);
      if (released !== null && this.keyHolder(released) === next.id) {
        this.store.releaseKey(released, next.id);
        this.#keyHolders.set(released, undefined);
      }
      if (taken !== null && this.keyHolder(taken) === undefined) {
        this.store.takeKey(taken, next.id);
        this.#keyHolders.set(taken, next.id);
      }
      this.store.putIdentity(next.id, JSON.stringify(next));
      this.#identities.set(next.id, next);
    }
    for (const next of transition.items) {
      this.store.putItem(next.id, next.custodian, JSON.stringify(next));
      this.#items.set(next.id, next);
    }
  }
}
