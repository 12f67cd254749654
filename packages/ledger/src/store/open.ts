/**
 * Opening a ledger file: the one place the package makes a SQLite connection. A ledger file may
 * come from the party whose conduct is in question, so every connection is opened as untrusted:
 *
 * - `trusted_schema = OFF`, so nothing in the file's schema may call functions with side effects
 *   (SQLite's "Defense Against The Dark Arts", §1.2); `cell_size_check = ON`, so a malformed page is
 *   an error and not a wild read; `mmap_size = 0`; and `query_only = ON` on read connections;
 * - the header must be a custody ledger's (application_id, user_version, UTF-8);
 * - every row of `sqlite_schema` must be exactly what this version creates (schema.ts). After that,
 *   every statement the store runs is a lookup or a scan of plain B-trees, whose cost is bounded by
 *   the size of the file. (better-sqlite3 is built with SQLITE_OMIT_PROGRESS_CALLBACK, so a running
 *   statement cannot be interrupted: bounded work has to come from what the file may contain.)
 *
 * A copy on read-only media — a write-blocked disk, a DVD, a read-only mount — holding only the
 * `.db` of a WAL-mode ledger cannot be opened as is: SQLite needs a `-shm` file beside it. Such a copy
 * is opened as an unchanging file (SQLite's `immutable=1`), or, when a `-wal` file beside it holds
 * records or a hot `-journal` holds an interrupted write (which a read-only connection may not
 * apply), as a private copy of them all in a temporary directory, where SQLite applies them as it
 * would in place. Either way nothing is written beside the file, and `access` says how it was read.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CustodyError } from '@custody/core';
import { translateSqliteError } from './errors.js';
import { APPLICATION_ID, checkSchema, READABLE_SCHEMA_VERSIONS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

// better-sqlite3 reads URI file names (for `immutable=1`) only if this is set when it first loads.
process.env['SQLITE_USE_URI'] ??= '1';

/** How a ledger file was opened: as it is, as an unchanging file, or as a private copy. */
export type Access = 'direct' | 'immutable' | 'copy';

export interface OpenDatabaseOptions {
  readonly readonly: boolean;
  /** How long to wait for another writer before LEDGER_LOCKED. */
  readonly busyTimeoutMs: number;
}

/** An open, checked connection to a ledger file. */
export interface OpenedDatabase {
  readonly db: Database.Database;
  readonly access: Access;
  /** The file SQLite reads (the private copy when access is "copy"). */
  readonly file: string;
  /** Removes a private copy; nothing otherwise. Call after closing `db`. */
  readonly cleanup: () => void;
}

/**
 * openLedgerDatabase opens the existing ledger file at `path` and checks it (header and schema).
 * Throws LEDGER_NOT_FOUND, LEDGER_NOT_A_LEDGER, LEDGER_SCHEMA_NEWER, LEDGER_SCHEMA_TAMPERED,
 * LEDGER_LOCKED or IO_ERROR; a read-only open of a file on read-only media falls back to an
 * immutable open or a private copy.
 */
export function openLedgerDatabase(path: string, options: OpenDatabaseOptions): OpenedDatabase {
  if (!existsSync(path)) throw new CustodyError('LEDGER_NOT_FOUND', `There is no ledger at ${path}.`, { path });
  try {
    return checked(path, connect(plainName(path), options, false), 'direct', path, () => {});
  } catch (e) {
    if (!options.readonly || !cannotOpenHere(e)) throw translateSqliteError(e, path);
  }
  // Read-only media: no -shm beside the file, and none can be made. Or a hot rollback journal
  // beside it, which only a writer may apply.
  const wal = `${path}-wal`;
  const journal = `${path}-journal`;
  const holds = (f: string): boolean => existsSync(f) && statSync(f).size > 0;
  if (!holds(wal) && !holds(journal)) {
    const uri = `${pathToFileURL(resolve(path)).href}?immutable=1`;
    try {
      return checked(path, connect(uri, options, true), 'immutable', path, () => {});
    } catch (e) {
      // URI names are off in this process (better-sqlite3 was loaded before this module set
      // SQLITE_USE_URI): fall through to a private copy.
      if (!cannotOpenHere(e)) throw translateSqliteError(e, path);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'custody-readonly-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const copy = join(dir, 'ledger.db');
  try {
    copyFileSync(path, copy);
    if (holds(wal)) copyFileSync(wal, `${copy}-wal`);
    if (!holds(journal)) return checked(path, connect(copy, options, false), 'copy', copy, cleanup);
    // The private copy may be written: its first read applies the journal, as any writer would.
    copyFileSync(journal, `${copy}-journal`);
    const opened = checked(path, connect(copy, { ...options, readonly: false }, false), 'copy', copy, cleanup);
    opened.db.pragma('query_only = ON');
    return opened;
  } catch (e) {
    cleanup();
    throw translateSqliteError(e, path);
  }
}

/**
 * createLedgerDatabase makes a new file at `path` (LEDGER_EXISTS if anything is there) with the
 * current schema, and returns its connection. `init` runs in the same transaction.
 */
export function createLedgerDatabase(path: string, options: Omit<OpenDatabaseOptions, 'readonly'>, init: (db: Database.Database) => void): OpenedDatabase {
  if (existsSync(path)) throw new CustodyError('LEDGER_EXISTS', `${path} already exists; a ledger is only created on a new file.`, { path });
  let db: Database.Database;
  try {
    db = new Database(plainName(path), { fileMustExist: false, timeout: options.busyTimeoutMs });
  } catch (e) {
    throw translateSqliteError(e, path);
  }
  try {
    configure(db, false);
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      db.exec(SCHEMA_SQL);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      init(db);
    })();
    return { db, access: 'direct', file: path, cleanup: () => {} };
  } catch (e) {
    db.close();
    throw translateSqliteError(e, path);
  }
}

function connect(filename: string, options: OpenDatabaseOptions, uri: boolean): Database.Database {
  const db = new Database(filename, { readonly: options.readonly || uri, fileMustExist: true, timeout: options.busyTimeoutMs });
  try {
    configure(db, options.readonly || uri);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The connection settings of an untrusted file (see the module comment). */
function configure(db: Database.Database, readonly: boolean): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
  // The first read fails here: SQLITE_NOTADB when the file is not a SQLite database at all, and
  // SQLITE_CANTOPEN when it is in WAL mode and its -shm can neither be found nor made.
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  if (readonly) db.pragma('query_only = ON');
  // Every append that returned is on disk: WAL with a sync on every commit.
  else db.pragma('synchronous = FULL');
}

/** checked verifies the header and the schema of a fresh connection, closing it on failure. */
function checked(path: string, db: Database.Database, access: Access, file: string, cleanup: () => void): OpenedDatabase {
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
    if (!(READABLE_SCHEMA_VERSIONS as readonly number[]).includes(version)) {
      throw new CustodyError('LEDGER_NOT_A_LEDGER', `${path} has no schema version custody knows (${version}).`, { path, version });
    }
    if (db.pragma('encoding', { simple: true }) !== 'UTF-8') {
      throw new CustodyError('LEDGER_SCHEMA_TAMPERED', `${path} has been altered outside custody: its text encoding is not UTF-8.`, { path, object: 'encoding' });
    }
    checkSchema(db, path, version);
    return { db, access, file, cleanup };
  } catch (e) {
    db.close();
    cleanup();
    throw translateSqliteError(e, path);
  }
}

/** True for SQLite's "cannot open" and "read-only" refusals: what read-only media cause. */
function cannotOpenHere(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY'));
}

/** A path SQLite cannot mistake for a URI name (`file:…`) now that those are on. */
function plainName(path: string): string {
  return path.startsWith('file:') ? `./${path}` : path;
}
