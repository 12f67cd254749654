/**
 * Custody bundles on the command line (DESIGN §9): export the history of items for another agency
 * or a court, verify one offline with @custody/core alone, and import one as an item.import.
 * `bundle verify` exits 0 intact, 1 not intact, 2 not a bundle.
 */
import { createHash } from 'node:crypto';
import { CustodyError, parsePolicy, verifyBundle, type BundleReport, type BundleTrust } from '@custody/core';
import { exportBundle, formatBundle, importBundle, nodeCrypto } from '@custody/ledger';
import type { Context, GlobalArgs, RecordArgs, Result } from '../context.js';
import { UsageError } from '../errors.js';
import { many } from './common.js';
import { readInput, readText, writeOutput } from './files.js';
import { sizeArg } from './proofs.js';

interface TrustArgs {
  readonly policy?: string;
  readonly logKey?: string | string[];
}

function trustOf(args: TrustArgs): BundleTrust {
  if (args.policy !== undefined) return { policy: parsePolicy(readText(args.policy, 'policy')) };
  const keys = many(args.logKey);
  if (keys.length === 0) throw new UsageError('err.usage', { message: 'Give --policy FILE or --log-key VKEY: whom do you trust?' });
  return { logKeys: keys };
}

export function bundleExport(ctx: Context, args: GlobalArgs & { items: string[]; out: string; checkpoint?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const bundle = exportBundle(ledger, many(args.items), args.checkpoint === undefined ? undefined : sizeArg(args.checkpoint, 'checkpoint'));
    const bytes = formatBundle(bundle);
    writeOutput(args.out, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return {
      status: 0,
      json: { out: args.out, items: bundle.items, records: bundle.records.length, sha256, upstream: bundle.upstream?.length ?? 0 },
      text: ctx.lang === 'id'
        ? `Bundel ${args.out}: ${bundle.records.length} catatan tentang ${bundle.items.join(', ')}; SHA-256 ${sha256}.`
        : `Bundle ${args.out}: ${bundle.records.length} records about ${bundle.items.join(', ')}; SHA-256 ${sha256}.`,
    };
  } finally {
    ledger.close();
  }
}

/** renderReport writes the verdict first, then each check, then the failures, for people. */
export function renderBundleReport(report: BundleReport, lang: string, indent = ''): string {
  const id = lang === 'id';
  const verdict = !report.isBundle
    ? (id ? 'BUKAN BUNDEL' : 'NOT A BUNDLE')
    : report.ok
      ? (id ? 'UTUH — terverifikasi' : 'INTACT — verified')
      : (id ? 'TIDAK UTUH — gagal verifikasi' : 'NOT INTACT — verification failed');
  const lines = [`${indent}${verdict}: ${report.items.join(', ') || '-'}${report.origin ? ` (${report.origin})` : ''}`];
  for (const c of report.checks) lines.push(`${indent}  [${c.ok ? 'ok' : (id ? 'GAGAL' : 'FAIL')}] ${c.name}: ${c.detail}`);
  for (const f of report.failures) lines.push(`${indent}  ${f.seq === null ? '' : `#${f.seq} `}${f.code}: ${f.message}`);
  for (const w of report.warnings) lines.push(`${indent}  ${id ? 'peringatan' : 'warning'}: ${w.message}`);
  report.upstream.forEach((u) => lines.push(renderBundleReport(u, lang, `${indent}  ↑ `)));
  return lines.join('\n');
}

export function bundleVerify(ctx: Context, args: GlobalArgs & TrustArgs & { file: string }): Result {
  const bytes = readInput(args.file, 'bundle');
  const report = verifyBundle(bytes, trustOf(args), nodeCrypto);
  const status = !report.isBundle ? 2 : report.ok ? 0 : 1;
  return { status, json: report as unknown as Record<string, unknown>, text: renderBundleReport(report, ctx.lang) };
}

export async function bundleImport(
  ctx: Context,
  args: RecordArgs & TrustArgs & { file: string; item?: string; sourceItem?: string; forceNote?: string },
): Promise<Result> {
  const bytes = readInput(args.file, 'bundle');
  const trust = trustOf(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    const when = ctx.when(args);
    const { appended, report } = importBundle(ledger, bytes, trust, {
      actor,
      signer: keyPair.signer,
      ...(args.item === undefined ? {} : { item: args.item }),
      ...(args.sourceItem === undefined ? {} : { sourceItem: args.sourceItem }),
      ...(args.forceNote === undefined ? {} : { forceNote: args.forceNote }),
      ...(when.time === undefined ? {} : { time: when.time }),
      ...(when.zone === undefined ? {} : { zone: when.zone }),
    });
    if (!report.ok) throw new CustodyError('BUNDLE_MALFORMED', 'unreachable: importBundle returned a bundle that is not intact');
    return {
      status: 0,
      json: { seq: appended.seq, leafHash: appended.leafHash, record: appended.record, bundle: report.digest },
      text: ctx.lang === 'id'
        ? `#${appended.seq} item.import ${appended.record.item} dari ${report.origin} oleh ${actor} (bundel terverifikasi, SHA-256 ${report.digest}).`
        : `#${appended.seq} item.import of ${appended.record.item} from ${report.origin} by ${actor} (bundle verified, SHA-256 ${report.digest}).`,
    };
  } finally {
    ledger.close();
  }
}

