// The offline verifier page and the court report in a real browser: Debian's Chromium, headless,
// driven by playwright-core. The page verifies bundles with @custody/core inside the browser and
// must give the same answer as core's verifyBundle under Node (what `custody bundle verify` and
// `custody report` run) on every bundle of the bundle issue's mutation set; it makes no network
// request; and screenshots of the page, the report and the handover record are left in
// test-results/ for people to look at. Chromium missing is a failure, never a skip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { canonicalize, parsePolicy, verifyBundle, type BundleTrust } from '../../packages/core/src/index.js';
import { nodeCrypto } from '../../packages/ledger/src/index.js';
import { buildCase, buildCrossAgency, ITEM, mutations, otherBundle, type Case } from '../../cli/test/report-fixture.js';
import { renderHandoverHtml, renderReportHtml } from '../../cli/src/report/html.js';
import { handoverRow, reportFromBundle } from '../../cli/src/report/sources.js';
import { custody, parallel } from '../../cli/test/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const RESULTS = join(root, 'test-results');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'custody-browser-'));
const profile = mkdtempSync(join(tmpdir(), 'custody-chromium-profile-'));
let c: Case;
let context: BrowserContext;
let pageUrl: string;
/** Every request any page of the browser made, and every console error (CSP violations among them). */
const requests: string[] = [];
const consoleErrors: string[] = [];

test.before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium (scripts/setup.sh does) — this test does not skip.`);
  }
  mkdirSync(RESULTS, { recursive: true });
  c = buildCase(dir);
  const pagePath = join(dir, 'verifier.html');
  execFileSync(process.execPath, [join(root, 'scripts/build-verifier.mjs'), '--out', pagePath]);
  pageUrl = pathToFileURL(pagePath).href;
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, locale: 'id-ID', viewport: { width: 1100, height: 900 } });
  context.on('request', (r) => requests.push(r.url()));
  context.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
});

test.after(async () => {
  await context?.close();
  c?.ledger.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

interface PageAnswer {
  readonly ok: boolean;
  readonly isBundle: boolean;
  readonly checks: unknown;
  readonly failures: Array<{ code: string; seq: number | null; message: string }>;
  readonly warnings: unknown;
  readonly digest: string | null;
}

/**
 * verifyInPage opens the page, chooses the bundle and the policy or key, presses Verify at once (the
 * page waits for the files it is still reading), and reads the answer.
 */
async function verifyInPage(page: Page, bundlePath: string, trust: { policyPath?: string; logKey?: string }): Promise<PageAnswer> {
  await page.goto(pageUrl);
  await page.waitForSelector('html[data-ready="true"]');
  await page.setInputFiles('#bundle', bundlePath);
  if (trust.policyPath !== undefined) await page.setInputFiles('#policy', trust.policyPath);
  if (trust.logKey !== undefined) await page.fill('#keys', trust.logKey);
  await page.click('#verify');
  const json = await page.waitForSelector('#verdict-json', { state: 'attached', timeout: 30_000 });
  return JSON.parse((await json.textContent()) ?? '') as PageAnswer;
}

/**
 * textMatches waits until the text of `selector` says `pattern`: Verify reads the chosen files
 * asynchronously, so the page changes some time after the click. It polls from here, because
 * page.waitForFunction with a string needs eval, which the page's Content-Security-Policy refuses.
 */
async function textMatches(page: Page, selector: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await page.innerText(selector);
    if (pattern.test(text) || Date.now() > deadline) {
      assert.match(text, pattern);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What Node's core says about the same bytes: the answer the CLI gives. */
function nodeAnswer(bytes: Uint8Array, trust: BundleTrust): PageAnswer {
  const r = verifyBundle(bytes, trust, nodeCrypto);
  return { ok: r.ok, isBundle: r.isBundle, checks: r.checks, failures: r.failures as unknown as PageAnswer['failures'], warnings: r.warnings, digest: r.digest };
}

const strip = (a: PageAnswer) => JSON.parse(JSON.stringify(a)) as PageAnswer;

test('a valid bundle shows intact, each check and the timeline, in Indonesian; the same answer as core under Node', async () => {
  const page = await context.newPage();
  const answer = await verifyInPage(page, join(dir, 'case.bundle.json'), { policyPath: join(dir, 'case.policy') });
  assert.equal(strip(answer), strip(nodeAnswer(c.bundleBytes, { policy: parsePolicy(c.policyText) })));
  assert.ok(answer.ok);
  assert.is(await page.getAttribute('.verdict', 'data-verdict'), 'intact');
  const text = await page.innerText('#result');
  assert.match(text, /UTUH — terverifikasi/);
  assert.match(text, /Rantai penguasaan/);
  assert.match(text, /WITA/);
  const rows = await page.$$eval('table.timeline tr[data-seq]', (trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
  assert.equal(rows, c.bundle.records.filter((r) => r.record.item === ITEM).map((r) => r.record.seq));
  await page.screenshot({ path: join(RESULTS, 'verifier-intact-id.png'), fullPage: true });
  await page.close();
});

test('a tampered bundle shows not intact and names the record, in English', async () => {
  const page = await context.newPage();
  const b = JSON.parse(canonicalize(c.bundle));
  const i = b.records.findIndex((r: { record: { seq: number } }) => r.record.seq === c.transferSeq);
  b.records[i].record.data.purpose = 'Dipinjam';
  const path = join(dir, 'tampered.json');
  writeFileSync(path, JSON.stringify(b));
  const answer = await verifyInPage(page, path, { logKey: c.logKey });
  await page.click('button[data-lang="en"]');
  assert.not.ok(answer.ok);
  assert.ok(answer.failures.some((f) => f.code === 'PROOF_INVALID' && f.seq === c.transferSeq));
  assert.is(await page.getAttribute('.verdict', 'data-verdict'), 'not-intact');
  const text = await page.innerText('#result');
  assert.match(text, /NOT INTACT — verification failed/);
  assert.ok(text.includes(`Record ${c.transferSeq} is not in the log at the checkpoint`));
  assert.is(await page.getAttribute(`tr[data-seq="${c.transferSeq}"]`, 'class'), 'failed-row');
  await page.screenshot({ path: join(RESULTS, 'verifier-tampered-en.png'), fullPage: true });
  await page.close();
});

test('the page, core under Node and custody bundle verify give the same answer on every bundle of the mutation set, under a policy and under a log key', async () => {
  const other = otherBundle(c);
  const cases: Array<[string, Uint8Array]> = [['the valid bundle', c.bundleBytes]];
  for (const [name, change] of mutations(c.bundle, other)) {
    const b = JSON.parse(canonicalize(c.bundle));
    change(b);
    cases.push([name, new TextEncoder().encode(JSON.stringify(b))]);
  }
  cases.push(['duplicate keys', new TextEncoder().encode('{"format":"custody-bundle/v1","format":"x"}')]);
  cases.push(['not JSON', new TextEncoder().encode('hello')]);
  cases.push(['nested too deep', new TextEncoder().encode('['.repeat(5000))]);
  const trusts = [
    ['policy', { policy: parsePolicy(c.policyText) }, { policyPath: join(dir, 'case.policy') }, ['--policy', join(dir, 'case.policy')]],
    ['log key', { logKeys: [c.logKey] }, { logKey: c.logKey }, ['--log-key', c.logKey]],
  ] as const;
  const runs = cases.flatMap(([name, bytes], i) => {
    const path = join(dir, `mutation-${i}.json`);
    writeFileSync(path, bytes);
    return trusts.map(([label, trust, input, flags]) => ({ name: `${name} (${label})`, path, bytes, trust: trust as BundleTrust, input, flags }));
  });
  // `custody bundle verify --json` on each, a few at a time: the CLI's answer.
  const cli = await parallel(runs.map((r) => () => custody(['bundle', 'verify', r.path, ...r.flags, '--json'])), 4);
  const page = await context.newPage();
  const intact: string[] = [];
  for (const [i, r] of runs.entries()) {
    const inPage = await verifyInPage(page, r.path, r.input);
    const inNode = nodeAnswer(r.bytes, r.trust);
    assert.equal(strip(inPage), strip(inNode), r.name);
    const doc = JSON.parse(cli[i]!.stdout) as PageAnswer & { command: string };
    assert.is(doc.command, 'bundle verify');
    assert.equal(strip({ ok: doc.ok, isBundle: doc.isBundle, checks: doc.checks, failures: doc.failures, warnings: doc.warnings, digest: doc.digest }), strip(inPage), `${r.name}: the CLI`);
    assert.is(cli[i]!.status, inPage.ok ? 0 : inPage.isBundle ? 1 : 2, `${r.name}: exit status`);
    if (inPage.ok) intact.push(r.name);
  }
  // Trusting the log key alone, no witness is required: only there may the cosignature go missing.
  assert.equal(intact, ['the valid bundle (policy)', 'the valid bundle (log key)', 'the witness cosignature removed (log key)']);
  await page.close();
});

test('Polri → FBI → Polri: the page follows custody across agencies through upstream bundles, with both ledgers’ keys', async () => {
  const x = buildCrossAgency(mkdtempSync(join(dir, 'agencies-')));
  const swapped = { ...x.court, upstream: [x.first] };
  const page = await context.newPage();
  const both = `${x.polriKey}\n${x.fbiKey}`;
  const runs: Array<[string, unknown, string, boolean]> = [
    ['court bundle, both keys', x.court, both, true],
    ['court bundle, Polri’s key only', x.court, x.polriKey, false],
    ['an upstream bundle swapped for another', swapped, both, false],
  ];
  for (const [name, bundle, keys, ok] of runs) {
    const bytes = new TextEncoder().encode(canonicalize(bundle as never));
    const path = join(dir, `agencies-${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(path, bytes);
    const inPage = await verifyInPage(page, path, { logKey: keys });
    assert.equal(strip(inPage), strip(nodeAnswer(bytes, { logKeys: keys.split('\n') })), name);
    assert.is(inPage.ok, ok, name);
    if (name.includes('swapped')) assert.ok(inPage.failures.some((f) => f.code === 'BUNDLE_UPSTREAM_MISMATCH'), name);
    if (ok) {
      const text = await page.innerText('#result');
      assert.ok(text.includes('ledger.fbi.gov/legat-jakarta') && text.includes('ledger.polri.go.id/2026'), 'both ledgers are shown');
      assert.is(await page.$$eval('.upstream', (els) => els.length), 2, 'both upstream bundles, nested, are shown');
      await page.screenshot({ path: join(RESULTS, 'verifier-agencies-id.png'), fullPage: true });
    }
  }
  await page.close();
});

test('a bundle dropped on the page verifies; without a policy or key, or with a broken policy, the page says what is missing', async () => {
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForSelector('html[data-ready="true"]');
  await page.click('#verify');
  await textMatches(page, '#message', /Pilih berkas bundel/);
  // Drop the bundle file on the drop zone, as a person would drag it from a folder.
  const text = new TextDecoder().decode(c.bundleBytes);
  const transfer = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(text)}], 'dropped.bundle.json', { type: 'application/json' })); return dt; })()`,
  );
  await page.dispatchEvent('#drop', 'drop', { dataTransfer: transfer });
  await textMatches(page, '#bundle-name', /^dropped\.bundle\.json$/);
  await page.click('#verify');
  await textMatches(page, '#message', /kebijakan|kunci/);
  assert.is(await page.$('#verdict-json'), null, 'no verdict without trust');
  const broken = join(dir, 'broken.policy');
  writeFileSync(broken, 'log not-a-key\nquorum none\n');
  await page.setInputFiles('#policy', broken);
  await page.click('#verify');
  await textMatches(page, '#message', /Kebijakan tidak dapat dibaca: Line 1/);
  await page.setInputFiles('#policy', join(dir, 'case.policy'));
  await page.click('#verify');
  await page.waitForSelector('#verdict-json', { state: 'attached' });
  assert.is(await page.getAttribute('.verdict', 'data-verdict'), 'intact');
  await page.close();
});

test('Verify pressed while a large file is still being read waits for it, and answers about that file', async () => {
  const page = await context.newPage();
  const big = join(dir, 'big.json');
  writeFileSync(big, `${' '.repeat(48 * 1024 * 1024)}{"format":"custody-bundle/v1"}`);
  const answer = await verifyInPage(page, big, { policyPath: join(dir, 'case.policy') });
  assert.is(answer.isBundle, false);
  assert.equal(strip(answer), strip(nodeAnswer(new Uint8Array(readFileSync(big)), { policy: parsePolicy(c.policyText) })));
  assert.is(await page.innerText('#message'), '');
  await page.close();
});

test('the page makes no network request: only the file itself is loaded, and a fetch is refused', async () => {
  const before = requests.length;
  const page = await context.newPage();
  await verifyInPage(page, join(dir, 'case.bundle.json'), { policyPath: join(dir, 'case.policy') });
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('http://127.0.0.1:9/leak');
      return false;
    } catch {
      return true;
    }
  });
  assert.ok(blocked, 'a fetch from the page is refused');
  await page.close();
  const made = requests.slice(before);
  assert.ok(made.length >= 1, 'the page load itself was recorded');
  assert.equal(made.filter((u) => u !== pageUrl), [], `requests: ${made.join(', ')}`);
  assert.equal(consoleErrors.filter((m) => !m.includes('127.0.0.1:9')), [], 'no console error other than the refused fetch');
  assert.ok(requests.every((u) => u.startsWith('file://')), `every request of the run was a file: ${requests.filter((u) => !u.startsWith('file://')).join(', ')}`);
});

test('the court report and the handover record render in Chromium as A4 pages, with no request; screenshots and PDFs', async () => {
  const model = reportFromBundle(c.bundleBytes, { policy: parsePolicy(c.policyText, nodeCrypto) });
  const docs: Array<[string, string]> = [
    ['report-id', renderReportHtml(model, 'id', '2026-11-28 09:00:00 WIB (2026-11-28 02:00:00 UTC)')],
    ['report-en', renderReportHtml(model, 'en', '2026-11-28 09:00:00 WIB (2026-11-28 02:00:00 UTC)')],
    ['bast-id', renderHandoverHtml(model, handoverRow(model, c.transferSeq), 'id', '2026-11-28 09:00:00 WIB (2026-11-28 02:00:00 UTC)')],
  ];
  for (const [name, html] of docs) {
    const path = join(dir, `${name}.html`);
    writeFileSync(path, html);
    const before = requests.length;
    const page = await context.newPage();
    await page.goto(pathToFileURL(path).href);
    await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, path: join(RESULTS, `${name}.pdf`) });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
    assert.ok(pages >= 1 && pages <= 8, `${name}: ${pages} A4 pages`);
    // The widest table fits the printable width of A4 (no content cut off at the right edge).
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `${name}: ${overflow}px wider than the page`);
    await page.close();
    assert.equal(requests.slice(before).filter((u) => u !== pathToFileURL(path).href), [], `${name} loads nothing else`);
  }
  assert.ok(readFileSync(join(RESULTS, 'report-id.png')).length > 10_000);
});

test.run();
