/**
 * The replay behind verifyLedger (verify.ts), on whichever thread runs it: every leaf re-hashed,
 * re-parsed and replayed through the core's auditor, signatures checked on every core, and then
 * everything the file stores besides the leaves — derived columns, stored Merkle hashes, the state
 * tables, the signed checkpoints — compared with what the leaves give. Reads one consistent
 * snapshot in chunks, so a ledger of millions of records verifies in bounded memory while others
 * keep appending.
 */
import { availableParallelism } from 'node:os';
import {
  canonicalize,
  checkCosignature,
  createsItem,
  createVerifierKey,
  CustodyError,
  equalBytes,
  formatVerifierKey,
  isCustodyError,
  LedgerAuditor,
  openCheckpoint,
  parseBase64,
  parseRecord,
  SIGNATURE_TYPE_ED25519,
  toHex,
  type AuditFinding,
  type AuditReport,
  type ExpectedRoot,
  type SignatureJob,
} from '@custody/core';
import { nodeCrypto } from './node-crypto.js';
import { LedgerStore, type RecordRow } from './store/store.js';
import { VerifyPool } from './verify-pool.js';
import type { VerifyOptions } from './verify.js';

/** The checks this module adds to the auditor's. */
export const STORE_CHECKS = ['storage-integrity', 'stored-hashes', 'stored-columns', 'stored-state', 'stored-checkpoints', 'stored-imports'] as const;

/** Signing bytes held for the signature threads before they are handed over (besides the 512-job limit). */
const JOB_BYTES = 8 * 1024 * 1024;

/** replayLedger verifies on this thread (signatures still go to the worker pool): see verifyLedger. */
export async function replayLedger(path: string, options: VerifyOptions): Promise<AuditReport> {
  // The same checked open as every other command: schema compared, header checked (store/open.ts).
  const store = LedgerStore.open(path, { readonly: true });
  const threads = options.threads ?? availableParallelism();
  let pool: VerifyPool | undefined;
  try {
    store.beginSnapshot(); // one snapshot for every read below
    // SQLite's own check of every table but records: a page or an index that contradicts its table
    // makes the file not intact. The replay goes on regardless: it reads the tables themselves, and
    // checks that it read every row of records.
    const damaged: AuditFinding[] = store.integrityProblems().map((problem) => ({
      seq: null,
      code: 'LEDGER_DAMAGED',
      message: `SQLite's integrity check of the file fails: ${problem}. The file was altered outside custody.`,
      details: { path: store.path, reason: problem },
    }));
    pool = threads > 0 ? new VerifyPool(threads) : undefined;
    return await verifySnapshot(store, pool, threads, options, damaged);
  } catch (e) {
    // A value the store refuses to load (oversized, mistyped, a looping page chain): not intact.
    if (isCustodyError(e) && e.code === 'LEDGER_DAMAGED') return damagedReport(String(e.details['reason'] ?? e.message), e.details);
    throw e;
  } finally {
    await pool?.close();
    store.endSnapshot();
    store.close();
  }
}

/**
 * The report of a file the store refused to read on (a value oversized or mistyped, a page chain
 * that loops): not intact, saying why, and no verdict on its records.
 */
function damagedReport(message: string, details: AuditFinding['details']): AuditReport {
  const failures: AuditFinding[] = [
    { seq: null, code: 'LEDGER_DAMAGED', message: `The file cannot be read as a ledger: ${message}. It was altered outside custody; its records were not all replayed.`, details },
  ];
  return {
    ok: false,
    origin: null,
    size: 0,
    rootHash: EMPTY_ROOT_HEX,
    headLeafHash: null,
    failureCount: failures.length,
    failures,
    warnings: [],
    checks: ['storage-integrity'],
    rootsChecked: 0,
  };
}

/** The Merkle root of an empty tree: SHA-256 of nothing (RFC 9162 §2.1.1). */
const EMPTY_ROOT_HEX = toHex(nodeCrypto.sha256(new Uint8Array(0)));

async function verifySnapshot(
  store: LedgerStore,
  pool: VerifyPool | undefined,
  threads: number,
  options: VerifyOptions,
  damaged: readonly AuditFinding[],
): Promise<AuditReport> {
  const origin = store.origin();
  const stored = storedCheckpoints(store, origin);
  const auditor = new LedgerAuditor({
    crypto: nodeCrypto,
    deferSignatures: pool !== undefined,
    ...(origin === undefined ? {} : { origin }),
    ...(options.strict === undefined ? {} : { strict: options.strict }),
    ...(options.maxListed === undefined ? {} : { maxListed: options.maxListed }),
    expectedRoots: [...stored.roots, ...(options.expectedRoots ?? [])],
  });
  for (const finding of [...damaged, ...stored.findings]) auditor.addFinding(finding);
  const total = store.recordCount();
  const chunkSize = options.chunkSize ?? 512;
  const itemHeads = new Map<string, number>();
  const imports = new Map<string, { seq: number; digest: string }>();
  const later = new LaterFindings(auditor, options.maxListed ?? 1000);
  const maxInFlight = 2 * Math.max(1, threads);
  const inFlight: Promise<void>[] = [];
  let jobs: SignatureJob[] = [];
  let jobBytes = 0;
  const flush = async (): Promise<void> => {
    if (pool === undefined || jobs.length === 0) return;
    const batch = jobs;
    jobs = [];
    jobBytes = 0;
    inFlight.push(pool.verify(batch).then((failed) => failed.forEach((job) => auditor.signatureFailed(job))));
    while (inFlight.length >= maxInFlight) await inFlight.shift();
  };

  let next = 0;
  let read = 0;
  for (;;) {
    const chunk = store.recordRows(next, chunkSize);
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
      if (row.leaf === null) {
        // Over the protocol's leaf limit (or not bytes at all): never loaded. It still takes its
        // place in the tree, as bytes that cannot be its leaf, so every later check stays aligned.
        auditor.addFinding({
          seq: row.seq,
          code: 'JSON_TOO_LARGE',
          message: `Record ${row.seq}: the stored leaf is ${row.leafBytes} bytes, more than any record may be, or not bytes at all; it was not read.`,
          details: { seq: row.seq, bytes: row.leafBytes },
        });
      }
      for (const job of auditor.add(row.leaf ?? new Uint8Array(0))) {
        jobs.push(job);
        jobBytes += job.message.length;
      }
      checkStoredColumns(auditor, row, itemHeads, later);
      const record = auditor.lastRecord;
      if (record?.type === 'item.import' && record.item !== null) {
        imports.set(record.item, { seq: auditor.size - 1, digest: (record.data['source'] as { bundle: string }).bundle });
      }
      if (jobs.length >= 512 || jobBytes >= JOB_BYTES) await flush();
    }
    next = chunk[chunk.length - 1]!.seq + 1;
    read += chunk.length;
    options.onProgress?.(auditor.size, total);
  }
  // Every row must have been read: a B-tree whose pages contradict each other can hide rows from a
  // read in seq order and show them to a lookup by seq (what history and log do), and rows with
  // seqs no record can have (negative, or past 2^53) are never read in seq order either.
  if (read !== total) {
    auditor.addFinding({
      seq: null,
      code: 'LEDGER_DAMAGED',
      message: `The records table holds ${total} rows, but reading it in seq order gives ${read}: rows are hidden from an ordered read (a B-tree that contradicts itself, or seqs no record can have). The file was altered outside custody.`,
      details: { rows: total, read },
    });
  }
  await flush();
  await Promise.all(inFlight);
  later.flush();
  checkStoredState(store, auditor);
  checkStoredImports(store, auditor, imports);
  return auditor.finish(STORE_CHECKS);
}

/**
 * The checkpoints the file says its ledger key signed, each opened with the key the genesis record
 * names (a stored checkpoint that does not open is a failure, never skipped), with the witness
 * cosignatures attached to them re-verified. Their roots become roots the tree must reproduce.
 */
function storedCheckpoints(store: LedgerStore, origin: string): { roots: ExpectedRoot[]; findings: AuditFinding[] } {
  const roots: ExpectedRoot[] = [];
  const findings: AuditFinding[] = [];
  const rows = store.checkpoints();
  const cosigs = store.cosignatures();
  if (rows.length === 0 && cosigs.length === 0) return { roots, findings };
  let logKey: string;
  try {
    const genesis = parseRecord(store.leaf(0)!);
    logKey = formatVerifierKey(createVerifierKey(origin, SIGNATURE_TYPE_ED25519, parseBase64(genesis.data['key'] as string, 32), nodeCrypto));
  } catch {
    findings.push({ seq: null, code: 'CHECKPOINT_MISMATCH', message: 'The stored checkpoints could not be checked: the genesis record names no usable ledger key.', details: {} });
    return { roots, findings };
  }
  const texts = new Map<number, string>();
  for (const row of rows) {
    try {
      const opened = openCheckpoint(row.note, logKey, nodeCrypto);
      if (opened.checkpoint.size !== row.size || opened.checkpoint.origin !== origin) throw new CustodyError('CHECKPOINT_MISMATCH', 'size or origin');
      roots.push({ size: row.size, rootHash: opened.checkpoint.rootHash, source: `the stored checkpoint of ${row.size} records` });
      texts.set(row.size, opened.text);
    } catch (e) {
      findings.push({
        seq: null,
        code: 'CHECKPOINT_MISMATCH',
        message: `The stored checkpoint of ${row.size} records is not a checkpoint of this ledger signed by its key${isCustodyError(e) ? ` (${e.code})` : ''}.`,
        details: { size: row.size },
      });
    }
  }
  for (const cosig of cosigs) {
    const text = texts.get(cosig.size);
    try {
      if (text === undefined) throw new CustodyError('COSIGNATURE_INVALID', 'no checkpoint');
      checkCosignature(text, cosig.line, cosig.witnessKey, nodeCrypto);
    } catch {
      findings.push({
        seq: null,
        code: 'COSIGNATURE_INVALID',
        message: `A stored witness cosignature of the checkpoint of ${cosig.size} records does not verify.`,
        details: { size: cosig.size, witness: cosig.witnessKey },
      });
    }
  }
  return { roots, findings };
}

/**
 * What a records row keeps besides its leaf must be what the leaves give: the Merkle subtree hashes
 * the record completes (as the auditor's compact range forms them), the seq of the item's previous
 * record, and the type, item, actor and time columns.
 */
function checkStoredColumns(auditor: LedgerAuditor, row: RecordRow, itemHeads: Map<string, number>, later: LaterFindings): void {
  const seq = auditor.size - 1;
  const formed = auditor.lastStoredHashes;
  const hashes = row.hashes;
  let hashesOk = hashes !== null && hashes.length === 32 * formed.length;
  for (let i = 0; hashesOk && i < formed.length; i++) hashesOk = equalBytes(hashes!.subarray(32 * i, 32 * (i + 1)), formed[i]!);
  if (!hashesOk) {
    later.add({
      seq,
      code: 'ROOT_MISMATCH',
      message: `Record ${seq}: the stored Merkle hashes are not the ones its leaf forms.`,
      details: { seq },
    });
  }
  const record = auditor.lastRecord;
  if (record === undefined) return;
  const itemPrev = record.item === null || createsItem(record.type) ? null : (itemHeads.get(record.item) ?? null);
  if (record.item !== null) itemHeads.set(record.item, seq);
  if (row.type !== record.type || row.item !== record.item || row.actor !== record.actor || row.time !== record.time || row.itemPrev !== itemPrev) {
    later.add({
      seq,
      code: 'STATE_MISMATCH',
      message: `Record ${seq}: the stored type, item, item link, actor or time is not what its leaf bytes give.`,
      details: { seq },
    });
  }
}

/**
 * Findings about what the file keeps beside a leaf (its stored hashes and columns) follow the
 * findings about the leaf itself, which arrive later for signatures checked on other threads: a
 * changed leaf is first of all a bad signature, and only then a stale stored hash. Holds at most
 * the number of findings a report lists; beyond that they are only counted.
 */
class LaterFindings {
  readonly #held: AuditFinding[] = [];
  constructor(
    private readonly auditor: LedgerAuditor,
    private readonly limit: number,
  ) {}

  add(finding: AuditFinding): void {
    if (this.#held.length < this.limit) this.#held.push(finding);
    else this.auditor.addFinding(finding);
  }

  flush(): void {
    for (const finding of this.#held.splice(0)) this.auditor.addFinding(finding);
  }
}

/**
 * Each item.import keeps the bundle it was verified against: exactly one row per imported item,
 * whose SHA-256 is the digest the record names (the bundle is stored as its canonical JSON).
 */
function checkStoredImports(store: LedgerStore, auditor: LedgerAuditor, imports: Map<string, { seq: number; digest: string }>): void {
  for (const row of store.importedBundles()) {
    const expected = imports.get(row.item);
    const digest = toHex(nodeCrypto.sha256(row.bundle));
    if (expected === undefined || expected.digest !== digest) {
      auditor.addFinding({
        seq: expected?.seq ?? null,
        code: 'STATE_MISMATCH',
        message: expected === undefined
          ? `The file keeps an imported bundle for "${row.item}", which no item.import record names.`
          : `The bundle kept for "${row.item}" is not the one its item.import (record ${expected.seq}) names.`,
        details: { item: row.item, seq: expected?.seq ?? null },
      });
    }
    imports.delete(row.item);
  }
  for (const [item, { seq }] of imports) {
    auditor.addFinding({ seq, code: 'STATE_MISMATCH', message: `The bundle item.import record ${seq} was verified against is not kept in the file.`, details: { item, seq } });
  }
}

/** The identities, items and key index the file keeps for appends must be what the replay gives. */
function checkStoredState(store: LedgerStore, auditor: LedgerAuditor): void {
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
  const items = store.itemStates();
  compare('identities', store.identityStates(), new Map([...state.identities()].map((i) => [i.id, i])));
  compare('items', items, new Map([...state.items()].map((i) => [i.id, i])));
  for (const row of items) {
    if (state.item(row.id)?.custodian !== row.custodian) mismatch('items (custodian)', row.id);
  }
  const keys = new Map(state.keyHolders());
  for (const row of store.keyHolders()) {
    if (keys.get(row.key) !== row.id) mismatch('key_holders', row.id);
    keys.delete(row.key);
  }
  for (const id of keys.values()) mismatch('key_holders', id);
}
