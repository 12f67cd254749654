// verifyLedger from the built package replays on a worker thread with a capped heap (tests otherwise
// run from sources, where it replays in-process): both must give the same report and the same errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { verifyLedger as verifyBuilt } from '../dist/index.js';
import { createStoryLedger, DIGESTS, people, tempDir } from './helpers.js';
import { behindTriggers } from './raw-sqlite.js';

/** A ledger with a few items, and a copy of it changed by `sql` with the records triggers dropped. */
async function ledgerAndCopy(dir: string, name: string, sql: string): Promise<{ path: string; copy: string }> {
  const path = join(dir, `${name}.db`);
  const ledger = createStoryLedger(path);
  for (let i = 0; i < 40; i++) {
    ledger.append({ type: 'item.register', item: `BB-${i}`, actor: 'budi', data: { kind: 'phone', description: `Ponsel ${i}`, digests: DIGESTS } }, people.budi);
  }
  ledger.close();
  const copy = join(dir, `${name}-changed.db`);
  const src = new Database(path);
  await src.backup(copy);
  src.close();
  const db = new Database(copy);
  behindTriggers(db, () => db.exec(sql));
  db.close();
  return { path, copy };
}

async function bothWays(path: string, heapMb?: number): Promise<void> {
  const progress: number[] = [];
  const inWorker = await verifyBuilt(path, { onProgress: (done) => progress.push(done), ...(heapMb === undefined ? {} : { replayHeapMb: heapMb }) });
  const inProcess = await verifyBuilt(path, { inProcess: true });
  assert.equal(inWorker, inProcess);
  assert.is(progress.at(-1), inProcess.size, 'progress arrives from the worker, up to the last record');
}

test('the worker thread and the calling thread give the same report, intact or not', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { path, copy } = await ledgerAndCopy(dir, 'flip', "UPDATE records SET leaf = CAST(replace(CAST(leaf AS TEXT), 'Ponsel 7', 'Ponsel 8') AS BLOB) WHERE seq = 13");
    await bothWays(path);
    assert.ok((await verifyBuilt(path)).ok);
    await bothWays(copy);
    const report = await verifyBuilt(copy);
    assert.not.ok(report.ok);
    assert.is(report.failures[0]!.seq, 13);
    const deleted = await ledgerAndCopy(dir, 'gap', 'DELETE FROM records WHERE seq = 20; UPDATE items SET custodian = \'sari\' WHERE id = \'BB-3\'');
    await bothWays(deleted.copy);
  } finally {
    cleanup();
  }
});

test('a heap cap too small for the state: the replay runs again in-process, same report', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { path, copy } = await ledgerAndCopy(dir, 'small', "UPDATE records SET actor = 'sari' WHERE seq = 9");
    await bothWays(path, 1);
    await bothWays(copy, 1);
  } finally {
    cleanup();
  }
});

test('a file damaged inside gets the same answer from the worker as in process: LEDGER_DAMAGED, or the same CustodyError', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { path } = await ledgerAndCopy(dir, 'damaged', 'SELECT 1');
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Overwrite the second half of the file (the records' pages), keeping its header intact.
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(size / 2, 0xa5), 0, size / 2, size / 2);
    closeSync(fd);
    const outcome = async (inProcess: boolean): Promise<string> => {
      try {
        const report = await verifyBuilt(path, { inProcess });
        return `report ok=${report.ok} ${report.failures.map((f) => f.code).join(',')}`;
      } catch (e) {
        return `${(e as Error).name} ${(e as { code?: string }).code}: ${(e as Error).message}`;
      }
    };
    const inWorker = await outcome(false);
    assert.is(inWorker, await outcome(true));
    // SQLite's corruption found while the replay reads is a finding (not intact); found while
    // opening, an error. Either way the worker passes it back unchanged.
    assert.match(inWorker, /^(CustodyError LEDGER_|report ok=false LEDGER_DAMAGED)/);
  } finally {
    cleanup();
  }
});

test.run();
