/**
 * Pieces the record-making commands share: appending and reporting what was appended, reading
 * --cosign-key / --cosig / --statement, and measuring an item's content from --file, --dir or --digest.
 */
import { readFileSync } from 'node:fs';
import {
  checkDigests,
  CustodyError,
  DigestAlgorithms,
  parseBase64,
  parseDigestArgs,
  parseStatementFile,
  signStatement,
  statementOf,
  unsignedRecord,
  type Cosignature,
  type Digests,
  type JsonObject,
  type RecordInput,
  type RecordType,
  type Statement,
} from '@custody/core';
import { FileDigestAlgorithms, hashDirectory, hashFile, hashFiles, type FileDigestAlgorithm, type Ledger } from '@custody/ledger';
import { PASSPHRASE_ENV, type Context, type RecordArgs, type Result } from '../context.js';
import { UsageError } from '../errors.js';

/** Every value of a repeatable option as an array of strings. */
export function many(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Drops undefined members so the record's data holds only what was given. */
export function compact(data: Record<string, unknown>): JsonObject {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as JsonObject;
}

/** appendRecord appends `input` signed by the actor's key and returns the result to print. */
export function appendRecord(ctx: Context, ledger: Ledger, input: RecordInput, signer: { signer: import('@custody/core').Signer }, extra: Record<string, unknown> = {}, status = 0): Result {
  const appended = ledger.append(input, signer.signer);
  const itemText = appended.record.item === null ? '' : ` ${ctx.lang === 'id' ? 'atas' : 'of'} ${appended.record.item}`;
  return {
    status,
    json: { seq: appended.seq, leafHash: appended.leafHash, record: appended.record, ...extra },
    text: ctx.t('out.appended', { seq: appended.seq, type: appended.record.type, item: itemText, actor: appended.record.actor }),
  };
}

/** The cosignature options of transfer, accept and reject. */
export interface CosignArgs extends RecordArgs {
  readonly cosignKey?: string | undefined;
  readonly cosig?: string | string[] | undefined;
  readonly statement?: string | undefined;
}

/**
 * withCosigns returns `input` with the cosignatures of --cosig (made elsewhere) and of the key in
 * --cosign-key (signed here, over the statement the record will have).
 */
export async function withCosigns(ctx: Context, ledger: Ledger, input: RecordInput, args: CosignArgs): Promise<RecordInput> {
  const cosigs: Cosignature[] = many(args.cosig).map(parseCosigArg);
  if (args.cosignKey !== undefined) {
    const { identity, keyPair } = await ctx.signerOf(ledger, args.cosignKey, PASSPHRASE_ENV.cosign, 'err.cosignKeyNotEnrolled');
    const fixed: RecordInput = { ...input, time: input.time ?? new Date().toISOString() };
    const statement = statementOf(unsignedRecord(ledger, ledger.head(), fixed));
    cosigs.push(signStatement(statement, identity.id, keyPair.signer));
    return { ...fixed, cosigs };
  }
  return cosigs.length === 0 ? input : { ...input, cosigs };
}

/** parseCosigArg reads `ID:BASE64` as printed by `custody sign`. */
export function parseCosigArg(text: string): Cosignature {
  const colon = text.lastIndexOf(':');
  const id = colon < 0 ? '' : text.slice(0, colon);
  const sig = colon < 0 ? '' : text.slice(colon + 1);
  if (id === '' || sig.length !== 88) throw new UsageError('err.cosig');
  parseBase64(sig, 64); // BASE64_INVALID for a non-canonical signature
  return { id, sig };
}

/** readStatement reads a statement file given with --statement and checks it belongs here. */
export function readStatement(ledger: Ledger, path: string, type: RecordType, actor: string, item?: string): Statement {
  const statement = loadStatementFile(path);
  if (statement.type !== type) throw new UsageError('err.statementType', { actual: statement.type, expected: type });
  if (statement.log !== ledger.origin) throw new UsageError('err.statementLog', { actual: statement.log, expected: ledger.origin });
  if (statement.actor !== actor) throw new UsageError('err.statementActor', { actual: statement.actor, expected: actor });
  if (item !== undefined && statement.item !== item) throw new UsageError('err.statementItem', { actual: String(statement.item), expected: item });
  return statement;
}

/** loadStatementFile reads and parses a statement file (FILE_NOT_FOUND, FILE_UNREADABLE, JSON_*, SCHEMA_INVALID). */
export function loadStatementFile(path: string): Statement {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no statement file ${path}.`, { path });
    throw new CustodyError('FILE_UNREADABLE', `Cannot read ${path}.`, { path });
  }
  return parseStatementFile(bytes);
}

/** inputOfStatement turns a statement back into the input that appends it unchanged. */
export function inputOfStatement(statement: Statement): RecordInput {
  return {
    type: statement.type,
    item: statement.item,
    actor: statement.actor,
    data: statement.data,
    time: statement.time,
    ...(statement.zone === undefined ? {} : { zone: statement.zone }),
  };
}

/** Options that say what an item's content is. */
export interface ContentArgs {
  readonly file?: string | string[] | undefined;
  readonly dir?: string | undefined;
  readonly digest?: string | string[] | undefined;
  readonly algorithm?: string | string[] | undefined;
  readonly size?: number | undefined;
}

/** The digests and size of an item's content, and how they were obtained. */
export interface Measured {
  readonly digests: Digests;
  readonly size?: number;
  readonly source: 'file' | 'files' | 'directory' | 'given';
}

/**
 * measure hashes --file or --dir (with sha256 and any --algorithm; `want` adds the algorithms an item
 * on record has), or takes the --digest values. Given both, the --digest values must agree with the
 * measurement. Progress on a terminal.
 */
export async function measure(ctx: Context, args: ContentArgs, want: readonly string[] = [], required = true): Promise<Measured | undefined> {
  const given = parseDigestArgs(many(args.digest));
  const hasGiven = Object.keys(given).length > 0;
  const files = many(args.file);
  if (files.length > 0 && args.dir !== undefined) throw new UsageError('err.digestSourceOne');
  if (files.length === 0 && args.dir === undefined) {
    if (!hasGiven) {
      if (required) throw new UsageError('err.digestSource');
      return undefined;
    }
    checkDigests(given);
    return { digests: given, ...(args.size === undefined ? {} : { size: args.size }), source: 'given' };
  }
  const algorithms = new Set<FileDigestAlgorithm>();
  for (const a of [...many(args.algorithm), ...Object.keys(given)]) {
    const name = a.toLowerCase();
    if (!(FileDigestAlgorithms as readonly string[]).includes(name)) {
      if (Object.keys(given).includes(name)) continue; // e.g. blake3: cannot be measured here, not compared
      throw new UsageError('err.algorithm', { algorithm: a });
    }
    algorithms.add(name as FileDigestAlgorithm);
  }
  for (const a of want) if ((FileDigestAlgorithms as readonly string[]).includes(a)) algorithms.add(a as FileDigestAlgorithm);
  const progress = ctx.progress('out.hashing', true);
  const onProgress = (done: number, total: number): void => progress.update(done, total);
  let measured: Measured;
  try {
    if (files.length === 1) {
      const r = await hashFile(files[0]!, [...algorithms], { onProgress });
      measured = { digests: r.digests, size: r.size, source: 'file' };
    } else if (files.length > 1) {
      const r = await hashFiles(files, [...algorithms], { onProgress });
      measured = { digests: r.digests, size: r.size, source: 'files' };
    } else {
      const r = await hashDirectory(args.dir!, [...algorithms], { onProgress });
      if (r.skipped.length > 0) ctx.note(ctx.t('warn.skipped', { count: r.skipped.length, path: r.skipped[0]!.path }));
      measured = { digests: r.digests, size: r.size, source: 'directory' };
    }
  } finally {
    progress.finish();
  }
  for (const alg of DigestAlgorithms) {
    const expected = given[alg];
    const actual = measured.digests[alg];
    if (expected !== undefined && actual !== undefined && expected !== actual) throw new UsageError('err.digestDisagree', { algorithm: alg });
  }
  return { ...measured, digests: { ...given, ...measured.digests } };
}
