/**
 * A pool of worker threads that verify Ed25519 signatures with node:crypto, so verification of a
 * large ledger uses every core while the main thread replays the custody rules in order.
 */
import { Worker } from 'node:worker_threads';
import type { SignatureJob } from '@custody/core';

// Started from source text so the same code runs from TypeScript sources (tests) and from dist.
// Batches arrive packed: keys (32 bytes each), signatures (64 each), messages concatenated with
// their end offsets; the reply lists the indexes that did not verify.
/**
 * Worker source that defines keyObject(bytes): the KeyObject of a 32-byte Ed25519 public key, or null
 * if OpenSSL refuses it, cached (building one costs as much as a verification).
 */
export const KEY_OBJECTS_SOURCE = `
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyObject(bytes) {
  const id = bytes.toString('hex');
  let key = keys.get(id);
  if (key === undefined) {
    try { key = createPublicKey({ key: Buffer.concat([SPKI, bytes]), format: 'der', type: 'spki' }); }
    catch { key = null; }
    if (keys.size > 4096) keys.clear();
    keys.set(id, key);
  }
  return key;
}
`;

const WORKER_SOURCE = `${KEY_OBJECTS_SOURCE}
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, count, keyBytes, sigBytes, sigLengths, msgBytes, msgEnds }) => {
  const k = Buffer.from(keyBytes), s = Buffer.from(sigBytes), m = Buffer.from(msgBytes);
  const ends = new Uint32Array(msgEnds), sigLen = new Uint8Array(sigLengths);
  const failed = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const key = keyObject(k.subarray(i * 32, i * 32 + 32));
    const sig = s.subarray(i * 64, i * 64 + sigLen[i]);
    const msg = m.subarray(start, ends[i]);
    start = ends[i];
    let ok = false;
    if (key !== null && sig.length === 64) { try { ok = verify(null, msg, key, sig); } catch { ok = false; } }
    if (!ok) failed.push(i);
  }
  parentPort.postMessage({ id, failed });
});
`;

/** A verifying worker holds one batch and a key cache: small heaps keep the process's memory bounded. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };

interface Pending {
  readonly jobs: readonly SignatureJob[];
  readonly resolve: (failed: SignatureJob[]) => void;
  readonly reject: (e: unknown) => void;
}

export class VerifyPool {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, Pending>();
  readonly #load: number[];
  #nextId = 0;

  constructor(threads: number) {
    this.#workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(WORKER_SOURCE, { eval: true, resourceLimits: WORKER_LIMITS }));
    this.#load = this.#workers.map(() => 0);
    this.#workers.forEach((worker, w) => {
      worker.on('message', ({ id, failed }: { id: number; failed: number[] }) => {
        const pending = this.#pending.get(id)!;
        this.#pending.delete(id);
        this.#load[w]!--;
        pending.resolve(failed.map((i) => pending.jobs[i]!));
      });
      worker.on('error', (e) => {
        for (const p of this.#pending.values()) p.reject(e);
        this.#pending.clear();
      });
    });
  }

  /** inFlight is the number of batches sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** verify sends a batch to the least-loaded worker; resolves with the jobs that did not verify. */
  verify(jobs: readonly SignatureJob[]): Promise<SignatureJob[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    let msgLength = 0;
    for (const job of jobs) msgLength += job.message.length;
    const keyBytes = new Uint8Array(jobs.length * 32);
    const sigBytes = new Uint8Array(jobs.length * 64);
    const sigLengths = new Uint8Array(jobs.length);
    const msgBytes = new Uint8Array(msgLength);
    const msgEnds = new Uint32Array(jobs.length);
    let offset = 0;
    jobs.forEach((job, i) => {
      // A key or signature of the wrong length never verifies: mark it with signature length 0.
      const wellFormed = job.publicKey.length === 32 && job.signature.length === 64;
      if (wellFormed) keyBytes.set(job.publicKey, i * 32);
      const sigLength = wellFormed ? 64 : 0;
      sigBytes.set(job.signature.subarray(0, sigLength), i * 64);
      sigLengths[i] = sigLength;
      msgBytes.set(job.message, offset);
      offset += job.message.length;
      msgEnds[i] = offset;
    });
    const id = this.#nextId++;
    let w = 0;
    for (let i = 1; i < this.#workers.length; i++) if (this.#load[i]! < this.#load[w]!) w = i;
    this.#load[w]!++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { jobs, resolve, reject });
      const buffers = [keyBytes.buffer, sigBytes.buffer, sigLengths.buffer, msgBytes.buffer, msgEnds.buffer];
      this.#workers[w]!.postMessage(
        { id, count: jobs.length, keyBytes: buffers[0], sigBytes: buffers[1], sigLengths: buffers[2], msgBytes: buffers[3], msgEnds: buffers[4] },
        buffers as ArrayBuffer[],
      );
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
