/**
 * Verification of a whole ledger file (DESIGN §10): every leaf re-hashed, re-parsed and replayed
 * through the core's auditor, signatures checked on every core, and then everything the file
 * stores besides the leaves — derived columns, stored Merkle hashes, the state tables, the signed
 * checkpoints — compared with what the leaves give. Reads one consistent snapshot in chunks, so a
 * ledger of millions of records verifies in bounded memory while others keep appending.
 */
import Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import {
  canonicalize,
  LedgerAuditor,
  nodeHash,
  toHex,
  type AuditOptions,
  type AuditReport,
  type ExpectedRoot,
  type SignatureJob,
} from '@custody/core';
import { Ledger } from './ledger.js';
import { nodeCrypto } from './node-crypto.js';
import { translateSqliteError } from './sqlite-errors.js';
import { VerifyPool } from './verify-pool.js';

export interface VerifyOptions extends Pick<AuditOptions, 'strict' | 'maxListed'> {
  /** Roots held outside the file (a partner's checkpoint) the ledger must still extend. */
  readonly expectedRoots?: readonly ExpectedRoot[];
  /** Signature threads (default: one per core). 0 verifies on the main thread. */
  readonly threads?: number;
  /** Records per read (default 4096). */
  readonly chunkSize?: number;
  /** Called after each chunk with records done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The checks this module adds to the auditor's. */
export const STORE_CHECKS = ['stored-leaf-hashes', 'stored-columns', 'stored-tree', 'stored-state'] as const;

/**
 * verifyLedger verifies the ledger file at `path` and returns the audit report. It opens its own
 * read-only connection and never writes.
 */
export async function verifyLedger(path: string, options: VerifyOptions = {}): Promise<AuditReport> {
  // Opening through Ledger gives the same clear errors (not found, not a ledger, newer schema).
  Ledger.open(path, { readonly: true }).close();
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw translateSqliteError(e, path);
  }
  const threads = options.threads ?? availableParallelism();
  const pool = threads > 0 ? new VerifyPool(threads) : undefined;
  try {
    db.exec('BEGIN'); // one snapshot for every read below
    return await verifySnapshot(db, pool, threads, options);
  } catch (e) {
    throw translateSqliteError(e, path);
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
    await pool?.close();
  }
}

async function verifySnapshot(
  db: Database.Database,
  pool: VerifyPool | undefined,
  threads: number,
  options: VerifyOptions,
): Promise<AuditReport> {
  const origin = (db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string } | undefined)?.value;
  const auditor = new LedgerAuditor({
    crypto: nodeCrypto,
    deferSignatures: pool !== undefined,
    ...(origin === undefined ? {} : { origin }),
    ...(options.strict === undefined ? {} : { strict: options.strict }),
    ...(options.maxListed === undefined ? {} : { maxListed: options.maxListed }),
    expectedRoots: options.expectedRoots ?? [],
  });
  const total = (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  const chunkSize = options.chunkSize ?? 4096;
  const rows = db.prepare(
    `SELECT r.seq, r.leaf, r.leaf_hash, r.type, r.item, r.actor, r.time, t.hash AS tree_hash
       FROM records r LEFT JOIN tree t ON t.level = 0 AND t.idx = r.seq
      WHERE r.seq >= ? ORDER BY r.seq LIMIT ?`,
  );
  const maxInFlight = 2 * Math.max(1, threads);
  const inFlight: Promise<void>[] = [];
  let jobs: SignatureJob[] = [];
  const flush = async (): Promise<void> => {
    if (pool === undefined || jobs.length === 0) return;
    const batch = jobs;
    jobs = [];
    inFlight.push(pool.verify(batch).then((failed) => failed.forEach((job) => auditor.signatureFailed(job))));
    while (inFlight.length >= maxInFlight) await inFlight.shift();
  };

  let next = 0;
  for (;;) {
    const chunk = rows.all(next, chunkSize) as StoredRow[];
    if (chunk.length === 0) break;
    for (const row of chunk) {
      if (row.seq !== auditor.size) {
        // A gap in seq: the records table lost a row (or gained one out of place).
        auditor.addFinding({
          seq: auditor.size,
          code: 'SEQ_MISMATCH',
          message: `The file has no record ${auditor.size}; the next stored record is ${row.seq}.`,
          details: { seq: auditor.size, stored: row.seq },
        });
      }
      jobs.push(...auditor.add(new Uint8Array(row.leaf)));
      checkStoredColumns(auditor, row);
      if (jobs.length >= 2048) await flush();
    }
    next = chunk[chunk.length - 1]!.seq + 1;
    options.onProgress?.(auditor.size, total);
  }
  await flush();
  await Promise.all(inFlight);
  checkStoredTree(db, auditor, auditor.size);
  checkStoredState(db, auditor);
  return auditor.finish(STORE_CHECKS);
}

interface StoredRow {
  seq: number;
  leaf: Buffer;
  leaf_hash: Buffer;
  type: string;
  item: string | null;
  actor: string;
  time: string;
  tree_hash: Buffer | null;
}

/** The derived columns of a records row and its level-0 tree hash must be what its leaf gives. */
function checkStoredColumns(auditor: LedgerAuditor, row: StoredRow): void {
  const seq = auditor.size - 1;
  const leafHash = auditor.lastLeafHash;
  const stale = (what: string): void =>
    auditor.addFinding({ seq, code: 'STATE_MISMATCH', message: `Record ${seq}: the stored ${what} is not what its leaf bytes give.`, details: { seq, column: what } });
  if (toHex(row.leaf_hash) !== leafHash) stale('leaf hash');
  if (row.tree_hash === null || toHex(row.tree_hash) !== leafHash) stale('tree leaf hash');
  const record = auditor.lastRecord;
  if (record !== undefined && (row.type !== record.type || row.item !== record.item || row.actor !== record.actor || row.time !== record.time)) {
    stale('type, item, actor or time');
  }
}

/**
 * Every stored subtree hash must be the hash of its two children, level by level up from the leaf
 * hashes checked above, and there must be exactly ⌊n / 2^level⌋ of them at each level.
 */
function checkStoredTree(db: Database.Database, auditor: LedgerAuditor, size: number): void {
  const read = db.prepare('SELECT idx, hash FROM tree WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?');
  const count = db.prepare('SELECT count(*) AS n FROM tree WHERE level = ?');
  const chunk = 4096;
  for (let level = 0; ; level++) {
    const expected = Math.floor(size / 2 ** level);
    const stored = (count.get(level) as { n: number }).n;
    if (stored !== expected) {
      auditor.addFinding({
        seq: null,
        code: 'ROOT_MISMATCH',
        message: `The stored tree has ${stored} hashes at level ${level}; ${size} records give ${expected}.`,
        details: { level, stored, expected },
      });
      return;
    }
    if (expected === 0) return;
    if (level === 0) continue; // the leaf level was compared with each record
    for (let idx = 0; idx < expected; idx += chunk) {
      const parents = read.all(level, idx, chunk) as { idx: number; hash: Buffer }[];
      const children = read.all(level - 1, 2 * idx, 2 * chunk) as { idx: number; hash: Buffer }[];
      for (let i = 0; i < parents.length; i++) {
        const left = children[2 * i];
        const right = children[2 * i + 1];
        const parent = parents[i]!;
        const ok =
          parent.idx === idx + i &&
          left !== undefined && right !== undefined &&
          left.idx === 2 * parent.idx && right.idx === 2 * parent.idx + 1 &&
          Buffer.from(nodeHash(left.hash, right.hash, nodeCrypto)).equals(parent.hash);
        if (!ok) {
          auditor.addFinding({
            seq: null,
            code: 'ROOT_MISMATCH',
            message: `The stored tree hash at level ${level}, index ${idx + i} is not the hash of its children.`,
            details: { level, index: idx + i },
          });
          return;
        }
      }
    }
  }
}

/** The identities, items and key index the file keeps for appends must be what the replay gives. */
function checkStoredState(db: Database.Database, auditor: LedgerAuditor): void {
  const state = auditor.state;
  const mismatch = (table: string, id: string): void =>
    auditor.addFinding({
      seq: null,
      code: 'STATE_MISMATCH',
      message: `The ${table} table disagrees with the records about "${id}".`,
      details: { table, id },
    });
  const compare = (table: string, stored: { id: string; state: string }[], replayed: Map<string, unknown>): void => {
    for (const row of stored) {
      const want = replayed.get(row.id);
      let same = false;
      try {
        same = want !== undefined && canonicalize(JSON.parse(row.state)) === canonicalize(want);
      } catch {
        same = false;
      }
      if (!same) mismatch(table, row.id);
      replayed.delete(row.id);
    }
    for (const id of replayed.keys()) mismatch(table, id);
  };
  compare('identities', db.prepare('SELECT id, state FROM identities').all() as never, new Map([...state.identities()].map((i) => [i.id, i])));
  compare('items', db.prepare('SELECT id, state FROM items').all() as never, new Map([...state.items()].map((i) => [i.id, i])));
  for (const row of db.prepare('SELECT id, custodian FROM items').all() as { id: string; custodian: string }[]) {
    if (state.item(row.id)?.custodian !== row.custodian) mismatch('items (custodian)', row.id);
  }
  const keys = new Map(state.keyHolders());
  for (const row of db.prepare('SELECT key, id FROM key_holders').all() as { key: string; id: string }[]) {
    if (keys.get(row.key) !== row.id) mismatch('key_holders', row.id);
    keys.delete(row.key);
  }
  for (const id of keys.values()) mismatch('key_holders', id);
}
