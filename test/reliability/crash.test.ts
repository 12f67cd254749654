// Crash harness: child processes append (one record, or batches of 25), sign checkpoints between
// appends, and import bundles, and are killed with SIGKILL at seeded random moments — some during
// start-up, most in the middle of work. After every kill the ledger opens for writing (recovering
// the WAL), verifies, and holds every record and checkpoint the child acknowledged. Bounded: 64 kills
// (RELIABILITY_SCALE multiplies it), on a new ledger every 32 kills; RELIABILITY_SEED repeats a run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { Ledger, listCheckpoints, verifyLedger } from '../../packages/ledger/src/index.js';
import { tempDir } from '../../packages/ledger/test/helpers.js';
import { createStoryLedger, partnerBundle } from './fixtures.js';
import { figure, random, SCALE, seedFor, spawnChild } from './helpers.js';
import { openRaw } from '../../packages/ledger/test/raw-sqlite.js';

const MODES = ['single', 'batch', 'checkpoint', 'import'] as const;
const KILLS_PER_MODE = 16 * SCALE;
const LEDGER_ROUNDS = 32;
const seed = seedFor('crash', 20261129);

interface Run {
  readonly acked: string[];
  readonly checkpoints: number[];
  readonly signal: string | null;
  readonly code: number | null;
  readonly stderr: string;
}

/** killedRun starts a worker and kills it `delayMs` after its first acknowledgement (or after spawn). */
function killedRun(args: string[], delayMs: number, fromSpawn: boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawnChild('worker.ts', args);
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => void (timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs));
    if (fromSpawn) arm();
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      arm();
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = out.split('\n');
      resolve({
        acked: lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4)),
        checkpoints: lines.filter((l) => l.startsWith('cp ')).map((l) => Number(l.slice(3))),
        signal,
        code,
        stderr: err,
      });
    });
  });
}

let kills = 0;
let ackedTotal = 0;
let checkpointsTotal = 0;

/** crashMode runs KILLS_PER_MODE killed children of one mode on a ledger of its own. */
async function crashMode(mode: (typeof MODES)[number], rand: () => number): Promise<void> {
  {
    const { dir, cleanup } = tempDir('custody-crash-');
    try {
      const extra = mode === 'import' ? (({ bundlePath, verifierKey }) => [bundlePath, verifierKey])(partnerBundle(dir)) : [];
      let path = '';
      let acked: string[] = [];
      let checkpoints: number[] = [];
      for (let round = 0; round < KILLS_PER_MODE; round++) {
        // A new ledger every 32 kills keeps each verification (and a long run) bounded.
        if (round % LEDGER_ROUNDS === 0) {
          ackedTotal += acked.length;
          checkpointsTotal += checkpoints.length;
          path = join(dir, `custody-${round}.db`);
          createStoryLedger(path).close();
          acked = [];
          checkpoints = [];
        }
        const fromSpawn = rand() < 0.25;
        const delay = Math.floor(rand() * (fromSpawn ? 700 : 250));
        const r = await killedRun([path, mode, `${mode[0]}${round}`, '1000000', ...extra], delay, fromSpawn);
        const where = `${mode} round ${round} (seed ${seed}, delay ${delay} ms${fromSpawn ? ' from spawn' : ''})`;
        assert.is(r.signal, 'SIGKILL', `${where}: the child was killed, not ended (${r.code}: ${r.stderr.slice(0, 500)})`);
        kills++;
        acked.push(...r.acked);
        checkpoints.push(...r.checkpoints);
        const ledger = Ledger.open(path);
        try {
          for (const item of acked) assert.ok(ledger.item(item), `${where}: acknowledged ${item} survived`);
          // All or nothing: a batch of 25 is whole, and every import kept its bundle in the same transaction.
          const prefix = `${mode[0]}${round}-`;
          const written = ledger.items().filter((i) => i.id.startsWith(prefix)).length;
          if (mode === 'batch') assert.is(written % 25, 0, `${where}: ${written} records of this round's batches: only whole batches`);
          const raw = openRaw(path, { readonly: true });
          const imports = raw.prepare("SELECT (SELECT count(*) FROM imports) AS kept, (SELECT count(*) FROM records WHERE type = 'item.import') AS recorded").get() as { kept: number; recorded: number };
          raw.close();
          assert.is(imports.kept, imports.recorded, `${where}: every import record has its bundle`);
          const stored = new Set(listCheckpoints(ledger).map((c) => c.size));
          for (const size of checkpoints) assert.ok(stored.has(size), `${where}: acknowledged checkpoint of ${size} survived`);
        } finally {
          ledger.close();
        }
        const report = await verifyLedger(path, { threads: 0 });
        assert.equal(report.failures, [], `${where}: verifies`);
        assert.ok(report.ok);
      }
      assert.ok(acked.length >= Math.min(KILLS_PER_MODE, LEDGER_ROUNDS) / 2, `${mode}: work was acknowledged between kills (${acked.length})`);
      if (mode === 'checkpoint') assert.ok(checkpoints.length > 0, 'checkpoints were acknowledged');
      ackedTotal += acked.length;
      checkpointsTotal += checkpoints.length;
    } finally {
      cleanup();
    }
  }
}

test(`${4 * KILLS_PER_MODE} SIGKILLs at random moments (appends, batches, checkpoints, imports) lose nothing acknowledged and leave a ledger that verifies`, async () => {
  // Two modes at a time, each with its own seeded stream so a run repeats whatever the interleaving.
  const streams = MODES.map((_, i) => random(seed + i));
  for (let i = 0; i < MODES.length; i += 2) await Promise.all(MODES.slice(i, i + 2).map((mode, j) => crashMode(mode, streams[i + j]!)));
});

test.after(async () => {
  await figure('crash', { seed, kills, acknowledged: ackedTotal, checkpoints: checkpointsTotal, lost: 0 });
});
test.run();
