// The store (src/store/): the one way into a ledger file. Its schema must be exactly custody's, its
// values are size- and type-checked before use, its indexes are not trusted, and no other module of
// the package speaks SQL to a ledger.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ledger, verifyLedger } from '@custody/ledger';
import { createStoryLedger, DIGESTS, people, tempDir } from './helpers.js';
import { behindTriggers, openRaw, sqliteShell } from './raw-sqlite.js';
import { code } from '../../core/test/error-code.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const { dir, cleanup } = tempDir();
const base = join(dir, 'base.db');
{
  const ledger = createStoryLedger(base);
  ledger.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'Ponsel', digests: DIGESTS } }, people.budi);
  ledger.append({ type: 'item.register', item: 'BB-2', actor: 'budi', data: { kind: 'disk', description: 'Diska', digests: DIGESTS } }, people.budi);
  ledger.append({ type: 'item.move', item: 'BB-1', actor: 'budi', data: { location: 'Gudang' } }, people.budi);
  ledger.close();
  const raw = openRaw(base);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

let copies = 0;
/** copyWith copies the base ledger and changes the copy with a plain SQLite connection. */
function copyWith(change: (db: ReturnType<typeof openRaw>) => void): string {
  const path = join(dir, `copy-${copies++}.db`);
  const src = openRaw(base, { readonly: true });
  src.prepare('VACUUM INTO ?').run(path);
  src.close();
  const db = openRaw(path);
  try {
    change(db);
  } finally {
    db.close();
  }
  return path;
}

test('only the store speaks SQL to a ledger file: no other module of the package imports better-sqlite3', () => {
  const offenders: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ts$/.test(name) && /^import (?!type )[^;]*from 'better-sqlite3'/m.test(readFileSync(path, 'utf8'))) offenders.push(relative(SRC, path));
    }
  };
  walk(SRC);
  // state-lock.ts takes a lock on a witness's state file; it never opens a ledger.
  assert.equal(offenders.sort(), ['state-lock.ts', 'store/open.ts', 'store/schema.ts']);
});

test('any change to the schema — a view, a trigger, an index, a column, statistics, an encoding — is refused naming the object', () => {
  const cases: Array<[string, (db: ReturnType<typeof openRaw>) => void, string]> = [
    ['an extra table', (db) => db.exec('CREATE TABLE notes (x TEXT)'), 'notes'],
    ['an extra view', (db) => db.exec('CREATE VIEW v AS SELECT 1'), 'v'],
    ['an extra trigger', (db) => db.exec("CREATE TRIGGER t AFTER INSERT ON items BEGIN SELECT 1; END"), 't'],
    ['an extra index', (db) => db.exec('CREATE INDEX i ON records (actor)'), 'i'],
    ['a dropped index', (db) => db.exec('DROP INDEX items_by_custodian'), 'items_by_custodian'],
    ['a dropped trigger', (db) => db.exec('DROP TRIGGER records_append_only_delete'), 'records_append_only_delete'],
    ['a table made a view', (db) => db.exec('ALTER TABLE key_holders RENAME TO kh; CREATE VIEW key_holders AS SELECT * FROM kh'), 'kh'],
    ['a changed trigger', (db) => db.exec("DROP TRIGGER records_append_only_update; CREATE TRIGGER records_append_only_update BEFORE UPDATE ON records BEGIN SELECT 1; END"), 'records_append_only_update'],
    ['a changed column', (db) => behindTriggers(db, () => db.exec('ALTER TABLE items ADD COLUMN note TEXT')), 'items'],
    ['statistics', (db) => db.exec('ANALYZE'), 'sqlite_stat1'],
  ];
  for (const [what, change, object] of cases) {
    const path = copyWith(change);
    let thrown: unknown;
    try {
      Ledger.open(path, { readonly: true }).close();
    } catch (e) {
      thrown = e;
    }
    assert.is((thrown as { code?: string } | undefined)?.code, 'LEDGER_SCHEMA_TAMPERED', what);
    assert.is((thrown as { details: { object: string } }).details.object, object, what);
  }
  const utf16 = join(dir, 'utf16.db');
  const db = openRaw(utf16);
  db.pragma("encoding = 'UTF-16le'");
  db.exec('CREATE TABLE x (y)');
  db.pragma('application_id = 1129665364');
  db.pragma('user_version = 1');
  db.close();
  assert.is(code(() => Ledger.open(utf16)), 'LEDGER_SCHEMA_TAMPERED');
});

test('a state row of the wrong shape, an oversized value, or a link to another item is LEDGER_DAMAGED, never shown; verify says not intact', async () => {
  const shapes: Array<[string, string, (l: Ledger) => unknown]> = [
    ['an item state that is not JSON', "UPDATE items SET state = 'not json' WHERE id = 'BB-1'", (l) => l.itemState('BB-1')],
    ['an item state about another item', "UPDATE items SET state = (SELECT state FROM items WHERE id = 'BB-2') WHERE id = 'BB-1'", (l) => l.itemState('BB-1')],
    ['an item state without its digests', "UPDATE items SET state = json_remove(state, '$.digests') WHERE id = 'BB-1'", (l) => l.itemState('BB-1')],
    ['a huge item state', "UPDATE items SET state = json_set(state, '$.description', hex(zeroblob(3000000))) WHERE id = 'BB-1'", (l) => l.itemState('BB-1')],
    ['an item link to another item’s record', `UPDATE records SET item_prev = (SELECT seq FROM records WHERE item = 'BB-2') WHERE item = 'BB-1' AND type = 'item.move'`, (l) => l.timeline('BB-1')],
  ];
  for (const [what, sql, read] of shapes) {
    const path = copyWith((db) => behindTriggers(db, () => db.exec(sql)));
    await damagedEverywhere(path, read, what);
  }
});

test('an oversized leaf is reported at its seq without being loaded, and a leaf that is no blob is LEDGER_DAMAGED when shown', async () => {
  const big = copyWith((db) => behindTriggers(db, () => db.exec("UPDATE records SET leaf = zeroblob(17 * 1024 * 1024) WHERE seq = 7")));
  const report = await verifyLedger(big, { inProcess: true });
  assert.not.ok(report.ok);
  assert.ok(report.failures.some((f) => f.seq === 7 && f.code === 'JSON_TOO_LARGE'), JSON.stringify(report.failures.slice(0, 3)));
  const ledger = Ledger.open(big, { readonly: true });
  try {
    assert.is(code(() => ledger.record(7)), 'LEDGER_DAMAGED');
    assert.is(code(() => [...ledger.records()]), 'LEDGER_DAMAGED');
  } finally {
    ledger.close();
  }
});

test('values of the wrong type, which STRICT tables refuse to store but a crafted file can hold, are LEDGER_DAMAGED when read', async () => {
  const cases: Array<[string, string, string, (l: Ledger) => unknown]> = [
    ['a leaf stored as text', 'records', 'UPDATE records SET leaf = CAST(leaf AS TEXT) WHERE seq = 7', (l) => l.record(7)],
    ['an identity state stored as a blob', 'identities', "UPDATE identities SET state = CAST(state AS BLOB) WHERE id = 'budi'", (l) => l.identities()],
    ['an item link stored as text', 'records', "UPDATE records SET item_prev = 'x' WHERE item = 'BB-1' AND type = 'item.move'", (l) => l.timeline('BB-1')],
  ];
  for (const [what, table, sql, read] of cases) {
    const path = copyWith(() => undefined);
    // The holder edits the table's SQL to drop STRICT, stores the value, and puts the SQL back.
    const strict = `(SELECT sql FROM sqlite_schema WHERE name = '${table}')`;
    sqliteShell(path, `CREATE TABLE saved AS SELECT ${strict} AS sql; PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name = '${table}';`);
    sqliteShell(path, `DROP TRIGGER IF EXISTS records_append_only_update; ${sql};`);
    sqliteShell(path, `PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = (SELECT sql FROM saved) WHERE name = '${table}'; DELETE FROM sqlite_schema WHERE name = 'saved';`);
    const restore = openRaw(base, { readonly: true });
    const trigger = (restore.prepare("SELECT sql FROM sqlite_schema WHERE name = 'records_append_only_update'").get() as { sql: string }).sql;
    restore.close();
    sqliteShell(path, `${trigger};`);
    await damagedEverywhere(path, read, what);
  }
});

/** damagedEverywhere: reading the file with `read` is LEDGER_DAMAGED, and verify says not intact. */
async function damagedEverywhere(path: string, read: (l: Ledger) => unknown, what: string): Promise<void> {
  const ledger = Ledger.open(path, { readonly: true });
  try {
    assert.is(code(() => read(ledger)), 'LEDGER_DAMAGED', what);
  } finally {
    ledger.close();
  }
  const report = await verifyLedger(path, { inProcess: true });
  assert.not.ok(report.ok, `${what}: verify`);
}

test.after(cleanup);
test.run();
