/** item register / derive / seal / unseal / check / examine / move / dispose / note / list. */
import { compareDigests, parseDigestArgs, type DigestComparison, type JsonObject, type RecordInput, type RecordType } from '@custody/core';
import type { Ledger } from '@custody/ledger';
import type { Context, GlobalArgs, RecordArgs, Result } from '../context.js';
import { EXIT_NOT_INTACT, UsageError } from '../errors.js';
import { cell, nameResolver } from '../render.js';
import { appendRecord, compact, many, measure, type ContentArgs } from './common.js';

type Args = RecordArgs & Record<string, unknown>;
const s = (args: Args, k: string): string | undefined => (typeof args[k] === 'string' ? (args[k] as string) : undefined);

/** withActor opens the ledger, finds the actor, runs `build` and appends its record. */
async function record(
  ctx: Context,
  args: Args,
  type: RecordType,
  item: string,
  build: (ledger: Ledger, actor: string) => Promise<JsonObject> | JsonObject,
): Promise<Result> {
  const when = ctx.when(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    const data = await build(ledger, actor);
    const input: RecordInput = { type, item, actor, data, ...when };
    return appendRecord(ctx, ledger, input, keyPair);
  } finally {
    ledger.close();
  }
}

function identifiers(args: Args): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of many(args['identifier'])) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError('err.identifier');
    out[pair.slice(0, eq).toLowerCase()] = pair.slice(eq + 1);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function sealOf(args: Args): { numbers: string[]; state: string } | undefined {
  const numbers = many(args['seal']);
  return numbers.length === 0 ? undefined : { numbers, state: 'intact' };
}

export async function itemRegister(ctx: Context, args: Args & ContentArgs & { item: string }): Promise<Result> {
  const witnesses = many(args['witness']);
  const seizureAuthority = s(args, 'seizureAuthority');
  if (seizureAuthority === undefined && (s(args, 'seizurePlace') !== undefined || witnesses.length > 0 || s(args, 'seizureTime') !== undefined)) {
    throw new UsageError('err.usage', {
      message: ctx.lang === 'id' ? '--seizure-place, --seizure-time dan --witness memerlukan --seizure-authority.' : '--seizure-place, --seizure-time and --witness need --seizure-authority.',
    });
  }
  const seizure = seizureAuthority === undefined ? undefined : compact({ authority: seizureAuthority, place: s(args, 'seizurePlace'), time: s(args, 'seizureTime'), witnesses });
  parseDigestArgs(many(args.digest)); // a malformed --digest before any key or file is read
  return record(ctx, args, 'item.register', args.item, async () => {
    // Hashed after the key is checked, so a wrong key or passphrase does not wait for a large file.
    const measured = (await measure(ctx, args))!;
    return compact({
      kind: s(args, 'kind'),
      description: s(args, 'description'),
      digests: measured.digests as JsonObject,
      size: measured.size,
      identifiers: identifiers(args),
      cases: many(args['case']),
      seizure,
      seal: sealOf(args),
      location: s(args, 'location'),
      remarks: s(args, 'remarks'),
    });
  });
}

export async function itemDerive(ctx: Context, args: Args & ContentArgs & { item: string }): Promise<Result> {
  parseDigestArgs(many(args.digest));
  return record(ctx, args, 'item.derive', args.item, async (ledger) => {
    const parents = many(args['from']).map((id) => ({ item: id, head: ledger.itemState(id).head }));
    const measured = (await measure(ctx, args))!;
    return compact({
      parents,
      kind: s(args, 'kind'),
      description: s(args, 'description'),
      method: s(args, 'method'),
      tool: s(args, 'tool'),
      digests: measured.digests as JsonObject,
      size: measured.size,
      cases: many(args['case']),
      seal: sealOf(args),
      location: s(args, 'location'),
      remarks: s(args, 'remarks'),
    });
  });
}

export function itemSeal(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.seal', args.item, (ledger) => {
    ledger.itemState(args.item); // ITEM_UNKNOWN first, clearer than the rules' wording
    return compact({ numbers: many(args['seal']), place: s(args, 'place'), remarks: s(args, 'remarks') });
  });
}

export function itemUnseal(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.unseal', args.item, (ledger) => {
    const item = ledger.itemState(args.item);
    const numbers = many(args['seal']);
    return compact({
      numbers: numbers.length > 0 ? numbers : [...(item.seal?.numbers ?? [])],
      found: s(args, 'found'),
      purpose: s(args, 'purpose'),
      place: s(args, 'place'),
      remarks: s(args, 'remarks'),
    });
  });
}

/** item check re-measures the item, records the result, and exits 1 when it does not match. */
export async function itemCheck(ctx: Context, args: Args & ContentArgs & { item: string }): Promise<Result> {
  parseDigestArgs(many(args.digest));
  let comparison: DigestComparison | undefined;
  const out = await record(ctx, args, 'item.check', args.item, async (ledger) => {
    const onRecord = ledger.itemState(args.item).digests;
    const measured = (await measure(ctx, args, Object.keys(onRecord)))!;
    const compared = compareDigests(onRecord, measured.digests);
    comparison = compared;
    const digests = Object.fromEntries(compared.compared.map((a) => [a, measured.digests[a]!]));
    return compact({
      digests: (compared.compared.length > 0 ? digests : measured.digests) as JsonObject,
      size: measured.size,
      result: compared.match ? 'match' : 'mismatch',
      tool: s(args, 'tool') ?? `custody ${measured.source === 'given' ? '(--digest)' : `hash ${measured.source}`}`,
      remarks: s(args, 'remarks'),
    });
  });
  const c = comparison!;
  const line = ctx.t(c.match ? 'out.checkMatch' : 'out.checkMismatch', { algorithms: c.compared.join(', ') });
  return {
    status: c.match ? 0 : EXIT_NOT_INTACT,
    json: { ...out.json, check: { result: c.match ? 'match' : 'mismatch', compared: c.compared, mismatched: c.mismatched } },
    text: `${out.text}\n${line}`,
  };
}

export function itemExamine(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.examine', args.item, () =>
    compact({ purpose: s(args, 'purpose'), authority: s(args, 'authority'), tool: s(args, 'tool'), place: s(args, 'place'), remarks: s(args, 'remarks') }),
  );
}

export function itemMove(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.move', args.item, () => compact({ location: s(args, 'location'), reason: s(args, 'reason') }));
}

export function itemDispose(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.dispose', args.item, () =>
    compact({
      method: s(args, 'method'),
      authority: s(args, 'authority'),
      witnesses: many(args['witness']),
      recipient: s(args, 'recipient'),
      place: s(args, 'place'),
      remarks: s(args, 'remarks'),
    }),
  );
}

export function itemNote(ctx: Context, args: Args & { item: string }): Promise<Result> {
  return record(ctx, args, 'item.note', args.item, () => compact({ text: s(args, 'text'), corrects: s(args, 'corrects') }));
}

export function itemList(ctx: Context, args: GlobalArgs & { custodian?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const items = ledger.items(args.custodian);
    const nameOf = nameResolver(ledger.identities());
    const rows = items.map((i) => {
      const state = i.disposed !== null ? `(${i.disposed.method})` : i.offer !== null ? `→ ${i.offer.to}` : '';
      return [i.id, i.kind, nameOf(i.custodian), ...(state === '' ? [] : [state])].map(cell).join('\t');
    });
    return { status: 0, json: { items }, text: rows.length === 0 ? ctx.t('out.noItems') : rows.join('\n') };
  } finally {
    ledger.close();
  }
}
