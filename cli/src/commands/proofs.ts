/**
 * Checkpoints and proofs on the command line (DESIGN §7–§8): list and show the checkpoints the
 * ledger key signed, print the verifier key partners pin, prepare a witness's request and attach its
 * cosignature, check a checkpoint against a policy, and print inclusion and consistency proofs.
 *
 * Proof text formats: an inclusion proof is C2SP tlog-proof (`c2sp.org/tlog-proof@v1`, `index N`,
 * the proof hashes in base64, an empty line, the checkpoint); a consistency proof is the body of a
 * C2SP tlog-witness add-checkpoint request (`old N`, the hashes, an empty line, the checkpoint).
 */
import {
  auditPolicy,
  CustodyError,
  parsePolicy,
  toBase64,
  toHex,
} from '@custody/core';
import {
  addCheckpointCosignatures,
  getCheckpoint,
  latestCheckpoint,
  ledgerVerifierKey,
  listCheckpoints,
  proveRecordInclusion,
  proveTreeConsistency,
  witnessLastSize,
  witnessRequest,
  type Ledger,
  type StoredCheckpoint,
} from '@custody/ledger';
import type { Context, GlobalArgs, Result } from '../context.js';
import { many } from './common.js';
import { readText, writeOutput } from './files.js';

function summary(c: StoredCheckpoint): Record<string, unknown> {
  return { size: c.size, rootHash: toHex(c.rootHash), signedAt: c.signedAt, witnesses: c.witnesses, note: c.note };
}

export function checkpointList(ctx: Context, args: GlobalArgs): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const all = listCheckpoints(ledger);
    const text = all.length === 0
      ? (ctx.lang === 'id' ? 'Belum ada checkpoint.' : 'No checkpoint yet.')
      : all.map((c) => `${String(c.size).padStart(8)}  ${toHex(c.rootHash)}  ${c.signedAt}  ${c.witnesses.length} ${ctx.lang === 'id' ? 'saksi' : 'witness(es)'}`).join('\n');
    return { status: 0, json: { checkpoints: all.map(summary) }, text };
  } finally {
    ledger.close();
  }
}

export function checkpointShow(ctx: Context, args: GlobalArgs & { size?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const c = checkpointAt(ledger, args.size, 'size');
    return { status: 0, json: summary(c), text: c.note.replace(/\n$/, '') };
  } finally {
    ledger.close();
  }
}

export function checkpointKey(ctx: Context, args: GlobalArgs): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const key = ledgerVerifierKey(ledger);
    return { status: 0, json: { origin: ledger.origin, verifierKey: key }, text: key };
  } finally {
    ledger.close();
  }
}

/** checkpointForWitness writes the request a witness (by name or verifier key) answers offline. */
export function checkpointForWitness(ctx: Context, args: GlobalArgs & { witness: string; out?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const request = witnessRequest(ledger, witnessLastSize(ledger, args.witness));
    if (args.out !== undefined) writeOutput(args.out, request);
    return { status: 0, json: { request }, text: args.out === undefined ? request.replace(/\n$/, '') : '' };
  } finally {
    ledger.close();
  }
}

/** checkpointAddCosignature attaches the cosignature lines in FILE(s) to the checkpoint they sign. */
export function checkpointAddCosignature(ctx: Context, args: GlobalArgs & { file: string | string[]; witnessKey: string | string[]; size?: string }): Result {
  const lines = many(args.file).flatMap((path) => readText(path, 'cosignature').split('\n').filter((l) => l.trim() !== ''));
  const ledger = ctx.openLedger(args, false);
  try {
    const size = checkpointAt(ledger, args.size, 'size').size;
    const stored = addCheckpointCosignatures(ledger, size, lines, many(args.witnessKey));
    return { status: 0, json: summary(stored), text: stored.note.replace(/\n$/, '') };
  } finally {
    ledger.close();
  }
}

/** checkpointVerify says whether a checkpoint file meets a policy, and which witnesses signed. Exit 1 if not. */
export function checkpointVerify(ctx: Context, args: GlobalArgs & { file: string; policy: string }): Result {
  const policy = parsePolicy(readText(args.policy, 'policy'));
  const audit = auditPolicy(readText(args.file, 'checkpoint'), policy);
  const json = {
    ok: audit.ok,
    checkpoint: audit.checkpoint === null ? null : { origin: audit.checkpoint.origin, size: audit.checkpoint.size, rootHash: toHex(audit.checkpoint.rootHash) },
    witnesses: audit.witnesses.map((w) => ({ name: w.name, status: w.status })),
    quorumMet: audit.quorumMet,
    error: audit.failure === null ? null : audit.failure.toJSON(),
  };
  const id = ctx.lang === 'id';
  const head = audit.ok
    ? (id ? `Memenuhi kebijakan: ${audit.checkpoint!.origin}, ${audit.checkpoint!.size} catatan.` : `Meets the policy: ${audit.checkpoint!.origin}, ${audit.checkpoint!.size} records.`)
    : (id ? `Tidak memenuhi kebijakan: ${audit.failure?.message ?? ''}` : `Does not meet the policy: ${audit.failure?.message ?? ''}`);
  const lines = audit.witnesses.map((w) => `  ${w.name}: ${w.status}`);
  return { status: audit.ok ? 0 : 1, json, text: [head, ...lines].join('\n') };
}

/** proveInclusion prints the inclusion proof of record SEQ at a stored checkpoint (default: the latest). */
export function proveInclusionCmd(ctx: Context, args: GlobalArgs & { seq: string; size?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const checkpoint = checkpointAt(ledger, args.size, 'size');
    const seq = sizeArg(args.seq, 'seq');
    const proof = proveRecordInclusion(ledger, seq, checkpoint.size);
    const text = `c2sp.org/tlog-proof@v1\nindex ${seq}\n${proof.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${checkpoint.note}`;
    const json = {
      seq,
      size: checkpoint.size,
      leafHash: toHex(proof.leafHash),
      rootHash: toHex(proof.rootHash),
      proof: proof.proof.map(toHex),
      checkpoint: checkpoint.note,
    };
    return { status: 0, json, text: text.replace(/\n$/, '') };
  } finally {
    ledger.close();
  }
}

/** proveConsistency prints the proof that the checkpoint of NEW records extends the tree of OLD. */
export function proveConsistencyCmd(ctx: Context, args: GlobalArgs & { old: string; new?: string }): Result {
  const ledger = ctx.openLedger(args, true);
  try {
    const checkpoint = checkpointAt(ledger, args.new, 'new');
    const oldSize = sizeArg(args.old, 'old');
    const proof = proveTreeConsistency(ledger, oldSize, checkpoint.size);
    const text = `old ${oldSize}\n${proof.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${checkpoint.note}`;
    const json = {
      oldSize,
      newSize: checkpoint.size,
      oldRoot: toHex(proof.oldRoot),
      newRoot: toHex(proof.newRoot),
      proof: proof.proof.map(toHex),
      checkpoint: checkpoint.note,
    };
    return { status: 0, json, text: text.replace(/\n$/, '') };
  } finally {
    ledger.close();
  }
}

/** checkpointAt returns the stored checkpoint of the size in option `name`, or the latest when it is not given. */
function checkpointAt(ledger: Ledger, size: string | undefined, name: string): StoredCheckpoint {
  const checkpoint = size === undefined ? latestCheckpoint(ledger) : getCheckpoint(ledger, sizeArg(size, name));
  if (checkpoint === undefined) throw new CustodyError('CHECKPOINT_MISMATCH', 'The ledger has signed no checkpoint yet: sign one first (custody checkpoint).');
  return checkpoint;
}

/** sizeArg reads a non-negative decimal integer argument (CLI numbers are not parsed by yargs). */
export function sizeArg(text: string, name: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(String(text)) || !Number.isSafeInteger(Number(text))) {
    throw new CustodyError('SCHEMA_INVALID', `--${name} must be a whole number, not "${text}".`, { option: name });
  }
  return Number(text);
}
