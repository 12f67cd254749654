// Concurrency: library processes (single and batch appenders, a checkpoint signer, readers) and CLI
// processes (`custody item register`, `custody checkpoint`, `custody verify`) work on one ledger file
// at once. Afterwards: one chain, seq 0..n−1 with no gap, every acknowledged record present once,
// every checkpoint stored and consistent, and the ledger verifies. And a writer held in a
// transaction by another process makes a CLI append give up after --lock-timeout with exit 3 and a
// one-line message, while readers go on and nothing is written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { keyPairFromSeed, Ledger, listCheckpoints, verifyLedger, writeKeyFile } from '../../packages/ledger/src/index.js';
import { tempDir } from '../../packages/ledger/test/helpers.js';
import { custody, LOW_COST, PASSPHRASE } from '../../cli/test/helpers.js';
import { createStoryLedger } from './fixtures.js';
import { figure, SCALE, spawnChild } from './helpers.js';
import { openRaw } from '../../packages/ledger/test/raw-sqlite.js';

interface Done {
  readonly lines: string[];
  readonly code: number | null;
  readonly stderr: string;
}

function worker(args: string[]): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawnChild('worker.ts', args);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('close', (code) => resolve({ lines: out.split('\n').filter((l) => l !== ''), code, stderr: err }));
  });
}

/** Key files for budi and the ledger key (fixed seeds, as in the story ledger), cheap to open. */
function keyFiles(dir: string): { budi: string; ledger: string } {
  const budi = join(dir, 'budi.key');
  const ledger = join(dir, 'ledger.key');
  writeKeyFile(budi, keyPairFromSeed(new Uint8Array(32).fill(3)), PASSPHRASE, LOW_COST);
  writeKeyFile(ledger, keyPairFromSeed(new Uint8Array(32).fill(1)), PASSPHRASE, LOW_COST);
  return { budi, ledger };
}

test('library and CLI processes appending, checkpointing and reading at once make one chain with nothing lost', async () => {
  const { dir, cleanup } = tempDir('custody-concurrency-');
  try {
    const path = join(dir, 'custody.db');
    createStoryLedger(path).close();
    const keys = keyFiles(dir);
    const env = { CUSTODY_DB: path, CUSTODY_PASSPHRASE: PASSPHRASE };
    const perWriter = 150 * SCALE;
    const cliAppends = 8 * SCALE;
    const cliAppender = async (prefix: string): Promise<string[]> => {
      const acked: string[] = [];
      for (let i = 0; i < cliAppends; i++) {
        const item = `${prefix}-${i}`;
        const r = await custody(['item', 'register', item, '--kind', 'phone', '--description', 'Ponsel', '--digest', `sha256:${'ab'.repeat(32)}`, '--key', keys.budi, '--lock-timeout', '60'], env);
        assert.is(r.status, 0, r.stderr);
        acked.push(item);
      }
      return acked;
    };
    const cliCheckpoints = async (): Promise<number> => {
      for (let i = 0; i < 3 * SCALE; i++) {
        const r = await custody(['checkpoint', '--key', keys.ledger, '--lock-timeout', '60'], env);
        assert.is(r.status, 0, r.stderr);
      }
      return 3 * SCALE;
    };
    const cliVerifies = async (): Promise<number> => {
      for (let i = 0; i < 3 * SCALE; i++) {
        const r = await custody(['verify'], env);
        assert.is(r.status, 0, r.stdout + r.stderr);
      }
      return 3 * SCALE;
    };
    const [single1, single2, batch, checkpointer, reader, cli1, cli2] = await Promise.all([
      worker([path, 'single', 'S1', String(perWriter)]),
      worker([path, 'single', 'S2', String(perWriter)]),
      worker([path, 'batch', 'B', String(perWriter)]),
      worker([path, 'checkpoint', 'C', String(perWriter / 3)]),
      worker([path, 'reader', 'R', String(perWriter)]),
      cliAppender('CLI1'),
      cliAppender('CLI2'),
      cliCheckpoints(),
      cliVerifies(),
    ]);
    for (const w of [single1, single2, batch, checkpointer, reader]) assert.is(w.code, 0, w.stderr);
    const acked = [...[single1, single2, batch, checkpointer].flatMap((w) => w.lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4))), ...cli1, ...cli2];
    assert.is(new Set(acked).size, acked.length, 'no item acknowledged twice');
    // Reads only ever saw the ledger grow.
    const seen = reader.lines.map((l) => Number(l.slice(5)));
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]!), 'a reader never saw the ledger shrink');

    const ledger = Ledger.open(path);
    try {
      const records = [...ledger.records()];
      assert.equal(records.map((r) => r.seq), records.map((_, i) => i), 'seq 0..n-1, no gap');
      const registered = records.filter((r) => r.record.type === 'item.register').map((r) => r.record.item);
      assert.is(new Set(registered).size, registered.length, 'no record twice');
      assert.equal(new Set(registered), new Set(acked), 'every acknowledged append is there, and nothing else');
      for (let i = 1; i < records.length; i++) assert.is(records[i]!.record.prev, records[i - 1]!.leafHash, `record ${i} links to ${i - 1}: no fork`);
      const cps = listCheckpoints(ledger);
      const signed = checkpointer.lines.filter((l) => l.startsWith('cp ')).map((l) => Number(l.slice(3)));
      for (const size of signed) assert.ok(cps.some((c) => c.size === size), `checkpoint ${size} stored`);
    } finally {
      ledger.close();
    }
    const report = await verifyLedger(path, { threads: 1 });
    assert.equal(report.failures, []);
    assert.ok(report.ok);
    await figure('concurrency', { processes: 9, libraryWriters: 4, cliWriters: 2, readers: 2, acknowledged: acked.length, records: report.size, lost: 0 });
  } finally {
    cleanup();
  }
});

test('a database held by another writer: the CLI gives up after --lock-timeout with exit 3 and one line, readers go on, nothing is written', async () => {
  const { dir, cleanup } = tempDir('custody-lock-');
  try {
    const path = join(dir, 'custody.db');
    createStoryLedger(path).close();
    const keys = keyFiles(dir);
    const env = { CUSTODY_DB: path, CUSTODY_PASSPHRASE: PASSPHRASE };
    const opened = Ledger.open(path);
    const size = opened.size();
    opened.close();
    const holder = openRaw(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const append = ['item', 'register', 'BB-L', '--kind', 'phone', '--description', 'Ponsel', '--digest', `sha256:${'ab'.repeat(32)}`, '--key', keys.budi, '--lock-timeout', '1'];
      const [text, json, cp, verify] = await Promise.all([
        custody(append, env),
        custody([...append, '--json'], env),
        custody(['checkpoint', '--key', keys.ledger, '--lock-timeout', '1'], env),
        custody(['verify'], env),
      ]);
      const elapsed = Date.now() - started;
      assert.is(text.status, 3, text.stderr);
      assert.is(text.stdout, '');
      assert.is(text.stderr.trimEnd().split('\n').length, 1, `one line: ${text.stderr}`);
      assert.is(json.status, 3);
      assert.is((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'LEDGER_LOCKED');
      assert.is(cp.status, 3, cp.stderr);
      assert.is(cp.stderr.trimEnd().split('\n').length, 1, `one line: ${cp.stderr}`);
      assert.ok(elapsed >= 1000, `waited for the timeout (${elapsed} ms)`);
      assert.is(verify.status, 0, `a reader is not blocked: ${verify.stdout}${verify.stderr}`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const ledger = Ledger.open(path, { readonly: true });
    assert.is(ledger.size(), size, 'nothing was written');
    assert.is(listCheckpoints(ledger).length, 0, 'no checkpoint was stored');
    ledger.close();
    assert.ok((await verifyLedger(path, { threads: 0 })).ok);
  } finally {
    cleanup();
  }
});

test.run();
