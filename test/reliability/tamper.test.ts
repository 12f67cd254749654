// The tampering matrix: every way a holder of the ledger file could alter it, each applied to a copy
// of the ledger `custody demo` builds (extended here with an imported bundle, a witness-cosigned
// checkpoint and one record after it), and each run through `custody verify` without and with a
// checkpoint held outside the agency. The outcomes are written as a markdown table
// (tamper-matrix.md beside this file, quoted in the README's "Reliability" section); the test fails if
// either copy differs from what this run observed. RELIABILITY_UPDATE=1 rewrites tamper-matrix.md.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalBytes,
  leafBytesOf,
  parseRecord,
  signCheckpoint,
  signRecord,
  signStatement,
  statementOf,
  toBase64,
  unsignedRecord,
  type LedgerRecord,
  type RecordInput,
} from '../../packages/core/src/index.js';
import {
  addCheckpointCosignatures,
  addWitnessLog,
  createWitnessState,
  exportBundle,
  formatBundle,
  generateKeyPair,
  importBundle,
  Ledger,
  ledgerVerifierKey,
  readKeyFile,
  signLedgerCheckpoint,
  type KeyPair,
  witnessCosign,
  witnessRequest,
  witnessVerifierKey,
} from '../../packages/ledger/src/index.js';
import { custody, parallel, tempDir } from '../../cli/test/helpers.js';
import { behindTriggers, crossItemIndex, openRaw, type RawDatabase } from '../../packages/ledger/test/raw-sqlite.js';
import { figure, HERE, ROOT } from './helpers.js';

const MATRIX = join(HERE, 'tamper-matrix.md');
const { dir, cleanup } = tempDir('custody-tamper-');
const demoDir = join(dir, 'demo');
const base = join(demoDir, 'polri.db');
const outside = join(dir, 'outside-checkpoint.txt');
let verifierKey = '';
/** Seq of the newest record (after setup). */
let last = 0;
let partnerLeaf: Uint8Array = new Uint8Array();
let partnerNote = '';
const walSnapshot = join(dir, 'wal-snapshot');
const outsideWal = join(dir, 'outside-checkpoint-wal.txt');

/** snapshot copies the ledger file as it is now (an older copy a holder could put back). */
function snapshot(ledger: Ledger, path: string): void {
  const raw = openRaw(ledger.path);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  copyFileSync(ledger.path, path);
}

const keys = new Map<string, KeyPair>();
/** demoKey reads a key file the demo wrote (passphrase "demo-bukan-rahasia"), once. */
function demoKey(id: string): KeyPair {
  if (!keys.has(id)) keys.set(id, readKeyFile(join(demoDir, `${id}.key`), 'demo-bukan-rahasia'));
  return keys.get(id)!;
}

// ---- setup: the demo story, plus an import, a cosigned checkpoint and one later record ----

async function buildFixture(): Promise<void> {
  const demo = await custody(['demo', '--dir', demoDir]);
  assert.is(demo.status, 0, demo.stderr);
  const ledgerKey = demoKey('ledger');
  const sari = demoKey('sari.wulandari');
  // A partner ledger hands item P-1 to sari's key; sari imports its bundle into the demo ledger.
  const partnerKey = generateKeyPair();
  const agent = generateKeyPair();
  const partner = Ledger.create(join(dir, 'partner.db'), { origin: 'ledger.partner.example/2026', name: 'Partner', agency: 'Partner', signer: partnerKey.signer });
  const enrol = (id: string, role: string, publicKey: Uint8Array) =>
    partner.append({ type: 'identity.enrol', item: null, actor: 'ledger', data: { id, role, name: id, agency: 'Partner', key: toBase64(publicKey) } }, partnerKey.signer);
  enrol('agent', 'officer', agent.publicKey);
  enrol('sari.wulandari', 'external', sari.publicKey);
  partner.append({ type: 'item.register', item: 'P-1', actor: 'agent', data: { kind: 'disk', description: 'Disk', digests: { sha256: 'cd'.repeat(32) } } }, agent.signer);
  const handover: RecordInput = { type: 'custody.transfer', item: 'P-1', actor: 'agent', time: new Date().toISOString(), data: { from: 'agent', to: 'sari.wulandari', purpose: 'MLA' } };
  const statement = statementOf(unsignedRecord(partner, partner.head(), handover));
  partner.append({ ...handover, cosigs: [signStatement(statement, 'sari.wulandari', sari.signer)] }, agent.signer);
  signLedgerCheckpoint(partner, partnerKey.signer);
  const bundle = formatBundle(exportBundle(partner, ['P-1']));
  partnerLeaf = partner.record(3).leaf;
  partnerNote = signCheckpoint({ origin: partner.origin, size: 5, rootHash: partner.rootHash(5) }, partnerKey.signer);
  const partnerVerifier = ledgerVerifierKey(partner);
  partner.close();

  const polri = Ledger.open(base);
  snapshot(polri, join(dir, 'before-import.db'));
  importBundle(polri, bundle, { logKeys: [partnerVerifier] }, { actor: 'sari.wulandari', signer: sari.signer, item: 'BB/IMPORT/P-1' });
  // A witness (the prosecutor's office) cosigns the checkpoint of every record so far.
  const witness = generateKeyPair();
  const state = join(dir, 'witness.json');
  createWitnessState(state, 'witness.kejaksaan.go.id', witness.publicKey);
  addWitnessLog(state, ledgerVerifierKey(polri));
  const cp = signLedgerCheckpoint(polri, ledgerKey.signer);
  const line = witnessCosign(state, witness.signer, witnessRequest(polri, 0)).line;
  addCheckpointCosignatures(polri, cp.size, [line], [witnessVerifierKey('witness.kejaksaan.go.id', witness.publicKey)]);
  // One more record after the last stored checkpoint, and a checkpoint of it held only outside.
  snapshot(polri, join(dir, 'before-last.db'));
  polri.append({ type: 'item.note', item: 'BB/IMPORT/P-1', actor: 'sari.wulandari', data: { text: 'Diterima lewat MLA' } }, sari.signer);
  last = polri.size() - 1;
  writeFileSync(outside, signCheckpoint({ origin: polri.origin, size: polri.size(), rootHash: polri.rootHash() }, ledgerKey.signer));
  verifierKey = ledgerVerifierKey(polri);
  // Another history under the same origin and ledger key, built from scratch by the key's holder.
  const rebuilt = Ledger.create(join(dir, 'rebuilt.db'), { origin: polri.origin, name: 'Register Barang Bukti Digital (demo)', agency: 'Dittipidsiber Bareskrim Polri', signer: ledgerKey.signer });
  for (const identity of polri.identities()) {
    if (identity.id === 'ledger') continue;
    const enrolment = polri.record(identity.enrolledAt).record;
    rebuilt.append({ type: 'identity.enrol', item: null, actor: 'ledger', data: enrolment.data }, ledgerKey.signer);
  }
  rebuilt.close();

  polri.close();

  // A copy whose newest records and checkpoint are still only in its WAL file: a second connection
  // stays open so that closing the writer does not move them into the main file.
  mkdirSync(join(dir, 'wal'));
  mkdirSync(walSnapshot);
  copyFileSync(base, join(dir, 'wal', 'polri.db'));
  const writer = Ledger.open(join(dir, 'wal', 'polri.db'));
  const reader = Ledger.open(join(dir, 'wal', 'polri.db'), { readonly: true });
  reader.size();
  for (const text of ['Catatan 1', 'Catatan 2']) {
    writer.append({ type: 'item.note', item: 'BB/IMPORT/P-1', actor: 'sari.wulandari', data: { text } }, sari.signer);
  }
  writeFileSync(outsideWal, signLedgerCheckpoint(writer, ledgerKey.signer).note);
  for (const suffix of ['', '-wal']) copyFileSync(join(dir, 'wal', `polri.db${suffix}`), join(walSnapshot, `polri.db${suffix}`));
  writer.close();
  reader.close();
}

// ---- the cases ----

type Db = RawDatabase;
interface Case {
  readonly name: string;
  /** The file the case starts from (default: the extended demo ledger). */
  readonly from?: 'before-last' | 'before-import' | 'wal' | 'rebuilt';
  /** What `custody verify` must answer without and with the outside checkpoint (default: exit 1 both). */
  readonly want?: readonly [number, number];
  /** A failure code the report must name (without the outside checkpoint, else with it). */
  readonly code?: string;
  /** Changes the copy at `path`; `db` is open on it with the append-only triggers dropped. */
  readonly alter?: (db: Db) => void;
  /** Changes the files themselves (no connection open). */
  readonly file?: (path: string) => void;
}

const leafOf = (db: Db, seq: number): LedgerRecord => parseRecord(new Uint8Array((db.prepare('SELECT leaf FROM records WHERE seq = ?').get(seq) as { leaf: Buffer }).leaf));
const setLeaf = (db: Db, seq: number, leaf: Uint8Array): void => void db.prepare('UPDATE records SET leaf = ? WHERE seq = ?').run(leaf, seq);
const editLeaf = (seq: number, edit: (r: Record<string, unknown>) => void) => (db: Db) => {
  const record = structuredClone(leafOf(db, seq)) as unknown as Record<string, unknown>;
  edit(record);
  setLeaf(db, seq, canonicalBytes(record));
};
/** An insider re-signs a record with their own key (budi's key file from the demo). */
const resign = (seq: number, edit: (r: Record<string, unknown>) => void) => (db: Db) => {
  const budi = demoKey('budi.santoso');
  const { sig: _sig, ...unsigned } = structuredClone(leafOf(db, seq)) as unknown as Record<string, unknown>;
  edit(unsigned);
  setLeaf(db, seq, leafBytesOf(signRecord(unsigned as never, budi.signer)));
};
const flipByte = (text: string, at: number): string => {
  const c = text.charCodeAt(at);
  return text.slice(0, at) + String.fromCharCode(c === 0x41 ? 0x42 : 0x41) + text.slice(at + 1);
};
const sql = (statement: string, ...params: unknown[]) => (db: Db) => void db.prepare(statement).run(...params);
const T = 8; // custody.transfer sari.wulandari → rudi.hartono, with rudi's cosignature

const CASES: Case[] = [
  { name: 'nothing changed', want: [0, 0] },
  // records: the leaf bytes
  { name: 'records.leaf: a description changed (re-canonicalised)', code: 'SIGNATURE_INVALID', alter: editLeaf(5, (r) => ((r['data'] as Record<string, unknown>)['description'] = 'Ponsel lain')) },
  { name: 'records.leaf: the time changed', code: 'SIGNATURE_INVALID', alter: editLeaf(T, (r) => (r['time'] = '2020-01-01T00:00:00.000Z')) },
  { name: 'records.leaf: the receiver of a handover changed', code: 'COSIGNATURE_MISSING', alter: editLeaf(T, (r) => ((r['data'] as Record<string, unknown>)['to'] = 'budi.santoso')) },
  { name: 'records.leaf: the actor signature replaced by another record’s', code: 'SIGNATURE_INVALID', alter: (db) => editLeaf(T, (r) => (r['sig'] = leafOf(db, 7).sig))(db) },
  { name: 'records.leaf: the cosignature removed', code: 'COSIGNATURE_MISSING', alter: editLeaf(T, (r) => delete r['cosigs']) },
  { name: 'records.leaf: the cosignature altered', code: 'COSIGNATURE_INVALID', alter: editLeaf(T, (r) => { const c = (r['cosigs'] as { id: string; sig: string }[])[0]!; c.sig = flipByte(c.sig, 10); }) },
  { name: 'records.leaf: the seq field changed', code: 'SEQ_MISMATCH', alter: editLeaf(T, (r) => (r['seq'] = 9)) },
  { name: 'records.leaf: the prev field changed', code: 'CHAIN_BROKEN', alter: editLeaf(T, (r) => (r['prev'] = 'ab'.repeat(32))) },
  { name: 'records.leaf: the log origin changed', code: 'LOG_MISMATCH', alter: editLeaf(T, (r) => (r['log'] = 'ledger.other.example/2026')) },
  { name: 'records.leaf: made non-canonical (a space added)', code: 'JSON_NOT_CANONICAL', alter: (db) => setLeaf(db, T, new TextEncoder().encode(` ${new TextDecoder().decode(canonicalBytes(leafOf(db, T)))}`)) },
  { name: 'records.leaf: not JSON', code: 'JSON_SYNTAX', alter: (db) => setLeaf(db, T, new TextEncoder().encode('not json')) },
  { name: 'records.leaf: an insider re-signs their own old record (description changed)', code: 'CHAIN_BROKEN', alter: resign(5, (r) => ((r['data'] as Record<string, unknown>)['description'] = 'Ponsel lain')) },
  // records: the other columns
  { name: 'records.hashes: one byte flipped', code: 'ROOT_MISMATCH', alter: (db) => { const h = Buffer.from((db.prepare('SELECT hashes FROM records WHERE seq = 7').get() as { hashes: Buffer }).hashes); h.writeUInt8(h.readUInt8(40) ^ 1, 40); sql('UPDATE records SET hashes = ? WHERE seq = 7', h)(db); } },
  { name: 'records.hashes: cut to the leaf hash only', code: 'ROOT_MISMATCH', alter: sql('UPDATE records SET hashes = substr(hashes, 1, 32) WHERE seq = 7') },
  { name: 'records.type changed', code: 'STATE_MISMATCH', alter: sql("UPDATE records SET type = 'item.note' WHERE seq = ?", T) },
  { name: 'records.item changed', code: 'STATE_MISMATCH', alter: sql("UPDATE records SET item = 'BB/OTHER' WHERE seq = ?", T) },
  { name: 'records.item_prev changed', code: 'STATE_MISMATCH', alter: sql('UPDATE records SET item_prev = 5 WHERE seq = ?', T) },
  { name: 'records.actor changed', code: 'STATE_MISMATCH', alter: sql("UPDATE records SET actor = 'budi.santoso' WHERE seq = ?", T) },
  { name: 'records.time changed', code: 'STATE_MISMATCH', alter: sql("UPDATE records SET time = '2020-01-01T00:00:00.000Z' WHERE seq = ?", T) },
  { name: 'records.seq: the newest record moved up (a gap)', code: 'SEQ_MISMATCH', alter: sql('UPDATE records SET seq = seq + 3 WHERE seq = (SELECT max(seq) FROM records)') },
  // records: rows deleted, inserted, reordered
  { name: 'records: a middle row deleted', code: 'SEQ_MISMATCH', alter: sql('DELETE FROM records WHERE seq = 9') },
  { name: 'records: the genesis row deleted', code: 'SEQ_MISMATCH', alter: sql('DELETE FROM records WHERE seq = 0') },
  { name: 'records: two rows swapped (reordered)', code: 'CHAIN_BROKEN', alter: (db) => { const a = leafOf(db, 3); const b = leafOf(db, 4); setLeaf(db, 3, leafBytesOf(b)); setLeaf(db, 4, leafBytesOf(a)); } },
  { name: 'records: an old record replayed at the end', code: 'SEQ_MISMATCH', alter: sql('INSERT INTO records SELECT (SELECT max(seq) + 1 FROM records), leaf, hashes, type, item, item_prev, actor, time FROM records WHERE seq = 9') },
  { name: 'records: another ledger’s record inserted at the end', code: 'LOG_MISMATCH', alter: (db) => sql("INSERT INTO records VALUES ((SELECT max(seq) + 1 FROM records), ?, zeroblob(32), 'item.register', 'P-1', NULL, 'agent', '2026-01-01T00:00:00.000Z')", partnerLeaf)(db) },
  // the tail: rows deleted leave the state tables behind; an older copy of the whole file does not
  { name: 'records: the newest row deleted', code: 'STATE_MISMATCH', alter: sql('DELETE FROM records WHERE seq = (SELECT max(seq) FROM records)') },
  { name: 'records: rows deleted past a stored checkpoint', code: 'CHECKPOINT_MISMATCH', alter: sql('DELETE FROM records WHERE seq >= 15') },
  { name: 'tail truncated: an older copy of the file, without its newest record', from: 'before-last', want: [0, 1], code: 'CHECKPOINT_MISMATCH' },
  { name: 'tail truncated: an older copy, without the last import, checkpoint and cosignature', from: 'before-import', want: [0, 1], code: 'CHECKPOINT_MISMATCH' },
  { name: 'history rebuilt from scratch with the ledger key (same origin)', from: 'rebuilt', want: [0, 1], code: 'CHECKPOINT_MISMATCH' },
  { name: 'tail rewritten: the newest record re-signed by its own signer', code: 'ROOT_MISMATCH', alter: (db) => {
    const { sig: _sig, ...unsigned } = structuredClone(leafOf(db, last)) as unknown as Record<string, unknown>;
    (unsigned['data'] as Record<string, unknown>)['text'] = 'Tidak pernah diterima';
    setLeaf(db, last, leafBytesOf(signRecord(unsigned as never, demoKey('sari.wulandari').signer)));
  } },
  // the WAL file
  { name: 'WAL: newest records and checkpoint only in the WAL, WAL kept', from: 'wal', want: [0, 0] },
  { name: 'WAL: the WAL file removed (its records lost)', from: 'wal', want: [0, 1], code: 'CHECKPOINT_MISMATCH', file: (path) => rmSync(`${path}-wal`) },
  { name: 'WAL: a byte of its first frame changed', from: 'wal', want: [0, 1], code: 'CHECKPOINT_MISMATCH', file: (path) => { const b = readFileSync(`${path}-wal`); const at = 32 + 24 + 100; b.writeUInt8(b.readUInt8(at) ^ 0xff, at); writeFileSync(`${path}-wal`, b); } },
  // meta and the file's identity
  { name: 'meta.origin changed', code: 'CHECKPOINT_MISMATCH', alter: sql("UPDATE meta SET value = 'ledger.other.example/2026' WHERE key = 'origin'") },
  { name: 'meta: the origin row deleted', want: [2, 2], code: 'LEDGER_NOT_A_LEDGER', alter: sql("DELETE FROM meta WHERE key = 'origin'") },
  { name: 'PRAGMA application_id changed', want: [2, 2], code: 'LEDGER_NOT_A_LEDGER', alter: (db) => void db.pragma('application_id = 1') },
  { name: 'PRAGMA user_version raised', want: [2, 2], code: 'LEDGER_SCHEMA_NEWER', alter: (db) => void db.pragma('user_version = 99') },
  // state tables
  { name: 'identities.state: a role raised to admin', code: 'STATE_MISMATCH', alter: (db) => { const row = db.prepare("SELECT state FROM identities WHERE id = 'budi.santoso'").get() as { state: string }; const s = JSON.parse(row.state) as Record<string, unknown>; s['role'] = 'admin'; sql("UPDATE identities SET state = ? WHERE id = 'budi.santoso'", JSON.stringify(s))(db); } },
  { name: 'identities: a row deleted', code: 'STATE_MISMATCH', alter: sql("DELETE FROM identities WHERE id = 'rudi.hartono'") },
  { name: 'identities: a row inserted', code: 'STATE_MISMATCH', alter: (db) => sql("INSERT INTO identities SELECT 'eve', replace(state, 'budi.santoso', 'eve') FROM identities WHERE id = 'budi.santoso'")(db) },
  { name: 'items.custodian changed', code: 'STATE_MISMATCH', alter: sql("UPDATE items SET custodian = 'budi.santoso' WHERE id = 'BB/017/XI/2026/Dittipidsiber'") },
  { name: 'items.state changed', code: 'STATE_MISMATCH', alter: sql("UPDATE items SET state = replace(state, 'sari.wulandari', 'budi.santoso') WHERE id = 'BB/017/XI/2026/Dittipidsiber'") },
  { name: 'items: a row deleted', code: 'STATE_MISMATCH', alter: sql("DELETE FROM items WHERE id = 'BB/017/XI/2026/Dittipidsiber/IMG-1'") },
  { name: 'items: a row inserted', code: 'STATE_MISMATCH', alter: sql("INSERT INTO items SELECT 'BB/FAKE', custodian, replace(state, 'BB/017/XI/2026/Dittipidsiber/IMG-1', 'BB/FAKE') FROM items WHERE id = 'BB/017/XI/2026/Dittipidsiber/IMG-1'") },
  { name: 'key_holders.id: a key given to another identity', code: 'STATE_MISMATCH', alter: sql("UPDATE key_holders SET id = 'budi.santoso' WHERE id = 'rudi.hartono'") },
  { name: 'key_holders: a row deleted', code: 'STATE_MISMATCH', alter: sql("DELETE FROM key_holders WHERE id = 'rudi.hartono'") },
  { name: 'key_holders: a row inserted', code: 'STATE_MISMATCH', alter: (db) => sql("INSERT INTO key_holders VALUES (?, 'budi.santoso')", toBase64(generateKeyPair().publicKey))(db) },
  // checkpoints and cosignatures
  { name: 'checkpoints.note: one signature byte changed', code: 'CHECKPOINT_MISMATCH', alter: (db) => { const n = (db.prepare('SELECT note FROM checkpoints WHERE size = 16').get() as { note: string }).note; sql('UPDATE checkpoints SET note = ? WHERE size = 16', flipByte(n, n.length - 10))(db); } },
  { name: 'checkpoints.note: another log’s checkpoint', code: 'CHECKPOINT_MISMATCH', alter: (db) => sql('UPDATE checkpoints SET note = ? WHERE size = 16', partnerNote)(db) },
  { name: 'checkpoints.size changed', code: 'CHECKPOINT_MISMATCH', alter: sql('UPDATE checkpoints SET size = 15 WHERE size = 16') },
  { name: 'checkpoints: a row inserted (another log’s note)', code: 'CHECKPOINT_MISMATCH', alter: (db) => sql("INSERT INTO checkpoints VALUES (5, ?, '2026-01-01T00:00:00.000Z')", partnerNote)(db) },
  { name: 'checkpoints: the cosigned checkpoint deleted', code: 'COSIGNATURE_INVALID', alter: (db) => sql('DELETE FROM checkpoints WHERE size = (SELECT max(size) FROM checkpoints)')(db) },
  { name: 'checkpoints: an older checkpoint deleted (records intact)', want: [0, 0], alter: sql('DELETE FROM checkpoints WHERE size = 16') },
  { name: 'checkpoints.signed_at changed (not signed data)', want: [0, 0], alter: sql("UPDATE checkpoints SET signed_at = '2020-01-01T00:00:00.000Z'") },
  { name: 'cosignatures.line: one byte changed', code: 'COSIGNATURE_INVALID', alter: (db) => { const l = (db.prepare('SELECT line FROM cosignatures').get() as { line: string }).line; sql('UPDATE cosignatures SET line = ?', flipByte(l, l.length - 10))(db); } },
  { name: 'cosignatures.witness_key: another witness named', code: 'COSIGNATURE_INVALID', alter: sql("UPDATE cosignatures SET witness_key = replace(witness_key, 'kejaksaan', 'kejagung')") },
  { name: 'cosignatures.size: moved to another checkpoint', code: 'COSIGNATURE_INVALID', alter: sql('UPDATE cosignatures SET size = 16') },
  { name: 'cosignatures: a forged row inserted', code: 'COSIGNATURE_INVALID', alter: (db) => sql('INSERT INTO cosignatures SELECT 16, witness_key, line, added_at FROM cosignatures')(db) },
  { name: 'cosignatures: the row deleted (records intact)', want: [0, 0], alter: sql('DELETE FROM cosignatures') },
  // schema objects: refused before anything is read (the file's schema must be exactly custody's), or
  // an index that disagrees with its table (SQLite's integrity check, run by verify)
  { name: 'triggers dropped (no data changed)', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange("SELECT 1", true) },
  { name: 'indexes dropped (no data changed)', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange('DROP INDEX records_identity; DROP INDEX items_by_custodian;') },
  { name: 'schema: items replaced by a view that shows readers another custodian than writers (INSTEAD OF triggers)', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange(`
      ALTER TABLE items RENAME TO items_real;
      CREATE VIEW items AS SELECT id, CASE WHEN (SELECT query_only FROM pragma_query_only) THEN 'budi.santoso' ELSE custodian END AS custodian, state FROM items_real;
      CREATE TRIGGER items_insert INSTEAD OF INSERT ON items BEGIN INSERT INTO items_real VALUES (NEW.id, NEW.custodian, NEW.state); END;
      CREATE TRIGGER items_update INSTEAD OF UPDATE ON items BEGIN UPDATE items_real SET custodian = NEW.custodian, state = NEW.state WHERE id = NEW.id; END;`) },
  { name: 'schema: records replaced by a view over a second history under another ledger key', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: (path) => rawChange(`
      ATTACH DATABASE '${join(dir, 'partner.db')}' AS other;
      CREATE TABLE records_other AS SELECT * FROM other.records;
      DETACH DATABASE other;
      ALTER TABLE records RENAME TO records_real;
      CREATE VIEW records AS SELECT * FROM records_other;`, true)(path) },
  { name: 'schema: an extra trigger on records', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange("CREATE TRIGGER spy AFTER INSERT ON records BEGIN SELECT 1; END;") },
  { name: 'schema: a recursive view in the place of meta', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange(`
      ALTER TABLE meta RENAME TO meta_real;
      CREATE VIEW meta AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT 'origin' AS key, value FROM meta_real, forever WHERE n < 0;`) },
  { name: 'schema: SQLite statistics added (ANALYZE), which steer its query planner', want: [2, 2], code: 'LEDGER_SCHEMA_TAMPERED', file: rawChange('ANALYZE') },
  { name: 'index: the items id index pointed at other items’ rows (no view, no trigger)', want: [1, 1], code: 'LEDGER_DAMAGED', file: (path) => crossItemIndex(path, 'BB/017/XI/2026/Dittipidsiber', 'BB/017/XI/2026/Dittipidsiber/IMG-1') },
  // the file
  { name: 'file: cut in half', want: [2, 2], code: 'LEDGER_NOT_A_LEDGER', file: (path) => truncateSync(path, Math.floor(readFileSync(path).length / 2)) },
  { name: 'file: the SQLite header overwritten', want: [2, 2], code: 'LEDGER_NOT_A_LEDGER', file: (path) => { const b = readFileSync(path); b.write('not a database!!', 0); writeFileSync(path, b); } },
];

/**
 * rawChange runs `sql` on the file with a plain SQLite client and leaves it that way (the schema
 * included); with `dropTriggers`, the append-only triggers are dropped first and not put back.
 */
function rawChange(sql: string, dropTriggers = false): (path: string) => void {
  return (path) => {
    const db = openRaw(path);
    try {
      if (dropTriggers) {
        const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string }[];
        for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
      }
      db.exec(sql);
    } finally {
      db.close();
    }
  };
}

/** A change made by a holder of the file behind the append-only triggers (put back afterwards). */
function withoutTriggers(path: string, alter: (db: Db) => void): void {
  const db = openRaw(path);
  try {
    db.pragma('foreign_keys = OFF');
    behindTriggers(db, () => alter(db));
  } finally {
    db.close();
  }
}

interface Outcome {
  readonly exit: number | null;
  readonly codes: readonly string[];
}

async function verify(path: string, checkpoint: string | undefined): Promise<Outcome> {
  const args = ['verify', '--db', path, '--json', ...(checkpoint !== undefined ? ['--checkpoint', checkpoint, '--verifier-key', verifierKey] : [])];
  const r = await custody(args);
  let doc: { ok: boolean; report?: { failures: { code: string }[] }; error?: { code: string } };
  try {
    doc = JSON.parse(r.stdout) as typeof doc;
  } catch {
    return { exit: r.status, codes: [`(no JSON: ${r.stderr.split('\n')[0]})`] };
  }
  // Sorted: the order of a report's failures can differ between runs on the same file (signatures are
  // checked on worker threads), the set of codes does not.
  const codes = doc.error !== undefined ? [doc.error.code] : [...new Set((doc.report?.failures ?? []).map((f) => f.code))].sort();
  return { exit: r.status, codes };
}

const cell = ({ exit, codes }: Outcome): string => {
  const what = exit === 0 ? 'intact' : exit === 1 ? 'detected' : exit === 2 ? 'refused' : 'could not run';
  return `${what} (${exit})${codes.length > 0 ? `: ${codes.map((c) => `\`${c}\``).join(', ')}` : ''}`;
};

export function matrixTable(rows: readonly { name: string; alone: Outcome; outside: Outcome }[]): string {
  const lines = [
    '| tampering (on a copy of the demo ledger) | `custody verify` | `custody verify --checkpoint` (held outside) |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${cell(r.alone)} | ${cell(r.outside)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

test('every tampering of the demo ledger file is detected by custody verify, or documented as undetectable', async () => {
  await buildFixture();
  const rows = await parallel(
    CASES.map((c, i) => async () => {
      const caseDir = join(dir, `case-${i}`);
      mkdirSync(caseDir);
      const path = join(caseDir, 'polri.db');
      if (c.from === 'wal') for (const suffix of ['', '-wal']) copyFileSync(join(walSnapshot, `polri.db${suffix}`), `${path}${suffix}`);
      else copyFileSync(c.from === undefined ? base : join(dir, `${c.from}.db`), path);
      if (c.alter !== undefined) withoutTriggers(path, c.alter);
      if (c.file !== undefined) c.file(path);
      const checkpoint = c.from === 'wal' ? outsideWal : outside;
      const alone = await verify(path, undefined);
      const held = await verify(path, checkpoint);
      rmSync(caseDir, { recursive: true, force: true });
      const [wantAlone, wantHeld] = c.want ?? [1, 1];
      assert.is(alone.exit, wantAlone, `${c.name}: custody verify exits ${wantAlone} (${alone.codes.join(', ')})`);
      assert.is(held.exit, wantHeld, `${c.name}: custody verify --checkpoint exits ${wantHeld} (${held.codes.join(', ')})`);
      if (wantAlone !== 0) assert.ok(alone.codes.length > 0, `${c.name}: a failure is named`);
      if (c.code !== undefined) assert.ok((wantAlone !== 0 ? alone : held).codes.includes(c.code), `${c.name}: ${c.code} is named`);
      return { name: c.name, alone, outside: held };
    }),
    2,
  );
  const table = matrixTable(rows);
  process.stdout.write(table);
  if (process.env['RELIABILITY_UPDATE'] === '1' || !existsSync(MATRIX)) writeFileSync(MATRIX, table);
  assert.fixture(table, readFileSync(MATRIX, 'utf8'), 'tamper-matrix.md is what this run observed');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.includes(table), 'the README quotes tamper-matrix.md verbatim');
  await figure('tamper', { cases: rows.length, verifyRuns: rows.length * 2 });
});

test.after(cleanup);
test.run();
