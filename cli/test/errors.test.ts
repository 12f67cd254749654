// End to end: every bad input a user can give gets one sentence on stderr (no stack trace), nothing
// on stdout, the documented exit status, nothing written to the ledger — and with --json, exactly
// one JSON document on stdout with ok false and the error's code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ledger } from '@custody/ledger';
import { checkOutput, custody, parallel, PASSPHRASE, world, type Run } from './helpers.js';
import { openRaw } from '../../packages/ledger/test/raw-sqlite.js';

const w = world();
const sizeBefore = w.size();
const notALedger = join(w.dir, 'notes.txt');
writeFileSync(notALedger, 'Ini bukan buku register.\n'.repeat(200));
const existing = join(w.dir, 'exists.jsonl');
writeFileSync(existing, 'x\n');
const SIG = `${'A'.repeat(85)}A==`;

interface Case {
  readonly name: string;
  readonly args: string[];
  readonly env?: Record<string, string | undefined>;
  readonly status: number;
  readonly code: string;
}

const budi = ['--key', w.key('budi')];
const cases: Case[] = [
  { name: 'an unknown item (status)', args: ['status', 'BB-404'], status: 2, code: 'ITEM_UNKNOWN' },
  { name: 'an unknown item (history)', args: ['history', 'BB-404'], status: 2, code: 'ITEM_UNKNOWN' },
  { name: 'an unknown item (item move)', args: ['item', 'move', 'BB-404', '--location', 'Gudang', ...budi], status: 2, code: 'ITEM_UNKNOWN' },
  { name: 'an unknown identity as receiver', args: ['transfer', 'BB-1', '--to', 'nobody', '--purpose', 'Uji', ...budi], status: 2, code: 'IDENTITY_UNKNOWN' },
  { name: 'an unknown identity (identity show)', args: ['identity', 'show', 'nobody'], status: 2, code: 'IDENTITY_UNKNOWN' },
  { name: 'a key that is nobody\'s enrolled key', args: ['item', 'move', 'BB-1', '--location', 'Gudang', '--key', w.key('eve')], status: 2, code: 'IDENTITY_UNKNOWN' },
  { name: 'the wrong passphrase', args: ['item', 'move', 'BB-1', '--location', 'Gudang', ...budi], env: { CUSTODY_PASSPHRASE: 'salah' }, status: 2, code: 'PASSPHRASE_WRONG' },
  { name: 'no passphrase and no terminal', args: ['item', 'move', 'BB-1', '--location', 'Gudang', ...budi], env: { CUSTODY_PASSPHRASE: undefined }, status: 2, code: 'USAGE' },
  { name: 'no key at all', args: ['item', 'move', 'BB-1', '--location', 'Gudang'], status: 2, code: 'USAGE' },
  { name: 'a transfer by someone who is not the custodian', args: ['transfer', 'BB-1', '--to', 'rudi', '--purpose', 'Uji', '--key', w.key('sari'), '--cosign-key', w.key('rudi')], env: { CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE }, status: 2, code: 'CUSTODY_RULE' },
  { name: 'a transfer without the receiver\'s signature', args: ['transfer', 'BB-1', '--to', 'sari', '--purpose', 'Uji', ...budi], status: 2, code: 'COSIGNATURE_MISSING' },
  { name: 'a transfer with a signature that does not verify', args: ['transfer', 'BB-1', '--to', 'sari', '--purpose', 'Uji', '--cosig', `sari:${SIG}`, ...budi], status: 2, code: 'COSIGNATURE_INVALID' },
  { name: 'a malformed --cosig', args: ['transfer', 'BB-1', '--to', 'sari', '--purpose', 'Uji', '--cosig', 'sari', ...budi], status: 2, code: 'USAGE' },
  { name: 'an accept by someone who is not the recipient', args: ['accept', 'BB-3', ...budi], status: 2, code: 'COSIGNATURE_MISSING' },
  { name: 'an accept by an officer cosigned by the wrong person', args: ['accept', 'BB-2', '--key', w.key('sari'), '--cosign-key', w.key('rudi')], env: { CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE }, status: 2, code: 'COSIGNATURE_MISSING' },
  { name: 'an accept of an item with no open offer', args: ['accept', 'BB-1', ...budi], status: 2, code: 'CUSTODY_RULE' },
  { name: 'an action on a disposed item', args: ['item', 'move', 'BB-4', '--location', 'Gudang', '--key', w.key('sari')], status: 2, code: 'CUSTODY_RULE' },
  { name: 'an action on an item in transit', args: ['item', 'move', 'BB-3', '--location', 'Gudang', '--key', w.key('sari')], status: 2, code: 'CUSTODY_RULE' },
  { name: 'an external identity appending', args: ['item', 'note', 'BB-2', '--text', 'Halo', '--key', w.key('fbi.doe')], status: 2, code: 'CUSTODY_RULE' },
  { name: 'an item registered twice', args: ['item', 'register', 'BB-1', '--kind', 'phone', '--description', 'Lagi', '--digest', `sha256:${'cd'.repeat(32)}`, ...budi], status: 2, code: 'ITEM_EXISTS' },
  { name: 'a file that does not exist (--file)', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--file', join(w.dir, 'nope.bin'), ...budi], status: 2, code: 'FILE_NOT_FOUND' },
  { name: 'a key file that does not exist', args: ['item', 'move', 'BB-1', '--location', 'Gudang', '--key', join(w.dir, 'nope.key')], status: 2, code: 'FILE_NOT_FOUND' },
  { name: 'a directory given as --file', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--file', w.dir, ...budi], status: 2, code: 'FILE_UNREADABLE' },
  { name: 'a malformed --digest (bad hex)', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--digest', 'sha256:xyz', ...budi], status: 2, code: 'HEX_INVALID' },
  { name: 'a malformed --digest (unknown algorithm)', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--digest', `sha-256:${'ab'.repeat(32)}`, ...budi], status: 2, code: 'SCHEMA_INVALID' },
  { name: 'a malformed --digest (no colon)', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--digest', 'ab'.repeat(32), ...budi], status: 2, code: 'SCHEMA_INVALID' },
  { name: 'only an MD5 digest', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--digest', `md5:${'ab'.repeat(16)}`, ...budi], status: 2, code: 'SCHEMA_INVALID' },
  { name: 'both --file and --dir', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', '--file', notALedger, '--dir', w.dir, ...budi], status: 2, code: 'USAGE' },
  { name: 'a single-valued option given twice', args: ['status', 'BB-1', '--db', w.db, '--db', w.db], status: 2, code: 'USAGE' },
  { name: 'no content at all', args: ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'X', ...budi], status: 2, code: 'USAGE' },
  { name: 'an item id the schema refuses', args: ['item', 'register', '../BB', '--kind', 'phone', '--description', 'X', '--digest', `sha256:${'ab'.repeat(32)}`, ...budi], status: 2, code: 'SCHEMA_INVALID' },
  { name: 'a database that is not a ledger', args: ['status', 'BB-1', '--db', notALedger], status: 2, code: 'LEDGER_NOT_A_LEDGER' },
  { name: 'a database that is not a ledger (verify)', args: ['verify', '--db', notALedger], status: 2, code: 'LEDGER_NOT_A_LEDGER' },
  { name: 'a database that does not exist', args: ['log', '--db', join(w.dir, 'nope.db')], status: 2, code: 'LEDGER_NOT_FOUND' },
  { name: 'init over an existing database', args: ['init', '--origin', 'x.polri.go.id/1', '--name', 'X', '--agency', 'Polri'], status: 2, code: 'LEDGER_EXISTS' },
  { name: 'export over an existing file', args: ['export', '--out', existing], status: 2, code: 'FILE_EXISTS' },
  { name: 'key generate over an existing file', args: ['key', 'generate', '--out', w.key('budi')], status: 2, code: 'FILE_EXISTS' },
  { name: 'a --time that is not RFC 3339 UTC', args: ['item', 'move', 'BB-1', '--location', 'Gudang', '--time', '28/11/2026 10:00', ...budi], status: 2, code: 'USAGE' },
  { name: 'a --zone this machine does not know', args: ['item', 'move', 'BB-1', '--location', 'Gudang', '--zone', 'Asia/Atlantis', ...budi], status: 2, code: 'USAGE' },
  { name: 'an unknown command', args: ['tranfser', 'BB-1'], status: 2, code: 'USAGE' },
  { name: 'an unknown option', args: ['status', 'BB-1', '--colour'], status: 2, code: 'USAGE' },
  { name: 'a missing required option', args: ['item', 'move', 'BB-1', ...budi], status: 2, code: 'USAGE' },
  { name: 'a bad choice', args: ['item', 'dispose', 'BB-1', '--method', 'burnt', '--authority', 'X', ...budi], status: 2, code: 'USAGE' },
];

let text: Run[] = [];
let json: Run[] = [];

test.before(async () => {
  const jobs = cases.flatMap((c) => [
    () => custody(c.args, { ...w.env, ...c.env }, w.dir),
    () => custody([...c.args, '--json'], { ...w.env, ...c.env }, w.dir),
  ]);
  const runs = await parallel(jobs, 8);
  text = runs.filter((_, i) => i % 2 === 0);
  json = runs.filter((_, i) => i % 2 === 1);
});

cases.forEach((c, i) => {
  test(`${c.name}: exit ${c.status}, one line on stderr, ${c.code} with --json`, () => {
    const t = text[i]!;
    assert.is(t.status, c.status, `${t.stderr}${t.stdout}`);
    assert.is(t.stdout, '', 'nothing on stdout');
    assert.match(t.stderr, /^custody: [^\n]+\n$/, 'one line on stderr');
    assert.not.match(t.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
    const j = json[i]!;
    assert.is(j.status, c.status);
    const doc = checkOutput('error', j.stdout);
    assert.is((doc['error'] as { code: string }).code, c.code, (doc['error'] as { message: string }).message);
  });
});

test('nothing was written by any of them', () => {
  assert.is(w.size(), sizeBefore);
});

test('messages follow --lang and LANG, in the glossary\'s terms', async () => {
  const [id, fromLang, en] = await Promise.all([
    custody(['status', 'BB-404', '--lang', 'id'], w.env),
    custody(['item', 'move', 'BB-4', '--location', 'Gudang', '--key', w.key('sari')], { ...w.env, LANG: 'id_ID.UTF-8' }),
    custody(['status', 'BB-404', '--lang', 'en'], { ...w.env, LANG: 'id_ID.UTF-8' }),
  ]);
  assert.is(id.stderr, 'custody: Tidak ada barang bukti "BB-404" di buku register ini.\n');
  assert.match(fromLang.stderr, /barang bukti "BB-4" sudah diselesaikan/);
  assert.is(en.stderr, 'custody: There is no item "BB-404" in this ledger.\n');
});

test('a locked database: exit 3, LEDGER_LOCKED, after --lock-timeout', async () => {
  const db = join(w.dir, 'locked.db');
  copyFileSync(w.db, db);
  const holder = openRaw(db);
  holder.exec('BEGIN IMMEDIATE');
  try {
    const args = ['item', 'move', 'BB-1', '--location', 'Gudang', '--db', db, '--lock-timeout', '0.2', ...budi];
    const [t, j] = await Promise.all([custody(args, w.env), custody([...args, '--json'], w.env)]);
    assert.is(t.status, 3, t.stderr);
    assert.match(t.stderr, /^custody: [^\n]*locked[^\n]*\n$/);
    assert.is(j.status, 3);
    assert.is((checkOutput('error', j.stdout)['error'] as { code: string }).code, 'LEDGER_LOCKED');
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  const after = Ledger.open(db, { readonly: true });
  assert.is(after.size(), sizeBefore);
  after.close();
});

test.after(w.cleanup);
test.run();
