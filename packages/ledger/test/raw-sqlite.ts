// A plain SQLite connection to a ledger file, as any SQLite client would open it: what tests use to
// play the holder of a file who edits it outside custody (or holds its write lock). better-sqlite3
// resolves from this package, so tests elsewhere in the workspace import it from here.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';

export type RawDatabase = Database.Database;

/** openRaw opens `path` with no checks and no custody settings. */
export function openRaw(path: string, options: Database.Options = {}): RawDatabase {
  return new Database(path, options);
}

/**
 * behindTriggers makes a change as a holder of the file would: drop the append-only triggers, run
 * `change`, and put the triggers back exactly as they were, so the schema is custody's own again
 * and only the data tells (a file left without them is refused before anything in it is read).
 */
export function behindTriggers(db: RawDatabase, change: () => void): void {
  const triggers = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string; sql: string }[];
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  change();
  for (const { sql } of triggers) db.exec(sql);
}

/**
 * sqliteShell runs `sql` on `path` with the sqlite3 shell, which (unlike better-sqlite3, whose
 * connections are defensive) lets `PRAGMA writable_schema` edit the schema's rows in place: how a
 * holder of the file changes what no SQL statement may change.
 */
export function sqliteShell(path: string, sql: string): void {
  const r = spawnSync('sqlite3', ['-bail', path], { input: sql, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed (${r.status ?? r.error?.message}): ${r.stderr}`);
}

/**
 * crossItemIndex corrupts the items table's id index, as a holder of the file could without any
 * view or trigger: a decoy table's id index, in which `a` and `b` point at each other's rows, takes
 * the place of the real one, and the decoy's own schema rows are removed. The schema reads as
 * custody's own and SQLite's quick_check says ok, but a lookup of `a` through the index finds `b`.
 */
export function crossItemIndex(path: string, a: string, b: string): void {
  const db = openRaw(path);
  try {
    const rowid = (id: string): number => (db.prepare('SELECT rowid FROM items NOT INDEXED WHERE id = ?').get(id) as { rowid: number }).rowid;
    const [ra, rb] = [rowid(a), rowid(b)];
    db.exec('CREATE TABLE decoy (id TEXT PRIMARY KEY, custodian TEXT NOT NULL, state TEXT NOT NULL) STRICT');
    for (const row of db.prepare('SELECT rowid, id, custodian, state FROM items').all() as { rowid: number; id: string; custodian: string; state: string }[]) {
      const mapped = row.rowid === ra ? rb : row.rowid === rb ? ra : row.rowid;
      db.prepare('INSERT INTO decoy (rowid, id, custodian, state) VALUES (?, ?, ?, ?)').run(mapped, row.id, row.custodian, row.state);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  sqliteShell(
    path,
    `PRAGMA writable_schema = ON;
     UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_decoy_1') WHERE name = 'sqlite_autoindex_items_1';
     DELETE FROM sqlite_schema WHERE tbl_name = 'decoy';`,
  );
}
