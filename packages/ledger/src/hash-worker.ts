/**
 * The worker threads of evidence-hash.ts. Each worker is one "lane" that runs some of the requested
 * algorithms over chunks the main thread has read into a small ring of shared buffers; HashLanes
 * is the main thread's side, and planLanes balances the algorithms between lanes.
 *
 * A worker is started from source text (`new Worker(HASH_WORKER_SOURCE, { eval: true })`) rather
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
import { createHash, randomFillSync } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { type DigestAlgorithm, type Digests, DigestAlgorithms } from '@custody/core';

/** The algorithms a lane can run: those node:crypto has, under the same names. */
export type NodeDigestAlgorithm = Exclude<DigestAlgorithm, 'blake3'>;

/**
 * Worker threads, each running some of the algorithms over chunks in a shared ring. The main
 * thread reads chunk k into a free slot and posts it to every lane; a slot is free again once every
 * lane has answered for it. Each lane answers in order, so the digest request, posted after the last
 * chunk, is answered after that lane has hashed everything.
 */
export class HashLanes {
  readonly #workers: Worker[];
  readonly #ring: Uint8Array;
  readonly #chunkBytes: number;
  readonly #busy: Int32Array; // lanes still hashing each slot
  readonly #length: Float64Array; // bytes in each slot
  readonly #free: number[] = [];
  #digests: (Record<string, string> | undefined)[] = [];
  #done = 0;
  #onBytes: (done: number) => void = () => {};
  #wake: (() => void) | undefined;
  #failed = false;
  #failure: unknown;
  #closing = false;
  broken = false;

  constructor(lanes: NodeDigestAlgorithm[][], chunkBytes: number, slots: number) {
    const buffer = new SharedArrayBuffer(chunkBytes * slots);
    this.#ring = new Uint8Array(buffer);
    this.#chunkBytes = chunkBytes;
    this.#busy = new Int32Array(slots);
    this.#length = new Float64Array(slots);
    for (let s = 0; s < slots; s++) this.#free.push(s);
    this.#workers = lanes.map((algorithms, lane) => {
      const workerData: HashWorkerData = { buffer, algorithms };
      const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData });
      worker.on('message', (reply: HashWorkerReply) => this.#onReply(lane, reply));
      worker.on('error', (e) => this.#fail(e));
      worker.on('exit', (code) => this.#closing || this.#fail(new Error(`A hash worker exited with code ${code}.`)));
      return worker;
    });
  }

  async hash(handle: FileHandle, onBytes: (done: number) => void): Promise<{ digests: Digests; bytesRead: number }> {
    try {
      this.#done = 0;
      this.#onBytes = onBytes;
      this.#digests = this.#workers.map(() => undefined);
      let position = 0;
      for (;;) {
        while (this.#free.length === 0) await this.#event();
        const slot = this.#free.shift()!;
        const offset = slot * this.#chunkBytes;
        const { bytesRead } = await handle.read(this.#ring, offset, this.#chunkBytes, position);
        this.#check();
        if (bytesRead === 0) {
          this.#free.unshift(slot);
          break;
        }
        position += bytesRead;
        this.#length[slot] = bytesRead;
        this.#busy[slot] = this.#workers.length;
        const update: HashWorkerRequest = { op: 'update', slot, offset, length: bytesRead };
        for (const worker of this.#workers) worker.postMessage(update);
      }
      const digest: HashWorkerRequest = { op: 'digest' };
      for (const worker of this.#workers) worker.postMessage(digest);
      while (this.#digests.some((d) => d === undefined)) await this.#event();
      this.#check();
      const merged: { [A in DigestAlgorithm]?: string } = {};
      for (const a of DigestAlgorithms) {
        for (const d of this.#digests) if (d?.[a] !== undefined) merged[a] = d[a];
      }
      return { digests: merged, bytesRead: position };
    } catch (e) {
      this.broken = true; // chunks may still be in flight: this ring cannot hash another file
      throw e;
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #onReply(lane: number, reply: HashWorkerReply): void {
    if (typeof reply === 'number') {
      if (--this.#busy[reply]! === 0) {
        this.#free.push(reply);
        this.#done += this.#length[reply]!;
        try {
          this.#onBytes(this.#done);
        } catch (e) {
          this.#fail(e); // the caller's progress callback threw: reject hash() with it, as on this thread
        }
      }
    } else {
      this.#digests[lane] = reply;
    }
    this.#notify();
  }

  #fail(e: unknown): void {
    if (!this.#failed) this.#failure = e;
    this.#failed = true;
    this.broken = true;
    this.#notify();
  }

  #check(): void {
    if (this.#failed) throw this.#failure;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #event(): Promise<void> {
    this.#check();
    await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#check();
  }
}

const measuredCosts = new Map<NodeDigestAlgorithm, number>();

/**
 * planLanes splits the algorithms between at most `threads` lanes so the slowest lane is as fast
 * as it can be (longest processing time first). Costs are measured once per process on 1 MiB,
 * because they differ between CPUs: SHA-256 is the fastest here with SHA-NI and the slowest without.
 */
export function planLanes(algorithms: NodeDigestAlgorithm[], threads: number): NodeDigestAlgorithm[][] {
  const count = Math.min(threads, algorithms.length);
  if (count === algorithms.length) return algorithms.map((a) => [a]);
  const costs = measureCosts(algorithms);
  const lanes = Array.from({ length: count }, () => ({ algorithms: [] as NodeDigestAlgorithm[], cost: 0 }));
  for (const a of [...algorithms].sort((x, y) => costs.get(y)! - costs.get(x)!)) {
    const lightest = lanes.reduce((min, lane) => (lane.cost < min.cost ? lane : min));
    lightest.algorithms.push(a);
    lightest.cost += costs.get(a)!;
  }
  return lanes.map((lane) => lane.algorithms);
}

/** Milliseconds per MiB of each algorithm on this thread, best of three, measured once per process. */
function measureCosts(algorithms: readonly NodeDigestAlgorithm[]): Map<NodeDigestAlgorithm, number> {
  const sample = randomFillSync(new Uint8Array(1024 * 1024));
  for (const a of algorithms) {
    if (measuredCosts.has(a)) continue;
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      createHash(a).update(sample).digest();
      best = Math.min(best, performance.now() - started);
    }
    measuredCosts.set(a, best);
  }
  return measuredCosts;
}

/** What the main thread passes as `workerData`. */
interface HashWorkerData {
  readonly buffer: SharedArrayBuffer;
  readonly algorithms: readonly string[];
}

/** Messages from the main thread to a lane. */
type HashWorkerRequest =
  | { readonly op: 'update'; readonly slot: number; readonly offset: number; readonly length: number }
  | { readonly op: 'digest' };

/** Messages from a lane: a released slot, or the digests of one file. */
type HashWorkerReply = number | { readonly [algorithm: string]: string };

const HASH_WORKER_SOURCE = `'use strict';
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
