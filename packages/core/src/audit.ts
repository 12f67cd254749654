/**
 * Whole-ledger verification (DESIGN §10): re-derive everything from the leaf bytes alone, trusting
 * nothing stored. Streams: memory grows with the number of identities and items, never with the
 * number of records (plus four bytes per signature, to apply a later `compromisedSince`).
 *
 * LedgerAuditor takes leaves one at a time. By default it verifies signatures inline; with
 * `deferSignatures` it hands each record's signature checks back to the caller (to run on other
 * threads) and is told of the failures, so the rules still replay strictly in order.
 */
import { equalBytes, toBase64, toHex } from './codec.js';
import { CompactRange } from './compact-range.js';
import { nobleCrypto, type Crypto } from './crypto.js';
import { isCustodyError, type ErrorCode, type ErrorDetails } from './errors.js';
import type { JsonLimits } from './json.js';
import { leafHash as hashLeaf } from './merkle.js';
import { parseRecord, ZERO_HASH_HEX, type LedgerRecord } from './record.js';
import { evaluateRecord, type Violation } from './rules.js';
import { CompromiseTracker } from './compromise.js';
import { planSignatures, signatureViolation, type SignatureJob } from './signatures.js';
import { CustodyState } from './state.js';
import { describeMixedScript, mixedScriptDetails, recordMixedScriptWords, type MixedScriptWord } from './text.js';
import { timeMs } from './time.js';

/** A record's time may run this far behind its predecessor's before it is flagged. */
export const TIME_REGRESSION_MS = 5 * 60 * 1000;

/** A tree size and root the ledger must reproduce: a stored checkpoint, or one held outside. */
export interface ExpectedRoot {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Where it came from, for the report ("stored checkpoint 3", "--checkpoint FILE"). */
  readonly source: string;
}

export interface AuditOptions {
  readonly crypto?: Crypto;
  /** Time regressions are failures, not warnings (mixed-script text stays a warning). */
  readonly strict?: boolean;
  /** The origin the ledger must have (when the caller knows it, e.g. from a pinned verifier key). */
  readonly origin?: string;
  /** The ledger public key the genesis record must name (when pinned). */
  readonly ledgerKey?: Uint8Array;
  /** Roots to compare against when the tree reaches each size. */
  readonly expectedRoots?: readonly ExpectedRoot[];
  readonly limits?: JsonLimits;
  /** Hand signature checks to the caller instead of verifying them inline. */
  readonly deferSignatures?: boolean;
  /** At most this many failures are listed (all are counted). Default 1000. */
  readonly maxListed?: number;
}

export interface AuditFinding {
  readonly seq: number | null;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

export interface AuditReport {
  /** True only when every check below ran on every record and none failed. */
  readonly ok: boolean;
  readonly origin: string | null;
  readonly size: number;
  readonly rootHash: string;
  readonly headLeafHash: string | null;
  readonly failureCount: number;
  /** Failures in seq order (at most maxListed). */
  readonly failures: readonly AuditFinding[];
  readonly warnings: readonly AuditFinding[];
  /** The checks performed, by name. */
  readonly checks: readonly string[];
  readonly rootsChecked: number;
}

/** The checks every audit performs on every record. */
export const AUDIT_CHECKS = [
  'canonical-json',
  'schema',
  'log-origin',
  'seq',
  'prev-chain',
  'item-chain',
  'signatures',
  'key-validity',
  'custody-rules',
  'time-order',
  'merkle-root',
] as const;

export class LedgerAuditor {
  readonly #crypto: Crypto;
  readonly #options: AuditOptions;
  readonly #state = new CustodyState();
  readonly #tree: CompactRange;
  readonly #expected: ExpectedRoot[];
  readonly #failures: AuditFinding[] = [];
  readonly #warnings: AuditFinding[] = [];
  readonly #compromise = new CompromiseTracker();
  #failureCount = 0;
  #rootsChecked = 0;
  /** The largest size whose expected root matched: records below it are as the checkpoint saw them. */
  #lastMatchedSize = 0;
  #origin: string | null = null;
  #prevLeafHash = ZERO_HASH_HEX;
  #prevTime: number | null = null;
  #finished = false;
  #lastRecord: LedgerRecord | undefined;
  #lastStoredHashes: Uint8Array[] = [];

  constructor(options: AuditOptions = {}) {
    this.#options = options;
    this.#crypto = options.crypto ?? nobleCrypto;
    this.#tree = new CompactRange(this.#crypto);
    this.#expected = [...(options.expectedRoots ?? [])].sort((a, b) => a.size - b.size);
    this.#checkExpectedRoots(); // size 0
  }

  /** state is the custody state replayed so far (identities and items). */
  get state(): CustodyState {
    return this.#state;
  }

  /** lastLeafHash is the hex leaf hash of the leaf added last. */
  get lastLeafHash(): string {
    return this.#prevLeafHash;
  }

  /** lastStoredHashes are the subtree hashes the leaf added last completes, leaf hash first. */
  get lastStoredHashes(): readonly Uint8Array[] {
    return this.#lastStoredHashes;
  }

  /** lastRecord is the record added last, or undefined if its bytes did not parse. */
  get lastRecord(): LedgerRecord | undefined {
    return this.#lastRecord;
  }

  /** size is the number of leaves added so far. */
  get size(): number {
    return this.#tree.size;
  }

  /**
   * add audits the next leaf. Returns the signature checks the caller must run when signatures are
   * deferred (an empty list otherwise); report each failed one with signatureFailed.
   */
  add(leafBytes: Uint8Array): SignatureJob[] {
    if (this.#finished) throw new Error('LedgerAuditor.add after finish');
    const seq = this.#tree.size;
    const leafHashBytes = hashLeaf(leafBytes, this.#crypto);
    const leafHash = toHex(leafHashBytes);
    this.#lastStoredHashes = this.#tree.append(leafHashBytes);
    let jobs: SignatureJob[] = [];
    this.#lastRecord = undefined;
    try {
      const record = parseRecord(leafBytes, this.#options.limits);
      this.#lastRecord = record;
      jobs = this.#auditRecord(seq, record, leafHash, leafBytes);
    } catch (e) {
      if (!isCustodyError(e)) throw e;
      this.#fail({ seq, code: e.code, message: `Record ${seq}: ${e.message}`, details: { seq, ...e.details } });
    }
    this.#prevLeafHash = leafHash;
    this.#checkExpectedRoots();
    return jobs;
  }

  /** addFinding records a failure found outside the leaves (derived tables, stored hashes). */
  addFinding(finding: AuditFinding): void {
    this.#fail(finding);
  }

  /** signatureFailed reports a deferred signature check that did not verify. */
  signatureFailed(job: SignatureJob): void {
    this.#violation(signatureViolation(job));
  }

  /** finish ends the audit and returns the report; `moreChecks` names checks the caller ran besides. */
  finish(moreChecks: readonly string[] = []): AuditReport {
    this.#finished = true;
    if (this.#tree.size === 0) {
      this.#fail({ seq: null, code: 'SEQ_MISMATCH', message: 'The ledger holds no records, not even its genesis.', details: {} });
    }
    for (const expected of this.#expected) {
      this.#fail({
        seq: null,
        code: 'CHECKPOINT_MISMATCH',
        message: `${expected.source} covers ${expected.size} records but the ledger holds only ${this.#tree.size}: records have been removed.`,
        details: { size: expected.size, ledgerSize: this.#tree.size, source: expected.source },
      });
    }
    this.#expected.length = 0;
    const failures = [...this.#failures].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    return {
      ok: this.#failureCount === 0,
      origin: this.#origin,
      size: this.#tree.size,
      rootHash: toHex(this.#tree.root()),
      headLeafHash: this.#tree.size === 0 ? null : this.#prevLeafHash,
      failureCount: this.#failureCount,
      failures,
      warnings: this.#warnings,
      checks: [...AUDIT_CHECKS, ...moreChecks],
      rootsChecked: this.#rootsChecked,
    };
  }

  #auditRecord(seq: number, record: LedgerRecord, leafHash: string, leafBytes: Uint8Array): SignatureJob[] {
    if (seq === 0) {
      this.#origin = this.#options.origin ?? record.log;
      const pinned = this.#options.ledgerKey;
      if (pinned !== undefined && record.data['key'] !== toBase64(pinned)) {
        this.#fail({ seq, code: 'KEY_NOT_VALID', message: 'The genesis record names a ledger key other than the one expected.', details: { seq } });
      }
    }
    if (record.log !== this.#origin) {
      this.#fail({ seq, code: 'LOG_MISMATCH', message: `Record ${seq} belongs to the log "${record.log}", not "${this.#origin}".`, details: { seq, log: record.log } });
    }
    if (record.seq !== seq) {
      this.#fail({ seq, code: 'SEQ_MISMATCH', message: `The record at position ${seq} says it is record ${record.seq}.`, details: { seq, stated: record.seq } });
    }
    if (record.prev !== this.#prevLeafHash) {
      this.#fail({ seq, code: 'CHAIN_BROKEN', message: `Record ${seq} does not link to the leaf hash of record ${seq - 1}.`, details: { seq } });
    }
    this.#checkTime(seq, record);
    this.#checkText(seq, record);

    const plan = planSignatures(this.#state, record, leafBytes);
    for (const v of plan.violations) this.#violation(filedAt(v, record, seq));
    const evaluation = evaluateRecord(this.#state, record, leafHash);
    for (const v of evaluation.violations) this.#violation(filedAt(v, record, seq));
    for (const v of this.#compromise.note(record, seq, evaluation.transition.identities)) this.#violation(v);
    this.#state.apply(evaluation.transition);

    // Jobs too are filed under the position (a copy only for a record out of place).
    const jobs = record.seq === seq ? (plan.jobs as SignatureJob[]) : plan.jobs.map((job) => (job.seq === seq ? job : { ...job, seq }));
    if (this.#options.deferSignatures) return jobs;
    for (const job of jobs) {
      if (!this.#crypto.verify(job.signature, job.message, job.publicKey)) this.#violation(signatureViolation(job));
    }
    return [];
  }

  /**
   * #checkTime warns TIME_REGRESSION (fails, when strict) when a record's order time is more than
   * 5 minutes before its predecessor's (docs/PROTOCOL.md §8.2 step 7). A declared late entry is
   * placed by when it was recorded, not by the earlier time it is dated.
   */
  #checkTime(seq: number, record: LedgerRecord): void {
    const time = orderTimeMs(record); // a valid time: parseRecord checked it
    if (this.#prevTime !== null && time < this.#prevTime - TIME_REGRESSION_MS) {
      const finding: AuditFinding = {
        seq,
        code: 'TIME_REGRESSION',
        message: record.late === undefined
          ? `Record ${seq} is dated more than 5 minutes before record ${seq - 1}.`
          : `Record ${seq}, a late entry, says it was recorded more than 5 minutes before record ${seq - 1}.`,
        details: { seq },
      };
      if (this.#options.strict) this.#fail(finding);
      else this.#warnings.push(finding);
    }
    this.#prevTime = time;
  }

  /** #checkText warns TEXT_MIXED_SCRIPT for each word of display text that mixes scripts (a warning even when strict). */
  #checkText(seq: number, record: LedgerRecord): void {
    for (const found of recordMixedScriptWords(record)) this.#warnings.push(mixedScriptWarning(seq, found));
  }

  #checkExpectedRoots(): void {
    const size = this.#tree.size;
    while (this.#expected.length > 0 && this.#expected[0]!.size === size) {
      const expected = this.#expected.shift()!;
      this.#rootsChecked++;
      if (equalBytes(expected.rootHash, this.#tree.root())) {
        this.#lastMatchedSize = size;
      } else {
        this.#fail({
          seq: size === 0 ? null : size - 1,
          code: 'CHECKPOINT_MISMATCH',
          message:
            `The tree of the first ${size} records does not have the root of ${expected.source}: history was rewritten, ` +
            `somewhere in records ${this.#lastMatchedSize}–${size - 1}.`,
          details: { size, source: expected.source, firstPossible: this.#lastMatchedSize, lastPossible: size - 1 },
        });
      }
    }
  }

  #violation(v: Violation): void {
    const seq = typeof v.details['seq'] === 'number' ? v.details['seq'] : null;
    this.#fail({ seq, code: v.code, message: v.message, details: v.details });
  }

  #fail(finding: AuditFinding): void {
    this.#failureCount++;
    if (this.#failures.length < (this.#options.maxListed ?? 1000)) this.#failures.push(finding);
  }
}

/**
 * filedAt files a violation of `record` under its position `seq`, which is what the report names,
 * even when the record states another seq (a record out of place).
 */
function filedAt(v: Violation, record: LedgerRecord, seq: number): Violation {
  return v.details['seq'] === record.seq ? { ...v, details: { ...v.details, seq } } : v;
}

/**
 * orderTimeMs returns the time that places a record in the log's time order (docs/PROTOCOL.md §8.2
 * step 7): when a late entry was recorded, else when the record is dated.
 */
export function orderTimeMs(record: Pick<LedgerRecord, 'time' | 'late'>): number {
  return timeMs(record.late === undefined ? record.time : record.late.recorded);
}

/** mixedScriptWarning is the TEXT_MIXED_SCRIPT warning verification gives for one mixed-script word at `seq`. */
export function mixedScriptWarning(seq: number, found: MixedScriptWord): AuditFinding {
  return { seq, code: 'TEXT_MIXED_SCRIPT', message: `Record ${seq}: ${describeMixedScript(found)}`, details: { seq, ...mixedScriptDetails(found) } };
}

/** auditLedger verifies a whole ledger from its leaf bytes in seq order (DESIGN §10). */
export function auditLedger(leaves: Iterable<Uint8Array>, options: Omit<AuditOptions, 'deferSignatures'> = {}): AuditReport {
  const auditor = new LedgerAuditor(options);
  for (const leaf of leaves) auditor.add(leaf);
  return auditor.finish();
}
