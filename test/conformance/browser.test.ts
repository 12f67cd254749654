// The offline verifier page (`custody verifier`, core bundled for the browser) in Debian's headless
// Chromium gives every bundle case of the conformance corpus its expected verdict and first error
// code, as core and `custody bundle verify` do in test/conformance.test.ts. Chromium missing is a
// failure, never a skip (scripts/setup.sh installs it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Case } from '../../scripts/gen-conformance.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpusDir = join(root, 'test/conformance');
const { cases } = JSON.parse(readFileSync(join(corpusDir, 'cases.json'), 'utf8')) as { cases: Case[] };
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'custody-conformance-browser-'));
const profile = mkdtempSync(join(tmpdir(), 'custody-conformance-chromium-'));
let context: BrowserContext | undefined;
let pageUrl = '';

test.before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium (scripts/setup.sh does).`);
  const pagePath = join(dir, 'verifier.html');
  execFileSync(process.execPath, [join(root, 'scripts/build-verifier.mjs'), '--out', pagePath]);
  pageUrl = pathToFileURL(pagePath).href;
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
});

test.after(async () => {
  await context?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

test('the verifier page gives every bundle case its expected verdict and first error code', async () => {
  const page = await context!.newPage();
  const bundles = cases.filter((c) => c.kind === 'bundle');
  assert.ok(bundles.length >= 30, `${bundles.length} bundle cases`);
  for (const c of bundles) {
    const want = c.divergence?.actual ?? c.expect;
    await page.goto(pageUrl);
    await page.waitForSelector('html[data-ready="true"]');
    // The page reads a chosen file asynchronously and then shows its name: wait for that before Verify.
    await page.setInputFiles('#bundle', join(corpusDir, c.input));
    await page.locator('#bundle-name', { hasText: exactly(basename(c.input)) }).waitFor();
    if (c.trust.policy !== undefined) {
      await page.setInputFiles('#policy', join(corpusDir, c.trust.policy));
      await page.locator('#policy-name', { hasText: exactly(basename(c.trust.policy)) }).waitFor();
    } else {
      await page.fill('#keys', (c.trust.logKeys ?? []).join('\n'));
    }
    await page.click('#verify');
    const verdict = await page.waitForSelector('#verdict-json', { state: 'attached', timeout: 30_000 });
    const answer = JSON.parse((await verdict.textContent()) ?? '') as { ok: boolean; failures: Array<{ code: string }> };
    assert.is(answer.ok, want.ok, `${c.id}: ok`);
    assert.is(answer.failures[0]?.code ?? null, want.error, `${c.id}: first error code`);
  }
  await page.close();
});

/** exactly matches exactly `text` (the page's CSP forbids evaluating expressions in it). */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

test.run();
