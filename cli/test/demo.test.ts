// End to end: `custody demo` tells the whole story on a new ledger, its database verifies, and the
// copy with one byte changed fails verification at the record that was changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutput, custody, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();

test('custody demo --json: the story, an intact ledger, and a tampered copy that fails at the changed record', async () => {
  const r = await custody(['demo', '--dir', join(dir, 'json'), '--json']);
  assert.is(r.status, 0, r.stderr);
  const doc = checkOutput('demo', r.stdout);
  assert.equal(doc['verify'], { ok: true, size: doc['size'], rootHash: (doc['verify'] as { rootHash: string }).rootHash });
  const tampered = doc['tamperedVerify'] as { ok: boolean; firstFailure: { seq: number; code: string } };
  assert.is(tampered.ok, false);
  assert.is(tampered.firstFailure.seq, 5, 'the register record, whose witness name was changed');
  assert.ok(existsSync(String(doc['db'])) && existsSync(String(doc['tampered'])));
  assert.equal(doc['truncatedVerify'], { alone: true, againstCheckpoint: false, failures: ['CHECKPOINT_MISMATCH'] }, 'deleted newest records show only against a checkpoint');
  assert.is(statSync(join(dir, 'json', 'phone-sample.bin')).size, 2 * 1024 * 1024);
  // The demo's ledger answers the commands it suggests.
  const env = { CUSTODY_DB: String(doc['db']) };
  const [verify, bad, badId, history] = await Promise.all([
    custody(['verify'], env),
    custody(['verify', '--db', String(doc['tampered'])], env),
    custody(['verify', '--db', String(doc['tampered']), '--lang', 'id'], env),
    custody(['history', 'BB/017/XI/2026/Dittipidsiber/IMG-1', '--lang', 'id'], env),
  ]);
  assert.is(verify.status, 0);
  assert.is(bad.status, 1);
  assert.match(bad.stdout, /First failing record: #5 /);
  assert.match(badId.stdout, /^Gagal verifikasi: /);
  assert.match(badId.stdout, /#5 SIGNATURE_INVALID: Tanda tangan "budi\.santoso" pada catatan 5 tidak sah\./);
  assert.match(history.stdout, /Pemegang: fbi\.dana\.miller/);
});

test('custody demo prints a readable story in Indonesian that ends with commands to try', async () => {
  const r = await custody(['demo', '--dir', join(dir, 'text'), '--lang', 'id']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /byte acak/);
  assert.match(r.stdout, /Serah terima \(BAST\) budi\.santoso → sari\.wulandari/);
  assert.match(r.stdout, /custody verify: \d+ catatan, utuh/);
  assert.match(r.stdout, /gagal verifikasi — catatan #5/);
  assert.match(r.stdout, /Coba selanjutnya:\n(  .+\n)+$/);
  assert.is(r.stderr, '');
});

test('custody demo refuses a directory that is not empty', async () => {
  writeFileSync(join(dir, 'busy'), 'x');
  const r = await custody(['demo', '--dir', dir]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^custody: The demo directory .* is not empty/);
});

test.after(cleanup);
test.run();
