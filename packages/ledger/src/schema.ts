/**
 * The SQLite schema of a ledger file. `records.leaf` holds each record's leaf bytes verbatim and is
 * the only source of truth; every other column and table is derived from the leaves (for queries,
 * proofs and the custody rules at append time) and is re-checked by verification, because anyone
 * holding the file can change it — triggers only stop honest mistakes.
 */

/** "CUST": marks a SQLite file as a custody ledger (PRAGMA application_id). */
export const APPLICATION_ID = 0x43555354;
/** The version of this schema (PRAGMA user_version). */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE records (
  seq   INTEGER PRIMARY KEY,
  leaf  BLOB NOT NULL,
  type  TEXT NOT NULL,
  item  TEXT,
  actor TEXT NOT NULL,
  time  TEXT NOT NULL
) STRICT;
CREATE INDEX records_by_item ON records (item, seq) WHERE item IS NOT NULL;

-- Stored Merkle hashes: the hash of every complete subtree, numbered in the order appends store
-- them (core's storedHashIndex), so each append writes at the end of one table. The leaf hash of
-- record n is at storedHashIndex(0, n).
CREATE TABLE tree (
  id   INTEGER PRIMARY KEY,
  hash BLOB NOT NULL
) STRICT;

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
CREATE TRIGGER tree_append_only_update BEFORE UPDATE ON tree
  BEGIN SELECT RAISE(ABORT, 'custody: the tree is append-only'); END;
CREATE TRIGGER tree_append_only_delete BEFORE DELETE ON tree
  BEGIN SELECT RAISE(ABORT, 'custody: the tree is append-only'); END;
CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'custody: checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
  BEGIN SELECT RAISE(ABORT, 'custody: checkpoints are append-only'); END;
`;
