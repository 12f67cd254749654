/**
 * The thread verifyLedger replays a ledger on, under a heap cap (see verify.ts). Sends progress,
 * then the report, or the error as code, message and details so the caller rethrows the same
 * CustodyError.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCustodyError } from '@custody/core';
import { replayLedger } from './replay.js';
import type { VerifyWorkerData, VerifyWorkerMessage } from './verify.js';

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
