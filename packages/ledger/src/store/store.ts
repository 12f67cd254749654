/**
 * LedgerStore: the only code that speaks SQL to a ledger file (STYLE.md, "one owner per resource").
 * The Ledger, checkpoints, bundles and verification all read and write through it, so what a
 * command displays comes from the same statements, checked the same way, as what verification
 * checks — and a new command cannot read the file some other way by accident.
 *
 * Every read treats the file as hostile (see open.ts for how it is opened):
 *
 * - **Sizes before loading.** Every large value is selected as `CASE WHEN octet_length(v) <= cap
 *   THEN v END` with its length beside it: SQLite reads a value's length from the record header, so
 *   a value over its cap is refused (LEDGER_DAMAGED) without being loaded. Caps are the protocol's
 *   own limits (leaf bytes 16 MiB, bundles 64 MiB; PROTOCOL.md §2.3), so one value costs at most that.
 * - **No more bytes than the file holds.** A value longer than a page lives in an overflow chain;
 *   a crafted chain can loop, so that a 1 MB file yields gigabytes. The store counts each distinct
 *   overflowing value once, and a list first sums its values' lengths from the record headers; in
 *   an honest file neither can exceed the file's size (measured at open, again only when exceeded),
 *   and either is refused (LEDGER_DAMAGED) the moment it does.
 * - **Types as declared.** A crafted file can hold a blob where text belongs (STRICT is enforced on
 *   write, not on read): every value is type-checked before use.
 * - **Indexes are not trusted.** A row found through an index is checked to carry the key asked
 *   for; "not found" through an index is confirmed by a scan of the table before it is believed;
 *   lists are read from the tables, not the indexes. `verifyLedger` runs SQLite's integrity check
 *   (integrityProblems), which compares every index with its table.
 */
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { CustodyError } from '@custody/core';
import { translateSqliteError } from './errors.js';
import { createLedgerDatabase, openLedgerDatabase, type Access } from './open.js';
import { STORE_LIMITS } from './limits.js';
import { prepareStatements } from './statements.js';

/** Leaves up to this long are read in bulk by recordRows; longer ones one at a time. */
const BULK_LEAF_BYTES = 64 * 1024;

/** A records row as better-sqlite3 returns it, before recordRows has checked its types. */
interface MutableRow {
  seq: number;
  leaf: unknown;
  leafBytes: number;
  hashes: unknown;
  hashesBytes: number;
  type: unknown;
  item: unknown;
  itemPrev: unknown;
  actor: unknown;
  time: unknown;
}

/** The tables SQLite's integrity check covers (integrityProblems): all but records. */
const CHECKED_TABLES = ['meta', 'identities', 'items', 'key_holders', 'checkpoints', 'cosignatures', 'imports'] as const;

export interface StoreOpenOptions {
  readonly readonly?: boolean;
  readonly busyTimeoutMs?: number;
}

/** A records row as verification reads it: every column, the leaf null when over its cap. */
export interface RecordRow {
  readonly seq: number;
  /** The leaf bytes, or null when `leafBytes` is over STORE_LIMITS.leaf or the value is not a blob. */
  readonly leaf: Uint8Array | null;
  readonly leafBytes: number;
  readonly hashes: Uint8Array | null;
  readonly type: string | null;
  readonly item: string | null;
  readonly itemPrev: number | null;
  readonly actor: string | null;
  readonly time: string | null;
}

export interface CheckpointRow {
  readonly size: number;
  readonly note: string;
  readonly signedAt: string;
}

export interface CosignatureRow {
  readonly size: number;
  readonly witnessKey: string;
  readonly line: string;
}

/** The columns of a records row as an append writes them. */
export interface NewRecordRow {
  readonly seq: number;
  readonly leaf: Uint8Array;
  readonly hashes: Uint8Array;
  readonly type: string;
  readonly item: string | null;
  readonly itemPrev: number | null;
  readonly actor: string;
  readonly time: string;
}

export class LedgerStore {
  readonly path: string;
  /** How the file was opened: as it is, as an unchanging file (read-only media), or as a private copy. */
  readonly access: Access;
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #cleanup: () => void;
  readonly #sql: ReturnType<typeof prepareStatements>;
  /** Rows whose values overflowed a page, counted once each, and their bytes. */
  readonly #overflowed = new Set<string>();
  #overflowBytes = 0;
  #fileBytes = 0;
  /** Values this long or shorter sit in their row's page (a table leaf cell: usable size − 35). */
  readonly #localMax: number;

  private constructor(path: string, opened: ReturnType<typeof openLedgerDatabase>) {
    this.path = path;
    this.access = opened.access;
    this.#db = opened.db;
    this.#file = opened.file;
    this.#cleanup = opened.cleanup;
    try {
      this.#sql = prepareStatements(this.#db);
      this.#localMax = (this.#db.pragma('page_size', { simple: true }) as number) - 35;
    } catch (e) {
      this.close();
      throw translateSqliteError(e, path);
    }
    this.#fileBytes = this.#measureFile();
  }

  /** open opens and checks an existing ledger file (see openLedgerDatabase for the errors). */
  static open(path: string, options: StoreOpenOptions = {}): LedgerStore {
    return new LedgerStore(path, openLedgerDatabase(path, { readonly: options.readonly ?? false, busyTimeoutMs: options.busyTimeoutMs ?? 10_000 }));
  }

  /** create makes a new ledger file with the current schema and its origin (LEDGER_EXISTS if taken). */
  static create(path: string, origin: string, options: StoreOpenOptions = {}): LedgerStore {
    const opened = createLedgerDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 10_000 }, (db) => {
      db.prepare("INSERT INTO meta (key, value) VALUES ('origin', ?)").run(origin);
    });
    return new LedgerStore(path, opened);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
    this.#cleanup();
  }

  /** transaction runs `fn` in one BEGIN IMMEDIATE transaction: all of its writes, or none. */
  transaction<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  /**
   * beginSnapshot starts a read transaction: every read until endSnapshot sees the file as it was
   * at its first read, whatever other processes append meanwhile.
   */
  beginSnapshot(): void {
    this.#run(() => this.#db.exec('BEGIN'));
  }

  endSnapshot(): void {
    // Only a read snapshot is open; a damaged file may fail to end it, and the error that matters
    // is the one that ended the reading.
    try {
      if (this.#db.inTransaction) this.#db.exec('COMMIT');
    } catch {
      // see above
    }
  }

  /**
   * integrityProblems runs SQLite's integrity check on every table but `records`, with its indexes —
   * each B-tree's pages and cells, and every index against its table — and returns its first `max`
   * complaints (none for a sound file). The records table is left to verification, which reads every
   * row of it in seq order and compares each with its leaf: that catches what the check would, at no
   * extra cost, where the check alone would add 5–10 % to the verification of a large ledger. (Its
   * one index, records_identity, is read by nothing.)
   */
  integrityProblems(max = 20): string[] {
    const problems: string[] = [];
    for (const table of CHECKED_TABLES) {
      const rows = this.#run(() => this.#db.pragma(`integrity_check(${table})`) as { integrity_check: unknown }[]);
      for (const row of rows) {
        const message = String(row.integrity_check);
        if (message !== 'ok' && problems.length < max) problems.push(message.length > 300 ? `${message.slice(0, 300)}…` : message);
      }
    }
    return problems;
  }

  // ---- meta ----

  /** origin returns the ledger's origin (LEDGER_NOT_A_LEDGER if the file has none). */
  origin(): string {
    const row = this.#run(() => this.#sql.origin.get({ cap: STORE_LIMITS.text })) as { value: unknown; bytes: number } | undefined;
    if (row === undefined) throw new CustodyError('LEDGER_NOT_A_LEDGER', `${this.path} has no origin: it is not a complete ledger.`, { path: this.path });
    return this.#text(row.value, row.bytes, 'meta', 'the origin');
  }

  // ---- records ----

  /** recordCount returns the number of rows in the records table. */
  recordCount(): number {
    return (this.#run(() => this.#sql.count.get()) as { n: number }).n;
  }

  /** stateRowCount returns how many items and identities the state tables hold (to size a replay's heap). */
  stateRowCount(): number {
    return (this.#run(() => this.#sql.stateRows.get()) as { n: number }).n;
  }

  /** head returns the last record's seq and its stored leaf hash, if any. */
  head(): { seq: number; leafHash: Uint8Array } | undefined {
    const row = this.#run(() => this.#sql.head.get()) as { seq: number; leafHash: unknown } | undefined;
    if (row === undefined) return undefined;
    if (!Number.isSafeInteger(row.seq) || row.seq < 0) throw this.#damaged(`its last record has seq ${row.seq}, which no record can have`, {});
    if (!(row.leafHash instanceof Uint8Array) || row.leafHash.length !== 32) {
      throw this.#damaged(`the stored tree has no leaf hash for record ${row.seq}`, { seq: row.seq });
    }
    return { seq: row.seq, leafHash: new Uint8Array(row.leafHash) };
  }

  insertRecord(row: NewRecordRow): void {
    this.#sql.insertRecord.run(row.seq, row.leaf, row.hashes, row.type, row.item, row.itemPrev, row.actor, row.time);
  }

  /** hashes returns the stored Merkle hashes of record `seq` (see schema.ts), if there is such a row. */
  hashes(seq: number): Uint8Array | undefined {
    const row = this.#run(() => this.#sql.hashes.get({ seq, cap: STORE_LIMITS.hashes })) as { hashes: unknown; bytes: number } | undefined;
    if (row === undefined) return undefined;
    return this.#blob(row.hashes, row.bytes, STORE_LIMITS.hashes, 'records', seq, `the stored hashes of record ${seq}`);
  }

  /** leaf returns the leaf bytes of record `seq`, if there is such a row. */
  leaf(seq: number): Uint8Array | undefined {
    const row = this.#run(() => this.#sql.leaf.get({ seq, cap: STORE_LIMITS.leaf })) as { leaf: unknown; bytes: number } | undefined;
    return row === undefined ? undefined : this.#leafOf(seq, row.leaf, row.bytes);
  }

  /** leaves yields the seq and leaf bytes of records [from, to) in seq order. */
  *leaves(from: number, to: number): IterableIterator<{ seq: number; leaf: Uint8Array }> {
    const rows = this.#run(() => this.#sql.leaves.iterate({ from, to, cap: STORE_LIMITS.leaf })) as IterableIterator<{ seq: number; leaf: unknown; bytes: number }>;
    for (const row of this.#iterate(rows)) yield { seq: row.seq, leaf: this.#leafOf(row.seq, row.leaf, row.bytes) };
  }

  /** itemStep returns record `seq`'s leaf and the seq of the previous record about its item. */
  itemStep(seq: number): { leaf: Uint8Array; itemPrev: number | null } | undefined {
    const row = this.#run(() => this.#sql.itemStep.get({ seq, cap: STORE_LIMITS.leaf })) as { leaf: unknown; bytes: number; itemPrev: unknown } | undefined;
    if (row === undefined) return undefined;
    if (row.itemPrev !== null && !Number.isSafeInteger(row.itemPrev)) throw this.#damaged(`record ${seq} links to no record`, { seq });
    return { leaf: this.#leafOf(seq, row.leaf, row.bytes), itemPrev: row.itemPrev as number | null };
  }

  /**
   * recordRows returns up to `limit` rows from seq `from` on, in seq order, with every column.
   * Verification judges what it gets: an oversized leaf comes back as null with its length, a
   * column of the wrong type as null. Leaves longer than BULK_LEAF_BYTES — none in practice — are
   * read one at a time, so a chunk holds at most `limit` × BULK_LEAF_BYTES bytes of leaves.
   */
  recordRows(from: number, limit: number): RecordRow[] {
    const cap = STORE_LIMITS.leaf;
    const rows = this.#run(() => this.#sql.rows.all({ from, limit, bulk: BULK_LEAF_BYTES, hcap: STORE_LIMITS.hashes, tcap: STORE_LIMITS.text })) as MutableRow[];
    // The rows are better-sqlite3's own objects, checked and normalised in place: verification
    // reads millions of them, and a second object per row costs more than the read.
    for (const r of rows) {
      this.#account('records', r.seq, r.leafBytes + r.hashesBytes);
      if (r.leafBytes > BULK_LEAF_BYTES && r.leafBytes <= cap) {
        const big = this.#run(() => this.#sql.leaf.get({ seq: r.seq, cap })) as { leaf: unknown } | undefined;
        r.leaf = big?.leaf ?? null;
      }
      if (!(r.leaf instanceof Uint8Array) || r.leafBytes > cap) r.leaf = null;
      if (!(r.hashes instanceof Uint8Array)) r.hashes = null;
      if (typeof r.type !== 'string') r.type = null;
      if (typeof r.item !== 'string') r.item = null;
      if (!Number.isSafeInteger(r.itemPrev)) r.itemPrev = null;
      if (typeof r.actor !== 'string') r.actor = null;
      if (typeof r.time !== 'string') r.time = null;
    }
    return rows as unknown as RecordRow[];
  }

  // ---- the custody state: identities, items, the current-key index ----

  /**
   * identityState returns the stored state (JSON text) of identity `id`, if any. A miss is confirmed
   * by a scan of the table unless `confirmMiss` is false: an append, which misses for every new id,
   * trusts its own file's index (verification checks the index afterwards).
   */
  identityState(id: string, confirmMiss = true): string | undefined {
    return this.#stateByKey(this.#sql.identity, confirmMiss ? this.#sql.identityScan : undefined, 'identities', id);
  }

  /** identityStates returns every identity's id and state (JSON text), by id, read from the table. */
  identityStates(): { id: string; state: string }[] {
    return this.#stateRows(this.#sql.identities, 'identities');
  }

  putIdentity(id: string, state: string): void {
    this.#sql.putIdentity.run(id, state);
  }

  /** itemState returns the stored state (JSON text) of item `id`, if any (`confirmMiss` as for identityState). */
  itemState(id: string, confirmMiss = true): string | undefined {
    return this.#stateByKey(this.#sql.item, confirmMiss ? this.#sql.itemScan : undefined, 'items', id);
  }

  /** itemStates returns every item's id, custodian and state (JSON text), by id, read from the table. */
  itemStates(): { id: string; custodian: string; state: string }[] {
    return this.#stateRows(this.#sql.items, 'items').map((r) => {
      if (typeof r.custodian !== 'string') throw this.#damaged(`the items table holds a custodian that is not text`, { table: 'items' });
      return r as { id: string; custodian: string; state: string };
    });
  }

  putItem(id: string, custodian: string, state: string): void {
    this.#sql.putItem.run(id, custodian, state);
  }

  /** keyHolder returns the identity whose current key is `key` (base64), if any (`confirmMiss` as for identityState). */
  keyHolder(key: string, confirmMiss = true): string | undefined {
    const row = this.#run(() => this.#sql.keyHolder.get({ key, cap: STORE_LIMITS.text })) as { key: unknown; id: unknown; bytes: number } | undefined;
    if (row === undefined) {
      if (confirmMiss && (this.#run(() => this.#sql.keyHolderScan.get({ key })) as { n: number }).n > 0) throw this.#indexDisagrees('key_holders');
      return undefined;
    }
    if (row.key !== key) throw this.#indexDisagrees('key_holders');
    return this.#text(row.id, row.bytes, 'key_holders', 'an identity id');
  }

  /** keyHolders returns every (key, id) of the current-key index, read from the table. */
  keyHolders(): { key: string; id: string }[] {
    this.#fits(this.#sql.keyHoldersBytes, 'key_holders');
    const rows = this.#run(() => this.#sql.keyHolders.all({ cap: STORE_LIMITS.text })) as { key: unknown; id: unknown; keyBytes: number; idBytes: number }[];
    return rows.map((r) => ({ key: this.#text(r.key, r.keyBytes, 'key_holders', 'a key'), id: this.#text(r.id, r.idBytes, 'key_holders', 'an identity id') }));
  }

  takeKey(key: string, id: string): void {
    this.#sql.takeKey.run(key, id);
  }

  releaseKey(key: string, id: string): void {
    this.#sql.releaseKey.run(key, id);
  }

  // ---- checkpoints and cosignatures ----

  insertCheckpoint(size: number, note: string, signedAt: string): void {
    this.#sql.insertCheckpoint.run(size, note, signedAt);
  }

  /** checkpoint returns the stored checkpoint of `size`, if any. */
  checkpoint(size: number): CheckpointRow | undefined {
    const row = this.#run(() => this.#sql.checkpoint.get({ size, cap: STORE_LIMITS.note, tcap: STORE_LIMITS.text })) as Record<string, unknown> | undefined;
    return row === undefined ? undefined : this.#checkpointRow(row);
  }

  /** latestCheckpoint returns the stored checkpoint of the largest size, if any. */
  latestCheckpoint(): CheckpointRow | undefined {
    const row = this.#run(() => this.#sql.latestCheckpoint.get({ cap: STORE_LIMITS.note, tcap: STORE_LIMITS.text })) as Record<string, unknown> | undefined;
    return row === undefined ? undefined : this.#checkpointRow(row);
  }

  /** checkpoints returns every stored checkpoint, smallest first. */
  checkpoints(): CheckpointRow[] {
    this.#fits(this.#sql.checkpointsBytes, 'checkpoints');
    const rows = this.#run(() => this.#sql.checkpoints.all({ cap: STORE_LIMITS.note, tcap: STORE_LIMITS.text })) as Record<string, unknown>[];
    return rows.map((r) => this.#checkpointRow(r));
  }

  /** insertCosignature stores a witness's cosignature line; false if that witness's is already there. */
  insertCosignature(size: number, witnessKey: string, line: string, addedAt: string): boolean {
    return this.#sql.insertCosignature.run(size, witnessKey, line, addedAt).changes > 0;
  }

  /** cosignatures returns the stored cosignatures (of the checkpoint of `size`, or all), by size and witness key. */
  cosignatures(size?: number): CosignatureRow[] {
    this.#fits(this.#sql.cosignaturesBytes, 'cosignatures');
    const rows = this.#run(() => this.#sql.cosignatures.all({ size: size ?? null, tcap: STORE_LIMITS.text })) as Record<string, unknown>[];
    return rows.map((r) => ({
      size: this.#integer(r['size'], 'cosignatures', 'a size'),
      witnessKey: this.#text(r['witnessKey'], r['keyBytes'] as number, 'cosignatures', 'a witness key'),
      line: this.#text(r['line'], r['lineBytes'] as number, 'cosignatures', 'a cosignature line'),
    }));
  }

  // ---- imported bundles ----

  insertImport(item: string, bundle: Uint8Array): void {
    this.#sql.insertImport.run(item, bundle);
  }

  /** importedBundle returns the bundle item.import of `item` was verified against, if kept. */
  importedBundle(item: string): Uint8Array | undefined {
    const cap = STORE_LIMITS.bundle;
    const row = this.#run(() => this.#sql.importOf.get({ item, cap, tcap: STORE_LIMITS.text })) as { rowid: number; item: unknown; bundle: unknown; bytes: number } | undefined;
    if (row === undefined) {
      if ((this.#run(() => this.#sql.importScan.get({ item })) as { n: number }).n > 0) throw this.#indexDisagrees('imports');
      return undefined;
    }
    if (row.item !== item) throw this.#indexDisagrees('imports');
    this.#account('imports', row.rowid, row.bytes);
    return this.#blob(row.bundle, row.bytes, cap, 'imports', row.rowid, `the bundle kept for "${item}"`);
  }

  /** importedBundles returns every kept bundle with its item, read from the table. */
  importedBundles(): { item: string; bundle: Uint8Array }[] {
    this.#fits(this.#sql.importsBytes, 'imports');
    const cap = STORE_LIMITS.bundle;
    const rows = this.#run(() => this.#sql.imports.all({ cap, tcap: STORE_LIMITS.text })) as { rowid: number; item: unknown; itemBytes: number; bundle: unknown; bytes: number }[];
    return rows.map((r) => {
      this.#account('imports', r.rowid, r.bytes);
      const item = this.#text(r.item, r.itemBytes, 'imports', 'an item id');
      return { item, bundle: this.#blob(r.bundle, r.bytes, cap, 'imports', r.rowid, `the bundle kept for "${item}"`) };
    });
  }

  // ---- checks of what comes back ----

  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.#translate(e);
    }
  }

  /**
   * SQLite's errors, translated; corruption found after the file opened as a ledger (a page chain
   * that loops, a cell that does not fit its page) is LEDGER_DAMAGED, like what the store finds.
   */
  #translate(e: unknown): unknown {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) {
      return this.#damaged(`SQLite finds part of it corrupt (${(e as Error).message})`, {});
    }
    return translateSqliteError(e, this.path);
  }

  /** iterate yields a statement's rows with SQLite's errors translated, and ends the statement when the caller stops early. */
  *#iterate<T>(it: IterableIterator<T>): IterableIterator<T> {
    try {
      for (;;) {
        let next: IteratorResult<T>;
        try {
          next = it.next();
        } catch (e) {
          throw this.#translate(e);
        }
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      it.return?.();
    }
  }

  #measureFile(): number {
    let bytes = 0;
    for (const f of [this.#file, `${this.#file}-wal`]) {
      try {
        bytes += statSync(f).size;
      } catch {
        // no WAL
      }
    }
    return bytes;
  }

  /**
   * fits checks, from the record headers alone, that a whole table's values add up to no more
   * than the file holds before a list loads them: a page chain that loops would claim more.
   */
  #fits(total: Database.Statement, table: string): void {
    const bytes = (this.#run(() => total.get()) as { n: number }).n;
    if (bytes > this.#fileBytes && bytes > (this.#fileBytes = this.#measureFile())) {
      throw this.#damaged(`its ${table} table holds ${bytes} bytes, more than the file's ${this.#fileBytes}: a page chain in it loops`, { table });
    }
  }

  /**
   * account counts a row's overflowing bytes once; their sum over distinct rows is at most the
   * file's size in any honest file (LEDGER_DAMAGED otherwise: an overflow chain that loops).
   */
  #account(table: string, rowid: number, bytes: number): void {
    if (bytes <= this.#localMax) return;
    const key = `${table}:${rowid}`;
    if (this.#overflowed.has(key)) return;
    this.#overflowed.add(key);
    this.#overflowBytes += bytes;
    if (this.#overflowBytes > this.#fileBytes && this.#overflowBytes > (this.#fileBytes = this.#measureFile())) {
      throw this.#damaged(`its rows hold ${this.#overflowBytes} bytes, more than the file's ${this.#fileBytes}: a page chain in it loops`, { table });
    }
  }

  #leafOf(seq: number, leaf: unknown, bytes: number): Uint8Array {
    this.#account('records', seq, bytes);
    return this.#blob(leaf, bytes, STORE_LIMITS.leaf, 'records', seq, `the leaf of record ${seq}`);
  }

  #blob(value: unknown, bytes: number, cap: number, table: string, rowid: number, what: string): Uint8Array {
    if (bytes > cap) throw this.#damaged(`${what} is ${bytes} bytes, more than any can be (${cap})`, { table, rowid });
    if (!(value instanceof Uint8Array)) throw this.#damaged(`${what} is not stored as bytes`, { table, rowid });
    return new Uint8Array(value);
  }

  #text(value: unknown, bytes: number, table: string, what: string): string {
    if (typeof value !== 'string' || bytes > STORE_LIMITS.text) throw this.#damaged(`the ${table} table holds ${what} that is not short text`, { table });
    return value;
  }

  #integer(value: unknown, table: string, what: string): number {
    if (!Number.isSafeInteger(value)) throw this.#damaged(`the ${table} table holds ${what} that is not a whole number`, { table });
    return value as number;
  }

  #checkpointRow(r: Record<string, unknown>): CheckpointRow {
    const note = r['note'];
    if (typeof note !== 'string' || (r['noteBytes'] as number) > STORE_LIMITS.note) {
      throw this.#damaged('the checkpoints table holds a note that is not a signed note', { table: 'checkpoints' });
    }
    return {
      size: this.#integer(r['size'], 'checkpoints', 'a size'),
      note,
      signedAt: this.#text(r['signedAt'], r['signedAtBytes'] as number, 'checkpoints', 'a time'),
    };
  }

  /** A state row found by key: checked to be the row asked for, and a miss confirmed on the table. */
  #stateByKey(byKey: Database.Statement, scan: Database.Statement | undefined, table: string, id: string): string | undefined {
    const row = this.#run(() => byKey.get({ id, cap: STORE_LIMITS.state, tcap: STORE_LIMITS.text })) as { rowid: number; id: unknown; state: unknown; bytes: number } | undefined;
    if (row === undefined) {
      if (scan !== undefined && (this.#run(() => scan.get({ id })) as { n: number }).n > 0) throw this.#indexDisagrees(table);
      return undefined;
    }
    if (row.id !== id) throw this.#indexDisagrees(table);
    this.#account(table, row.rowid, row.bytes);
    if (typeof row.state !== 'string') throw this.#damaged(`the ${table} table holds a state for "${id}" that is not JSON text of a sane size`, { table, id });
    return row.state;
  }

  #stateRows(statement: Database.Statement, table: string): { id: string; custodian?: unknown; state: string }[] {
    this.#fits(table === 'items' ? this.#sql.itemsBytes : this.#sql.identitiesBytes, table);
    const rows = this.#run(() => statement.all({ cap: STORE_LIMITS.state, tcap: STORE_LIMITS.text })) as { rowid: number; id: unknown; idBytes: number; custodian?: unknown; state: unknown; bytes: number }[];
    return rows.map((r) => {
      this.#account(table, r.rowid, r.bytes);
      const id = this.#text(r.id, r.idBytes, table, 'an id');
      if (typeof r.state !== 'string') throw this.#damaged(`the ${table} table holds a state for "${id}" that is not JSON text of a sane size`, { table, id });
      return { id, custodian: r.custodian, state: r.state };
    });
  }

  #indexDisagrees(table: string): CustodyError {
    return this.#damaged(`an index of its ${table} table disagrees with the table (run custody verify)`, { table });
  }

  #damaged(reason: string, details: Record<string, string | number>): CustodyError {
    return new CustodyError('LEDGER_DAMAGED', `${this.path} is damaged or was altered outside custody: ${reason}.`, { path: this.path, reason, ...details });
  }
}
