/**
 * The SQL of the store (store.ts), prepared once per connection. Only the store runs these. Keyed
 * lookups go through an index and their rows are checked by the store; lists are read with NOT
 * INDEXED, from the table itself; every large value is selected with its length beside it and
 * replaced by NULL over its cap (`capped`), so it is never loaded.
 */
import type Database from 'better-sqlite3';
import { STORE_LIMITS } from './limits.js';

/** `v` if it is at most @cap bytes long (read from the record header, without loading it), else NULL. */
const capped = (column: string, cap = 'cap', alias = column): string => `CASE WHEN octet_length(${column}) <= @${cap} THEN ${column} END AS ${alias}`;

/** The text of every statement, by name. */
export const STATEMENTS = {
  origin: `SELECT ${capped('value')}, octet_length(value) AS bytes FROM meta NOT INDEXED WHERE key = 'origin'`,
  count: 'SELECT count(*) AS n FROM records NOT INDEXED',
  // What a list would load, summed from the record headers before anything is loaded.
  identitiesBytes: 'SELECT total(octet_length(id)) + total(octet_length(state)) AS n FROM identities NOT INDEXED',
  itemsBytes: 'SELECT total(octet_length(id)) + total(octet_length(custodian)) + total(octet_length(state)) AS n FROM items NOT INDEXED',
  keyHoldersBytes: 'SELECT total(octet_length(key)) + total(octet_length(id)) AS n FROM key_holders NOT INDEXED',
  checkpointsBytes: 'SELECT total(octet_length(note)) + total(octet_length(signed_at)) AS n FROM checkpoints',
  cosignaturesBytes: 'SELECT total(octet_length(witness_key)) + total(octet_length(line)) AS n FROM cosignatures NOT INDEXED',
  importsBytes: 'SELECT total(octet_length(item)) + total(octet_length(bundle)) AS n FROM imports NOT INDEXED',
  stateRows: 'SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM identities) AS n',
  head: `SELECT seq, CASE WHEN octet_length(hashes) BETWEEN 32 AND ${STORE_LIMITS.hashes} THEN substr(hashes, 1, 32) END AS leafHash FROM records ORDER BY seq DESC LIMIT 1`,
  insertRecord: 'INSERT INTO records (seq, leaf, hashes, type, item, item_prev, actor, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  hashes: `SELECT ${capped('hashes')}, octet_length(hashes) AS bytes FROM records WHERE seq = @seq`,
  leaf: `SELECT ${capped('leaf')}, octet_length(leaf) AS bytes FROM records WHERE seq = @seq`,
  leaves: `SELECT seq, ${capped('leaf')}, octet_length(leaf) AS bytes FROM records WHERE seq >= @from AND seq < @to ORDER BY seq`,
  itemStep: `SELECT ${capped('leaf')}, octet_length(leaf) AS bytes, item_prev AS itemPrev FROM records WHERE seq = @seq`,
  // seq is the rowid, a 64-bit integer in SQLite: only the seqs a record can have (0 … 2^53 − 1) are read.
  rows: `SELECT seq, ${capped('leaf', 'bulk')}, octet_length(leaf) AS leafBytes, ${capped('hashes', 'hcap')}, octet_length(hashes) AS hashesBytes,
            ${capped('type', 'tcap')}, ${capped('item', 'tcap')}, item_prev AS itemPrev, ${capped('actor', 'tcap')}, ${capped('time', 'tcap')}
     FROM records WHERE seq >= @from AND seq <= 9007199254740991 ORDER BY seq LIMIT @limit`,
  identity: `SELECT rowid, ${capped('id', 'tcap')}, ${capped('state')}, octet_length(state) AS bytes FROM identities WHERE id = @id`,
  identityScan: 'SELECT count(*) AS n FROM identities NOT INDEXED WHERE id = @id',
  identities: `SELECT rowid, ${capped('id', 'tcap')}, octet_length(id) AS idBytes, ${capped('state')}, octet_length(state) AS bytes FROM identities NOT INDEXED ORDER BY id`,
  putIdentity: 'INSERT INTO identities (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state',
  item: `SELECT rowid, ${capped('id', 'tcap')}, ${capped('state')}, octet_length(state) AS bytes FROM items WHERE id = @id`,
  itemScan: 'SELECT count(*) AS n FROM items NOT INDEXED WHERE id = @id',
  items: `SELECT rowid, ${capped('id', 'tcap')}, octet_length(id) AS idBytes, ${capped('custodian', 'tcap')}, ${capped('state')}, octet_length(state) AS bytes FROM items NOT INDEXED ORDER BY id`,
  putItem: 'INSERT INTO items (id, custodian, state) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET custodian = excluded.custodian, state = excluded.state',
  keyHolder: `SELECT ${capped('key')}, ${capped('id')}, octet_length(id) AS bytes FROM key_holders WHERE key = @key`,
  keyHolderScan: 'SELECT count(*) AS n FROM key_holders NOT INDEXED WHERE key = @key',
  keyHolders: `SELECT ${capped('key')}, octet_length(key) AS keyBytes, ${capped('id')}, octet_length(id) AS idBytes FROM key_holders NOT INDEXED ORDER BY key`,
  takeKey: 'INSERT OR IGNORE INTO key_holders (key, id) VALUES (?, ?)',
  releaseKey: 'DELETE FROM key_holders WHERE key = ? AND id = ?',
  insertCheckpoint: 'INSERT INTO checkpoints (size, note, signed_at) VALUES (?, ?, ?)',
  checkpoint: `SELECT size, ${capped('note')}, octet_length(note) AS noteBytes, ${capped('signed_at', 'tcap', 'signedAt')}, octet_length(signed_at) AS signedAtBytes FROM checkpoints WHERE size = @size`,
  latestCheckpoint: `SELECT size, ${capped('note')}, octet_length(note) AS noteBytes, ${capped('signed_at', 'tcap', 'signedAt')}, octet_length(signed_at) AS signedAtBytes FROM checkpoints ORDER BY size DESC LIMIT 1`,
  checkpoints: `SELECT size, ${capped('note')}, octet_length(note) AS noteBytes, ${capped('signed_at', 'tcap', 'signedAt')}, octet_length(signed_at) AS signedAtBytes FROM checkpoints ORDER BY size`,
  insertCosignature: 'INSERT OR IGNORE INTO cosignatures (size, witness_key, line, added_at) VALUES (?, ?, ?, ?)',
  cosignatures: `SELECT size, ${capped('witness_key', 'tcap', 'witnessKey')}, octet_length(witness_key) AS keyBytes, ${capped('line', 'tcap')}, octet_length(line) AS lineBytes
     FROM cosignatures NOT INDEXED WHERE @size IS NULL OR size = @size ORDER BY size, witness_key`,
  insertImport: 'INSERT INTO imports (item, bundle) VALUES (?, ?)',
  importOf: `SELECT rowid, ${capped('item', 'tcap')}, ${capped('bundle')}, octet_length(bundle) AS bytes FROM imports WHERE item = @item`,
  importScan: 'SELECT count(*) AS n FROM imports NOT INDEXED WHERE item = @item',
  imports: `SELECT rowid, ${capped('item', 'tcap')}, octet_length(item) AS itemBytes, ${capped('bundle')}, octet_length(bundle) AS bytes FROM imports NOT INDEXED ORDER BY item`,
} as const;

/** The prepared statements of one connection, by name. */
export type Statements = { readonly [K in keyof typeof STATEMENTS]: Database.Statement };

/** prepareStatements prepares every statement on `db`. */
export function prepareStatements(db: Database.Database): Statements {
  return Object.fromEntries(Object.entries(STATEMENTS).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
}
