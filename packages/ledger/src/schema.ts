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
