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
import { describeMixedScript, mixedScriptDetails, recordMixedScriptWords } from './text.js';
import { formatTime, timeMs } from './time.js';

/** What a caller says happened; the position fields are filled in from the head. */
export interface RecordInput {
  readonly type: RecordType;
  readonly item: string | null;
  readonly actor: string;
  readonly data: JsonObject;
  /** When it happened. Default: now. */
  readonly time?: string;
  readonly zone?: string;
  /**
   * Marks a late entry: an event recorded after the fact, with the reason (docs/PROTOCOL.md §4.5).
   * Required when `time` is before the genesis record. `recorded` defaults to now; give it when
   * cosigners sign the statement before the record is made (they sign the marker too).
   */
  readonly late?: { readonly reason: string; readonly recorded?: string };
  readonly cosigs?: readonly Cosignature[];
}

/** How an append reads the clock and the ledger's start; both have defaults. */
export interface AppendOptions {
  /** The appending machine's clock, in milliseconds since 1970. Default: Date.now. */
  readonly now?: () => number;
  /**
   * The genesis record's time. Default: the view's genesisTime(), or none — then a record dated
   * before the genesis is not refused here (verification still warns TIME_REGRESSION).
   */
  readonly genesisTime?: string;
}

/** How far a record's time may run ahead of the appending machine's clock (docs/PROTOCOL.md §4.5). */
export const CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

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

/**
 * unsignedRecord positions `input` after `head`: seq, prev and the item's itemPrev; a missing time,
 * or a late marker's missing recorded time, is `now`.
 */
export function unsignedRecord(view: CustodyView, head: LogHead, input: RecordInput, now: () => number = Date.now): UnsignedRecord {
  const itemPrev = input.item === null || createsItem(input.type) ? null : (view.item(input.item)?.head ?? null);
  const late = input.late === undefined ? undefined : { reason: input.late.reason, recorded: input.late.recorded ?? formatTime(new Date(now())) };
  const record: UnsignedRecord = {
    v: 1,
    log: head.origin,
    seq: head.size,
    prev: head.leafHash,
    time: input.time ?? formatTime(new Date(now())),
    ...(input.zone === undefined ? {} : { zone: input.zone }),
    ...(late === undefined ? {} : { late }),
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
 * appended; nothing about the log changes either way. Besides what verification checks, an append
 * refuses (docs/PROTOCOL.md §4.5) a time more than 5 minutes ahead of `options.now`
 * (TIME_IN_FUTURE), a time before the genesis record without a late marker (TIME_BEFORE_GENESIS),
 * and display text with a word that mixes scripts (TEXT_MIXED_SCRIPT).
 */
export function prepareRecord(
  view: CustodyView,
  head: LogHead,
  input: RecordInput,
  signer: Signer,
  crypto: Crypto = nobleCrypto,
  options: AppendOptions = {},
): PreparedRecord {
  const now = options.now ?? Date.now;
  const { record, leafBytes } = sealRecord(unsignedRecord(view, head, input, now), signer);
  // A clock fault first: it also explains a late entry that seems recorded before its own time.
  const clock = timeViolations(record, now(), options.genesisTime ?? view.genesisTime?.());
  if (clock.length > 0) throw refusal(clock);
  // The schema and time checks verification applies; the bytes are canonical by construction.
  checkRecordValue(record);
  const leafHash = hashLeaf(leafBytes, crypto);
  const leafHashHex = toHex(leafHash);
  const evaluation = evaluateRecord(view, record, leafHashHex);
  const violations = [
    ...textViolations(record),
    ...checkSignaturesBySigner(view, record, leafBytes, signer, crypto),
    ...evaluation.violations,
  ];
  if (violations.length > 0) throw refusal(violations);
  return { record, leafBytes, leafHash, leafHashHex, transition: evaluation.transition };
}

/**
 * timeViolations checks a record's times against the appending machine's clock and the ledger's
 * start: neither `time` nor a late marker's `recorded` may be more than CLOCK_TOLERANCE_MS ahead of
 * `nowMs` (a clock fault); `time` may be more than that before the genesis only on a late entry,
 * whose `recorded` may not (docs/PROTOCOL.md §4.5).
 */
function timeViolations(record: Pick<LedgerRecord, 'seq' | 'time' | 'late'>, nowMs: number, genesisTime: string | undefined): Violation[] {
  const violations: Violation[] = [];
  const ahead = (time: string, path: string, what: string): void => {
    const byMs = timeMs(time) - nowMs;
    if (byMs <= CLOCK_TOLERANCE_MS) return;
    const now = formatTime(new Date(nowMs)); // only for the message: appends that pass never need it
    violations.push({
      code: 'TIME_IN_FUTURE',
      message:
        `${what} ${time}, ${minutes(byMs)} after this computer's clock (${now}): a record cannot be dated in the future. ` +
        'Check the clock of this computer (date, time and time zone), and the time given.',
      details: { seq: record.seq, path, time, now },
    });
  };
  ahead(record.time, '/time', `Record ${record.seq} is dated`);
  if (record.late !== undefined) ahead(record.late.recorded, '/late/recorded', 'The late entry says it was recorded at');
  if (genesisTime === undefined || record.seq === 0) return violations;
  const start = timeMs(genesisTime) - CLOCK_TOLERANCE_MS;
  if (record.late === undefined && timeMs(record.time) < start) {
    violations.push({
      code: 'TIME_BEFORE_GENESIS',
      message:
        `Record ${record.seq} is dated ${record.time}, before this ledger began (${genesisTime}). ` +
        'An event from before then can only be recorded as a late entry, with the reason it is recorded late (--late-reason).',
      details: { seq: record.seq, path: '/time', time: record.time, genesisTime },
    });
  }
  if (record.late !== undefined && timeMs(record.late.recorded) < start) {
    violations.push({
      code: 'TIME_BEFORE_GENESIS',
      message: `The late entry says it was recorded at ${record.late.recorded}, before this ledger began (${genesisTime}): check the clock of this computer.`,
      details: { seq: record.seq, path: '/late/recorded', time: record.late.recorded, genesisTime },
    });
  }
  return violations;
}

/** textViolations refuses display text with a word that mixes scripts (text.ts, UTS #39 §5.2). */
function textViolations(record: LedgerRecord): Violation[] {
  return recordMixedScriptWords(record).map((found) => ({
    code: 'TEXT_MIXED_SCRIPT' as const,
    message: `Record ${record.seq}: ${describeMixedScript(found)} Type the word again in one script.`,
    details: { seq: record.seq, ...mixedScriptDetails(found) },
  }));
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} minutes` : m < 2 * 24 * 60 ? `${Math.round(m / 60)} hours` : `${Math.round(m / (24 * 60))} days`;
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

  readonly #options: AppendOptions;

  constructor(origin: string, crypto: Crypto = nobleCrypto, options: Pick<AppendOptions, 'now'> = {}) {
    this.#crypto = crypto;
    this.#options = options;
    this.#head = { origin, size: 0, leafHash: ZERO_HASH_HEX };
  }

  get head(): LogHead {
    return this.#head;
  }

  /** append checks, signs and adds a record; throws (and adds nothing) if it may not be appended. */
  append(input: RecordInput, signer: Signer): PreparedRecord {
    const prepared = prepareRecord(this.state, this.#head, input, signer, this.#crypto, this.#options);
    this.state.apply(prepared.transition);
    this.leaves.push(prepared.leafBytes);
    this.records.push(prepared.record);
    this.#head = { origin: this.#head.origin, size: this.#head.size + 1, leafHash: prepared.leafHashHex };
    return prepared;
  }

  /** unsigned returns the record `input` would become next, before signatures (for cosigners to sign its statement). */
  unsigned(input: RecordInput): UnsignedRecord {
    return unsignedRecord(this.state, this.#head, input, this.#options.now);
  }
}
