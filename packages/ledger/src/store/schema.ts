/**
 * The SQLite schema of a ledger file, and the check that a file has exactly it. `records.leaf`
 * holds each record's leaf bytes verbatim and is the only source of truth; every other column and
 * table is derived from the leaves (for queries, proofs and the custody rules at append time) and
 * is re-checked by verification, because anyone holding the file can change it — triggers only stop
 * honest mistakes.
 *
 * A file handed to a verifier is attacker-controlled, its schema included: a table replaced by a
 * view can show one connection other rows than another, a trigger or a generated column can run
 * code, a recursive view can run forever. So every connection compares every row of the file's
 * `sqlite_schema` with what this version creates (checkSchema) before it reads anything else:
 * after that, every statement custody runs is a lookup or scan of plain B-trees.
 */
import Database from 'better-sqlite3';
import { CustodyError } from '@custody/core';

/** "CUST": marks a SQLite file as a custody ledger (PRAGMA application_id). */
export const APPLICATION_ID = 0x43555354;
/** The version of this schema (PRAGMA user_version). */
export const SCHEMA_VERSION = 1;
/** The schema versions this version of custody reads (each with its SQL in SCHEMA_SQL_BY_VERSION). */
export const READABLE_SCHEMA_VERSIONS = [1] as const;

export const SCHEMA_SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One row per record. "hashes" holds the Merkle subtree hashes this record completes, 32 bytes
-- each: its own leaf hash first, then one per level it completes (core's storedHashesForLeaf), so
-- the hash at (level, index) is in the row of record (index+1)·2^level − 1 at offset 32·level.
-- "item_prev" is the seq of the previous record about the same item (the item's chain, walked from
-- its head for a timeline). Each append writes one row at the end of one table.
CREATE TABLE records (
  seq       INTEGER PRIMARY KEY,
  leaf      BLOB NOT NULL,
  hashes    BLOB NOT NULL,
  type      TEXT NOT NULL,
  item      TEXT,
  item_prev INTEGER,
  actor     TEXT NOT NULL,
  time      TEXT NOT NULL
) STRICT;
CREATE INDEX records_identity ON records (seq) WHERE type LIKE 'identity.%';

-- Bundles that item.import records were verified against, kept so a later export carries them as
-- upstream (custody-bundle/v1 JSON, canonical). Keyed by the local item id.
CREATE TABLE imports (
  item   TEXT PRIMARY KEY,
  bundle BLOB NOT NULL
) STRICT;
CREATE TRIGGER imports_append_only_update BEFORE UPDATE ON imports
  BEGIN SELECT RAISE(ABORT, 'custody: imports are append-only'); END;
CREATE TRIGGER imports_append_only_delete BEFORE DELETE ON imports
  BEGIN SELECT RAISE(ABORT, 'custody: imports are append-only'); END;

-- Current state after the last record, as the custody rules compute it (JSON of core's types).
CREATE TABLE identities (
  id    TEXT PRIMARY KEY,
  state TEXT NOT NULL
) STRICT;
CREATE TABLE items (
  id        TEXT PRIMARY KEY,
  custodian TEXT NOT NULL,
  state     TEXT NOT NULL
) STRICT;
CREATE INDEX items_by_custodian ON items (custodian);
CREATE TABLE key_holders (
  key TEXT PRIMARY KEY,
  id  TEXT NOT NULL
) STRICT;

-- Every checkpoint the ledger key signed (C2SP signed note text), by tree size.
CREATE TABLE checkpoints (
  size      INTEGER PRIMARY KEY,
  note      TEXT NOT NULL,
  signed_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'custody: records are append-only'); END;
CREATE TRIGGER records_append_only_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'custody: records are append-only'); END;
-- Witness cosignatures of stored checkpoints: the signature line and the witness verifier key it
-- verified under when added (re-verified by verification).
CREATE TABLE cosignatures (
  size     INTEGER NOT NULL REFERENCES checkpoints (size),
  witness_key TEXT NOT NULL,
  line     TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (size, witness_key)
) STRICT;

CREATE TRIGGER cosignatures_append_only_update BEFORE UPDATE ON cosignatures
  BEGIN SELECT RAISE(ABORT, 'custody: cosignatures are append-only'); END;
CREATE TRIGGER cosignatures_append_only_delete BEFORE DELETE ON cosignatures
  BEGIN SELECT RAISE(ABORT, 'custody: cosignatures are append-only'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'custody: checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'custody: checkpoints are append-only'); END;
`;

/** The SQL that created each readable schema version. */
const SCHEMA_SQL_BY_VERSION: { readonly [version: number]: string } = { 1: SCHEMA_SQL };

/** One row of `sqlite_schema`: what the object is, its name, its table and the SQL that made it. */
interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string | null;
}

/** The largest schema a readable version has: more rows or bytes than this is not ours. */
const MAX_SCHEMA_ROWS = 64;
const MAX_SCHEMA_SQL_BYTES = 64 * 1024;

const expected = new Map<number, ReadonlyMap<string, SchemaRow>>();

/** expectedSchema returns the rows of `sqlite_schema` that `version` creates, by name (made once, in memory). */
function expectedSchema(version: number): ReadonlyMap<string, SchemaRow> {
  let rows = expected.get(version);
  if (rows === undefined) {
    const db = new Database(':memory:');
    try {
      db.exec(SCHEMA_SQL_BY_VERSION[version]!);
      rows = new Map((db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').all() as SchemaRow[]).map((r) => [r.name, r]));
    } finally {
      db.close();
    }
    expected.set(version, rows);
  }
  return rows;
}

/**
 * checkSchema compares every row of the file's `sqlite_schema` — tables, columns, indexes, triggers,
 * views, byte for byte as SQLite keeps their SQL — with what schema `version` creates. Anything
 * else (a view or virtual table in a table's place, an extra trigger, a changed column, a missing
 * index, SQLite's statistics tables) throws LEDGER_SCHEMA_TAMPERED naming the first such object.
 * The rows are read with their sizes checked first, so a schema of any size costs no more than
 * MAX_SCHEMA_SQL_BYTES to refuse.
 */
export function checkSchema(db: Database.Database, path: string, version: number): void {
  const want = expectedSchema(version);
  const tampered = (object: string, why: string): CustodyError =>
    new CustodyError('LEDGER_SCHEMA_TAMPERED', `${path} has been altered outside custody: ${why}. It is refused; nothing was read from it.`, {
      path,
      object,
    });
  const size = db.prepare('SELECT count(*) AS n, total(octet_length(sql)) AS bytes FROM sqlite_schema').get() as { n: number; bytes: number };
  if (size.n > MAX_SCHEMA_ROWS || size.bytes > MAX_SCHEMA_SQL_BYTES) {
    throw tampered('sqlite_schema', `its schema has ${size.n} objects (${size.bytes} bytes of SQL), far more than a custody ledger has`);
  }
  const seen = new Set<string>();
  for (const row of db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid').all() as SchemaRow[]) {
    const name = String(row.name);
    const ours = want.get(name);
    if (ours === undefined) throw tampered(name, `it has a ${String(row.type)} "${name}" that custody does not create`);
    if (seen.has(name)) throw tampered(name, `it names the ${ours.type} "${name}" twice`);
    seen.add(name);
    if (row.type !== ours.type || row.tbl_name !== ours.tbl_name || row.sql !== ours.sql) {
      throw tampered(name, `its ${String(row.type)} "${name}" is not the ${ours.type} custody creates`);
    }
  }
  for (const [name, ours] of want) {
    if (!seen.has(name)) throw tampered(name, `the ${ours.type} "${name}" that custody creates is missing`);
  }
}
