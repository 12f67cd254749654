/**
 * `custody report` — the court report (HTML, Markdown or JSON) of an item's chain of custody, from a
 * ledger or from a bundle, or with --handover SEQ the berita acara serah terima of one handover; and
 * `custody verifier` — writes the offline verifier page (one self-contained HTML file).
 * Exit status 1 when the history is not intact, 2 when the input is not a bundle at all (as `custody
 * bundle verify`); the report is written either way and says why. The whole body, to stdout or to
 * --out, has its control and bidi characters made visible (safe-text.ts): a court report read in a
 * terminal, an editor or a browser shows the text as it is, never reordered or acted upon.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { CustodyError, formatZonedTime } from '@custody/core';
import type { Context, GlobalArgs, Result } from '../context.js';
import { EXIT_NOT_INTACT, EXIT_USAGE, UsageError } from '../errors.js';
import { renderHandoverHtml, renderReportHtml } from '../report/html.js';
import { renderHandoverMarkdown, renderReportMarkdown } from '../report/markdown.js';
import type { ReportModel } from '../report/model.js';
import { handoverRow, reportFromBundle, reportFromLedger, trustFrom } from '../report/sources.js';
import { escapeForTerminal, escapeJsonText } from '../safe-text.js';

export interface ReportArgs extends GlobalArgs {
  readonly item?: string | undefined;
  readonly bundle?: string | undefined;
  readonly policy?: string | undefined;
  readonly logKey?: string | string[] | undefined;
  readonly format?: string | undefined;
  readonly out?: string | undefined;
  readonly handover?: number | undefined;
}

export function report(ctx: Context, args: ReportArgs): Result {
  const format = args.format ?? 'html';
  if (format !== 'html' && format !== 'md' && format !== 'json') throw new UsageError('err.usage', { message: `--format must be html, md or json.` });
  if ((args.item === undefined) === (args.bundle === undefined)) {
    throw new UsageError('err.usage', { message: ctx.lang === 'id' ? 'Sebutkan BARANG BUKTI (dengan --db) atau --bundle BERKAS, salah satu.' : 'Name an ITEM (with --db) or --bundle FILE, one of them.' });
  }
  if (args.out === undefined && ctx.json) {
    throw new UsageError('err.usage', { message: ctx.lang === 'id' ? 'Dengan --json, berikan --out BERKAS.' : 'With --json, give --out FILE.' });
  }
  const logKeys = args.logKey === undefined ? [] : Array.isArray(args.logKey) ? args.logKey : [args.logKey];
  const policyText = args.policy === undefined ? undefined : readText(args.policy);

  let model: ReportModel;
  if (args.bundle !== undefined) {
    const trust = trustFrom({ policyText, logKeys });
    if (trust === undefined) {
      throw new UsageError('err.usage', {
        message: ctx.lang === 'id'
          ? 'Berikan --policy BERKAS atau --log-key KUNCI: kunci di dalam bundel sendiri tidak membuktikan apa-apa.'
          : 'Give --policy FILE or --log-key KEY: the key inside the bundle proves nothing by itself.',
      });
    }
    model = reportFromBundle(readBytes(args.bundle), trust);
  } else {
    const ledger = ctx.openLedger(args, true);
    try {
      model = reportFromLedger(ledger, args.item!, { policyText, logKeys }).model;
    } finally {
      ledger.close();
    }
  }

  const now = new Date();
  const zone = model.items[0]?.zone ?? null;
  const stamp = formatZonedTime(now.toISOString(), zone);
  const generated = stamp.local === stamp.utc ? stamp.utc : `${stamp.local} (${stamp.utc})`;
  const lang = ctx.lang;
  let body: string;
  if (args.handover !== undefined) {
    const row = handoverRow(model, args.handover);
    body = format === 'html' ? renderHandoverHtml(model, row, lang, generated) : format === 'md' ? renderHandoverMarkdown(model, row, lang, generated) : `${JSON.stringify({ ...model, handover: row })}\n`;
  } else {
    body = format === 'html' ? renderReportHtml(model, lang, generated) : format === 'md' ? renderReportMarkdown(model, lang, generated) : `${JSON.stringify(model)}\n`;
  }
  // HTML and Markdown already escape their markup; tabs stay (whitespace there, and legal in long text).
  body = format === 'json' ? escapeJsonText(body) : escapeForTerminal(body, { keepTabs: true });

  const status = model.verdict.ok ? 0 : model.verdict.isBundle ? EXIT_NOT_INTACT : EXIT_USAGE;
  const summary = {
    intact: model.verdict.ok,
    origin: model.origin,
    items: model.items.map((i) => i.id),
    failures: model.verdict.failures.map((f) => ({ code: f.code, seq: f.seq, message: f.message })),
  };
  if (args.out === undefined) return { status, json: summary, text: body.replace(/\n$/, '') };
  writeNew(args.out, body);
  ctx.note(
    lang === 'id'
      ? `${model.verdict.ok ? 'UTUH' : 'TIDAK UTUH'}; laporan ditulis ke ${args.out}.`
      : `${model.verdict.ok ? 'INTACT' : 'NOT INTACT'}; report written to ${args.out}.`,
  );
  return { status, json: { ...summary, file: args.out }, text: '' };
}

/** The built page: `pnpm build` (scripts/build-verifier.mjs) writes it beside the compiled CLI. */
export const VERIFIER_PAGE = fileURLToPath(new URL('../../dist/verifier.html', import.meta.url));

export function verifier(ctx: Context, args: GlobalArgs & { out?: string | undefined }): Result {
  if (!existsSync(VERIFIER_PAGE)) {
    throw new CustodyError('FILE_NOT_FOUND', `The verifier page has not been built (${VERIFIER_PAGE}): run pnpm build.`, { path: VERIFIER_PAGE });
  }
  const page = readFileSync(VERIFIER_PAGE, 'utf8');
  if (args.out === undefined) {
    if (ctx.json) throw new UsageError('err.usage', { message: ctx.lang === 'id' ? 'Dengan --json, berikan --out BERKAS.' : 'With --json, give --out FILE.' });
    return { status: 0, json: {}, text: page.replace(/\n$/, '') };
  }
  writeNew(args.out, page);
  ctx.note(ctx.lang === 'id' ? `Halaman pemeriksa ditulis ke ${args.out}; buka di peramban apa pun, tanpa jaringan.` : `Verifier page written to ${args.out}; open it in any browser, no network needed.`);
  return { status: 0, json: { file: args.out, bytes: Buffer.byteLength(page) }, text: '' };
}

// ---- files ----

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no file ${path}.`, { path });
    throw new CustodyError('FILE_UNREADABLE', `Cannot read ${path}.`, { path });
  }
}

function readText(path: string): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(readBytes(path));
}

/** writeNew writes a new file, refusing to replace one (FILE_EXISTS), and removes a partial one. */
function writeNew(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${path}`, { path });
    if (code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no directory for ${path}.`, { path });
    throw new CustodyError('FILE_UNREADABLE', `Cannot write ${path}.`, { path });
  }
  try {
    writeSync(fd, text);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw new CustodyError('IO_ERROR', `Could not write ${path}.`, { path }, { cause: e });
  }
  closeSync(fd);
}

// ---- command line (registered in main.ts) ----

const say = (lang: 'en' | 'id', en: string, id: string): string => (lang === 'id' ? id : en);

export function reportDescription(lang: 'en' | 'id'): string {
  return say(lang, 'Court report of an item’s chain of custody (HTML for A4, Markdown or JSON), or a handover record (BAST)', 'Laporan rantai penguasaan barang bukti untuk pengadilan (HTML A4, Markdown atau JSON), atau berita acara serah terima');
}

export function reportOptions(y: Argv, lang: 'en' | 'id'): Argv {
  return y
    .positional('item', { type: 'string', describe: say(lang, 'Exhibit number in the ledger of --db', 'Nomor barang bukti di buku register --db') })
    .option('bundle', { type: 'string', describe: say(lang, 'Report on a custody bundle file instead of a ledger', 'Laporan atas berkas bundel, bukan buku register') })
    .option('policy', { type: 'string', describe: say(lang, 'Trust policy file (log key and witness quorum)', 'Berkas kebijakan kepercayaan (kunci log dan kuorum saksi)') })
    .option('log-key', { type: 'string', describe: say(lang, 'Trusted ledger verifier key (repeatable)', 'Kunci pemverifikasi buku register yang dipercaya (boleh berulang)') })
    .option('format', { type: 'string', choices: ['html', 'md', 'json'], default: 'html', describe: say(lang, 'Output format', 'Format keluaran') })
    .option('handover', { type: 'number', describe: say(lang, 'Render the handover record (berita acara serah terima) of record SEQ', 'Buat berita acara serah terima dari catatan SEQ') })
    .option('out', { type: 'string', describe: say(lang, 'Write to this new file (default: stdout)', 'Tulis ke berkas baru ini (bawaan: stdout)') })
    .example('custody report BB/017/XI/2026 --db polri.db --lang id --out laporan.html', '')
    .example('custody report --bundle bb-017.bundle.json --policy kejaksaan.policy --handover 12 --format md --out bast-12.md', '');
}

export function verifierDescription(lang: 'en' | 'id'): string {
  return say(lang, 'Write the offline verifier page: one HTML file that checks bundles in any browser, without network', 'Tulis halaman pemeriksa luring: satu berkas HTML yang memeriksa bundel di peramban apa pun, tanpa jaringan');
}

export function verifierOptions(y: Argv, lang: 'en' | 'id'): Argv {
  return y
    .option('out', { type: 'string', describe: say(lang, 'Write to this new file (default: stdout)', 'Tulis ke berkas baru ini (bawaan: stdout)') })
    .example('custody verifier --out verifier.html', '');
}
