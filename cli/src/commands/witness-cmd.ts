/**
 * An offline witness on the command line (DESIGN §8): another agency keeps a witness key and a
 * state file, and cosigns a ledger's checkpoint only after checking it extends what it cosigned
 * before. Requests and cosignatures travel as files.
 */
import { CustodyError } from '@custody/core';
import { addWitnessLog, createWitnessState, readWitnessState, witnessCosign, witnessVerifierKey } from '@custody/ledger';
import { PASSPHRASE_ENV, type Context, type GlobalArgs, type Result } from '../context.js';
import { readText, writeOutput } from './files.js';

interface WitnessArgs extends GlobalArgs {
  readonly state: string;
}

/** witnessInit makes the state file of witness NAME whose key is --key; prints its verifier key. */
export async function witnessInit(ctx: Context, args: WitnessArgs & { name: string }): Promise<Result> {
  const keyPair = await ctx.loadKey(ctx.keyPath(args), PASSPHRASE_ENV.key);
  const state = createWitnessState(args.state, args.name, keyPair.publicKey);
  return {
    status: 0,
    json: { name: state.name, verifierKey: state.key, state: args.state },
    text: ctx.lang === 'id'
      ? `Saksi ${state.name} siap (${args.state}). Kunci verifikasi untuk kebijakan:\n${state.key}`
      : `Witness ${state.name} ready (${args.state}). Verifier key for policies:\n${state.key}`,
  };
}

/** witnessAddLog makes the witness know a log by its verifier key. */
export function witnessAddLog(ctx: Context, args: WitnessArgs & { logKey: string }): Result {
  const state = addWitnessLog(args.state, args.logKey, lockOptions(args));
  return { status: 0, json: { logs: Object.keys(state.logs) }, text: Object.keys(state.logs).join('\n') };
}

/** witnessCosignCmd answers a request file with a cosignature line (stdout or --out). */
export async function witnessCosignCmd(ctx: Context, args: WitnessArgs & { request: string; out?: string }): Promise<Result> {
  const request = readText(args.request, 'witness request');
  const state = readWitnessState(args.state);
  const keyPair = await ctx.loadKey(ctx.keyPath(args), PASSPHRASE_ENV.key);
  if (witnessVerifierKey(state.name, keyPair.publicKey) !== state.key) {
    throw new CustodyError('WITNESS_STATE_INVALID', `The key file is not the key of witness ${state.name}.`, { witness: state.name });
  }
  const { line, origin, size } = witnessCosign(args.state, keyPair.signer, request, new Date(), lockOptions(args));
  if (args.out !== undefined) writeOutput(args.out, `${line}\n`);
  return { status: 0, json: { origin, size, line }, text: args.out === undefined ? line : '' };
}

/** lockOptions waits --lock-timeout seconds (10 unless given) for another process using the same state file. */
function lockOptions(args: GlobalArgs): { lockTimeoutMs: number } {
  return { lockTimeoutMs: Math.round((args.lockTimeout ?? 10) * 1000) };
}
