// custody report and custody verifier, end to end through the built binary: the court report of a
// bundle or a ledger item (HTML, Markdown, JSON, in Indonesian and English), the handover record
// (berita acara serah terima), and what a tampered bundle's report says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize, formatZonedTime } from '@custody/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkOutput, custody, ROOT, tempDir } from './helpers.js';
import { Ledger } from '@custody/ledger';
import { buildCase, ITEM, KEYS, type Case } from './report-fixture.js';

const { dir, cleanup } = tempDir('custody-report-');
let c: Case;
const bundleFile = join(dir, 'case.bundle.json');
const policyFile = join(dir, 'case.policy');
let n = 0;
const out = (ext: string): string => join(dir, `out-${n++}.${ext}`);

test.before(() => {
  c = buildCase(dir);
  c.ledger.close();
});
test.after(() => cleanup());

/** Nothing in the document may load from anywhere: no src/href/url()/@import. */
function assertSelfContained(html: string): void {
  assert.not.match(html, /<[a-z][^>]*\s(src|href|srcset|action|style|on[a-z]+)\s*=/i);
  assert.not.match(html, /url\(|@import|<link|<script|<iframe|<object|<embed/i);
}

test('the report of a bundle under a policy says intact, in Indonesian, with every part the issue lists', async () => {
  const file = out('html');
  const run = await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--lang', 'id', '--out', file]);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, /UTUH/);
  const html = readFileSync(file, 'utf8');
  const summary = checkOutput('report', (await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--json', '--out', out('html')])).stdout);
  assert.equal([summary['ok'], summary['intact'], summary['items'], summary['failures']], [true, true, [ITEM], []]);
  assertSelfContained(html);
  assert.match(html, /@page \{ size: A4/);
  assert.match(html, /data-verdict="intact"/);
  assert.match(html, /UTUH — terverifikasi/);
  // Header: ledger, agency, item and case references.
  for (const text of ['Register Barang Bukti Digital 2026', 'Dittipidsiber Bareskrim Polri', ITEM, 'LP/B/0123/XI/2026/SPKT/Bareskrim', 'SP.Sita/45/XI/2026/Dittipidsiber']) assert.ok(html.includes(text), text);
  // Each check core ran, by name.
  for (const check of ['Checkpoint ditandatangani', 'bukti inklusi Merkle', 'Setiap tanda tangan']) assert.ok(html.includes(check), check);
  // The timeline: every record of the item, local time with zone and UTC.
  const itemSeqs = c.bundle.records.filter((r) => r.record.item === ITEM).map((r) => r.record);
  for (const r of itemSeqs) {
    assert.ok(html.includes(`data-seq="${r.seq}"`), `row #${r.seq}`);
    const t = formatZonedTime(r.time, r.zone);
    assert.ok(html.includes(t.local) && html.includes(t.utc), `time of #${r.seq}`);
  }
  assert.match(html, / WIB</);
  assert.match(html, / WITA</);
  // Released by / received by, purpose, authority, seal, re-measured digests, who signed and cosigned.
  for (const text of ['Yang menyerahkan', 'Budi Santoso, AKP, Penyidik', 'Sari Wulandari, Bripka, PPBB', 'Penyerahan ke PPBB untuk penyimpanan', 'ST/123/XI/2026/Labfor', 'SGL-000417 (utuh)', 'cocok', 'sari.wulandari']) {
    assert.ok(html.includes(text), text);
  }
  // Identities with fingerprints, checkpoint and witness, digests, legal note, glossary terms.
  assert.match(html, /([0-9a-f]{4} ){15}[0-9a-f]{4}/);
  assert.ok(html.includes('kejari'), 'the witness that cosigned');
  assert.ok(html.includes('b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78'));
  for (const text of ['UU ITE', 'Pasal 5', 'Pasal 6', 'alat bukti hukum yang sah', 'dapat dipertanggungjawabkan', 'Barang bukti', 'Serah terima (BAST)', 'Nilai hash']) assert.ok(html.includes(text), text);
  // Nothing of the other case.
  assert.not.ok(html.includes('BB/099/XI/2026'));
});

test('the report of a ledger item (its bundle at the latest checkpoint, the ledger’s own key) in English Markdown', async () => {
  const file = out('md');
  const run = await custody(['report', ITEM, '--db', join(dir, 'case.db'), '--format', 'md', '--lang', 'en', '--out', file]);
  assert.is(run.status, 0, run.stderr);
  const md = readFileSync(file, 'utf8');
  assert.match(md, /^# Chain-of-custody report$/m);
  assert.match(md, /\*\*INTACT — verified\*\*/);
  assert.ok(md.includes('the ledger’s own key'));
  assert.ok(md.includes('Handover (BAST)'));
  assert.ok(md.includes('UU ITE') && md.includes('Pasal 6'));
  assert.match(md, /\| #\d+ \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIB<br>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \|/);
});

const documentAjv = new Ajv2020({ strict: true, strictRequired: false });
const validateDocument = documentAjv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', 'report-document.schema.json'), 'utf8')) as object);
/** checkDocument parses `--format json` output and validates it against schemas/cli/report-document.schema.json. */
function checkDocument(text: string): unknown {
  const doc = JSON.parse(text) as unknown;
  if (!validateDocument(doc)) throw new Error(documentAjv.errorsText(validateDocument.errors));
  return doc;
}

test('JSON: one document, the same model the HTML and the page are made from', async () => {
  const run = await custody(['report', '--bundle', bundleFile, '--log-key', c.logKey, '--format', 'json']);
  assert.is(run.status, 0, run.stderr);
  const model = checkDocument(run.stdout) as { format: string; trust: string; verdict: { ok: boolean }; items: { id: string }[]; timeline: { seq: number }[]; identities: { id: string }[] };
  assert.is(model.format, 'custody-report/v1');
  assert.is(model.trust, 'log-key');
  assert.ok(model.verdict.ok);
  assert.equal(model.items.map((i) => i.id), [ITEM]);
  assert.equal(model.timeline.map((r) => r.seq), c.bundle.records.filter((r) => r.record.item === ITEM).map((r) => r.record.seq));
  assert.equal(model.identities.map((i) => i.id), ['ledger', 'budi.santoso', 'sari.wulandari', 'rudi.hartono']);
});

test('a tampered bundle: exit 1, the report says not intact and names the record and the check', async () => {
  const b = JSON.parse(canonicalize(c.bundle));
  const i = b.records.findIndex((r: { record: { seq: number } }) => r.record.seq === c.transferSeq);
  b.records[i].record.data.purpose = '<img src=x onerror=alert(1)>Dipinjam';
  const tampered = join(dir, 'tampered.json');
  writeFileSync(tampered, JSON.stringify(b));
  const file = out('html');
  const run = await custody(['report', '--bundle', tampered, '--policy', policyFile, '--lang', 'en', '--out', file]);
  assert.is(run.status, 1, run.stderr);
  assert.match(run.stderr, /NOT INTACT/);
  const html = readFileSync(file, 'utf8');
  assertSelfContained(html);
  assert.match(html, /data-verdict="not-intact"/);
  assert.ok(html.includes('PROOF_INVALID'));
  assert.ok(html.includes(`Record ${c.transferSeq} is not in the log at the checkpoint`));
  assert.match(html, new RegExp(`data-seq="${c.transferSeq}" class="failed-row"`));
  // The bundle's text is shown, escaped, never as markup.
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;Dipinjam'));
  assert.not.ok(html.includes('<img'));
  const document = checkDocument((await custody(['report', '--bundle', tampered, '--policy', policyFile, '--format', 'json'])).stdout) as { verdict: { ok: boolean } };
  assert.is(document.verdict.ok, false);
  checkDocument((await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--format', 'json', '--handover', String(c.transferSeq)])).stdout);
  checkDocument((await custody(['report', '--bundle', policyFile, '--policy', policyFile, '--format', 'json'])).stdout);
  // In Indonesian the failure is said in Indonesian, with the library's English sentence kept beside it.
  const md = await custody(['report', '--bundle', tampered, '--policy', policyFile, '--lang', 'id', '--format', 'md']);
  assert.is(md.status, 1);
  assert.ok(md.stdout.includes(`#${c.transferSeq} \`PROOF_INVALID\`: Catatan ${c.transferSeq} tidak terbukti ada dalam log pada checkpoint`), md.stdout.slice(0, 2000));
  assert.ok(md.stdout.includes(`(Record ${c.transferSeq} is not in the log at the checkpoint`));
  // --json: one document with the failures.
  const json = await custody(['report', '--bundle', tampered, '--policy', policyFile, '--json', '--out', out('html')]);
  assert.is(json.status, 1);
  const doc = checkOutput('report', json.stdout) as { ok: boolean; intact: boolean; failures: { code: string; seq: number }[] };
  assert.is(doc.ok, false);
  assert.ok(doc.failures.some((f) => f.code === 'PROOF_INVALID' && f.seq === c.transferSeq));
});

test('the handover record (BAST) of a transfer: both parties with rank, NRP and agency, item, seals, purpose, place and WIB time, leaf hash', async () => {
  const file = out('html');
  const run = await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--handover', String(c.transferSeq), '--lang', 'id', '--out', file]);
  assert.is(run.status, 0, run.stderr);
  const html = readFileSync(file, 'utf8');
  assertSelfContained(html);
  const record = c.bundle.records.find((r) => r.record.seq === c.transferSeq)!.record;
  const t = formatZonedTime(record.time, record.zone);
  for (const text of [
    'Berita Acara Serah Terima', 'Yang menyerahkan (pihak pertama)', 'Yang menerima (pihak kedua)', 'Budi Santoso', 'AKP, Penyidik', '87050123', 'Sari Wulandari', '90010456',
    'Dittipidsiber Bareskrim Polri', ITEM, 'Ponsel Samsung Galaxy A54', 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78', 'SGL-000417 (utuh)',
    'Penyerahan ke PPBB untuk penyimpanan', 'SP.Sita/45/XI/2026/Dittipidsiber', 'Gedung Bareskrim, Jakarta Selatan', t.local, t.utc, 'custody verifier --out verifier.html',
  ]) {
    assert.ok(html.includes(text), text);
  }
  assert.match(t.local, / WIB$/);
  const { leafHash } = await import('@custody/core').then((core) => ({ leafHash: core.toHex(core.leafHash(core.canonicalBytes(record))) }));
  assert.ok(html.includes(leafHash), 'the leaf hash');
  assert.is((html.match(/class="sign"/g) ?? []).length, 2, 'a signature space for each party');
});

test('the handover record of an accepted offer names the offerer and the receiver, in WITA, in English Markdown', async () => {
  const run = await custody(['report', ITEM, '--db', join(dir, 'case.db'), '--handover', String(c.acceptSeq), '--format', 'md', '--lang', 'en']);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^# Handover record$/m);
  assert.match(run.stdout, /### Released by \(first party\)[^#]*Sari Wulandari/);
  assert.match(run.stdout, /### Received by \(second party\)[^#]*Rudi Hartono[^#]*Labfor Cabang Makassar/);
  assert.match(run.stdout, / WITA \(/);
  assert.ok(run.stdout.includes('Pemeriksaan forensik (akuisisi dan analisis)'));
});

test('bad requests: no trust for a bundle, a record that is not a handover, both ITEM and --bundle, an existing --out', async () => {
  const noTrust = await custody(['report', '--bundle', bundleFile]);
  assert.is(noTrust.status, 2);
  assert.match(noTrust.stderr, /--policy|--log-key/);
  const notHandover = await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--handover', '0', '--json', '--out', out('html')]);
  assert.is(notHandover.status, 2);
  assert.is((JSON.parse(notHandover.stdout) as { error: { code: string } }).error.code, 'RECORD_UNKNOWN');
  const both = await custody(['report', ITEM, '--bundle', bundleFile, '--policy', policyFile]);
  assert.is(both.status, 2);
  const exists = await custody(['report', '--bundle', bundleFile, '--policy', policyFile, '--out', policyFile, '--json']);
  assert.is(exists.status, 2);
  assert.is((JSON.parse(exists.stdout) as { error: { code: string } }).error.code, 'FILE_EXISTS');
});

test('custody verifier writes the self-contained page: one inline script allowed by hash, no network allowed', async () => {
  const file = out('html');
  const run = await custody(['verifier', '--out', file, '--lang', 'id', '--json']);
  assert.is(run.status, 0, run.stderr);
  assert.is(checkOutput('verifier', run.stdout)['file'], file);
  const html = readFileSync(file, 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*'/);
  assert.is((html.match(/<script/g) ?? []).length, 1);
  assert.not.match(html, /<script[^>]*\ssrc=|<link|<iframe/);
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const { createHash } = await import('node:crypto');
  assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the CSP hash is that of the script');
});

test('records appended after the latest checkpoint are counted and named as not covered, never shown as proved', async () => {
  const ledger = Ledger.open(join(dir, 'case.db'));
  ledger.append({ type: 'item.move', item: ITEM, actor: 'rudi.hartono', zone: 'Asia/Makassar', data: { location: 'Lemari BB Labfor Makassar' } }, KEYS.rudi);
  ledger.close();
  const run = await custody(['report', ITEM, '--db', join(dir, 'case.db'), '--format', 'md', '--lang', 'id']);
  assert.is(run.status, 0, run.stderr);
  assert.ok(run.stdout.includes('1 catatan tentang barang bukti ini ditambahkan setelah checkpoint terakhir'));
  assert.not.ok(run.stdout.includes('Lemari BB Labfor Makassar'));
});

test.run();
