/** history, log, status, verify and export: reading a ledger, never writing it. */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { CustodyError, isCustodyError, type AuditFinding } from '@custody/core';
import { verifyLedger, type StoredRecord } from '@custody/ledger';
import type { Context, GlobalArgs, Result } from '../context.js';
import { custodyMessage, EXIT_NOT_INTACT, UsageError } from '../errors.js';
import { eventName } from '../i18n.js';
import { expectedRoots } from './checkpoint.js';
import { cell, itemLines, nameResolver, recordLines, timeLine } from '../render.js';
import { escapeForTerminal } from '../safe-text.js';

const stored = (r: StoredRecord) => ({ seq: r.seq, leafHash: r.leafHash, record: r.record });

export function history(ctx: Context, args: GlobalArgs & { item: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const item = ledger.itemState(args.item);
    const records = ledger.timeline(args.item);
    const nameOf = nameResolver(ledger.identities());
    const lines = [...itemLines(ctx.lang, item, nameOf), '', `${ctx.t('h.history')} (${records.length} ${ctx.t('h.records')})`];
    for (const r of records) lines.push('', ...recordLines(ctx.lang, r.record, r.leafHash, nameOf));
    return { status: 0, json: { item, records: records.map(stored) }, text: lines.join('\n') };
  } finally {
    ledger.close();
  }
}

export function status(ctx: Context, args: GlobalArgs & { item: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const item = ledger.itemState(args.item);
    return { status: 0, json: { item }, text: itemLines(ctx.lang, item, nameResolver(ledger.identities())).join('\n') };
  } finally {
    ledger.close();
  }
}

export function log(ctx: Context, args: GlobalArgs & { item?: string; from?: number; limit?: number }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const from = args.from ?? 0;
    const limit = args.limit ?? Number.MAX_SAFE_INTEGER;
    const source = args.item !== undefined ? ledger.timeline(args.item).filter((r) => r.seq >= from) : [...ledger.records(from, from + limit)];
    const records = source.slice(0, limit);
    const text = records.map((r) => {
      const rec = r.record;
      const about = rec.item ?? (typeof rec.data['id'] === 'string' ? rec.data['id'] : '-');
      return [`#${r.seq}`, timeLine(rec.time, rec.zone), rec.type, about, rec.actor, eventName(ctx.lang, rec.type)].map(cell).join('\t');
    });
    return { status: 0, json: { size: ledger.size(), records: records.map(stored) }, text: text.join('\n') };
  } finally {
    ledger.close();
  }
}

/** verify checks the whole ledger (DESIGN §10); exit 1 when it is not intact. */
export async function verify(ctx: Context, args: GlobalArgs & { strict?: boolean; checkpoint?: string | string[]; verifierKey?: string }): Promise<Result> {
  const ledger = ctx.openLedger(args, true);
  let roots;
  try {
    roots = expectedRoots(ctx, ledger, args);
  } finally {
    ledger.close();
  }
  const progress = ctx.progress('out.verifying', false);
  let report;
  try {
    report = await verifyLedger(ctx.dbPath(args), {
      strict: args.strict ?? false,
      expectedRoots: roots,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.finish();
  }
  for (const w of report.warnings) ctx.note(ctx.t('warn.timeRegression', { message: `#${w.seq ?? '-'} ${w.code}: ${findingMessage(ctx, w)}` }));
  if (report.ok) {
    return { status: 0, json: { report }, text: ctx.t('out.verified', { size: report.size, root: report.rootHash }) };
  }
  const lines = [ctx.t('out.notIntact', { count: report.failureCount, size: report.size })];
  const first = report.failures.find((f) => f.seq !== null) ?? report.failures[0];
  if (first !== undefined) {
    const codes = [...new Set(report.failures.filter((f) => f.seq === first.seq).map((f) => f.code))].join(', ');
    lines.push(first.seq === null ? ctx.t('out.firstFailureAll', { code: codes }) : ctx.t('out.firstFailure', { seq: first.seq, code: codes }));
  }
  for (const f of report.failures) lines.push(`  #${f.seq ?? '-'} ${f.code}: ${findingMessage(ctx, f)}`);
  return { status: EXIT_NOT_INTACT, json: { report }, text: lines.join('\n') };
}

/** findingMessage says what a verification finding means, in the language of the command. */
function findingMessage(ctx: Context, f: AuditFinding): string {
  return custodyMessage(new CustodyError(f.code, f.message, f.details), ctx.lang);
}

/** export writes the JSON Lines archive: each record's exact leaf bytes and "\n", in seq order. */
export async function exportLedger(ctx: Context, args: GlobalArgs & { out?: string }): Promise<Result> {
  if (args.out === undefined && ctx.json) {
    throw new UsageError('err.usage', { message: ctx.lang === 'id' ? 'Dengan --json, berikan --out BERKAS.' : 'With --json, give --out FILE.' });
  }
  const ledger = ctx.openLedger(args, true);
  try {
    if (args.out === undefined) {
      // To a file or a pipe the archive is byte-exact. To a terminal it is for reading, and its bytes
      // come from the file: control and bidi characters are shown as escapes, never obeyed.
      const terminal = ctx.io.stdout.isTTY === true;
      const decoder = new TextDecoder('utf-8', { fatal: false });
      let n = 0;
      for (const line of ledger.exportLines()) {
        n++;
        const out = terminal ? `${escapeForTerminal(decoder.decode(line.subarray(0, line.length - 1)))}\n` : line;
        if (!ctx.io.stdout.write(out)) await new Promise((r) => ctx.io.stdout.once('drain', r));
      }
      return { status: 0, json: { size: n }, text: '' };
    }
    let fd: number;
    try {
      fd = openSync(args.out, 'wx', 0o644);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${args.out}`, { path: args.out });
      if (code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no directory for ${args.out}.`, { path: args.out });
      throw new CustodyError('FILE_UNREADABLE', `Cannot write ${args.out}.`, { path: args.out });
    }
    let n = 0;
    try {
      for (const line of ledger.exportLines()) {
        writeSync(fd, line);
        n++;
      }
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(args.out, { force: true });
      // A record the ledger refuses to give (a damaged file) is its own error, not a failed write.
      if (isCustodyError(e)) throw e;
      throw new CustodyError('IO_ERROR', `Could not write ${args.out}.`, { path: args.out }, { cause: e });
    }
    closeSync(fd);
    ctx.note(ctx.t('out.exported', { size: n, path: args.out }));
    return { status: 0, json: { file: args.out, size: n }, text: '' };
  } finally {
    ledger.close();
  }
}
