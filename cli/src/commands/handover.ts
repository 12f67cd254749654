/**
 * Handovers: transfer (both signatures on one record), offer / accept / reject / cancel (two
 * phases), and the offline path — `statement` writes what the other party signs, `sign` signs it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import {
  compareDigests,
  CustodyError,
  formatStatementFile,
  formatTime,
  signStatement,
  type ItemState,
  type JsonObject,
  type RecordInput,
  type RecordType,
  type Statement,
} from '@custody/core';
import type { Ledger } from '@custody/ledger';
import { PASSPHRASE_ENV, type Context, type GlobalArgs, type Result } from '../context.js';
import { UsageError } from '../errors.js';
import { timeLine } from '../render.js';
import { appendRecord, compact, inputOfStatement, loadStatementFile, many, measure, readStatement, withCosigns, type CosignArgs } from './common.js';

type Args = CosignArgs & Record<string, unknown> & { item?: string };
const s = (args: Args, k: string): string | undefined => (typeof args[k] === 'string' ? (args[k] as string) : undefined);

/** The three record types whose other party may sign elsewhere. */
export type CosignedType = 'custody.transfer' | 'custody.accept' | 'custody.reject';

/** dataFor builds the data of a handover record from the options, reading the item's state. */
async function dataFor(ctx: Context, ledger: Ledger, type: RecordType, args: Args, actor: string): Promise<JsonObject> {
  const item = ledger.itemState(need(args.item, 'ITEM'));
  const seal = observedSeal(args, item);
  switch (type) {
    case 'custody.transfer':
      return compact({
        from: s(args, 'from') ?? actor,
        to: need(s(args, 'to'), '--to'),
        purpose: need(s(args, 'purpose'), '--purpose'),
        authority: s(args, 'authority'),
        place: s(args, 'place'),
        seal,
        check: await receiptCheck(ctx, args, item),
        remarks: s(args, 'remarks'),
      });
    case 'custody.offer':
      return compact({ to: s(args, 'to'), purpose: s(args, 'purpose'), authority: s(args, 'authority'), place: s(args, 'place'), seal, remarks: s(args, 'remarks') });
    case 'custody.accept':
      return compact({ offer: openOffer(item), place: s(args, 'place'), seal, check: await receiptCheck(ctx, args, item), remarks: s(args, 'remarks') });
    case 'custody.reject':
      return compact({ offer: openOffer(item), reason: need(s(args, 'reason'), '--reason'), seal, check: await receiptCheck(ctx, args, item) });
    case 'custody.cancel':
      return compact({ offer: openOffer(item), reason: s(args, 'reason') });
    default:
      throw new Error(`not a handover: ${type}`);
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UsageError('err.needArgs', { what });
  return value;
}

function openOffer(item: ItemState): string {
  if (item.offer === null) throw new CustodyError('CUSTODY_RULE', `The item "${item.id}" has no open offer.`, { item: item.id });
  return item.offer.leafHash;
}

/** The seals seen at the handover: --seal-state over the numbers on record (or --seal). */
function observedSeal(args: Args, item: ItemState): JsonObject | undefined {
  const state = s(args, 'sealState');
  if (state === undefined) return undefined;
  const numbers = many(args['seal']);
  const chosen = numbers.length > 0 ? numbers : [...(item.seal?.numbers ?? [])];
  if (chosen.length === 0) throw new UsageError('err.sealNumbers');
  return { numbers: chosen, state };
}

/** The receiver's re-measurement from --check-file, --check-dir or --check-digest, compared with the record. */
async function receiptCheck(ctx: Context, args: Args, item: ItemState): Promise<JsonObject | undefined> {
  const measured = await measure(
    ctx,
    { file: many(args['checkFile']), dir: s(args, 'checkDir'), digest: many(args['checkDigest']) },
    Object.keys(item.digests),
    false,
  );
  if (measured === undefined) return undefined;
  const comparison = compareDigests(item.digests, measured.digests);
  if (!comparison.match) ctx.note(ctx.t('out.checkMismatch', { algorithms: comparison.compared.join(', ') }));
  const digests = comparison.compared.length > 0 ? Object.fromEntries(comparison.compared.map((a) => [a, measured.digests[a]!])) : measured.digests;
  return compact({ digests, size: measured.size, result: comparison.match ? 'match' : 'mismatch', tool: s(args, 'tool') });
}

/**
 * handover appends a transfer, offer, accept, reject or cancel by the holder of --key, with the other
 * party's signature from --cosign-key or --cosig, or appends a --statement file exactly as signed.
 */
export async function handover(ctx: Context, type: RecordType, args: Args): Promise<Result> {
  const when = ctx.when(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    let input: RecordInput;
    if (args.statement !== undefined) {
      input = inputOfStatement(readStatement(ledger, args.statement, type, actor, args.item));
    } else {
      input = { type, item: need(args.item, 'ITEM'), actor, data: await dataFor(ctx, ledger, type, args, actor), ...when };
    }
    input = await withCosigns(ctx, ledger, input, args);
    return appendRecord(ctx, ledger, input, keyPair);
  } finally {
    ledger.close();
  }
}

/** statement writes the statement of a transfer, accept or reject for the other party to sign elsewhere. */
export async function statement(ctx: Context, type: CosignedType, args: Args & { actor: string; out: string }): Promise<Result> {
  const when = ctx.when(args);
  if (existsSync(args.out)) throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${args.out}`, { path: args.out });
  const ledger = ctx.openLedger(args, true);
  try {
    const item = need(args.item, 'ITEM');
    const data = await dataFor(ctx, ledger, type, args, args.actor);
    const st: Statement = {
      v: 1,
      log: ledger.origin,
      time: when.time ?? formatTime(new Date()),
      ...(when.zone === undefined ? {} : { zone: when.zone }),
      type,
      item,
      actor: args.actor,
      data,
    };
    const other = type === 'custody.transfer' ? (data['to'] === args.actor ? String(data['from']) : String(data['to'])) : String(ledger.itemState(item).offer?.to);
    try {
      writeFileSync(args.out, formatStatementFile(st), { flag: 'wx', mode: 0o644 });
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${args.out}`, { path: args.out });
      throw new CustodyError('IO_ERROR', `Could not write ${args.out}.`, { path: args.out }, { cause: e });
    }
    const verb = type.slice('custody.'.length);
    const next = [
      `  custody sign ${args.out} --key KEY_OF_${other}`,
      `  custody ${verb} --statement ${args.out} --cosig ${other}:SIGNATURE --key KEY_OF_${args.actor}`,
    ];
    ctx.note(`${ctx.t('out.statementWritten', { path: args.out, who: other })}\n${next.join('\n')}`);
    return { status: 0, json: { statementFile: args.out, statement: st, cosigner: other }, text: args.out };
  } finally {
    ledger.close();
  }
}

/** sign makes a cosignature over a statement file with --key and prints it as ID:BASE64. */
export async function sign(ctx: Context, args: GlobalArgs & { file: string; id?: string }): Promise<Result> {
  const keyPath = ctx.keyPath(args);
  const ledger = args.id === undefined && existsSync(ctx.dbPath(args)) ? ctx.openLedger(args, true) : undefined;
  try {
    const st = loadStatementFile(args.file);
    if (ledger !== undefined && st.log !== ledger.origin) throw new UsageError('err.statementLog', { actual: st.log, expected: ledger.origin });
    const keyPair = await ctx.loadKey(keyPath, PASSPHRASE_ENV.key);
    const id = args.id ?? ledger?.identityByKey(keyPair.publicKey)?.id;
    if (id === undefined) throw new UsageError('err.signId', { db: ctx.dbPath(args) });
    ctx.note(`${st.type} ${st.item ?? ''} — ${st.actor} — ${timeLine(st.time, st.zone)}\n${JSON.stringify(st.data)}`);
    const cosig = signStatement(st, id, keyPair.signer);
    return { status: 0, json: { id, sig: cosig.sig, cosig: `${id}:${cosig.sig}` }, text: `${id}:${cosig.sig}` };
  } finally {
    ledger?.close();
  }
}
