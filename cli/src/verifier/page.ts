/// <reference lib="dom" />
/**
 * The offline verifier page's script (bundled by scripts/build-verifier.mjs into one HTML file with
 * @custody/core and noble). A judge or defence lawyer opens the file, chooses or drops a bundle and a
 * policy (or pastes the ledger's verifier key), and sees the verdict, each check and the timeline —
 * the same report `custody report --bundle` prints, built by the same code from the same verdict of
 * core's verifyBundle. Nothing leaves the machine: files are read with the File API and the page's
 * Content-Security-Policy forbids every network request.
 */
import { isCustodyError, parseBundle, parsePolicy, verifyBundle, type Bundle, type BundleTrust } from '@custody/core';
import { escapeHtml, REPORT_CSS, reportBodyHtml, reportHeader } from '../report/html.js';
import { escapeForTerminal, escapeJsonText } from '../safe-text.js';
import { buildReport, type ReportModel } from '../report/model.js';
import { rt, type ReportLang } from '../report/messages.js';

const PAGE_CSS = `
.controls { border: 1px solid #bbb; padding: 3mm 4mm; background: #fafafa; margin: 3mm 0; }
.controls label { display: block; font-weight: bold; margin: 2mm 0 1mm; }
.controls textarea { width: 100%; min-height: 16mm; font-family: monospace; font-size: 9pt; }
.controls button { font-size: 11pt; padding: 1.5mm 5mm; margin-top: 3mm; }
.drop { border: 2px dashed #999; padding: 4mm; text-align: center; color: #555; margin: 2mm 0; }
.drop.over { border-color: #1a7f37; background: #eaf6ec; }
.langs { float: right; }
.langs button { margin-left: 1mm; }
.langs button[aria-pressed="true"] { font-weight: bold; }
#message { color: #b3261e; font-weight: bold; }
`;

interface Inputs {
  bundle: { name: string; bytes: Uint8Array } | null;
  policy: { name: string; text: string } | null;
}

const inputs: Inputs = { bundle: null, policy: null };
let lang: ReportLang = /^id\b/i.test(navigator.language) ? 'id' : 'en';
let lastModel: ReportModel | null = null;
/** Files chosen or dropped are read asynchronously; Verify waits for every read begun before it. */
let pending: Promise<unknown> = Promise.resolve();

function reading(read: Promise<void>): void {
  pending = Promise.all([pending, read]);
}

function $(id: string): HTMLElement {
  return document.getElementById(id)!;
}

function shell(): void {
  document.documentElement.lang = lang;
  document.title = `custody — ${rt(lang, 'doc.verifier')}`;
  const keys = (document.getElementById('keys') as HTMLTextAreaElement | null)?.value ?? '';
  $('app').innerHTML = `
<div class="langs no-print"><button type="button" data-lang="id" aria-pressed="${lang === 'id'}">Bahasa Indonesia</button><button type="button" data-lang="en" aria-pressed="${lang === 'en'}">English</button></div>
<h1>${escapeHtml(rt(lang, 'doc.verifier'))}<small>${escapeHtml(rt(lang === 'id' ? 'en' : 'id', 'doc.verifier'))}</small></h1>
<p>${escapeHtml(rt(lang, 'page.intro'))}</p>
<form class="controls no-print" id="form">
  <label for="bundle">${escapeHtml(rt(lang, 'page.bundle'))}</label>
  <input type="file" id="bundle" accept=".json,application/json">
  <span id="bundle-name">${escapeHtml(inputs.bundle?.name ?? '')}</span>
  <div class="drop" id="drop">${escapeHtml(rt(lang, 'page.drop'))}</div>
  <label for="policy">${escapeHtml(rt(lang, 'page.policy'))}</label>
  <input type="file" id="policy">
  <span id="policy-name">${escapeHtml(inputs.policy?.name ?? '')}</span>
  <label for="keys">${escapeHtml(rt(lang, 'page.key'))}</label>
  <textarea id="keys" spellcheck="false"></textarea>
  <button type="submit" id="verify">${escapeHtml(rt(lang, 'page.verify'))}</button>
  <button type="button" id="print">${escapeHtml(rt(lang, 'page.print'))}</button>
  <p id="message" role="alert"></p>
</form>
<div id="result"></div>`;
  ($('keys') as HTMLTextAreaElement).value = keys;
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-lang]'))) {
    b.addEventListener('click', () => {
      lang = b.dataset['lang'] === 'id' ? 'id' : 'en';
      shell();
      if (lastModel !== null) show(lastModel);
    });
  }
  $('bundle').addEventListener('change', () => reading(readChosen('bundle')));
  $('policy').addEventListener('change', () => reading(readChosen('policy')));
  $('print').addEventListener('click', () => window.print());
  $('form').addEventListener('submit', (event) => {
    event.preventDefault();
    void pending.then(run);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) reading(file.arrayBuffer().then((b) => setBundle(file.name, new Uint8Array(b))));
  });
}

async function readChosen(which: 'bundle' | 'policy'): Promise<void> {
  const file = ($(which) as HTMLInputElement).files?.[0];
  if (file === undefined) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (which === 'bundle') setBundle(file.name, bytes);
  else {
    inputs.policy = { name: file.name, text: new TextDecoder().decode(bytes) };
    $('policy-name').textContent = file.name;
  }
}

function setBundle(name: string, bytes: Uint8Array): void {
  inputs.bundle = { name, bytes };
  $('bundle-name').textContent = name;
}

/** trust is the policy if one was given, else the pasted log keys; undefined (and a message) if neither. */
function trust(): BundleTrust | undefined {
  if (inputs.policy !== null) {
    try {
      return { policy: parsePolicy(inputs.policy.text) };
    } catch (e) {
      if (!isCustodyError(e)) throw e;
      message(rt(lang, 'page.badPolicy', { message: e.message }));
      return undefined;
    }
  }
  const keys = ($('keys') as HTMLTextAreaElement).value.split('\n').map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length > 0) return { logKeys: keys };
  message(rt(lang, 'page.needTrust'));
  return undefined;
}

function run(): void {
  message('');
  if (inputs.bundle === null) return message(rt(lang, 'page.needBundle'));
  const t = trust();
  if (t === undefined) return;
  let bundle: Bundle | null = null;
  try {
    bundle = parseBundle(inputs.bundle.bytes);
  } catch (e) {
    if (!isCustodyError(e)) throw e;
  }
  // Exactly what `custody report --bundle` does: core's verdict on the bytes, then the same report model.
  const verdict = verifyBundle(bundle ?? inputs.bundle.bytes, t);
  const model = buildReport(bundle, verdict, { trust: 'policy' in t ? 'policy' : 'log-key' });
  lastModel = model;
  show(model);
}

function show(model: ReportModel): void {
  const generated = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const technical = JSON.stringify({ ok: model.verdict.ok, isBundle: model.verdict.isBundle, checks: model.verdict.checks, failures: model.verdict.failures, warnings: model.verdict.warnings, digest: model.verdict.digest });
  // A bundle's text comes from the party whose conduct is in question: its control and bidi
  // characters are shown as visible escapes, as the CLI shows them (safe-text.ts), never obeyed.
  $('result').innerHTML = escapeForTerminal(`${reportHeader(model, lang, generated)}${reportBodyHtml(model, lang)}
<details class="no-print"><summary>JSON</summary><pre id="verdict-json">${escapeHtml(escapeJsonText(technical))}</pre></details>`, { keepTabs: true });
  $('result').scrollIntoView?.();
}

function message(text: string): void {
  $('message').textContent = text;
}

const style = document.createElement('style');
style.textContent = REPORT_CSS + PAGE_CSS;
document.head.appendChild(style);
document.body.innerHTML = '<main class="doc" id="app"></main>';
shell();
document.documentElement.dataset['ready'] = 'true';
