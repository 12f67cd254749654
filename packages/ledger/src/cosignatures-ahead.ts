/**
 * Cosignatures of a batch verified ahead, on another thread. A cosignature is over the
 * position-free statement (DESIGN §4), so every one in a batch can be checked before its record is
 * placed, while the appending thread signs the records one after another. The answers stand only
 * for "this signature verifies over exactly these bytes under exactly this key": the append still
 * decides which key must have signed which bytes, and asks through its Crypto, which answers from
 * here when the same question was asked ahead and verifies itself otherwise (so a batch never waits).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { currentKey, equalBytes, parseBase64, statementSigningBytes, toHex, type CustodyView, type Crypto, type RecordInput } from '@custody/core';
import { KEY_OBJECTS_SOURCE } from './verify-pool.js';

/** Below this many cosignatures a batch verifies its own: handing them over costs more than it saves. */
const MIN_AHEAD = 16;

// Jobs arrive packed (keys 32 bytes each, signatures 64, messages concatenated with end offsets);
// each answer goes into the shared status array as soon as it is known: 1 valid, 2 not valid.
const WORKER_SOURCE = `${KEY_OBJECTS_SOURCE}
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ status, keyBytes, sigBytes, msgBytes, msgEnds }) => {
  const states = new Int32Array(status), k = Buffer.from(keyBytes), s = Buffer.from(sigBytes), m = Buffer.from(msgBytes);
  const ends = new Uint32Array(msgEnds);
  let start = 0;
  for (let i = 0; i < states.length; i++) {
    let ok = false;
    try {
      const key = keyObject(k.subarray(i * 32, i * 32 + 32));
      ok = key !== null && verify(null, m.subarray(start, ends[i]), key, s.subarray(i * 64, i * 64 + 64));
    } catch { ok = false; }
    start = ends[i];
    Atomics.store(states, i, ok ? 1 : 2);
  }
});
`;

interface Job {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** One thread per ledger connection, started on the first batch that needs it. */
export class CosignatureChecker {
  #worker: Worker | undefined;

  /**
   * ahead sends the batch's cosignatures to be verified — each under its cosigner's current key in
   * `view`, over the statement its input describes — and returns the Crypto for the batch's appends.
   * Returns `crypto` itself when there is too little to gain.
   */
  ahead(view: CustodyView, origin: string, inputs: readonly RecordInput[], crypto: Crypto): Crypto {
    if (availableParallelism() < 2) return crypto;
    const jobs: Job[] = [];
    for (const input of inputs) {
      // Without its time the statement is not known before the append stamps it.
      if (input.cosigs === undefined || input.time === undefined) continue;
      let message: Uint8Array;
      try {
        message = statementSigningBytes({
          v: 1,
          log: origin,
          time: input.time,
          ...(input.zone === undefined ? {} : { zone: input.zone }),
          type: input.type,
          item: input.item,
          actor: input.actor,
          data: input.data,
        });
      } catch {
        continue; // not JSON the protocol can sign: its append refuses it, in its turn
      }
      for (const { id, sig } of input.cosigs) {
        const cosigner = view.identity(id);
        const key = cosigner === undefined ? null : currentKey(cosigner);
        if (key === null) continue;
        try {
          const publicKey = parseBase64(key, 32);
          const signature = parseBase64(sig, 64);
          jobs.push({ publicKey, message, signature });
        } catch {
          // Not even well-formed: the append says so itself.
        }
      }
    }
    if (jobs.length < MIN_AHEAD) return crypto;
    return new AnsweredAhead(crypto, jobs, this.#send(jobs));
  }

  /** close stops the thread. */
  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = undefined;
  }

  #send(jobs: readonly Job[]): Int32Array {
    if (this.#worker === undefined) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 } });
      worker.unref(); // an idle checker never keeps the process alive
      // A thread that dies leaves its answers unset: the append verifies those itself, and the
      // next batch starts another thread.
      worker.on('error', () => {
        if (this.#worker === worker) this.#worker = undefined;
      });
      this.#worker = worker;
    }
    const status = new SharedArrayBuffer(4 * jobs.length);
    const keyBytes = new Uint8Array(32 * jobs.length);
    const sigBytes = new Uint8Array(64 * jobs.length);
    const msgEnds = new Uint32Array(jobs.length);
    const parts: Uint8Array[] = [];
    let end = 0;
    jobs.forEach((job, i) => {
      keyBytes.set(job.publicKey, 32 * i);
      sigBytes.set(job.signature, 64 * i);
      parts.push(job.message);
      end += job.message.length;
      msgEnds[i] = end;
    });
    const msgBytes = new Uint8Array(end);
    let offset = 0;
    for (const part of parts) {
      msgBytes.set(part, offset);
      offset += part.length;
    }
    const buffers = [keyBytes.buffer, sigBytes.buffer, msgBytes.buffer, msgEnds.buffer] as ArrayBuffer[];
    this.#worker.postMessage({ status, keyBytes: buffers[0], sigBytes: buffers[1], msgBytes: buffers[2], msgEnds: buffers[3] }, buffers);
    return new Int32Array(status);
  }
}

/** The batch's Crypto: verify answers from the other thread when it already has, for the same bytes. */
export class AnsweredAhead implements Crypto {
  readonly #crypto: Crypto;
  readonly #jobs: readonly Job[];
  readonly #status: Int32Array;
  /** Signature (hex) → the jobs with that signature. */
  readonly #bySignature = new Map<string, number[]>();

  constructor(crypto: Crypto, jobs: readonly Job[], status: Int32Array) {
    this.#crypto = crypto;
    this.#jobs = jobs;
    this.#status = status;
    jobs.forEach((job, i) => {
      const id = toHex(job.signature);
      const same = this.#bySignature.get(id);
      if (same === undefined) this.#bySignature.set(id, [i]);
      else same.push(i);
    });
  }

  /** pending is the number of cosignatures the other thread has not answered yet. */
  get pending(): number {
    let pending = 0;
    for (let i = 0; i < this.#status.length; i++) if (Atomics.load(this.#status, i) === 0) pending++;
    return pending;
  }

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    for (const i of this.#bySignature.get(toHex(signature)) ?? []) {
      const job = this.#jobs[i]!;
      if (!equalBytes(job.publicKey, publicKey) || !equalBytes(job.message, message)) continue;
      const answer = Atomics.load(this.#status, i);
      if (answer !== 0) return answer === 1;
    }
    return this.#crypto.verify(signature, message, publicKey);
  }

  sha256(data: Uint8Array): Uint8Array {
    return this.#crypto.sha256(data);
  }

  publicKey(secretKey: Uint8Array): Uint8Array {
    return this.#crypto.publicKey(secretKey);
  }

  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
    return this.#crypto.sign(message, secretKey);
  }
}
