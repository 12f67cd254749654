import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditLedger, isCustodyError } from '@custody/core';
import { Ledger, verifyLedger } from '@custody/ledger';
import { behindTriggers } from './raw-sqlite.js';
import { createStoryLedger, DIGESTS, people, tempDir, withCosigners } from './helpers.js';
import { code } from '../../core/test/error-code.js';

test('a new ledger holds its genesis, signed by the ledger key, and reopens', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    assert.is(ledger.size(), 6);
    assert.is(ledger.record(0).record.type, 'ledger.genesis');
    ledger.close();
    const again = Ledger.open(path);
    assert.is(again.origin, 'ledger.test.polri.go.id/2026');
    assert.is(again.identities().length, 6);
    assert.ok(auditLedger(again.leaves()).ok);
    again.close();
    const report = await verifyLedger(path);
    assert.equal(report.failures, []);
    assert.ok(report.ok);
  } finally {
    cleanup();
  }
});

test('appends follow the custody rules; a refused append writes nothing', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    ledger.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'Ponsel', digests: DIGESTS } }, people.budi);
    const size = ledger.size();
    const root = ledger.rootHash();
    assert.is(code(() => ledger.append({ type: 'item.seal', item: 'BB-1', actor: 'sari', data: { numbers: ['S-1'] } }, people.sari)), 'CUSTODY_RULE');
    assert.is(ledger.size(), size);
    assert.equal(ledger.rootHash(), root);
    ledger.append(withCosigners(ledger, { type: 'custody.transfer', item: 'BB-1', actor: 'budi', data: { from: 'budi', to: 'sari', purpose: 'Penyimpanan' } }, ['sari']), people.budi);
    assert.is(ledger.itemState('BB-1').custodian, 'sari');
    assert.equal(ledger.timeline('BB-1').map((r) => r.record.type), ['item.register', 'custody.transfer']);
    assert.is(code(() => ledger.timeline('BB-404')), 'ITEM_UNKNOWN');
    assert.is(code(() => ledger.record(999)), 'RECORD_UNKNOWN');
    assert.is(ledger.identityByKey(people.sari.publicKey)?.id, 'sari');
    ledger.close();
    assert.ok((await verifyLedger(path)).ok);
  } finally {
    cleanup();
  }
});

test('a batch is appended all together or not at all', () => {
  const { dir, cleanup } = tempDir();
  try {
    const ledger = createStoryLedger(join(dir, 'custody.db'));
    const reg = (item: string) => ({ input: { type: 'item.register' as const, item, actor: 'budi', data: { kind: 'disk', description: 'HDD', digests: DIGESTS } }, signer: people.budi });
    const size = ledger.size();
    assert.is(code(() => ledger.appendBatch([reg('A'), reg('B'), reg('A')])), 'ITEM_EXISTS');
    assert.is(ledger.size(), size);
    const done = ledger.appendBatch([reg('A'), reg('B'), reg('C')]);
    assert.equal(done.map((d) => d.seq), [size, size + 1, size + 2]);
    ledger.close();
  } finally {
    cleanup();
  }
});

test('opening: a missing file, a non-SQLite file, a SQLite file that is not a ledger, a newer schema, an existing path', () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.is(code(() => Ledger.open(join(dir, 'nope.db'))), 'LEDGER_NOT_FOUND');
    writeFileSync(join(dir, 'text.db'), 'just some text, not a database at all, long enough to have a header.........');
    assert.is(code(() => Ledger.open(join(dir, 'text.db'))), 'LEDGER_NOT_A_LEDGER');
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    assert.is(code(() => Ledger.open(join(dir, 'other.db'))), 'LEDGER_NOT_A_LEDGER');
    const path = join(dir, 'custody.db');
    createStoryLedger(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    assert.is(code(() => Ledger.open(path)), 'LEDGER_SCHEMA_NEWER');
    assert.is(code(() => Ledger.create(path, { origin: 'x', name: 'x', agency: 'x', signer: people.ledger })), 'LEDGER_EXISTS');
  } finally {
    cleanup();
  }
});

test('a read-only file, or a ledger opened read-only, refuses appends with LEDGER_READ_ONLY and changes nothing', () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'custody.db');
  const append = (ledger: Ledger) => () =>
    ledger.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'x', digests: DIGESTS } }, people.budi);
  try {
    createStoryLedger(path).close();
    const viewer = Ledger.open(path, { readonly: true });
    assert.is(code(append(viewer)), 'LEDGER_READ_ONLY');
    viewer.close();
    // Root ignores permission bits, so as root the file is made immutable instead.
    if (process.getuid?.() === 0) execFileSync('chattr', ['+i', path]);
    else chmodSync(path, 0o444);
    try {
      const ledger = Ledger.open(path);
      assert.is(code(append(ledger)), 'LEDGER_READ_ONLY');
      assert.is(ledger.size(), 6);
      ledger.close();
    } finally {
      if (process.getuid?.() === 0) execFileSync('chattr', ['-i', path]);
      else chmodSync(path, 0o644);
    }
  } finally {
    cleanup();
  }
});

test('triggers refuse UPDATE and DELETE of stored records and checkpoints', () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    createStoryLedger(path).close();
    const raw = new Database(path);
    assert.throws(() => raw.prepare('UPDATE records SET leaf = x\'00\' WHERE seq = 1').run(), /append-only/);
    assert.throws(() => raw.prepare('DELETE FROM records WHERE seq = 5').run(), /append-only/);
    raw.prepare("INSERT INTO checkpoints (size, note, signed_at) VALUES (1, 'x', 'y')").run();
    assert.throws(() => raw.prepare('DELETE FROM checkpoints').run(), /append-only/);
    assert.throws(() => raw.prepare("UPDATE checkpoints SET note = 'z'").run(), /append-only/);
    raw.close();
  } finally {
    cleanup();
  }
});

test('with triggers dropped: a changed byte, a deleted record or two swapped records fail at the first bad seq', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    for (let i = 0; i < 6; i++) {
      ledger.append({ type: 'item.register', item: `BB-${i}`, actor: 'budi', data: { kind: 'phone', description: `Ponsel ${i}`, digests: DIGESTS } }, people.budi);
    }
    ledger.close();
    const tamper = async (sql: (db: Database.Database) => void): Promise<number | null> => {
      const copy = join(dir, `copy-${Math.random()}.db`);
      const src = new Database(path);
      await src.backup(copy);
      src.close();
      const db = new Database(copy);
      behindTriggers(db, () => sql(db));
      db.close();
      const report = await verifyLedger(copy);
      assert.not.ok(report.ok);
      return report.failures[0]!.seq;
    };
    for (let seq = 0; seq < 12; seq++) {
      const first = await tamper((db) => {
        const leaf = (db.prepare('SELECT leaf FROM records WHERE seq = ?').get(seq) as { leaf: Buffer }).leaf;
        const at = Math.floor(leaf.length / 2);
        leaf[at] = leaf[at]! ^ 0x20;
        db.prepare('UPDATE records SET leaf = ? WHERE seq = ?').run(leaf, seq);
      });
      assert.is(first, seq, `changed byte in record ${seq}`);
    }
    assert.is(await tamper((db) => db.prepare('DELETE FROM records WHERE seq = 8').run()), 8);
    assert.is(
      await tamper((db) => {
        const a = db.prepare('SELECT leaf FROM records WHERE seq = 8').get() as { leaf: Buffer };
        const b = db.prepare('SELECT leaf FROM records WHERE seq = 9').get() as { leaf: Buffer };
        db.prepare('UPDATE records SET leaf = ? WHERE seq = 8').run(b.leaf);
        db.prepare('UPDATE records SET leaf = ? WHERE seq = 9').run(a.leaf);
      }),
      8,
    );
  } finally {
    cleanup();
  }
});

test('derived tables altered by hand are caught: a stored tree hash, a state row, a derived column', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    ledger.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'Ponsel', digests: DIGESTS } }, people.budi);
    ledger.close();
    const cases: Array<[string, string, string]> = [
      ['a stored Merkle hash changed', 'UPDATE records SET hashes = zeroblob(length(hashes)) WHERE seq = 3', 'ROOT_MISMATCH'],
      ['a stored Merkle hash removed', 'UPDATE records SET hashes = substr(hashes, 1, 32) WHERE seq = 5', 'ROOT_MISMATCH'],
      ['an item link moved', 'UPDATE records SET item_prev = 0 WHERE seq = 6', 'STATE_MISMATCH'],
      ['an item handed to someone else', "UPDATE items SET custodian = 'sari'", 'STATE_MISMATCH'],
      ['an item state rewritten', "UPDATE items SET state = replace(state, 'Ponsel', 'Laptop')", 'STATE_MISMATCH'],
      ['an identity deleted', "DELETE FROM identities WHERE id = 'rudi'", 'STATE_MISMATCH'],
      ['a key index entry moved', "UPDATE key_holders SET id = 'budi' WHERE id = 'sari'", 'STATE_MISMATCH'],
      ['a derived column changed', "UPDATE records SET actor = 'sari' WHERE seq = 6", 'STATE_MISMATCH'],
    ];
    for (const [what, sql, expected] of cases) {
      const copy = join(dir, `copy-${expected}-${Math.random()}.db`);
      const src = new Database(path);
      await src.backup(copy);
      src.close();
      const db = new Database(copy);
      behindTriggers(db, () => db.exec(sql));
      db.close();
      const report = await verifyLedger(copy);
      assert.not.ok(report.ok, what);
      assert.ok(report.failures.some((f) => f.code === expected), `${what}: ${JSON.stringify(report.failures)}`);
    }
  } finally {
    cleanup();
  }
});

test.run();
