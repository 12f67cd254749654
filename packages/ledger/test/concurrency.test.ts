import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ledger, verifyLedger } from '@custody/ledger';
import { createStoryLedger, tempDir } from './helpers.js';

const appender = fileURLToPath(new URL('./fixtures/appender.ts', import.meta.url));

/** runAppender starts a child appending to `path`; resolves with the acknowledged item ids. */
function runAppender(path: string, prefix: string, count: number, mode = 'single', killAfterMs?: number) {
  return new Promise<{ acked: string[]; code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', appender, path, prefix, String(count), mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      // Start the kill clock at the first acknowledged append, once the child is past start-up.
      if (killAfterMs !== undefined && timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const acked = out.split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
      resolve({ acked, code, signal, stderr: err });
    });
  });
}

test('four processes appending 500 records each at once make one chain, no gaps, all present', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const setup = createStoryLedger(path);
    const base = setup.size();
    setup.close();
    const runs = await Promise.all(['P1', 'P2', 'P3', 'P4'].map((p) => runAppender(path, p, 500)));
    for (const r of runs) assert.is(r.code, 0, r.stderr);
    const ledger = Ledger.open(path);
    assert.is(ledger.size(), base + 2000);
    for (const r of runs) for (const item of r.acked) assert.ok(ledger.item(item), `${item} is present`);
    const seqs = [...ledger.records()].map((r) => r.seq);
    assert.equal(seqs, Array.from({ length: base + 2000 }, (_, i) => i));
    ledger.close();
    const report = await verifyLedger(path);
    assert.equal(report.failures, []);
    assert.ok(report.ok);
  } finally {
    cleanup();
  }
});

test('a child killed with SIGKILL at random moments never loses an acknowledged append (20 kills)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    createStoryLedger(path).close();
    let seed = 20261128;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const acked: string[] = [];
    for (let round = 0; round < 20; round++) {
      const mode = round % 2 === 0 ? 'single' : 'batch';
      const r = await runAppender(path, `K${round}`, 100_000, mode, Math.floor(random() * 150));
      assert.is(r.signal, 'SIGKILL', `round ${round} was killed (${r.stderr})`);
      acked.push(...r.acked);
      const ledger = Ledger.open(path);
      for (const item of acked) assert.ok(ledger.item(item), `acknowledged ${item} survived round ${round}`);
      ledger.close();
      const report = await verifyLedger(path, { threads: 1 });
      assert.ok(report.ok, `round ${round}: ${JSON.stringify(report.failures.slice(0, 3))}`);
    }
    assert.ok(acked.length > 20, `appends were acknowledged (${acked.length})`);
  } finally {
    cleanup();
  }
});

test.run();
