// Append-time sanity, adversarially, through the real `custody` binary and the library
// (docs/PROTOCOL.md §4.5): records dated before the ledger began or in the future are refused with
// a code and nothing written; a late entry with its reason is accepted and shown as such in the
// history and the court report; text with a look-alike letter from another script is refused at
// append, and where it got in anyway (a record signed directly), verification warns and the report
// flags the text next to the record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditLedger,
  canonicalBytes,
  createVerifierKey,
  formatVerifierKey,
  leafHash,
  MemoryHashStore,
  proveInclusion,
  sealRecord,
  seedSigner,
  signCheckpoint,
  signStatement,
  statementOf,
  toBase64,
  toHex,
  treeHash,
  SIGNATURE_TYPE_ED25519,
  ZERO_HASH_HEX,
  type Bundle,
  type JsonObject,
  type LedgerRecord,
  type RecordType,
  type Signer,
  type UnsignedRecord,
} from '../../packages/core/src/index.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { custody, PASSPHRASE, ROOT, world, type World } from '../../cli/test/helpers.js';

const HOUR = 3600_000;
const documentAjv = new Ajv2020({ strict: true, strictRequired: false });
const validateDocument = documentAjv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', 'report-document.schema.json'), 'utf8')) as object);
const iso = (ms: number): string => new Date(ms).toISOString();

/** genesisTime reads record 0's time through the CLI (the first line of `log`, as JSON). */
async function genesisTime(w: World): Promise<string> {
  const run = await custody(['log', '--limit', '1', '--json'], w.env);
  assert.is(run.status, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { records: Array<{ record: LedgerRecord }> };
  return doc.records[0]!.record.time;
}

const budi = (w: World): string[] => ['--key', w.key('budi')];

test('a record dated before the genesis is refused, TIME_BEFORE_GENESIS, exit 2, and nothing is written', async () => {
  const w = world();
  try {
    const before = iso(Date.parse(await genesisTime(w)) - 24 * HOUR);
    const size = w.size();
    for (const args of [
      ['item', 'note', 'BB-1', '--text', 'Disita kemarin'],
      ['item', 'move', 'BB-1', '--location', 'Gudang BB'],
      ['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'Ponsel', '--digest', `sha256:${'cd'.repeat(32)}`],
    ]) {
      const run = await custody([...args, '--time', before, ...budi(w), '--json'], w.env);
      assert.is(run.status, 2, `${args.join(' ')}: ${run.stdout}`);
      const error = (JSON.parse(run.stdout) as { error: { code: string; details: Record<string, unknown> } }).error;
      assert.is(error.code, 'TIME_BEFORE_GENESIS', args.join(' '));
      assert.is(error.details['time'], before);
    }
    assert.is(w.size(), size, 'nothing was written');
    const id = await custody(['item', 'note', 'BB-1', '--text', 'x', '--time', before, ...budi(w), '--lang', 'id'], w.env);
    assert.is(id.status, 2);
    assert.match(id.stderr, /sebelum buku register ini dibuat/);
    assert.match(id.stderr, /--late-reason/);
    const en = await custody(['item', 'note', 'BB-1', '--text', 'x', '--time', before, ...budi(w), '--lang', 'en'], w.env);
    assert.match(en.stderr, /before this ledger began/);
  } finally {
    w.cleanup();
  }
});

test('the same record with --late-reason is accepted, keeps both times and the reason, and history, verify and the report say it was recorded late', async () => {
  const w = world();
  try {
    const before = iso(Date.parse(await genesisTime(w)) - 24 * HOUR);
    const reason = 'Sistem tidak tersedia saat penyitaan; dicatat dari berita acara';
    const started = Date.now();
    const run = await custody(['item', 'note', 'BB-1', '--text', 'Penyitaan di TKP', '--time', before, '--late-reason', reason, ...budi(w), '--json'], w.env);
    assert.is(run.status, 0, run.stdout + run.stderr);
    const record = (JSON.parse(run.stdout) as { record: LedgerRecord }).record;
    assert.is(record.time, before);
    assert.is(record.late?.reason, reason);
    const recorded = Date.parse(record.late!.recorded);
    assert.ok(recorded >= started - 1000 && recorded <= Date.now() + 1000, `recorded now: ${record.late!.recorded}`);

    // A handover recorded late, with the receiver's signature made here: the statement it signs carries the marker.
    const cosigned = await custody(
      ['transfer', 'BB-1', '--to', 'sari', '--purpose', 'Penyimpanan', '--time', before, '--late-reason', 'Serah terima di lapangan', ...budi(w), '--cosign-key', w.key('sari'), '--json'],
      { ...w.env, CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE },
    );
    assert.is(cosigned.status, 0, cosigned.stdout + cosigned.stderr);

    const en = await custody(['history', 'BB-1', '--lang', 'en'], w.env);
    assert.is(en.status, 0, en.stderr);
    assert.match(en.stdout, new RegExp(`Recorded late: on [^\\n]*; reason: ${reason}`));
    assert.match(en.stdout, /reason: Serah terima di lapangan/);
    const id = await custody(['history', 'BB-1', '--lang', 'id'], w.env);
    assert.match(id.stdout, new RegExp(`Dicatat terlambat: pada [^\\n]*; alasan: ${reason}`));

    const verify = await custody(['verify', '--strict', '--json'], w.env);
    assert.is(verify.status, 0, verify.stdout);
    const report = (JSON.parse(verify.stdout) as { report: { warnings: Array<{ code: string }> } }).report;
    assert.equal(report.warnings, [], 'a declared late entry is no unexplained regression, even when strict');

    assert.is((await custody(['checkpoint', '--key', w.key('ledger')], w.env)).status, 0);
    const md = await custody(['report', 'BB-1', '--format', 'md', '--lang', 'en'], w.env);
    assert.is(md.status, 0, md.stderr);
    assert.match(md.stdout, /\*\*Recorded late \(catatan terlambat\)\*\*: recorded on [^|]*after the event; reason: Sistem tidak tersedia/);
    const html = await custody(['report', 'BB-1', '--format', 'html', '--lang', 'id'], w.env);
    assert.is(html.status, 0, html.stderr);
    assert.is((html.stdout.match(/data-late="true"/g) ?? []).length, 2, 'both late records are marked');
    assert.match(html.stdout, /Dicatat terlambat \(late entry\)/);
    assert.match(html.stdout, /alasan: Serah terima di lapangan/);
    const json = await custody(['report', 'BB-1', '--format', 'json'], w.env);
    const document = JSON.parse(json.stdout) as { timeline: Array<{ late?: { reason: string; recorded: string } }> };
    if (!validateDocument(document)) throw new Error(documentAjv.errorsText(validateDocument.errors));
    assert.equal(document.timeline.filter((r) => r.late !== undefined).map((r) => r.late!.reason), [reason, 'Serah terima di lapangan']);
    const bast = await custody(['report', 'BB-1', '--handover', String(w.size() - 1), '--format', 'md', '--lang', 'id'], w.env);
    assert.is(bast.status, 0, bast.stderr);
    assert.match(bast.stdout, /\*\*Dicatat terlambat \(late entry\)\*\*: dicatat pada .*alasan: Serah terima di lapangan/);
  } finally {
    w.cleanup();
  }
});

test('--late-reason needs --time, is not offered where it cannot be kept, and an empty reason is refused', async () => {
  const w = world();
  try {
    const size = w.size();
    const noTime = await custody(['item', 'note', 'BB-1', '--text', 'x', '--late-reason', 'lupa', ...budi(w), '--json'], w.env);
    assert.is(noTime.status, 2);
    assert.is((JSON.parse(noTime.stdout) as { error: { code: string } }).error.code, 'USAGE');
    const before = iso(Date.now() - 48 * HOUR);
    const empty = await custody(['item', 'note', 'BB-1', '--text', 'x', '--time', before, '--late-reason', '', ...budi(w), '--json'], w.env);
    assert.is(empty.status, 2);
    assert.is((JSON.parse(empty.stdout) as { error: { code: string } }).error.code, 'SCHEMA_INVALID');
    const statement = await custody(['statement', 'transfer', 'BB-1', '--actor', 'budi', '--to', 'sari', '--purpose', 'x', '--out', join(w.dir, 'st.json'), '--late-reason', 'x'], w.env);
    assert.is(statement.status, 2, 'a statement file cannot carry it yet: refused, not dropped');
    assert.is(w.size(), size);
    const help = await custody(['item', 'note', '--help', '--lang', 'id']);
    assert.match(help.stdout, /--late-reason\s+Catat sebagai catatan terlambat/);
  } finally {
    w.cleanup();
  }
});

test('a record dated an hour in the future is refused as a clock fault, TIME_IN_FUTURE, exit 2, nothing written', async () => {
  const w = world();
  try {
    const size = w.size();
    const future = iso(Date.now() + HOUR);
    const run = await custody(['item', 'move', 'BB-1', '--location', 'Gudang BB', '--time', future, ...budi(w), '--json'], w.env);
    assert.is(run.status, 2, run.stdout);
    const error = (JSON.parse(run.stdout) as { error: { code: string; details: Record<string, unknown> } }).error;
    assert.equal([error.code, error.details['path'], error.details['time']], ['TIME_IN_FUTURE', '/time', future]);
    const late = await custody(['item', 'move', 'BB-1', '--location', 'Gudang BB', '--time', future, '--late-reason', 'x', ...budi(w), '--json'], w.env);
    assert.is((JSON.parse(late.stdout) as { error: { code: string } }).error.code, 'TIME_IN_FUTURE', 'a late marker does not excuse a future time');
    const id = await custody(['item', 'move', 'BB-1', '--location', 'Gudang BB', '--time', future, ...budi(w), '--lang', 'id'], w.env);
    assert.match(id.stderr, /Periksa jam komputer ini/);
    const en = await custody(['item', 'move', 'BB-1', '--location', 'Gudang BB', '--time', future, ...budi(w), '--lang', 'en'], w.env);
    assert.match(en.stderr, /Check the clock of this computer/);
    assert.is(w.size(), size);
  } finally {
    w.cleanup();
  }
});

test('a name or description with a look-alike letter from another script is refused, TEXT_MIXED_SCRIPT, exit 2, nothing written', async () => {
  const w = world();
  try {
    const size = w.size();
    const enrol = await custody(
      ['identity', 'enrol', 'eve', '--name', 'Eva S\u0430ntoso', '--agency', 'Polri', '--role', 'officer', '--public-key', toBase64(w.keys['eve']!.publicKey), '--key', w.key('ledger'), '--json'],
      w.env,
    );
    assert.is(enrol.status, 2, enrol.stdout);
    const error = (JSON.parse(enrol.stdout) as { error: { code: string; details: Record<string, unknown> } }).error;
    assert.equal([error.code, error.details['path'], error.details['word'], error.details['letters']], ['TEXT_MIXED_SCRIPT', '/data/name', 'S\u0430ntoso', 'U+0430']);
    const greek = await custody(['item', 'register', 'BB-9', '--kind', 'phone', '--description', 'Ponsel dari B\u03BFgor', '--digest', `sha256:${'cd'.repeat(32)}`, ...budi(w), '--json'], w.env);
    assert.is((JSON.parse(greek.stdout) as { error: { code: string } }).error.code, 'TEXT_MIXED_SCRIPT');
    const id = await custody(['item', 'note', 'BB-1', '--text', 'Diterima oleh S\u0430ri', ...budi(w), '--lang', 'id'], w.env);
    assert.is(id.status, 2);
    assert.match(id.stderr, /mencampur aksara dalam satu kata/);
    assert.is(w.size(), size);
    // What the rule allows goes in: one script per word, or Latin with Han.
    const fine = await custody(['item', 'note', 'BB-1', '--text', 'Диск из Москвы, 微信WeChat, Rp.500, Jl. Sudirman', ...budi(w)], w.env);
    assert.is(fine.status, 0, fine.stderr);
  } finally {
    w.cleanup();
  }
});

// ---- a ledger with mixed-script text signed directly, bypassing the append check ----

const ORIGIN = 'ledger.uji-teks.polri.go.id/2026';
const signerOf = (n: number): Signer => seedSigner(new Uint8Array(32).fill(n));
const KEYS = { ledger: signerOf(51), budi: signerOf(52), sari: signerOf(53) };

/** RawLog signs records as told, with no append checks: what another tool, or an older version, could have written. */
class RawLog {
  readonly leaves: Uint8Array[] = [];
  readonly records: LedgerRecord[] = [];
  readonly #heads = new Map<string, string>();
  #clock = Date.now() - 10 * HOUR;

  add(type: RecordType, item: string | null, actor: keyof typeof KEYS, data: JsonObject, cosigner?: keyof typeof KEYS): LedgerRecord {
    const seq = this.leaves.length;
    const creates = type === 'item.register';
    let unsigned: UnsignedRecord = {
      v: 1, log: ORIGIN, seq, prev: seq === 0 ? ZERO_HASH_HEX : toHex(leafHash(this.leaves[seq - 1]!)),
      time: iso((this.#clock += 60_000)), zone: 'Asia/Jakarta', type, item,
      itemPrev: item === null || creates ? null : this.#heads.get(item)!, actor, data,
    };
    if (cosigner !== undefined) unsigned = { ...unsigned, cosigs: [signStatement(statementOf(unsigned), cosigner, KEYS[cosigner])] };
    const { record, leafBytes } = sealRecord(unsigned, KEYS[actor]);
    this.leaves.push(leafBytes);
    this.records.push(record);
    if (item !== null) this.#heads.set(item, toHex(leafHash(leafBytes)));
    return record;
  }

  /** bundle returns the custody-bundle/v1 of `item` at a checkpoint of the whole log, signed by the ledger key. */
  bundle(item: string): { bundle: Bundle; logKey: string } {
    const size = this.leaves.length;
    const store = MemoryHashStore.fromLeafHashes(this.leaves.map((l) => leafHash(l)));
    const checkpoint = signCheckpoint({ origin: ORIGIN, size, rootHash: treeHash(size, store) }, KEYS.ledger);
    const logKey = formatVerifierKey(createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, KEYS.ledger.publicKey));
    const records = this.records
      .filter((r) => r.seq === 0 || r.type.startsWith('identity.') || r.item === item)
      .map((record) => ({ record, proof: proveInclusion(record.seq, size, store).map(toHex) }));
    return { bundle: { format: 'custody-bundle/v1', log: { origin: ORIGIN, key: logKey }, checkpoint, items: [item], records }, logKey };
  }
}

test('mixed-script text already in a ledger verifies intact with a warning, and the court report flags it next to the record and the name', async () => {
  const log = new RawLog();
  log.add('ledger.genesis', null, 'ledger', { name: 'Register Uji', agency: 'Polri', key: toBase64(KEYS.ledger.publicKey) });
  log.add('identity.enrol', null, 'ledger', { id: 'budi', name: 'Budi Santoso', agency: 'Polri', role: 'officer', key: toBase64(KEYS.budi.publicKey) });
  const sari = log.add('identity.enrol', null, 'ledger', { id: 'sari', name: 'Sari Wul\u0430ndari', agency: 'Polri', role: 'officer', key: toBase64(KEYS.sari.publicKey) });
  log.add('item.register', 'BB-1', 'budi', { kind: 'phone', description: 'Ponsel Samsung', digests: { sha256: 'ab'.repeat(32) } });
  const transfer = log.add('custody.transfer', 'BB-1', 'budi', { from: 'budi', to: 'sari', purpose: 'Penyimpanan' }, 'sari');
  const note = log.add('item.note', 'BB-1', 'sari', { text: 'Segel diperiksa, utuh. Diterima dari Budi S\u0430ntoso' });

  // The library: intact, one warning per mixed word, even when strict.
  const audit = auditLedger(log.leaves, { strict: true });
  assert.ok(audit.ok, JSON.stringify(audit.failures));
  assert.equal(audit.warnings.map((w) => [w.seq, w.code, w.details['path'], w.details['word']]), [
    [sari.seq, 'TEXT_MIXED_SCRIPT', '/data/name', 'Wul\u0430ndari'],
    [note.seq, 'TEXT_MIXED_SCRIPT', '/data/text', 'S\u0430ntoso'],
  ]);

  const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'custody-sanity-'));
  try {
    const { bundle, logKey } = log.bundle('BB-1');
    const file = join(dir, 'bb-1.bundle.json');
    writeFileSync(file, `${new TextDecoder().decode(canonicalBytes(bundle))}\n`);
    const verified = await custody(['bundle', 'verify', file, '--log-key', logKey, '--json']);
    assert.is(verified.status, 0, verified.stdout);
    const report = JSON.parse(verified.stdout) as { ok: boolean; warnings: Array<{ code: string; seq: number }> };
    assert.equal(report.warnings.map((w) => [w.seq, w.code]), [[sari.seq, 'TEXT_MIXED_SCRIPT'], [note.seq, 'TEXT_MIXED_SCRIPT']]);

    const en = await custody(['report', '--bundle', file, '--log-key', logKey, '--format', 'md', '--lang', 'en']);
    assert.is(en.status, 0, en.stderr);
    // Next to the record: the timeline row of the note names the word and spells the foreign letter.
    const row = en.stdout.split('\n').find((l) => l.startsWith(`| #${note.seq} `))!;
    assert.ok(row !== undefined, en.stdout);
    // (Markdown escapes the brackets of the spelling.)
    assert.match(row, /This text mixes scripts in one word: “S\u0430ntoso” \(spelled S\\\[U\+0430\\\]ntoso; Latin \+ Cyrillic\)/);
    // Next to the name: the identities table.
    const person = en.stdout.split('\n').find((l) => l.startsWith('| sari |'))!;
    assert.match(person, /spelled Wul\\\[U\+0430\\\]ndari/);
    const id = await custody(['report', '--bundle', file, '--log-key', logKey, '--format', 'html', '--lang', 'id']);
    assert.is(id.status, 0, id.stderr);
    assert.match(id.stdout, /Teks ini mencampur aksara dalam satu kata: “S\u0430ntoso” \(dieja S\[U\+0430\]ntoso; Latin \+ Sirilik\)/);
    const bast = await custody(['report', '--bundle', file, '--log-key', logKey, '--handover', String(transfer.seq), '--format', 'md', '--lang', 'id']);
    assert.is(bast.status, 0, bast.stderr);
    assert.match(bast.stdout, /⚠ Peringatan: Teks ini mencampur aksara dalam satu kata: “Wul\u0430ndari”/, 'the handover record flags the receiver’s name');
    assert.ok(readFileSync(file, 'utf8').includes('Wul\u0430ndari'), 'the bundle keeps the text as signed');
  } finally {
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
