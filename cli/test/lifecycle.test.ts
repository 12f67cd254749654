// End to end: the whole custody lifecycle through the built `custody` binary, every command's happy
// path, each --json output checked against its schema in schemas/cli, and the ledger verified at the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { toBase64 } from '@custody/core';
import { Ledger } from '@custody/ledger';
import { CAST, checkOutput, custody, PASSPHRASE, tempDir, writeCast } from './helpers.js';

const { dir, cleanup } = tempDir();
const db = join(dir, 'polri.db');
const ledgerKey = join(dir, 'ledger-real.key');
const keys = writeCast(dir);
const key = (id: string): string => join(dir, `${id}.key`);
const env = { CUSTODY_DB: db, CUSTODY_PASSPHRASE: PASSPHRASE, CUSTODY_ZONE: 'Asia/Jakarta' };
const sample = join(dir, 'sample.bin');
writeFileSync(sample, randomBytes(64 * 1024));
const imageFile = join(dir, 'image.bin');
writeFileSync(imageFile, randomBytes(32 * 1024));

/** ok runs a command that must succeed with --json and returns its document, checked against `schema`. */
async function ok(schema: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const r = await custody([...args, '--json'], { ...env, ...extraEnv });
  assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  const doc = checkOutput(schema, r.stdout);
  assert.is(doc['ok'], true);
  return doc;
}

const recordOf = (doc: Record<string, unknown>) => doc['record'] as { seq: number; type: string; actor: string; item: string | null; data: Record<string, unknown>; cosigs?: { id: string }[]; zone?: string };

test('key generate writes an encrypted key file with the real scrypt cost and prints its public key and fingerprint', async () => {
  const out = join(dir, 'new.key');
  const doc = await ok('key-generate', ['key', 'generate', '--out', out]);
  assert.ok(existsSync(out));
  assert.match(readFileSync(out, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
  assert.match(String(doc['publicKey']), /^[A-Za-z0-9+/]{43}=$/);
  const text = await custody(['key', 'generate', '--out', join(dir, 'new2.key')], env);
  assert.is(text.status, 0);
  assert.match(text.stdout, /^Public key: \S+\nFingerprint: ([0-9a-f]{4} ){15}[0-9a-f]{4}\n$/);
  assert.match(text.stderr, /new2\.key/);
});

test('init creates the ledger and its key file, and prints the key path, verifier key and fingerprint', async () => {
  const doc = await ok('init', ['init', '--origin', 'ledger.dittipidsiber.polri.go.id/2026', '--name', 'Register BB Digital 2026', '--agency', 'Dittipidsiber Bareskrim Polri', '--key-out', ledgerKey]);
  assert.is(doc['keyFile'], ledgerKey);
  assert.match(String(doc['verifierKey']), /^ledger\.dittipidsiber\.polri\.go\.id\/2026\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
  assert.ok(existsSync(db) && existsSync(ledgerKey));
});

test('identity enrol, signed by the ledger key, enrols the cast; identity list and show read them back', async () => {
  // Concurrently, as several desks would: each append takes the write lock in turn.
  const docs = await Promise.all(CAST.map(([id, role, agency]) =>
    ok('appended', ['identity', 'enrol', id, '--name', `Nama ${id}`, '--agency', agency, '--role', role, '--public-key', toBase64(keys[id]!.publicKey), '--nrp', '87050123', '--key', ledgerKey])));
  assert.equal(docs.map((d) => recordOf(d).seq).sort(), [1, 2, 3, 4, 5]);
  for (const doc of docs) {
    assert.is(recordOf(doc).actor, 'ledger');
    assert.is(recordOf(doc).zone, 'Asia/Jakarta');
  }
  const list = await ok('identities', ['identity', 'list']);
  assert.equal((list['identities'] as { id: string }[]).map((i) => i.id), ['adm', 'budi', 'fbi.doe', 'ledger', 'rudi', 'sari']);
  const show = await ok('identity', ['identity', 'show', 'budi']);
  assert.is((show['identity'] as { role: string }).role, 'officer');
  const text = await custody(['identity', 'show', 'budi', '--lang', 'id'], env);
  assert.match(text.stdout, /Peran: officer/);
});

test('item register hashes a file (with extra algorithms) and records seizure, witnesses, seal and case', async () => {
  const doc = await ok('appended', [
    'item', 'register', 'BB/017/XI/2026', '--kind', 'phone', '--description', 'Ponsel Samsung, layar retak', '--file', sample, '--algorithm', 'md5',
    '--case', 'LP/B/0123/XI/2026/SPKT/Bareskrim', '--seizure-authority', 'SP.Sita/45/XI/2026', '--seizure-place', 'Makassar', '--witness', 'Ahmad (RT 05)', '--witness', 'Rina',
    '--seal', 'SGL-000417', '--identifier', 'imei=350000000000000', '--location', 'Tas penyidik', '--zone', 'Asia/Makassar', '--key', key('budi'),
  ]);
  const rec = recordOf(doc);
  assert.is(rec.actor, 'budi');
  assert.is(rec.zone, 'Asia/Makassar');
  const digests = rec.data['digests'] as Record<string, string>;
  assert.equal(Object.keys(digests).sort(), ['md5', 'sha256']);
  assert.is(rec.data['size'], 64 * 1024);
  assert.equal((rec.data['seizure'] as { witnesses: string[] }).witnesses, ['Ahmad (RT 05)', 'Rina']);
  // Digests measured elsewhere (upper case as tools print them) are accepted as given.
  const given = await ok('appended', ['item', 'register', 'BB/018/XI/2026', '--kind', 'sim', '--description', 'Kartu SIM', '--digest', `SHA256:${'AB'.repeat(32)}`, '--size', '100', '--key', key('budi')]);
  assert.equal(recordOf(given).data['digests'], { sha256: 'ab'.repeat(32) });
  // Several files are one item, known by the manifest that lists them; re-measuring them matches.
  const set = await ok('appended', ['item', 'register', 'BB/019/XI/2026', '--kind', 'files', '--description', 'Ekspor berkas', '--file', sample, '--file', imageFile, '--key', key('budi')]);
  assert.is(recordOf(set).data['size'], 96 * 1024);
  const checked = await ok('appended', ['item', 'check', 'BB/019/XI/2026', '--file', imageFile, '--file', sample, '--key', key('budi')]);
  assert.equal(checked['check'], { result: 'match', compared: ['sha256'], mismatched: [] });
});

test('transfer with --cosign-key puts both signatures of the handover on one record', async () => {
  const doc = await ok('appended', ['transfer', 'BB/017/XI/2026', '--to', 'sari', '--purpose', 'Penyerahan ke PPBB', '--seal-state', 'intact', '--key', key('budi'), '--cosign-key', key('sari')], {
    CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE,
  });
  const rec = recordOf(doc);
  assert.equal(rec.cosigs?.map((c) => c.id), ['sari']);
  assert.equal(rec.data['seal'], { numbers: ['SGL-000417'], state: 'intact' });
  await ok('appended', ['item', 'move', 'BB/017/XI/2026', '--location', 'Gudang BB, lemari 7', '--key', key('sari')]);
});

test('statement, sign and transfer --statement --cosig: the receiver signs on another desk', async () => {
  const st = join(dir, 'st.json');
  const doc = await ok('statement', ['statement', 'transfer', 'BB/017/XI/2026', '--actor', 'sari', '--to', 'rudi', '--purpose', 'Pemeriksaan Labfor', '--out', st]);
  assert.is(doc['cosigner'], 'rudi');
  // rudi's desk: no ledger at hand, so he names himself.
  const signed = await custody(['sign', st, '--key', key('rudi'), '--id', 'rudi'], { CUSTODY_PASSPHRASE: PASSPHRASE });
  assert.is(signed.status, 0, signed.stderr);
  const cosig = signed.stdout.trim();
  assert.match(cosig, /^rudi:[A-Za-z0-9+/]{86}==$/);
  const viaDb = await ok('sign', ['sign', st, '--key', key('rudi')]);
  assert.is(viaDb['cosig'], cosig, 'Ed25519 is deterministic: the same signature with the id found in --db');
  const appended = await ok('appended', ['transfer', '--statement', st, '--cosig', cosig, '--key', key('sari')]);
  assert.is(recordOf(appended).data['to'], 'rudi');
});

test('item unseal, derive, check (match), examine and seal at the lab', async () => {
  await ok('appended', ['item', 'unseal', 'BB/017/XI/2026', '--found', 'intact', '--purpose', 'Akuisisi', '--key', key('rudi')]);
  const derived = await ok('appended', [
    'item', 'derive', 'BB/017/XI/2026/IMG-1', '--from', 'BB/017/XI/2026', '--kind', 'image', '--description', 'Citra forensik', '--method', 'physical acquisition', '--tool', 'contoh 1.0', '--file', imageFile, '--key', key('rudi'),
  ]);
  assert.equal((recordOf(derived).data['parents'] as { item: string }[]).map((p) => p.item), ['BB/017/XI/2026']);
  const check = await ok('appended', ['item', 'check', 'BB/017/XI/2026/IMG-1', '--file', imageFile, '--key', key('rudi')]);
  assert.equal(check['check'], { result: 'match', compared: ['sha256'], mismatched: [] });
  await ok('appended', ['item', 'examine', 'BB/017/XI/2026/IMG-1', '--purpose', 'Analisis', '--authority', 'ST/123/XI/2026', '--key', key('rudi')]);
  await ok('appended', ['item', 'seal', 'BB/017/XI/2026', '--seal', 'SGL-LAB-0091', '--key', key('rudi')]);
});

test('item check records a mismatch and exits 1', async () => {
  const other = join(dir, 'other.bin');
  writeFileSync(other, randomBytes(100));
  const r = await custody(['item', 'check', 'BB/017/XI/2026/IMG-1', '--file', other, '--key', key('rudi'), '--json'], env);
  assert.is(r.status, 1, r.stderr);
  const doc = checkOutput('appended', r.stdout);
  assert.is(doc['ok'], false);
  assert.is(recordOf(doc).data['result'], 'mismatch');
  const text = await custody(['item', 'check', 'BB/017/XI/2026/IMG-1', '--file', other, '--key', key('rudi'), '--lang', 'id'], env);
  assert.is(text.status, 1);
  assert.match(text.stdout, /TIDAK cocok/);
});

test('offer to the FBI agent, accepted by the lab with the agent\'s cosignature; offer/reject and offer/cancel', async () => {
  await ok('appended', ['offer', 'BB/017/XI/2026/IMG-1', '--to', 'fbi.doe', '--purpose', 'MLA', '--key', key('rudi')]);
  const accepted = await ok('appended', ['accept', 'BB/017/XI/2026/IMG-1', '--check-file', imageFile, '--key', key('rudi'), '--cosign-key', key('fbi.doe')], { CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE });
  assert.equal(recordOf(accepted).cosigs?.map((c) => c.id), ['fbi.doe']);
  assert.is((recordOf(accepted).data['check'] as { result: string }).result, 'match');
  const status = await ok('status', ['status', 'BB/017/XI/2026/IMG-1']);
  assert.is((status['item'] as { custodian: string }).custodian, 'fbi.doe');

  await ok('appended', ['offer', 'BB/018/XI/2026', '--to', 'sari', '--purpose', 'Penyimpanan', '--key', key('budi')]);
  await ok('appended', ['reject', 'BB/018/XI/2026', '--reason', 'Segel tidak ada', '--key', key('sari')]);
  await ok('appended', ['offer', 'BB/018/XI/2026', '--to', 'sari', '--purpose', 'Penyimpanan', '--key', key('budi')]);
  await ok('appended', ['cancel', 'BB/018/XI/2026', '--reason', 'Salah kirim', '--key', key('budi')]);
  const items = await ok('items', ['item', 'list', '--custodian', 'budi']);
  assert.equal((items['items'] as { id: string }[]).map((i) => i.id), ['BB/018/XI/2026', 'BB/019/XI/2026']);
});

test('item note and item dispose', async () => {
  await ok('appended', ['item', 'note', 'BB/018/XI/2026', '--text', 'Koreksi: ukuran 100 byte', '--key', key('budi')]);
  await ok('appended', ['item', 'dispose', 'BB/018/XI/2026', '--method', 'returned', '--authority', 'Putusan PN 1/2027', '--recipient', 'Pemilik', '--key', key('budi')]);
});

test('identity rotate by an admin and identity revoke', async () => {
  await ok('appended', ['identity', 'enrol', 'adm2', '--name', 'Admin Dua', '--agency', 'Polri', '--role', 'admin', '--public-key', toBase64(keys['eve']!.publicKey), '--key', key('adm')]);
  const fresh = join(dir, 'budi-2.key');
  const generated = await ok('key-generate', ['key', 'generate', '--out', fresh]);
  await ok('appended', ['identity', 'rotate', 'budi', '--public-key', String(generated['publicKey']), '--reason', 'Laptop diganti', '--key', key('adm')]);
  await ok('appended', ['item', 'note', 'BB/018/XI/2026', '--text', 'Dengan kunci baru', '--key', fresh]);
  await ok('appended', ['identity', 'revoke', 'adm2', '--reason', 'Mutasi', '--key', key('adm')]);
});

test('history shows every step with times in the record\'s zone and in UTC, in English and Indonesian', async () => {
  const [en, id, fromLang, doc] = await Promise.all([
    custody(['history', 'BB/017/XI/2026'], env),
    custody(['history', 'BB/017/XI/2026', '--lang', 'id'], env),
    custody(['history', 'BB/017/XI/2026'], { ...env, LANG: 'id_ID.UTF-8' }),
    ok('history', ['history', 'BB/017/XI/2026']),
  ]);
  assert.is(en.status, 0, en.stderr);
  assert.match(en.stdout, /Chain of custody \(\d+ records\)/);
  assert.match(en.stdout, /\d\d:\d\d:\d\d WITA \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
  assert.match(en.stdout, /\d\d:\d\d:\d\d WIB \(/);
  assert.match(en.stdout, /Released by: budi/);
  assert.match(id.stdout, /Rantai penguasaan/);
  assert.match(id.stdout, /Yang menyerahkan: budi/);
  assert.match(id.stdout, /Yang menerima: sari/);
  assert.match(id.stdout, /Serah terima \(BAST\)/);
  assert.match(fromLang.stdout, /Rantai penguasaan/, 'LANG=id_ID chooses Indonesian');
  assert.is((doc['records'] as unknown[]).length, 6); // register, transfer, move, transfer, unseal, seal
});

test('log, verify and export', async () => {
  const log = await ok('log', ['log', '--from', '2', '--limit', '3']);
  assert.equal((log['records'] as { seq: number }[]).map((r) => r.seq), [2, 3, 4]);
  const verified = await ok('verify', ['verify']);
  assert.is((verified['report'] as { ok: boolean }).ok, true);
  const text = await custody(['verify'], env);
  assert.match(text.stdout, /^Verified: \d+ records, intact\./);
  assert.is(text.stderr, '', 'no progress bar off a terminal');
  const out = join(dir, 'polri.jsonl');
  const exported = await ok('export', ['export', '--out', out]);
  const ledger = Ledger.open(db, { readonly: true });
  try {
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.is(lines.pop(), '');
    assert.is(lines.length, ledger.size());
    assert.is(exported['size'], ledger.size());
    assert.is(lines[3], new TextDecoder().decode(ledger.record(3).leaf));
  } finally {
    ledger.close();
  }
  const stdout = await custody(['export'], env);
  assert.is(stdout.stdout, readFileSync(out, 'utf8'), 'export to stdout gives the same bytes');
});

test('checkpoint: the ledger key signs the tree head; verify --checkpoint checks the ledger still reproduces it', async () => {
  const cp = join(dir, 'cp.txt');
  const doc = await ok('checkpoint', ['checkpoint', '--out', cp, '--key', ledgerKey]);
  assert.is(readFileSync(cp, 'utf8'), doc['note']);
  assert.match(String(doc['note']), /^ledger\.dittipidsiber\.polri\.go\.id\/2026\n\d+\n[A-Za-z0-9+/]{43}=\n\n— /);
  const verified = await ok('verify', ['verify', '--checkpoint', cp, '--verifier-key', String(doc['verifierKey'])]);
  assert.is((verified['report'] as { rootsChecked: number }).rootsChecked, 2, 'the stored checkpoint and the one given');
  const refused = await custody(['checkpoint', '--key', key('sari')], env);
  assert.is(refused.status, 2);
  assert.match(refused.stderr, /^custody: Only the ledger key signs checkpoints/);
});

test('--help of every command shows a real example', async () => {
  const commands = [
    ['init'], ['key', 'generate'], ['identity', 'enrol'], ['identity', 'list'], ['identity', 'show'], ['identity', 'rotate'], ['identity', 'revoke'],
    ['item', 'register'], ['item', 'derive'], ['item', 'seal'], ['item', 'unseal'], ['item', 'check'], ['item', 'examine'], ['item', 'move'], ['item', 'dispose'],
    ['item', 'note'], ['item', 'list'], ['transfer'], ['statement', 'transfer'], ['statement', 'accept'], ['statement', 'reject'], ['sign'], ['offer'], ['accept'],
    ['reject'], ['cancel'], ['history'], ['status'], ['log'], ['verify'], ['checkpoint'], ['export'], ['demo'],
  ];
  const runs = await Promise.all(commands.map((c) => custody([...c, '--help'])));
  runs.forEach((r, i) => {
    const name = commands[i]!.join(' ');
    assert.is(r.status, 0, name);
    assert.match(r.stdout, /Examples:/, name);
    assert.match(r.stdout, new RegExp(`custody ${name}`), name);
  });
});

test.after(cleanup);
test.run();
