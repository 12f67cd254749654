/**
 * Figures with absolute targets for the proof side of custody (issue 5 and 6), measured on a copy of
 * the bench's big ledger: an inclusion proof, a checkpoint after 1,000 appends, and the verification
 * of a bundle for one item with 50 records. Called by scripts/bench.ts.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkInclusion, verifyBundle } from '../packages/core/src/index.js';
import {
  exportBundle,
  formatBundle,
  keyPairFromSeed,
  Ledger,
  ledgerVerifierKey,
  nodeCrypto,
  proveRecordInclusion,
  signLedgerCheckpoint,
  type KeyPair,
} from '../packages/ledger/src/index.js';

export interface TimedFigure {
  readonly name: string;
  readonly unit: string;
  readonly runsMs: readonly number[];
  readonly limitMs: number;
  readonly details: Record<string, unknown>;
}

/**
 * proofFigures copies `bigPath` into `runDir` and measures there. `ledgerKey` and `officer` are the
 * big ledger's ledger key and one enrolled officer (id `officerId`).
 */
export function proofFigures(bigPath: string, runDir: string, ledgerKey: KeyPair, officerId: string, officer: KeyPair, runs: number): TimedFigure[] {
  const path = join(runDir, 'proofs.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  copyFileSync(bigPath, path);
  const ledger = Ledger.open(path);
  try {
    const size = ledger.size();
    const figures: TimedFigure[] = [];

    // 1. Inclusion proof of a random record at the full size, from stored hashes, checked.
    const root = ledger.rootHash(size);
    let seed = 7;
    const inclusion: number[] = [];
    for (let run = 0; run < Math.max(runs, 5) * 20; run++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const seq = seed % size;
      const t0 = performance.now();
      const proof = proveRecordInclusion(ledger, seq, size);
      inclusion.push(performance.now() - t0);
      checkInclusion(proof.proof, seq, size, proof.leafHash, root, nodeCrypto);
    }
    figures.push({ name: `inclusion proof at ${size.toLocaleString('en-US')} records`, unit: 'ms', runsMs: inclusion, limitMs: 5, details: { proofs: inclusion.length, hashesPerProof: Math.ceil(Math.log2(size)) } });

    // 2. A checkpoint after 1,000 new appends (the latest checkpoint is at the old size).
    const checkpointRuns: number[] = [];
    for (let run = 0; run < runs; run++) {
      signLedgerCheckpoint(ledger, ledgerKey.signer);
      const item = `BENCH-CP-${run}`;
      ledger.append({ type: 'item.register', item, actor: officerId, data: { kind: 'disk', description: 'Bench', digests: { sha256: 'ab'.repeat(32) } } }, officer.signer);
      const notes = Array.from({ length: 999 }, (_, i) => ({
        input: { type: 'item.note' as const, item, actor: officerId, data: { text: `Catatan ${i}` } },
        signer: officer.signer,
      }));
      ledger.appendBatch(notes);
      const t0 = performance.now();
      signLedgerCheckpoint(ledger, ledgerKey.signer);
      checkpointRuns.push(performance.now() - t0);
    }
    figures.push({ name: `checkpoint after 1,000 appends at ${size.toLocaleString('en-US')} records`, unit: 'ms', runsMs: checkpointRuns, limitMs: 50, details: {} });

    // 3. Verification of the bundle of one item with 50 records (in core, as a browser would).
    const item = 'BENCH-BUNDLE';
    ledger.append({ type: 'item.register', item, actor: officerId, data: { kind: 'phone', description: 'Bench', digests: { sha256: 'cd'.repeat(32) } } }, officer.signer);
    ledger.appendBatch(Array.from({ length: 49 }, (_, i) => ({ input: { type: 'item.note' as const, item, actor: officerId, data: { text: `Catatan ${i}` } }, signer: officer.signer })));
    signLedgerCheckpoint(ledger, ledgerKey.signer);
    const bytes = formatBundle(exportBundle(ledger, [item]));
    const trust = { logKeys: [ledgerVerifierKey(ledger)] };
    const bundleRuns: number[] = [];
    let ok = true;
    for (let run = 0; run < Math.max(runs, 5); run++) {
      const t0 = performance.now();
      ok &&= verifyBundle(bytes, trust, nodeCrypto).ok;
      bundleRuns.push(performance.now() - t0);
    }
    figures.push({
      name: `bundle verify, 50-record item in ${ledger.size().toLocaleString('en-US')} records`,
      unit: 'ms',
      runsMs: bundleRuns,
      limitMs: 100,
      details: { ok, bundleBytes: bytes.length, recordsInBundle: JSON.parse(new TextDecoder().decode(bytes)).records.length },
    });
    return figures;
  } finally {
    ledger.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}
