// End to end: `key generate` and `init` hold the passphrase of a new key file to the rule of
// checkPassphraseStrength (12 characters, not one character repeated): weaker is PASSPHRASE_WEAK,
// exit 2, and nothing is written; --allow-weak-passphrase is the only way around it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyFile } from '@custody/ledger';
import { checkOutput, custody, tempDir } from './helpers.js';

const { dir, cleanup } = tempDir('custody-passphrase-');
const INIT = ['init', '--origin', 'ledger.uji.polri.go.id/2026', '--name', 'Register Uji', '--agency', 'Polri'];

/** refused runs a command that must fail with PASSPHRASE_WEAK and exit 2. */
async function refused(args: string[], passphrase: string, reason: string): Promise<void> {
  const r = await custody([...args, '--json'], { CUSTODY_PASSPHRASE: passphrase });
  assert.is(r.status, 2, r.stdout + r.stderr);
  const error = checkOutput('error', r.stdout)['error'] as { code: string; details: Record<string, unknown> };
  assert.is(error.code, 'PASSPHRASE_WEAK');
  assert.is(error.details['reason'], reason);
  assert.not.ok(r.stdout.includes(passphrase) || r.stderr.includes(passphrase), 'the passphrase is not echoed');
}

test('key generate refuses a short or one-character passphrase with PASSPHRASE_WEAK, in either language, and writes nothing', async () => {
  const sub = join(dir, 'weak-generate');
  mkdirSync(sub);
  const out = join(sub, 'budi.key');
  await refused(['key', 'generate', '--out', out], 'rahasiaku', 'too-short');
  await refused(['key', 'generate', '--out', out], 'z'.repeat(20), 'one-character');
  const id = await custody(['key', 'generate', '--out', out, '--lang', 'id'], { CUSTODY_PASSPHRASE: 'rahasiaku' });
  assert.is(id.status, 2);
  assert.match(id.stderr, /^custody: .+\n$/);
  assert.equal(readdirSync(sub), []);
});

test('key generate accepts a passphrase of a few words, and --allow-weak-passphrase a weak one', async () => {
  const strong = join(dir, 'strong.key');
  const a = await custody(['key', 'generate', '--out', strong, '--json'], { CUSTODY_PASSPHRASE: 'gudang lemari tujuh segel' });
  assert.is(a.status, 0, a.stderr);
  assert.is(readKeyFile(strong, 'gudang lemari tujuh segel').fingerprint, checkOutput('key-generate', a.stdout)['fingerprint']);
  const weak = join(dir, 'weak.key');
  const b = await custody(['key', 'generate', '--out', weak, '--allow-weak-passphrase', '--json'], { CUSTODY_PASSPHRASE: 'uji' });
  assert.is(b.status, 0, b.stderr);
  assert.is(readKeyFile(weak, 'uji').fingerprint, checkOutput('key-generate', b.stdout)['fingerprint']);
});

test('init refuses a weak passphrase for the ledger key before anything is written, and takes --allow-weak-passphrase', async () => {
  const db = join(dir, 'weak.db');
  const key = join(dir, 'weak-ledger.key');
  await refused([...INIT, '--db', db, '--key-out', key], 'ledger', 'too-short');
  assert.not.ok(existsSync(db) || existsSync(key));
  const r = await custody([...INIT, '--db', db, '--key-out', key, '--allow-weak-passphrase', '--json'], { CUSTODY_PASSPHRASE: 'ledger' });
  assert.is(r.status, 0, r.stderr);
  assert.is(readKeyFile(key, 'ledger').fingerprint, checkOutput('init', r.stdout)['fingerprint']);
});

test('a key file with a weak passphrase, written before the rule, still signs', async () => {
  const db = join(dir, 'old.db');
  const key = join(dir, 'old-ledger.key');
  const init = await custody([...INIT, '--db', db, '--key-out', key, '--allow-weak-passphrase'], { CUSTODY_PASSPHRASE: 'lama' });
  assert.is(init.status, 0, init.stderr);
  const cp = await custody(['checkpoint', '--db', db, '--key', key], { CUSTODY_PASSPHRASE: 'lama' });
  assert.is(cp.status, 0, cp.stderr);
});

test.after(cleanup);

test.run();
