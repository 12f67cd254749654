/**
 * The worker thread of evidence-hash.ts: one "lane" that runs some of the requested hash
 * algorithms over chunks the main thread has read into a shared ring buffer.
 *
 * The worker is started from source text (`new Worker(HASH_WORKER_SOURCE, { eval: true })`) rather
 * than from a file, so it runs the same way from compiled `dist/`, from TypeScript sources under a
 * loader (tsx does not register itself in worker threads on Node 20), and inside a bundle. It is
 * kept small, plain CommonJS, and depends on nothing but Node.
 *
 * Protocol, all messages in order on the worker's one port:
 * - workerData `{ buffer: SharedArrayBuffer, algorithms: string[] }` (node:crypto names);
 * - main → worker `{ op: 'update', slot, offset, length }`: hash `buffer[offset, offset + length)`;
 *   the worker answers with the slot number once it no longer reads those bytes;
 * - main → worker `{ op: 'digest' }`: the worker answers `{ [algorithm]: lowercase hex }` for all
 *   bytes since the previous digest, and starts over for the next file.
 */

/** What the main thread passes as `workerData`. */
export interface HashWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly algorithms: readonly string[];
}

/** Messages from the main thread to a lane. */
export type HashWorkerRequest =
  | { readonly op: 'update'; readonly slot: number; readonly offset: number; readonly length: number }
  | { readonly op: 'digest' };

/** Messages from a lane: a released slot, or the digests of one file. */
export type HashWorkerReply = number | { readonly [algorithm: string]: string };

export const HASH_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const bytes = new Uint8Array(workerData.buffer);
const algorithms = workerData.algorithms;
let hashes = algorithms.map((a) => createHash(a));
parentPort.on('message', (message) => {
  if (message.op === 'update') {
    const chunk = bytes.subarray(message.offset, message.offset + message.length);
    for (const hash of hashes) hash.update(chunk);
    parentPort.postMessage(message.slot);
  } else if (message.op === 'digest') {
    const digests = {};
    for (let i = 0; i < algorithms.length; i++) digests[algorithms[i]] = hashes[i].digest('hex');
    hashes = algorithms.map((a) => createHash(a));
    parentPort.postMessage(digests);
  } else {
    throw new Error('hash worker: unknown message ' + JSON.stringify(message));
  }
});
`;
