/** init, key generate, and identity enrol / list / show / rotate / revoke. */
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { CustodyError, createVerifierKey, isCustodyError, formatVerifierKey, parseBase64, SIGNATURE_TYPE_ED25519, toBase64 } from '@custody/core';
import { checkPassphraseStrength, formatFingerprint, generateKeyPair, Ledger, writeKeyFile } from '@custody/ledger';
import { defaultKeyOut, PASSPHRASE_ENV, type Context, type GlobalArgs, type RecordArgs, type Result } from '../context.js';
import { cell, identityLines } from '../render.js';
import { appendRecord, compact } from './common.js';

export interface InitArgs extends RecordArgs {
  readonly origin: string;
  readonly name: string;
  readonly agency: string;
  readonly description?: string;
  readonly keyOut?: string;
  /** --allow-weak-passphrase: skip the passphrase rule for the ledger key (tests only). */
  readonly allowWeakPassphrase?: boolean;
}

/** init creates the ledger and writes its key; refuses to touch anything that exists. */
export async function init(ctx: Context, args: InitArgs): Promise<Result> {
  const db = ctx.dbPath(args);
  const keyOut = args.keyOut ?? defaultKeyOut(db);
  if (existsSync(db)) throw new CustodyError('LEDGER_EXISTS', `${db} already exists; a ledger is only created on a new file.`, { path: db });
  if (lstatSync(keyOut, { throwIfNoEntry: false }) !== undefined) {
    throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${keyOut}`, { path: keyOut });
  }
  for (const dir of new Set([dirname(db), dirname(keyOut)])) {
    if (!existsSync(dir)) throw new CustodyError('FILE_NOT_FOUND', `There is no directory ${dir}.`, { path: dir });
  }
  const { time, zone } = ctx.when(args);
  const passphrase = await newKeyPassphrase(ctx, keyOut, args.allowWeakPassphrase === true);
  const keyPair = generateKeyPair();
  // VERIFIER_KEY_INVALID for an origin that cannot name a checkpoint key, before anything is written.
  const verifierKey = formatVerifierKey(createVerifierKey(args.origin, SIGNATURE_TYPE_ED25519, keyPair.publicKey));
  writeKeyFile(keyOut, keyPair, passphrase, { allowWeakPassphrase: args.allowWeakPassphrase === true });
  try {
    Ledger.create(db, {
      origin: args.origin,
      name: args.name,
      agency: args.agency,
      signer: keyPair.signer,
      ...(args.description === undefined ? {} : { description: args.description }),
      ...(time === undefined ? {} : { time }),
      ...(zone === undefined ? {} : { zone }),
    }).close();
  } catch (e) {
    // Refused (a name the schema does not allow, …): leave nothing behind, not even the key we just wrote.
    rmSync(keyOut, { force: true });
    if (!isCustodyError(e, 'LEDGER_EXISTS')) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    throw e;
  }
  const fingerprint = formatFingerprint(keyPair.fingerprint);
  return {
    status: 0,
    json: { db, origin: args.origin, keyFile: keyOut, publicKey: toBase64(keyPair.publicKey), verifierKey, fingerprint: keyPair.fingerprint },
    text: [
      ctx.t('out.init', { origin: args.origin, db }),
      `${ctx.t('out.keyFile')}: ${keyOut}`,
      `${ctx.t('out.verifierKey')}: ${verifierKey}`,
      `${ctx.t('out.fingerprint')}: ${fingerprint}`,
    ].join('\n'),
  };
}

/** key generate writes a new encrypted key file and prints its public key and fingerprint. */
export async function keyGenerate(ctx: Context, args: GlobalArgs & { out: string; allowWeakPassphrase?: boolean }): Promise<Result> {
  if (lstatSync(args.out, { throwIfNoEntry: false }) !== undefined) {
    throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${args.out}`, { path: args.out });
  }
  const passphrase = await newKeyPassphrase(ctx, args.out, args.allowWeakPassphrase === true);
  const keyPair = generateKeyPair();
  writeKeyFile(args.out, keyPair, passphrase, { allowWeakPassphrase: args.allowWeakPassphrase === true });
  const publicKey = toBase64(keyPair.publicKey);
  ctx.note(ctx.t('out.keyWritten', { path: args.out }));
  return {
    status: 0,
    json: { keyFile: args.out, publicKey, fingerprint: keyPair.fingerprint },
    text: `${ctx.t('out.publicKey')}: ${publicKey}\n${ctx.t('out.fingerprint')}: ${formatFingerprint(keyPair.fingerprint)}`,
  };
}

export interface EnrolArgs extends RecordArgs {
  readonly id: string;
  readonly name: string;
  readonly agency: string;
  readonly role: string;
  readonly publicKey: string;
  readonly nrp?: string;
  readonly title?: string;
  readonly unit?: string;
}

export async function identityEnrol(ctx: Context, args: EnrolArgs): Promise<Result> {
  parseBase64(args.publicKey, 32);
  const when = ctx.when(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    const data = compact({ id: args.id, name: args.name, agency: args.agency, role: args.role, key: args.publicKey, nrp: args.nrp, title: args.title, unit: args.unit });
    return appendRecord(ctx, ledger, { type: 'identity.enrol', item: null, actor, data, ...when }, keyPair);
  } finally {
    ledger.close();
  }
}

export async function identityRotate(ctx: Context, args: RecordArgs & { id: string; publicKey: string; reason?: string }): Promise<Result> {
  parseBase64(args.publicKey, 32);
  const when = ctx.when(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    const data = compact({ id: args.id, key: args.publicKey, reason: args.reason });
    return appendRecord(ctx, ledger, { type: 'identity.rotate', item: null, actor, data, ...when }, keyPair);
  } finally {
    ledger.close();
  }
}

export async function identityRevoke(ctx: Context, args: RecordArgs & { id: string; reason: string; compromisedSince?: number }): Promise<Result> {
  const when = ctx.when(args);
  const { ledger, actor, keyPair } = await ctx.actor(args);
  try {
    const data = compact({ id: args.id, reason: args.reason, compromisedSince: args.compromisedSince });
    return appendRecord(ctx, ledger, { type: 'identity.revoke', item: null, actor, data, ...when }, keyPair);
  } finally {
    ledger.close();
  }
}

export function identityList(ctx: Context, args: GlobalArgs): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const identities = ledger.identities();
    const rows = identities.map((i) =>
      [i.id, i.role, i.name, i.agency, ...(i.revokedAt === null ? [] : [`(${ctx.lang === 'id' ? 'dicabut' : 'revoked'} #${i.revokedAt})`])].map(cell).join('\t'),
    );
    return { status: 0, json: { identities }, text: rows.length === 0 ? ctx.t('out.noIdentities') : rows.join('\n') };
  } finally {
    ledger.close();
  }
}

export function identityShow(ctx: Context, args: GlobalArgs & { id: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const identity = ledger.identity(args.id);
    if (identity === undefined) throw new CustodyError('IDENTITY_UNKNOWN', `"${args.id}" is not an enrolled identity.`, { id: args.id });
    return { status: 0, json: { identity }, text: identityLines(ctx.lang, identity).join('\n') };
  } finally {
    ledger.close();
  }
}

/**
 * newKeyPassphrase asks for the passphrase of a new key file (from CUSTODY_PASSPHRASE, or typed twice
 * on the terminal) and holds it to the rule of checkPassphraseStrength at once, before any key is
 * made: PASSPHRASE_WEAK unless `allowWeak` (--allow-weak-passphrase).
 */
async function newKeyPassphrase(ctx: Context, path: string, allowWeak: boolean): Promise<string> {
  const passphrase = await ctx.passphrase(path, PASSPHRASE_ENV.key, true);
  if (!allowWeak) checkPassphraseStrength(passphrase);
  return passphrase;
}
