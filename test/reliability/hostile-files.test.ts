// Crafted ledger files, as the party whose conduct is in question could hand them to a prosecutor:
// the schema itself altered (a view keyed on connection state, a view over a second history signed
// with other keys, an extra trigger, a recursive view), an index pointed at another item's row, and a
// tiny file whose leaves claim a megabyte each through a looping page chain. Each is built here with
// a plain SQLite client and byte edits, then run through the real CLI: every command refuses it or
// reports it not intact with the documented code and exit status, writes nothing, and stays within a
// bounded time and memory. Also: a copy on read-only media (no -shm beside it) still verifies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, ledgerVerifierKey, signLedgerCheckpoint } from '../../packages/ledger/src/index.js';
import { behindTriggers, crossItemIndex, openRaw, sqliteShell } from '../../packages/ledger/test/raw-sqlite.js';
import { BIN, checkOutput, world } from '../../cli/test/helpers.js';
import { CHILDREN, figure, HERE } from './helpers.js';

/** Page-level crafts in Python (Debian's python3): a forged B-tree page, a looping overflow page. */
const CRAFTS = join(HERE, 'crafts');

const w = world();
const dir = join(w.dir, 'hostile');
mkdirSync(dir);

// A checkpoint of the honest ledger held outside it, and the verifier key pinned at set-up.
const honest = Ledger.open(w.db);
const outside = join(dir, 'outside-checkpoint.txt');
writeFileSync(outside, signLedgerCheckpoint(honest, w.keys['ledger']!.signer).note);
const verifierKey = ledgerVerifierKey(honest);
honest.close();
{
  const raw = openRaw(w.db);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakRssMb: number;
  readonly ms: number;
}

/** run runs the CLI on a crafted file, measuring its peak memory; a hang guard of a minute, not seconds. */
function run(args: readonly string[], env: Record<string, string> = {}, user: { uid?: number; gid?: number } = {}): Promise<Run> {
  const peakFile = join(dir, `peak-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', join(CHILDREN, 'peak-rss.mjs'), BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', LANG: 'C', HOME: dir, PEAK_RSS_FILE: peakFile, CUSTODY_PASSPHRASE: 'uji-rahasia-panjang', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...user,
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(guard);
      const kb = existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8')) : NaN;
      rmSync(peakFile, { force: true });
      resolve({ status, stdout, stderr, peakRssMb: kb / 1024, ms: Date.now() - started });
    });
  });
}

/** craft copies the honest ledger and lets `alter` edit the copy with a plain SQLite connection. */
function craft(name: string, alter: (db: ReturnType<typeof openRaw>) => void): string {
  const path = join(dir, `${name}.db`);
  copyFileSync(w.db, path);
  const db = openRaw(path);
  try {
    alter(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  for (const extra of [`${path}-wal`, `${path}-shm`]) rmSync(extra, { force: true });
  return path;
}

/** The bytes of every file of a ledger (db, WAL, shm): unchanged means nothing was written. */
function fingerprint(path: string): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.startsWith(path.split('/').pop()!)).sort()) {
    hash.update(name).update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex');
}

const code = (r: Run): string | undefined => {
  try {
    return (JSON.parse(r.stdout) as { error?: { code: string } }).error?.code;
  } catch {
    return undefined;
  }
};
const failureCodes = (r: Run): string[] => {
  const doc = JSON.parse(r.stdout) as { report?: { failures: { code: string }[] } };
  return (doc.report?.failures ?? []).map((f) => f.code);
};

/** Every command that reads a ledger, as a prosecutor would run it on the file they were given. */
const READERS: ReadonlyArray<readonly string[]> = [
  ['verify'],
  ['verify', '--checkpoint', outside, '--verifier-key', ''],
  ['history', 'BB-1'],
  ['status', 'BB-1'],
  ['log'],
  ['item', 'list'],
  ['identity', 'list'],
  ['export', '--out', '__OUT__'],
  ['report', 'BB-1', '--format', 'md', '--out', '__OUT__'],
  ['bundle', 'export', 'BB-1', '--out', '__OUT__'],
  ['checkpoint', 'list'],
  ['prove', 'inclusion', '1'],
];

/** everyCommandRefuses runs every reader, and an append, on `path`: all exit 2 with `want`, nothing written. */
async function everyCommandRefuses(path: string, want: string): Promise<Run[]> {
  const before = fingerprint(path);
  const runs: Run[] = [];
  for (const args of [...READERS, ['item', 'note', 'BB-1', '--text', 'Catatan', '--key', w.key('budi')]]) {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const full = [...args.map((a) => (a === '__OUT__' ? out : a === '' ? verifierKey : a)), '--db', path, '--json'];
    const r = await run(full);
    assert.is(r.status, 2, `${args.join(' ')}: exit 2, got ${r.status}: ${r.stdout}${r.stderr}`);
    checkOutput('error', r.stdout);
    assert.is(code(r), want, `${args.join(' ')}: ${r.stdout}`);
    assert.not.match(r.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace`);
    assert.not.ok(existsSync(out), `${args.join(' ')}: no output file`);
    runs.push(r);
  }
  assert.is(fingerprint(path), before, 'nothing was written to the file or beside it');
  return runs;
}

test('a table replaced by a view that shows the display commands another custodian: refused everywhere', async () => {
  const path = craft('view-by-connection', (db) => {
    // query_only is ON in a read connection and OFF in a writer: the view answers each differently.
    db.exec(`
      ALTER TABLE items RENAME TO items_real;
      CREATE VIEW items AS SELECT id, CASE WHEN (SELECT query_only FROM pragma_query_only) THEN 'fbi.doe' ELSE custodian END AS custodian, state FROM items_real;
      CREATE TRIGGER items_insert INSTEAD OF INSERT ON items BEGIN INSERT INTO items_real VALUES (NEW.id, NEW.custodian, NEW.state); END;
      CREATE TRIGGER items_update INSTEAD OF UPDATE ON items BEGIN UPDATE items_real SET custodian = NEW.custodian, state = NEW.state WHERE id = NEW.id; END;
    `);
  });
  const runs = await everyCommandRefuses(path, 'LEDGER_SCHEMA_TAMPERED');
  assert.match(runs[2]!.stdout, /items/, 'the refusal names the altered object');
});

test('the records table replaced by a view over a second history signed with other keys: refused, even with --checkpoint', async () => {
  // The second history: a new ledger of the same origin under another ledger key.
  const forgedPath = join(dir, 'forged-source.db');
  const other = world();
  try {
    copyFileSync(other.db, forgedPath);
  } finally {
    other.cleanup();
  }
  const path = craft('view-second-history', (db) => {
    db.exec(`ATTACH DATABASE '${forgedPath}' AS forged`);
    db.exec(`
      CREATE TABLE records_forged AS SELECT * FROM forged.records;
      ALTER TABLE records RENAME TO records_real;
      CREATE VIEW records AS SELECT * FROM records_forged;
    `);
    db.exec('DETACH DATABASE forged');
  });
  await everyCommandRefuses(path, 'LEDGER_SCHEMA_TAMPERED');
});

test('an extra trigger, a missing index, a changed column: refused before anything is read or written', async () => {
  const trigger = craft('extra-trigger', (db) => db.exec("CREATE TRIGGER spy AFTER INSERT ON records BEGIN UPDATE meta SET value = value WHERE key = 'origin'; END;"));
  await everyCommandRefuses(trigger, 'LEDGER_SCHEMA_TAMPERED');
  const index = craft('dropped-index', (db) => db.exec('DROP INDEX items_by_custodian'));
  const r = await run(['verify', '--db', index, '--json']);
  assert.is(r.status, 2);
  assert.is(code(r), 'LEDGER_SCHEMA_TAMPERED');
  // The sqlite3 shell, as an attacker would use it: it lets the schema's text be edited in place.
  const column = craft('changed-column', () => undefined);
  sqliteShell(column, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'time      TEXT NOT NULL', 'time      TEXT NOT NULL DEFAULT (zeroblob(1000000000))') WHERE name = 'records';");
  const c = await run(['log', '--db', column, '--json']);
  assert.is(c.status, 2, c.stdout + c.stderr);
  assert.is(code(c), 'LEDGER_SCHEMA_TAMPERED');
});

test('a recursive view in the place of a table: refused at once, never a command that spins', async () => {
  const path = craft('recursive-view', (db) =>
    db.exec(`
      ALTER TABLE meta RENAME TO meta_real;
      CREATE VIEW meta AS WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) SELECT 'origin' AS key, value FROM meta_real, forever WHERE n < 0;
    `),
  );
  const runs = await everyCommandRefuses(path, 'LEDGER_SCHEMA_TAMPERED');
  await figure('hostile-files', { recursiveViewSlowestMs: Math.max(...runs.map((r) => r.ms)) });
});

test('an index pointed at another item\'s rows (no view, no trigger): status and history refuse it, verify says not intact', async () => {
  const path = craft('corrupted-index', () => undefined);
  crossItemIndex(path, 'BB-1', 'BB-2');
  const check = openRaw(path, { readonly: true });
  const shown = (check.prepare("SELECT state FROM items WHERE id = 'BB-1'").get() as { state: string }).state;
  check.close();
  assert.match(shown, /"id":"BB-2"/, 'a plain query for BB-1 gets BB-2\'s row');

  const before = fingerprint(path);
  for (const args of [['status', 'BB-1'], ['history', 'BB-1'], ['report', 'BB-1', '--format', 'md', '--out', join(dir, 'crossed.md')]]) {
    const r = await run([...args, '--db', path, '--json']);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(code(r), 'LEDGER_DAMAGED', args.join(' '));
  }
  const verify = await run(['verify', '--db', path, '--json']);
  assert.is(verify.status, 1, verify.stdout + verify.stderr);
  assert.equal([...new Set(failureCodes(verify))], ['LEDGER_DAMAGED']);
  checkOutput('verify', verify.stdout);
  const text = await run(['verify', '--db', path]);
  assert.is(text.status, 1);
  assert.match(text.stdout, /sqlite_autoindex_items_1|items/);
  assert.is(fingerprint(path), before, 'nothing was written');
});

test('text from a file cannot start a line of its own: a line feed in a stored description is indented under its field', async () => {
  const path = craft('line-feed', (db) =>
    db.exec(`UPDATE items SET state = json_set(state, '$.description', 'Ponsel' || char(10) || 'Verified: 99 records, intact.') WHERE id = 'BB-1'`),
  );
  const r = await run(['status', 'BB-1', '--db', path]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /Verified: 99/, 'the text is shown');
  assert.not.ok(r.stdout.split('\n').some((line) => line.startsWith('Verified')), r.stdout);
});

test('a records B-tree that hides a forged row from a read in seq order, but shows it to a lookup by seq: verify says not intact', async () => {
  // A ledger of exactly 512 records (verification reads 512 at a time), the last budi's note on BB-1.
  const source = join(dir, 'forge-source.db');
  copyFileSync(w.db, source);
  const ledger = Ledger.open(source);
  while (ledger.size() < 511) ledger.append({ type: 'item.note', item: 'BB-2', actor: 'sari', data: { text: `Catatan ${ledger.size()}` } }, w.keys['sari']!.signer);
  ledger.append({ type: 'item.note', item: 'BB-1', actor: 'budi', data: { text: 'Catatan terakhir BB-1' } }, w.keys['budi']!.signer);
  const leaf = new TextDecoder().decode(ledger.record(511).leaf);
  ledger.close();
  const forgedLeaf = join(dir, 'forged-leaf.json');
  writeFileSync(forgedLeaf, leaf.replace('"actor":"budi"', '"actor":"rudi"').replace('Catatan terakhir BB-1', 'Segel S-1 rusak saat diterima'));
  const path = join(dir, 'forged-btree.db');
  const forge = spawnSync('python3', [join(CRAFTS, 'forge_btree.py'), source, path, forgedLeaf], { encoding: 'utf8' });
  assert.is(forge.status, 0, forge.stderr);

  const history = await run(['history', 'BB-1', '--db', path]);
  assert.match(history.stdout, /Segel S-1 rusak/, 'a lookup by seq finds the forged row');
  const verify = await run(['verify', '--db', path, '--json']);
  assert.is(verify.status, 1, verify.stdout + verify.stderr);
  assert.ok(failureCodes(verify).includes('LEDGER_DAMAGED'), verify.stdout);
  checkOutput('verify', verify.stdout);
});

test('rows with seqs no record can have (negative, past 2^53): verify ends, not intact', async () => {
  const path = craft('impossible-seqs', (db) =>
    behindTriggers(db, () => {
      db.exec('INSERT INTO records SELECT -1, leaf, hashes, type, item, item_prev, actor, time FROM records WHERE seq = 1');
      db.exec('INSERT INTO records SELECT 1152921504606846977, leaf, hashes, type, item, item_prev, actor, time FROM records WHERE seq = 2');
    }),
  );
  const verify = await run(['verify', '--db', path, '--json']);
  assert.is(verify.status, 1, verify.stdout + verify.stderr);
  assert.ok(failureCodes(verify).includes('LEDGER_DAMAGED'), verify.stdout);
});

test('a state table whose 1,000 rows each claim 4 MB through one looping page: refused at once, in bounded memory', async () => {
  const path = join(dir, 'looping-identities.db');
  const loop = spawnSync('python3', [join(CRAFTS, 'loop_identities.py'), w.db, path, '1000'], { encoding: 'utf8' });
  assert.is(loop.status, 0, loop.stderr);
  assert.ok(statSync(path).size < 1024 * 1024);
  for (const args of [['status', 'BB-1'], ['identity', 'list'], ['history', 'BB-1']]) {
    const r = await run([...args, '--db', path, '--json']);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(code(r), 'LEDGER_DAMAGED');
    assert.ok(r.peakRssMb < 300, `${args.join(' ')}: peak RSS ${r.peakRssMb} MB`);
  }
  const verify = await run(['verify', '--db', path, '--json']);
  assert.is(verify.status, 1, verify.stdout + verify.stderr);
  assert.ok(verify.peakRssMb < 300, `verify: peak RSS ${verify.peakRssMb} MB`);
});

test('a state row nested thousands deep, or with members no state has: LEDGER_DAMAGED, never a stack trace', async () => {
  const path = craft('deep-state', (db) => {
    const state = (db.prepare("SELECT state FROM items WHERE id = 'BB-1'").get() as { state: string }).state;
    db.prepare("UPDATE items SET state = ? WHERE id = 'BB-1'").run(`${state.slice(0, -1)},"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  });
  for (const args of [['status', 'BB-1'], ['history', 'BB-1'], ['item', 'list']]) {
    const r = await run([...args, '--db', path, '--json']);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(code(r), 'LEDGER_DAMAGED');
    assert.not.match(r.stderr, /\n\s+at /);
  }
});

test('a tab or a line feed in a stored name cannot make a row or a column of its own in a list', async () => {
  const path = craft('tabs', (db) => {
    db.exec(`UPDATE items SET state = json_set(state, '$.kind', 'phone' || char(9) || 'BB-9' || char(10) || 'Verified: intact') WHERE id = 'BB-1'`);
    db.exec(`UPDATE identities SET state = json_set(state, '$.name', 'Nama sari' || char(9) || 'KPK' || char(10) || 'fake.id') WHERE id = 'sari'`);
  });
  const items = await run(['item', 'list', '--db', path]);
  assert.is(items.status, 0, items.stderr);
  const raw = openRaw(path, { readonly: true });
  const counts = raw.prepare('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM identities) AS identities').get() as { items: number; identities: number };
  raw.close();
  assert.is(items.stdout.trimEnd().split('\n').length, counts.items, items.stdout);
  assert.ok(items.stdout.split('\n')[0]!.split('\t').length <= 4, items.stdout);
  const people = await run(['identity', 'list', '--db', path]);
  assert.is(people.stdout.trimEnd().split('\n').length, counts.identities, people.stdout);
  assert.match(people.stdout, /Nama sari\\tKPK\\nfake\.id/);
});

// ---- a tiny file with huge leaves: a looping overflow chain, made with byte edits ----

/** A SQLite varint of exactly `length` bytes (big-endian, 7 bits a byte, high bit = more). */
function varint(value: number, length: number): number[] {
  const out: number[] = [];
  for (let i = length - 1; i >= 0; i--) out.push(((value >> (7 * i)) & 0x7f) | (i > 0 ? 0x80 : 0));
  return out;
}

function readVarint(buf: Buffer, at: number): { value: number; length: number } {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i]!;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return { value, length: i + 1 };
  }
  throw new Error('long varint');
}

/**
 * loopOverflows rewrites the cells of records `seqs` (each with an overflowing leaf of the same size)
 * so that each claims a leaf `grow` overflow pages longer and starts at the first one's overflow
 * chain, whose last page now points back to its first: the file stays small, its leaves read huge.
 */
function loopOverflows(path: string, seqs: ReadonlySet<number>, grow: number): void {
  const file = readFileSync(path);
  const pageSize = file.readUInt16BE(16);
  const usable = pageSize - file[20]!;
  const maxLocal = usable - 35;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const cells: { at: number; payload: number; sizeLength: number; body: number }[] = [];
  for (let page = 1; page * pageSize <= file.length; page++) {
    const start = (page - 1) * pageSize;
    const header = start + (page === 1 ? 100 : 0);
    if (file[header] !== 0x0d) continue; // table B-tree leaf pages only
    const count = file.readUInt16BE(header + 3);
    for (let i = 0; i < count; i++) {
      const at = start + file.readUInt16BE(header + 8 + 2 * i);
      const size = readVarint(file, at);
      const rowid = readVarint(file, at + size.length);
      if (seqs.has(rowid.value) && size.value > maxLocal) cells.push({ at, payload: size.value, sizeLength: size.length, body: at + size.length + rowid.length });
    }
  }
  assert.is(cells.length, seqs.size, 'found every crafted row');
  const local = (p: number): number => {
    const surplus = minLocal + ((p - minLocal) % (usable - 4));
    return surplus <= maxLocal ? surplus : minLocal;
  };
  const first = file.readUInt32BE(cells[0]!.body + local(cells[0]!.payload));
  let last = first;
  for (let next = first; next !== 0; next = file.readUInt32BE((next - 1) * pageSize)) last = next;
  file.writeUInt32BE(first, (last - 1) * pageSize); // the chain's last page points back to its first
  const extra = grow * (usable - 4); // keeps each cell's local part the same size
  for (const cell of cells) {
    file.set(varint(cell.payload + extra, cell.sizeLength), cell.at);
    // The record header: its size, then the serial types — seq (NULL), then the leaf's (2·n + 12).
    const headerSize = readVarint(file, cell.body);
    const seqType = readVarint(file, cell.body + headerSize.length);
    const leafAt = cell.body + headerSize.length + seqType.length;
    const leafType = readVarint(file, leafAt);
    file.set(varint(leafType.value + 2 * extra, leafType.length), leafAt);
    file.writeUInt32BE(first, cell.body + local(cell.payload));
  }
  writeFileSync(path, file);
}

test('a file under 1 MB whose leaves claim a megabyte each through a looping page chain: bounded time and memory, never intact', async () => {
  const seqs = new Set<number>();
  const path = craft('looping-overflow', (db) => {
    const size = (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
    behindTriggers(db, () => {
      const insert = db.prepare("INSERT INTO records (seq, leaf, hashes, type, item, item_prev, actor, time) VALUES (?, ?, zeroblob(32), 'item.note', NULL, NULL, 'budi', '2026-12-01T00:00:00.000Z')");
      for (let i = 0; i < 40; i++) {
        insert.run(size + i, Buffer.alloc(20_000, 0x41));
        seqs.add(size + i);
      }
    });
  });
  loopOverflows(path, seqs, 250);
  const fileBytes = statSync(path).size;
  assert.ok(fileBytes < 1024 * 1024, `a small file (${fileBytes} bytes)`);
  const raw = openRaw(path, { readonly: true });
  const claimed = (raw.prepare('SELECT sum(length(leaf)) AS n FROM records').get() as { n: number }).n;
  raw.close();
  assert.ok(claimed > 40 * fileBytes, `its leaves claim ${claimed} bytes`);

  const verify = await run(['verify', '--db', path, '--json']);
  assert.is(verify.status, 1, verify.stdout + verify.stderr);
  assert.ok(failureCodes(verify).includes('LEDGER_DAMAGED'), verify.stdout);
  checkOutput('verify', verify.stdout);
  assert.ok(verify.peakRssMb < 300, `peak RSS ${verify.peakRssMb} MB`);
  for (const args of [['log'], ['export', '--out', join(dir, 'looping.jsonl')]]) {
    const r = await run([...args, '--db', path, '--json']);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(code(r), 'LEDGER_DAMAGED');
    assert.ok(r.peakRssMb < 300, `${args.join(' ')}: peak RSS ${r.peakRssMb} MB`);
  }
  await figure('hostile-files', { loopingFileBytes: fileBytes, claimedLeafBytes: claimed, verifyMs: verify.ms, verifyPeakRssMb: Math.round(verify.peakRssMb) });
});

test('a copy on read-only media, without its -shm file, is verified and reported, and says how it was read', async () => {
  for (const withWal of [false, true]) {
    const media = readOnlyMedia((into) => {
      copyFileSync(w.db, join(into, 'copy.db'));
      if (withWal) {
        // A copy taken while records were still in the WAL: the -wal file travels with it.
        const writer = Ledger.open(join(into, 'copy.db'));
        const holder = openRaw(join(into, 'copy.db'));
        holder.exec('BEGIN');
        holder.prepare('SELECT count(*) FROM records').get();
        writer.append({ type: 'item.note', item: null, actor: 'ledger', data: { text: 'Catatan di WAL' } }, w.keys['ledger']!.signer);
        copyFileSync(join(into, 'copy.db-wal'), join(into, 'saved-wal'));
        copyFileSync(join(into, 'copy.db'), join(into, 'saved-db'));
        holder.exec('COMMIT');
        holder.close();
        writer.close();
        for (const f of ['copy.db', 'copy.db-wal', 'copy.db-shm']) rmSync(join(into, f), { force: true });
        copyFileSync(join(into, 'saved-db'), join(into, 'copy.db'));
        copyFileSync(join(into, 'saved-wal'), join(into, 'copy.db-wal'));
        rmSync(join(into, 'saved-db'));
        rmSync(join(into, 'saved-wal'));
      }
    });
    try {
      const path = join(media.path, 'copy.db');
      const before = readdirSync(media.path).sort();
      const verify = await media.run(['verify', '--db', path, '--json']);
      assert.is(verify.status, 0, verify.stdout + verify.stderr);
      const report = JSON.parse(verify.stdout) as { report: { size: number } };
      assert.is(report.report.size, w.size() + (withWal ? 1 : 0), 'every record, those in the WAL too');
      assert.match(verify.stderr, /read-only/);
      const status = await media.run(['status', 'BB-1', '--db', path]);
      assert.is(status.status, 0, status.stdout + status.stderr);
      assert.match(status.stdout, /BB-1/);
      assert.equal(readdirSync(media.path).sort(), before, 'nothing was written beside it');
    } finally {
      media.release();
    }
  }
});

/**
 * readOnlyMedia fills a directory with `fill` and makes it read-only media: a read-only bind mount
 * where this machine allows one (as on a write-blocker, even root cannot write), else a directory
 * the unprivileged user that runs the CLI cannot write to.
 */
function readOnlyMedia(fill: (dir: string) => void): { path: string; run: (args: readonly string[]) => Promise<Run>; release: () => void } {
  const source = mkdtempSync(join(tmpdir(), 'custody-media-src-'));
  fill(source);
  const mountPoint = mkdtempSync(join(tmpdir(), 'custody-media-'));
  const cleanup = (): void => {
    rmSync(source, { recursive: true, force: true });
    rmSync(mountPoint, { recursive: true, force: true });
  };
  if (spawnSync('mount', ['--bind', source, mountPoint]).status === 0) {
    if (spawnSync('mount', ['-o', 'remount,bind,ro', mountPoint]).status === 0) {
      return { path: mountPoint, run: (args) => run(args), release: () => (spawnSync('umount', [mountPoint]), cleanup()) };
    }
    spawnSync('umount', [mountPoint]);
  }
  // No mounts here: the files belong to root and the CLI runs as nobody.
  rmSync(mountPoint, { recursive: true, force: true });
  for (const name of readdirSync(source)) chmodSync(join(source, name), 0o444);
  chmodSync(source, 0o555);
  return { path: source, run: (args) => run(args, {}, { uid: 65534, gid: 65534 }), release: () => (chmodSync(source, 0o755), cleanup()) };
}

test.after(() => w.cleanup());
test.run();
