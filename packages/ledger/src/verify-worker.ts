/**
 * The thread verifyLedger replays a ledger on, under a heap cap (see verify.ts). Sends progress,
 * then the report, or the error as code, message and details so the caller rethrows the same
 * CustodyError.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCustodyError, type AuditReport, type ErrorCode, type ErrorDetails } from '@custody/core';
import { replayLedger } from './replay.js';
import type { VerifyOptions } from './verify.js';

/** The messages a verification worker sends: progress, then its report or its error. */
export type VerifyWorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'report'; readonly report: AuditReport }
  | { readonly kind: 'error'; readonly code: ErrorCode | null; readonly message: string; readonly details: ErrorDetails };

/** What a verification worker is started with (its workerData). */
export interface VerifyWorkerData {
  readonly path: string;
  readonly options: Omit<VerifyOptions, 'onProgress' | 'inProcess' | 'replayHeapMb'>;
  readonly progress: boolean;
}

const port = parentPort!;
const send = (message: VerifyWorkerMessage): void => port.postMessage(message);
const { path, options, progress } = workerData as VerifyWorkerData;

try {
  const report = await replayLedger(path, {
    ...options,
    ...(progress ? { onProgress: (done: number, total: number) => send({ kind: 'progress', done, total }) } : {}),
  });
  send({ kind: 'report', report });
} catch (e) {
  send(
    isCustodyError(e)
      ? { kind: 'error', code: e.code, message: e.message, details: e.details }
      : { kind: 'error', code: null, message: e instanceof Error ? e.message : String(e), details: {} },
  );
}
