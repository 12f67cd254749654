/**
 * Which signatures a record carries and which key each must verify under (DESIGN §4–§5): the
 * actor's over the record, each cosigner's over the statement, with the key valid at the record's
 * seq. Planning is separate from verifying, so the verification of a large ledger can be spread
 * over several threads while the rules replay in order.
 */
import { parseBase64 } from './codec.js';
import { nobleCrypto, type Crypto } from './crypto.js';
import type { ErrorDetails } from './errors.js';
import { keyAt } from './identity.js';
import {
  decodeSignature,
  LEDGER_ACTOR,
  recordSigningBytes,
  recordSigningBytesFromLeaf,
  statementOf,
  statementSigningBytes,
  statementSigningBytesFromLeaf,
  type LedgerRecord,
} from './record.js';
import type { CustodyView, Violation } from './rules.js';

/** One signature to verify. */
export interface SignatureJob {
  readonly seq: number;
  readonly signer: string;
  readonly kind: 'actor' | 'cosigner';
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SignaturePlan {
  readonly jobs: readonly SignatureJob[];
  /** Signers without a usable key, and malformed cosignature lists. */
  readonly violations: readonly Violation[];
}

/**
 * planSignatures lists the signatures on `record` with the key each must verify under, given the
 * identities in `view` (the state before the record). The genesis record verifies under the key it
 * names. With `leafBytes` (of a parsed record), the signed messages are cut from them rather than
 * serialised again.
 */
export function planSignatures(view: CustodyView, record: LedgerRecord, leafBytes?: Uint8Array): SignaturePlan {
  const jobs: SignatureJob[] = [];
  const violations: Violation[] = [];

  const actorKey = signerKey(view, record, record.actor, 'actor', violations);
  if (actorKey !== undefined) {
    jobs.push({
      seq: record.seq,
      signer: record.actor,
      kind: 'actor',
      publicKey: actorKey,
      message: leafBytes === undefined ? recordSigningBytes(record) : recordSigningBytesFromLeaf(leafBytes),
      signature: decodeSignature(record.sig),
    });
  }

  const cosigs = record.cosigs ?? [];
  let statementBytes: Uint8Array | undefined;
  for (let i = 0; i < cosigs.length; i++) {
    const { id, sig } = cosigs[i]!;
    if (i > 0 && !(cosigs[i - 1]!.id < id)) {
      fail(violations, record, 'COSIGNATURE_INVALID', 'Cosignatures must be sorted by id, each id once.', { signer: id });
      continue;
    }
    if (id === record.actor || id === LEDGER_ACTOR) {
      fail(violations, record, 'COSIGNATURE_INVALID', `"${id}" cannot cosign this record (the actor or the ledger key).`, { signer: id });
      continue;
    }
    const key = signerKey(view, record, id, 'cosigner', violations);
    if (key === undefined) continue;
    statementBytes ??=
      (leafBytes === undefined ? undefined : statementSigningBytesFromLeaf(leafBytes)) ?? statementSigningBytes(statementOf(record));
    jobs.push({ seq: record.seq, signer: id, kind: 'cosigner', publicKey: key, message: statementBytes, signature: decodeSignature(sig) });
  }
  return { jobs, violations };
}

/** signatureViolation returns the violation a failed job stands for. */
export function signatureViolation(job: SignatureJob): Violation {
  return job.kind === 'actor'
    ? {
        code: 'SIGNATURE_INVALID',
        message: `The signature of "${job.signer}" on record ${job.seq} does not verify.`,
        details: { seq: job.seq, signer: job.signer },
      }
    : {
        code: 'COSIGNATURE_INVALID',
        message: `The cosignature of "${job.signer}" on record ${job.seq} does not verify.`,
        details: { seq: job.seq, signer: job.signer },
      };
}

/** checkSignatures plans and verifies every signature on `record`, returning the violations. */
export function checkSignatures(view: CustodyView, record: LedgerRecord, crypto: Crypto = nobleCrypto): Violation[] {
  const plan = planSignatures(view, record);
  const violations = [...plan.violations];
  for (const job of plan.jobs) {
    if (!crypto.verify(job.signature, job.message, job.publicKey)) violations.push(signatureViolation(job));
  }
  return violations;
}

/** signerKey returns the key `id` must sign `record` with, or adds a violation saying why there is none. */
function signerKey(
  view: CustodyView,
  record: LedgerRecord,
  id: string,
  kind: SignatureJob['kind'],
  violations: Violation[],
): Uint8Array | undefined {
  if (record.seq === 0 && kind === 'actor' && record.type === 'ledger.genesis' && id === LEDGER_ACTOR) {
    const key = decodeKey(record.data['key']);
    if (key === undefined) fail(violations, record, 'KEY_INVALID', 'The genesis record names no usable ledger key.', { signer: id, kind });
    return key;
  }
  const identity = view.identity(id);
  if (identity === undefined) {
    fail(violations, record, 'IDENTITY_UNKNOWN', `The ${kind} "${id}" is not an enrolled identity.`, { signer: id, kind });
    return undefined;
  }
  const found = keyAt(identity, record.seq);
  if ('problem' in found) {
    fail(violations, record, 'KEY_NOT_VALID', `The ${kind} "${id}" has no valid key at seq ${record.seq} (${found.problem}).`, {
      signer: id,
      kind,
      problem: found.problem,
    });
    return undefined;
  }
  const key = decodeKey(found.key);
  if (key === undefined) fail(violations, record, 'KEY_INVALID', `The key of the ${kind} "${id}" is not a 32-byte key.`, { signer: id, kind });
  return key;
}

function fail(violations: Violation[], record: LedgerRecord, code: Violation['code'], message: string, details: ErrorDetails): void {
  violations.push({ code, message, details: { seq: record.seq, ...details } });
}

/**
 * Decoded keys by their base64, so a ledger's few dozen signers are not decoded again on every record.
 * The answer depends on the string alone; null marks a string that is not a 32-byte key. Each job
 * gets its own copy (32 bytes, cheap), so a caller that transfers or overwrites one harms no other.
 */
const decodedKeys = new Map<string, Uint8Array | null>();
const DECODED_KEYS_MAX = 1024;

function decodeKey(key: unknown): Uint8Array | undefined {
  if (typeof key !== 'string') return undefined;
  let bytes = decodedKeys.get(key);
  if (bytes === undefined) {
    try {
      bytes = parseBase64(key, 32);
    } catch {
      bytes = null;
    }
    if (decodedKeys.size >= DECODED_KEYS_MAX) decodedKeys.clear();
    decodedKeys.set(key, bytes);
  }
  return bytes === null ? undefined : bytes.slice();
}
