/**
 * Verification of a whole ledger file (DESIGN §10). The replay itself is in replay.ts; this module
 * runs it on a worker thread with a bounded heap and hands back its report.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CustodyError, type AuditOptions, type AuditReport, type ExpectedRoot } from '@custody/core';
import { LedgerStore } from './store/store.js';
import { replayLedger } from './replay.js';
import type { VerifyWorkerData, VerifyWorkerMessage } from './verify-worker.js';

export { STORE_CHECKS } from './replay.js';

export interface VerifyOptions extends Pick<AuditOptions, 'strict' | 'maxListed'> {
  /** Roots held outside the file (a partner's checkpoint) the ledger must still extend. */
  readonly expectedRoots?: readonly ExpectedRoot[];
  /** Signature threads (default: one per core). 0 verifies them on the replay's own thread. */
  readonly threads?: number;
  /** Records per read (default 512). */
  readonly chunkSize?: number;
  /** Called after each chunk with records done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Replay on the calling thread instead of a worker thread with a bounded heap (the default when
   * running from the built package). The answer is the same; only peak memory differs.
   */
  readonly inProcess?: boolean;
  /** The replay thread's heap cap in MB (default: from the number of items and identities). */
  readonly replayHeapMb?: number;
}

/**
 * verifyLedger verifies the ledger file at `path` and returns the audit report. It opens its own
 * read-only connection and never writes.
 *
 * The replay runs in a worker thread whose heap is capped near what the custody state needs
 * (DESIGN §10: constant memory in the number of records). Left to itself V8 lets a long replay's
 * garbage — every record replaces its item's state — grow the heap to several times what is live.
 * If the cap proves too small (a ledger with very many items), the replay runs again unbounded on
 * this thread; the report is the same either way.
 */
export async function verifyLedger(path: string, options: VerifyOptions = {}): Promise<AuditReport> {
  // Opening here gives the clear errors (not found, not a ledger, newer or tampered schema) before a
  // worker starts; the replay opens the file again the same way (store/open.ts).
  const store = LedgerStore.open(path, { readonly: true });
  const worker = options.inProcess === true ? undefined : VERIFY_WORKER;
  let heapMb = 0;
  try {
    if (worker !== undefined) heapMb = options.replayHeapMb ?? replayHeapMb(store);
  } finally {
    store.close();
  }
  if (worker === undefined) return replayLedger(path, options);
  const outcome = await verifyInWorker(worker, path, options, heapMb);
  return outcome === 'out-of-memory' ? replayLedger(path, options) : outcome;
}

/**
 * The built worker script, or undefined when running from TypeScript sources (tests under a
 * loader that worker threads on Node 20 do not inherit): there verification replays in-process.
 */
const VERIFY_WORKER: URL | undefined = (() => {
  const url = new URL('./verify-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : undefined;
})();

/**
 * The replay's heap cap, in MB: room for the custody state — about 1.5 KB per item or identity
 * when measured, allowed 8 KB here — on top of a fixed 192 MB. The counts come from the file's
 * state tables, which an attacker can shrink: that only makes the worker run out of memory, and
 * the replay then runs unbounded.
 */
function replayHeapMb(store: LedgerStore): number {
  let entries = 0;
  try {
    entries = store.stateRowCount();
  } catch {
    // A damaged state table: verification reports it; the cap stays at its floor.
  }
  return 192 + Math.ceil((entries * 8) / 1024);
}

function verifyInWorker(url: URL, path: string, options: VerifyOptions, heapMb: number): Promise<AuditReport | 'out-of-memory'> {
  const { onProgress, inProcess: _inProcess, replayHeapMb: _heapMb, ...plain } = options;
  const data: VerifyWorkerData = { path, options: plain, progress: onProgress !== undefined };
  return new Promise((resolve, reject) => {
    // The built worker loads the built packages: none of the caller's loader flags (a TypeScript loader
    // or a "source" condition would send it to sources it cannot run).
    const worker = new Worker(url, { workerData: data, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 } });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      finish();
      void worker.terminate();
    };
    worker.on('message', (message: VerifyWorkerMessage) => {
      if (message.kind === 'progress') onProgress?.(message.done, message.total);
      else if (message.kind === 'report') settle(() => resolve(message.report));
      else settle(() => reject(message.code === null ? new Error(message.message) : new CustodyError(message.code, message.message, message.details)));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      settle(() => (e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? resolve('out-of-memory') : reject(e)));
    });
    worker.on('exit', (code) => settle(() => reject(new Error(`The verification worker stopped (exit code ${code}) without a report.`))));
  });
}

