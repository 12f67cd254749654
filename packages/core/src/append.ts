/**
 * Building the next record of a log: position it after the head, attach cosignatures, sign it, and
 * check every rule and signature before anything is stored (DESIGN §6: "an append that breaks them
 * is refused with a clear error and writes nothing"). The SQLite ledger calls this inside its write
 * transaction; MemoryLedger calls it over an in-memory state.
 */
import type { JsonObject } from './canonical.js';
import { equalBytes, toHex } from './codec.js';
import { nobleCrypto, type Crypto, type Signer } from './crypto.js';
import { CustodyError } from './errors.js';
import { leafHash as hashLeaf } from './merkle.js';
import {
  checkRecordValue,
  createsItem,
  sealRecord,
  withCosignatures,
  ZERO_HASH_HEX,
  type Cosignature,
  type LedgerRecord,
  type RecordType,
  type UnsignedRecord,
} from './record.js';
import { evaluateRecord, type CustodyView, type Transition, type Violation } from './rules.js';
import { planSignatures, signatureViolation } from './signatures.js';
import { CustodyState } from './state.js';
import { formatTime } from './time.js';

/** What a caller says happened; the position fields are filled in from the head. */
export interface RecordInput {
  readonly type: RecordType;
  readonly item: string | null;
  readonly actor: string;
  readonly data: JsonObject;
  /** Default: now. */
  readonly time?: string;
  readonly zone?: string;
  readonly cosigs?: readonly Cosignature[];
}

/** The end of a log: its origin, size and the leaf hash of its last record. */
export interface LogHead {
  readonly origin: string;
  readonly size: number;
  /** Hex leaf hash of record size-1; 64 zeros for an empty log. */
  readonly leafHash: string;
}

export interface PreparedRecord {
  readonly record: LedgerRecord;
  readonly leafBytes: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly leafHashHex: string;
  readonly transition: Transition;
}

/** unsignedRecord positions `input` after `head`: seq, prev and the item's itemPrev. */
export function unsignedRecord(view: CustodyView, head: LogHead, input: RecordInput): UnsignedRecord {
  const itemPrev = input.item === null || createsItem(input.type) ? null : (view.item(input.item)?.head ?? null);
  const record: UnsignedRecord = {
    v: 1,
    log: head.origin,
    seq: head.size,
    prev: head.leafHash,
    time: input.time ?? formatTime(new Date()),
    ...(input.zone === undefined ? {} : { zone: input.zone }),
    type: input.type,
    item: input.item,
    itemPrev,
    actor: input.actor,
    data: input.data,
  };
  return withCosignatures(record, input.cosigs ?? []);
}

/**
 * prepareRecord builds, signs and fully checks the next record. Throws a CustodyError naming the
 * first violation (its code) and listing all of them in the message when the record may not be
 * appended; nothing about the log changes either way.
 */
export function prepareRecord(
  view: CustodyView,
  head: LogHead,
  input: RecordInput,
  signer: Signer,
  crypto: Crypto = nobleCrypto,
): PreparedRecord {
  const { record, leafBytes } = sealRecord(unsignedRecord(view, head, input), signer);
  // The schema and time checks verification applies; the bytes are canonical by construction.
  checkRecordValue(record);
  const leafHash = hashLeaf(leafBytes, crypto);
  const leafHashHex = toHex(leafHash);
  const evaluation = evaluateRecord(view, record, leafHashHex);
  const violations = [...checkSignaturesBySigner(view, record, leafBytes, signer, crypto), ...evaluation.violations];
  if (violations.length > 0) throw refusal(violations);
  return { record, leafBytes, leafHash, leafHashHex, transition: evaluation.transition };
}

/**
 * The actor's signature was just made by `signer`: it counts if the signer's key is the actor's key
 * at this seq (re-verifying it would only test the signing code). Cosignatures come from elsewhere
 * and are verified.
 */
function checkSignaturesBySigner(
  view: CustodyView,
  record: LedgerRecord,
  leafBytes: Uint8Array,
  signer: Signer,
  crypto: Crypto,
): Violation[] {
  const plan = planSignatures(view, record, leafBytes);
  const violations = [...plan.violations];
  for (const job of plan.jobs) {
    if (job.kind === 'actor') {
      if (!equalBytes(job.publicKey, signer.publicKey)) {
        violations.push({
          code: 'SIGNATURE_INVALID',
          message: `The key used to sign is not the current key of "${record.actor}".`,
          details: { seq: record.seq, signer: record.actor },
        });
      }
    } else if (!crypto.verify(job.signature, job.message, job.publicKey)) {
      violations.push(signatureViolation(job));
    }
  }
  return violations;
}

/** refusal turns the violations of a refused append into one error with the first one's code. */
export function refusal(violations: readonly Violation[]): CustodyError {
  const first = violations[0]!;
  const message = violations.length === 1 ? first.message : violations.map((v) => v.message).join(' ');
  return new CustodyError(first.code, message, { ...first.details, violations: violations.length });
}

/**
 * MemoryLedger: a log held in memory with the same append checks as the SQLite ledger. For tests,
 * examples and tools that build small ledgers (conformance corpora); not durable.
 */
export class MemoryLedger {
  readonly state = new CustodyState();
  readonly leaves: Uint8Array[] = [];
  readonly records: LedgerRecord[] = [];
  readonly #crypto: Crypto;
  #head: LogHead;

  constructor(origin: string, crypto: Crypto = nobleCrypto) {
    this.#crypto = crypto;
    this.#head = { origin, size: 0, leafHash: ZERO_HASH_HEX };
  }

  get head(): LogHead {
    return this.#head;
  }

  /** append checks, signs and adds a record; throws (and adds nothing) if it may not be appended. */
  append(input: RecordInput, signer: Signer): PreparedRecord {
    const prepared = prepareRecord(this.state, this.#head, input, signer, this.#crypto);
    this.state.apply(prepared.transition);
    this.leaves.push(prepared.leafBytes);
    this.records.push(prepared.record);
    this.#head = { origin: this.#head.origin, size: this.#head.size + 1, leafHash: prepared.leafHashHex };
    return prepared;
  }

  /** unsigned returns the record `input` would become next, before signatures (for cosigners to sign its statement). */
  unsigned(input: RecordInput): UnsignedRecord {
    return unsignedRecord(this.state, this.#head, input);
  }
}
