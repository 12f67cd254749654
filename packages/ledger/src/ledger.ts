/**
 * Ledger: one custody log in one SQLite file (DESIGN §11). Appends run the core's checks inside one
 * BEGIN IMMEDIATE transaction — read the head, check the custody rules, sign, store the leaf bytes
 * verbatim, update the stored Merkle hashes and the derived state — so several processes can append
 * to one file without ever forking the chain, and a refused append writes nothing.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
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
import { CosignatureChecker } from './cosignatures-ahead.js';
import { nodeCrypto } from './node-crypto.js';
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { translateSqliteError } from './sqlite-errors.js';

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
  readonly #db: Database.Database;
  readonly #crypto: Crypto;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #cosignatures = new CosignatureChecker();

  private constructor(path: string, db: Database.Database, crypto: Crypto) {
    this.path = path;
    this.#db = db;
    this.#crypto = crypto;
    this.#sql = prepareStatements(db);
    const origin = this.#sql.meta.get('origin') as { value: string } | undefined;
    if (origin === undefined) throw new CustodyError('LEDGER_NOT_A_LEDGER', `${path} has no origin: it is not a complete ledger.`);
    this.origin = origin.value;
  }

  /**
   * create makes a new ledger file at `path` holding its genesis record, signed by the ledger key.
   * Refuses (LEDGER_EXISTS) if anything is already at `path`.
   */
  static create(path: string, options: CreateOptions): Ledger {
    if (existsSync(path)) throw new CustodyError('LEDGER_EXISTS', `${path} already exists; a ledger is only created on a new file.`, { path });
    const crypto = options.crypto ?? nodeCrypto;
    const db = openDatabase(path, { ...options, create: true });
    try {
      db.pragma('journal_mode = WAL');
      db.transaction(() => {
        db.exec(SCHEMA_SQL);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('origin', options.origin);
      })();
      const ledger = new Ledger(path, db, crypto);
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
      db.close();
      throw translateSqliteError(e, path);
    }
  }

  /** open opens an existing ledger file; LEDGER_NOT_FOUND, LEDGER_NOT_A_LEDGER or LEDGER_SCHEMA_NEWER otherwise. */
  static open(path: string, options: OpenOptions = {}): Ledger {
    if (!existsSync(path)) throw new CustodyError('LEDGER_NOT_FOUND', `There is no ledger at ${path}.`, { path });
    const db = openDatabase(path, { ...options, create: false });
    try {
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (applicationId !== APPLICATION_ID) {
        throw new CustodyError('LEDGER_NOT_A_LEDGER', `${path} is a SQLite file but not a custody ledger.`, { path });
      }
      if (version > SCHEMA_VERSION) {
        throw new CustodyError('LEDGER_SCHEMA_NEWER', `${path} was written by a newer version of custody (schema ${version}); upgrade to open it.`, {
          path,
          version,
        });
      }
      return new Ledger(path, db, options.crypto ?? nodeCrypto);
    } catch (e) {
      db.close();
      throw translateSqliteError(e, path);
    }
  }

  /** close closes the database. */
  close(): void {
    void this.#cosignatures.close();
    this.#db.close();
  }

  /** head returns the log's origin, size and the leaf hash of its last record. */
  head(): LogHead {
    // A record's own leaf hash is the first of its stored hashes.
    const row = this.#sql.head.get() as { seq: number; leafHash: Buffer } | undefined;
    if (row === undefined) return { origin: this.origin, size: 0, leafHash: ZERO_HASH_HEX };
    if (row.leafHash.length !== 32) throw new CustodyError('RECORD_UNKNOWN', `The stored tree has no leaf hash for record ${row.seq}.`, { seq: row.seq });
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
    const run = this.#db.transaction(() => {
      // The head and the state rows read inside one write transaction cannot change under us.
      const view = new TransactionView(this, this.#sql);
      const crypto = entries.length === 1 ? this.#crypto : this.#cosignatures.ahead(view, this.origin, entries.map((e) => e.input), this.#crypto);
      let head = this.head();
      return entries.map(({ input, signer }) => {
        const appended = this.#appendOne(view, head, input, signer, crypto);
        head = { origin: head.origin, size: head.size + 1, leafHash: appended.leafHash };
        return appended;
      });
    });
    try {
      return run.immediate();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  #appendOne(view: TransactionView, head: LogHead, input: RecordInput, signer: Signer, crypto: Crypto): Appended {
    const prepared = prepareRecord(view, head, input, signer, crypto);
    const { record, leafBytes, leafHash } = prepared;
    const stored = storedHashesForLeaf(record.seq, leafHash, this, this.#crypto);
    const hashes = new Uint8Array(32 * stored.length);
    stored.forEach(({ hash }, i) => hashes.set(hash, 32 * i));
    // The seq of the item's previous record: its head before this record is applied.
    const itemPrev = record.item === null || createsItem(record.type) ? null : (view.item(record.item)?.headSeq ?? null);
    this.#sql.insertRecord.run(record.seq, leafBytes, hashes, record.type, record.item, itemPrev, record.actor, record.time);
    view.apply(prepared.transition);
    return { seq: record.seq, leafHash: prepared.leafHashHex, record };
  }

  // ---- CustodyView: the state the custody rules read (derived tables) ----

  identity(id: string): IdentityState | undefined {
    const row = this.#sql.identity.get(id) as { state: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.state) as IdentityState);
  }

  item(id: string): ItemState | undefined {
    const row = this.#sql.item.get(id) as { state: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.state) as ItemState);
  }

  keyHolder(key: string): string | undefined {
    return (this.#sql.keyHolder.get(key) as { id: string } | undefined)?.id;
  }

  // ---- HashReader: stored Merkle hashes ----

  readHashes(positions: readonly TreePosition[]): Uint8Array[] {
    return positions.map(({ level, index }) => {
      // The subtree (level, index) is completed by record (index+1)·2^level − 1, as its level-th hash.
      const row = this.#sql.hashes.get((index + 1) * 2 ** level - 1) as { hashes: Buffer } | undefined;
      if (row === undefined || row.hashes.length < 32 * (level + 1)) {
        throw new CustodyError('RECORD_UNKNOWN', `The stored tree has no hash at level ${level}, index ${index}.`, { level, index });
      }
      return new Uint8Array(row.hashes.subarray(32 * level, 32 * (level + 1)));
    });
  }

  // ---- Queries ----

  /** record returns the record at `seq` (RECORD_UNKNOWN if there is none). */
  record(seq: number): StoredRecord {
    const row = this.#sql.record.get(seq) as RecordRow | undefined;
    if (row === undefined) throw new CustodyError('RECORD_UNKNOWN', `There is no record ${seq} in this ledger.`, { seq });
    return storedRecord(row, this.#crypto);
  }

  /** records returns the records in [from, to) in seq order. */
  *records(from = 0, to = Number.MAX_SAFE_INTEGER): IterableIterator<StoredRecord> {
    for (const row of this.#sql.range.iterate(from, to) as IterableIterator<RecordRow>) yield storedRecord(row, this.#crypto);
  }

  /** leaves returns the leaf bytes of records [from, to) in seq order. */
  *leaves(from = 0, to = Number.MAX_SAFE_INTEGER): IterableIterator<Uint8Array> {
    for (const row of this.#sql.leaves.iterate(from, to) as IterableIterator<{ leaf: Buffer }>) yield new Uint8Array(row.leaf);
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
    const rows: RecordRow[] = [];
    for (let seq: number | null = item.headSeq; seq !== null; ) {
      const row = this.#sql.timelineStep.get(seq) as (RecordRow & { item_prev: number | null }) | undefined;
      if (row === undefined) throw new CustodyError('RECORD_UNKNOWN', `There is no record ${seq} in this ledger.`, { seq });
      rows.push(row);
      seq = row.item_prev !== null && row.item_prev < seq ? row.item_prev : null;
    }
    return rows.reverse().map((row) => storedRecord(row, this.#crypto));
  }

  /** itemState returns the current state of an item (ITEM_UNKNOWN if there is none). */
  itemState(itemId: string): ItemState {
    const item = this.item(itemId);
    if (item === undefined) throw new CustodyError('ITEM_UNKNOWN', `There is no item "${itemId}" in this ledger.`, { item: itemId });
    return item;
  }

  /** items returns every item's current state, by id; with `custodian`, only the items it holds. */
  items(custodian?: string): ItemState[] {
    const rows = (custodian === undefined ? this.#sql.items.all() : this.#sql.itemsHeldBy.all(custodian)) as { state: string }[];
    return rows.map((r) => JSON.parse(r.state) as ItemState);
  }

  /** identities returns every identity with its keys over time, by id. */
  identities(): IdentityState[] {
    return (this.#sql.identities.all() as { state: string }[]).map((r) => JSON.parse(r.state) as IdentityState);
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

  /** database gives the underlying connection to the package's own modules (checkpoints, verification). */
  get database(): Database.Database {
    return this.#db;
  }

  get crypto(): Crypto {
    return this.#crypto;
  }
}

interface RecordRow {
  seq: number;
  leaf: Buffer;
}

function storedRecord(row: RecordRow, crypto: Crypto): StoredRecord {
  const leaf = new Uint8Array(row.leaf);
  return { seq: row.seq, leafHash: toHex(leafHash(leaf, crypto)), leaf, record: parseRecord(leaf) };
}

type Statements = ReturnType<typeof prepareStatements>;

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
    private readonly sql: Statements,
  ) {}

  identity(id: string): IdentityState | undefined {
    if (!this.#identities.has(id)) this.#identities.set(id, this.ledger.identity(id));
    return this.#identities.get(id);
  }

  item(id: string): ItemState | undefined {
    if (!this.#items.has(id)) this.#items.set(id, this.ledger.item(id));
    return this.#items.get(id);
  }

  keyHolder(key: string): string | undefined {
    if (!this.#keyHolders.has(key)) this.#keyHolders.set(key, this.ledger.keyHolder(key));
    return this.#keyHolders.get(key);
  }

  /** apply writes the states a record led to, and remembers them for the rest of the transaction. */
  apply(transition: Transition): void {
    for (const next of transition.identities) {
      const { released, taken } = keyHolderChange(this.identity(next.id), next);
      if (released !== null && this.keyHolder(released) === next.id) {
        this.sql.releaseKey.run(released, next.id);
        this.#keyHolders.set(released, undefined);
      }
      if (taken !== null && this.keyHolder(taken) === undefined) {
        this.sql.takeKey.run(taken, next.id);
        this.#keyHolders.set(taken, next.id);
      }
      this.sql.putIdentity.run(next.id, JSON.stringify(next));
      this.#identities.set(next.id, next);
    }
    for (const next of transition.items) {
      this.sql.putItem.run(next.id, next.custodian, JSON.stringify(next));
      this.#items.set(next.id, next);
    }
  }
}

function openDatabase(path: string, options: OpenOptions & { create: boolean }): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
      timeout: options.busyTimeoutMs ?? 10_000,
    });
  } catch (e) {
    throw translateSqliteError(e, path);
  }
  try {
    // Reading the header fails here (SQLITE_NOTADB) when the file is not a SQLite database at all.
    db.pragma('schema_version', { simple: true });
    // Every append that returned is on disk: WAL with a sync on every commit.
    db.pragma('synchronous = FULL');
    return db;
  } catch (e) {
    db.close();
    throw translateSqliteError(e, path);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    head: db.prepare('SELECT seq, substr(hashes, 1, 32) AS leafHash FROM records ORDER BY seq DESC LIMIT 1'),
    insertRecord: db.prepare(
      'INSERT INTO records (seq, leaf, hashes, type, item, item_prev, actor, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    hashes: db.prepare('SELECT hashes FROM records WHERE seq = ?'),
    identity: db.prepare('SELECT state FROM identities WHERE id = ?'),
    identities: db.prepare('SELECT state FROM identities ORDER BY id'),
    putIdentity: db.prepare('INSERT INTO identities (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state'),
    item: db.prepare('SELECT state FROM items WHERE id = ?'),
    items: db.prepare('SELECT state FROM items ORDER BY id'),
    itemsHeldBy: db.prepare('SELECT state FROM items WHERE custodian = ? ORDER BY id'),
    putItem: db.prepare(
      'INSERT INTO items (id, custodian, state) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET custodian = excluded.custodian, state = excluded.state',
    ),
    keyHolder: db.prepare('SELECT id FROM key_holders WHERE key = ?'),
    takeKey: db.prepare('INSERT OR IGNORE INTO key_holders (key, id) VALUES (?, ?)'),
    releaseKey: db.prepare('DELETE FROM key_holders WHERE key = ? AND id = ?'),
    record: db.prepare('SELECT seq, leaf FROM records WHERE seq = ?'),
    range: db.prepare('SELECT seq, leaf FROM records WHERE seq >= ? AND seq < ? ORDER BY seq'),
    leaves: db.prepare('SELECT leaf FROM records WHERE seq >= ? AND seq < ? ORDER BY seq'),
    timelineStep: db.prepare('SELECT seq, leaf, item_prev FROM records WHERE seq = ?'),
  };
}
