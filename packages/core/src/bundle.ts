/**
 * Custody bundles (DESIGN §9): one JSON document that proves the custody of some items — their
 * records with inclusion proofs at a signed, cosigned checkpoint, the genesis and identity records
 * their signatures depend on, and the bundles of the ledgers imported items came from — checkable
 * offline by anyone who trusts the ledgers' keys, without the rest of any ledger.
 *
 * A bundle is attacker-controlled input: it is parsed strictly and re-derived completely; supplied
 * hashes are never trusted, and the report never says intact for a check it did not run.
 */
import { mixedScriptWarning, orderTimeMs, TIME_REGRESSION_MS } from './audit.js';
import { canonicalBytes } from './canonical.js';
import { parseHex, toBase64, toHex } from './codec.js';
import { nobleCrypto, type Crypto } from './crypto.js';
import { CustodyError, isCustodyError, type ErrorCode, type ErrorDetails } from './errors.js';
import { validateBundle } from './generated/validators.js';
import { parseJson } from './json.js';
import { leafHash } from './merkle.js';
import { formatVerifierKey, parseVerifierKey, SIGNATURE_TYPE_ED25519, type VerifierKey } from './note.js';
import { openCheckpoint } from './checkpoint.js';
import { checkPolicy, type Policy } from './policy.js';
import { checkInclusion } from './proof.js';
import { CompromiseTracker } from './compromise.js';
import { checkRecordValue, type LedgerRecord } from './record.js';
import { evaluateRecord } from './rules.js';
import { checkSchema } from './schema.js';
import { planSignatures, signatureViolation } from './signatures.js';
import { recordMixedScriptWords } from './text.js';
import { CustodyState } from './state.js';

export const BUNDLE_FORMAT = 'custody-bundle/v1';

/** Limits on bundle input: bytes, JSON nesting, and upstream bundles nested in one another. */
export const BUNDLE_LIMITS = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxDepth: 96, maxUpstreamDepth: 8 });

export interface BundleRecord {
  readonly record: LedgerRecord;
  /** RFC 9162 inclusion proof of the record at the checkpoint, hex hashes. */
  readonly proof: readonly string[];
}

export interface Bundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly log: { readonly origin: string; readonly key: string };
  readonly checkpoint: string;
  readonly items: readonly string[];
  readonly records: readonly BundleRecord[];
  readonly upstream?: readonly Bundle[];
}

/** Whom the verifier trusts: a policy (log keys, witnesses, quorum), or log verifier keys alone. */
export type BundleTrust = { readonly policy: Policy } | { readonly logKeys: readonly string[] };

export interface BundleCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface BundleFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly seq: number | null;
  readonly details: ErrorDetails;
}

export interface BundleReport {
  /** True only when every check below ran and passed, here and in every upstream bundle. */
  readonly ok: boolean;
  /** False when the input is not a bundle at all (malformed JSON, wrong schema). */
  readonly isBundle: boolean;
  readonly origin: string | null;
  readonly checkpoint: { readonly size: number; readonly rootHash: string; readonly witnesses: readonly string[] } | null;
  readonly items: readonly string[];
  readonly recordCount: number;
  /** SHA-256 (hex) of the bundle's canonical JSON: what an item.import names. */
  readonly digest: string | null;
  readonly checks: readonly BundleCheck[];
  /** Who holds each of the bundle's items at its last record, with that identity's key (base64). */
  readonly holders: { readonly [item: string]: { readonly custodian: string; readonly key: string | null; readonly disposed: boolean; readonly inTransit: boolean } };
  readonly failures: readonly BundleFailure[];
  readonly warnings: readonly BundleFailure[];
  readonly upstream: readonly BundleReport[];
}

/** parseBundle turns untrusted bytes into a bundle (JSON_*, SCHEMA_INVALID), checking record times too. */
export function parseBundle(input: string | Uint8Array): Bundle {
  const value = parseJson(input, { maxBytes: BUNDLE_LIMITS.maxBytes, maxDepth: BUNDLE_LIMITS.maxDepth });
  checkSchema(validateBundle as never, value, 'bundle');
  const bundle = value as unknown as Bundle;
  forEachBundle(bundle, 0, (b) => b.records.forEach((r) => checkRecordValue(r.record)));
  return bundle;
}

/** bundleDigest returns SHA-256 of the bundle's canonical JSON (RFC 8785). */
export function bundleDigest(bundle: Bundle, crypto: Crypto = nobleCrypto): Uint8Array {
  return crypto.sha256(canonicalBytes(bundle));
}

/** verifyBundle checks a bundle completely (DESIGN §9) and reports every check. Never throws for bad input. */
export function verifyBundle(input: string | Uint8Array | Bundle, trust: BundleTrust, crypto: Crypto = nobleCrypto): BundleReport {
  let bundle: Bundle;
  try {
    bundle = typeof input === 'string' || input instanceof Uint8Array ? parseBundle(input) : input;
  } catch (e) {
    if (!isCustodyError(e)) throw e;
    const failure = { code: e.code, message: `Not a custody bundle: ${e.message}`, seq: null, details: e.details };
    return notABundle(failure);
  }
  return new BundleVerifier(bundle, trust, crypto, 0).run();
}

/** What a check found: a sentence for the report, and the value later checks build on. */
interface Step<T> {
  readonly detail: string;
  readonly value: T;
}

function notABundle(failure: BundleFailure): BundleReport {
  return {
    ok: false, isBundle: false, origin: null, checkpoint: null, items: [], recordCount: 0, digest: null,
    checks: [{ name: 'format', ok: false, detail: failure.message }], holders: {}, failures: [failure], warnings: [], upstream: [],
  };
}

class BundleVerifier {
  readonly #checks: BundleCheck[] = [];
  readonly #failures: BundleFailure[] = [];
  readonly #warnings: BundleFailure[] = [];
  #checkpoint: BundleReport['checkpoint'] = null;
  #holders: Record<string, BundleReport['holders'][string]> = {};

  constructor(
    readonly bundle: Bundle,
    readonly trust: BundleTrust,
    readonly crypto: Crypto,
    readonly depth: number,
  ) {}

  run(): BundleReport {
    const { bundle } = this;
    this.#step('format', () => {
      if (bundle.format !== BUNDLE_FORMAT) throw new CustodyError('BUNDLE_MALFORMED', `Unknown format "${String(bundle.format)}".`);
      if (new Set(bundle.items).size !== bundle.items.length) throw new CustodyError('BUNDLE_MALFORMED', 'An item is listed twice.');
      return { detail: `${bundle.records.length} records about ${bundle.items.join(', ')}`, value: true };
    });
    const root = this.#step('checkpoint', () => this.#openCheckpoint());
    const leafHashes = root === undefined ? undefined : this.#step('inclusion-proofs', () => this.#checkProofs(root.size, root.rootHash));
    this.#step('contents', () => this.#checkContents());
    if (leafHashes !== undefined) this.#step('signatures-and-custody-rules', () => this.#replay(leafHashes));
    else this.#skipped('signatures-and-custody-rules', 'not run: the records are not proved to be in the log');
    const upstream = this.#checkUpstream();
    const digest = toHex(bundleDigest(bundle, this.crypto));
    return {
      ok: this.#failures.length === 0 && this.#checks.every((c) => c.ok) && upstream.every((u) => u.ok),
      isBundle: true,
      origin: bundle.log.origin,
      checkpoint: this.#checkpoint,
      items: bundle.items,
      recordCount: bundle.records.length,
      digest,
      checks: this.#checks,
      holders: this.#holders,
      failures: this.#failures,
      warnings: this.#warnings,
      upstream,
    };
  }

  /** The checkpoint must open under the trusted log key (and meet the policy's witness quorum). */
  #openCheckpoint(): Step<{ size: number; rootHash: Uint8Array }> {
    const { bundle, trust, crypto } = this;
    const bundleKey = parseVerifierKey(bundle.log.key, crypto);
    if (bundleKey.name !== bundle.log.origin || bundleKey.type !== SIGNATURE_TYPE_ED25519) {
      throw new CustodyError('VERIFIER_KEY_INVALID', 'The bundle’s log key is not an Ed25519 key named for its origin.');
    }
    let size: number;
    let rootHash: Uint8Array;
    let origin: string;
    let signedBy: VerifierKey;
    let witnesses: string[] = [];
    if ('policy' in trust) {
      const result = checkPolicy(bundle.checkpoint, trust.policy, crypto);
      ({ size, rootHash, origin } = result.checkpoint);
      signedBy = result.logKey;
      witnesses = result.witnesses.map((w) => w.name);
    } else {
      const opened = openCheckpoint(bundle.checkpoint, [...trust.logKeys], crypto);
      ({ size, rootHash, origin } = opened.checkpoint);
      signedBy = opened.logKey;
    }
    // The key that signed the checkpoint must be the bundle's log key, which the genesis record
    // must name in turn: another trusted key for the same origin proves nothing about this ledger.
    if (formatVerifierKey(signedBy) !== formatVerifierKey(bundleKey)) {
      throw new CustodyError('CHECKPOINT_MISMATCH', 'The checkpoint is signed by a trusted key other than the bundle’s log key.');
    }
    if (origin !== bundle.log.origin) {
      throw new CustodyError('CHECKPOINT_MISMATCH', `The checkpoint is of ${origin}, the bundle says ${bundle.log.origin}.`);
    }
    this.#checkpoint = { size, rootHash: toHex(rootHash), witnesses };
    const detail = `${origin} at ${size} records, signed by its trusted key${witnesses.length ? `, cosigned by ${witnesses.join(', ')}` : ''}`;
    return { detail, value: { size, rootHash } };
  }

  /** Every leaf hash recomputed from its record and proved in the checkpoint's tree. */
  #checkProofs(size: number, rootHash: Uint8Array): Step<Map<number, string>> {
    const hashes = new Map<number, string>();
    let previous = -1;
    for (const { record, proof } of this.bundle.records) {
      if (record.seq <= previous) {
        throw new CustodyError('BUNDLE_MALFORMED', `Records must be in increasing seq order, each once (record ${record.seq}).`, { seq: record.seq });
      }
      previous = record.seq;
      if (record.log !== this.bundle.log.origin) {
        throw new CustodyError('LOG_MISMATCH', `Record ${record.seq} belongs to ${record.log}.`, { seq: record.seq });
      }
      const hash = leafHash(canonicalBytes(record), this.crypto);
      try {
        if (record.seq >= size) throw new CustodyError('PROOF_INVALID', 'beyond the checkpoint');
        checkInclusion(proof.map((h) => parseHex(h, 32)), record.seq, size, hash, rootHash, this.crypto);
      } catch (e) {
        throw new CustodyError('PROOF_INVALID', `Record ${record.seq} is not in the log at the checkpoint: its inclusion proof fails.`, { seq: record.seq }, { cause: e });
      }
      hashes.set(record.seq, toHex(hash));
    }
    return { detail: `${hashes.size} records, each leaf hash recomputed and proved at the checkpoint`, value: hashes };
  }

  /** Only the genesis, identity records, and records about the bundle's items and their ancestors. */
  #checkContents(): Step<true> {
    const records = this.bundle.records.map((r) => r.record);
    if (records[0]?.seq !== 0 || records[0].type !== 'ledger.genesis') {
      throw new CustodyError('BUNDLE_INCOMPLETE', 'The bundle lacks the genesis record that names the ledger key.', { seq: 0 });
    }
    const covered = new Set(this.bundle.items);
    // Ancestors: the parents named by derive records of covered items, found back to front.
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (r.type === 'item.derive' && r.item !== null && covered.has(r.item)) {
        for (const parent of r.data['parents'] as Array<{ item: string }>) covered.add(parent.item);
      }
    }
    for (const r of records) {
      const allowed = r.type === 'ledger.genesis' || r.type.startsWith('identity.') || (r.item !== null && covered.has(r.item));
      if (!allowed) {
        throw new CustodyError('BUNDLE_MALFORMED', `Record ${r.seq} is about ${r.item === null ? 'no item' : `"${r.item}"`}, which this bundle does not cover.`, {
          seq: r.seq,
        });
      }
    }
    for (const item of this.bundle.items) {
      if (!records.some((r) => r.item === item)) {
        throw new CustodyError('BUNDLE_INCOMPLETE', `The bundle has no record of its item "${item}".`, { item });
      }
    }
    return { detail: `genesis, identities, and the records of ${covered.size} item(s) only`, value: true };
  }

  /**
   * Replays the records in seq order through the custody rules, checking every signature with the
   * key valid at its seq and every link that lies within the bundle: prev between consecutive
   * records, and each item's chain from its first record (itemPrev, checked by the rules).
   */
  #replay(leafHashes: Map<number, string>): Step<true> {
    const state = new CustodyState();
    const genesisKey = this.bundle.records[0]!.record.data['key'];
    const trustedKey = parseVerifierKey(this.bundle.log.key, this.crypto).publicKey;
    if (genesisKey !== toBase64(trustedKey)) {
      this.#fail({ code: 'KEY_NOT_VALID', message: 'The genesis record names a ledger key other than the bundle’s log key.', seq: 0, details: { seq: 0 } });
    }
    let previous: LedgerRecord | undefined;
    let signatures = 0;
    const compromise = new CompromiseTracker();
    for (const { record } of this.bundle.records) {
      const hash = leafHashes.get(record.seq)!;
      if (previous !== undefined && previous.seq === record.seq - 1 && record.prev !== leafHashes.get(previous.seq)) {
        this.#fail({ code: 'CHAIN_BROKEN', message: `Record ${record.seq} does not link to record ${previous.seq}.`, seq: record.seq, details: { seq: record.seq } });
      }
      // Time order as in a whole-ledger audit (a late entry placed by when it was recorded), and
      // mixed-script text: warnings, never failures (docs/PROTOCOL.md §8.2 step 7, §11.2 step 6).
      if (previous !== undefined && orderTimeMs(record) < orderTimeMs(previous) - TIME_REGRESSION_MS) {
        const what = record.late === undefined ? 'is dated' : 'is a late entry that says it was recorded';
        this.#warnings.push({ code: 'TIME_REGRESSION', message: `Record ${record.seq} ${what} more than 5 minutes before record ${previous.seq}.`, seq: record.seq, details: { seq: record.seq } });
      }
      for (const found of recordMixedScriptWords(record)) this.#warnings.push(mixedScriptWarning(record.seq, found));
      const plan = planSignatures(state, record, canonicalBytes(record));
      for (const v of plan.violations) this.#violation(v);
      for (const job of plan.jobs) {
        signatures++;
        if (!this.crypto.verify(job.signature, job.message, job.publicKey)) this.#violation(signatureViolation(job));
      }
      const evaluation = evaluateRecord(state, record, hash);
      for (const v of evaluation.violations) this.#violation(v);
      for (const v of compromise.note(record, record.seq, evaluation.transition.identities)) this.#violation(v);
      state.apply(evaluation.transition);
      previous = record;
    }
    for (const id of this.bundle.items) {
      const item = state.item(id);
      if (item === undefined) continue;
      const holder = state.identity(item.custodian);
      const key = holder === undefined ? null : (holder.keys[holder.keys.length - 1]?.key ?? null);
      this.#holders[id] = { custodian: item.custodian, key: holder?.revokedAt === null ? key : null, disposed: item.disposed !== null, inTransit: item.offer !== null };
    }
    if (this.#failures.length > 0) throw new CustodyError(this.#failures[0]!.code, this.#failures[0]!.message);
    return { detail: `${signatures} signatures verified with the keys valid at their records; every item chain complete; custody rules hold`, value: true };
  }

  /** Upstream bundles verify on their own, and every item.import here names one of them exactly. */
  #checkUpstream(): BundleReport[] {
    const upstream = this.bundle.upstream ?? [];
    const imports = this.bundle.records.filter((r) => r.record.type === 'item.import').map((r) => r.record);
    if (upstream.length === 0 && imports.length === 0) return [];
    if (this.depth >= BUNDLE_LIMITS.maxUpstreamDepth) {
      this.#checks.push({ name: 'upstream', ok: false, detail: `upstream bundles nested deeper than ${BUNDLE_LIMITS.maxUpstreamDepth}` });
      this.#fail({ code: 'BUNDLE_MALFORMED', message: 'Upstream bundles are nested too deep.', seq: null, details: {} });
      return [];
    }
    const reports = upstream.map((u) => new BundleVerifier(u, this.trust, this.crypto, this.depth + 1).run());
    this.#step('upstream', () => {
      for (const record of imports) {
        const source = record.data['source'] as { log: string; item: string; head: string; checkpoint: { size: number; root: string }; bundle: string };
        const match = upstream.findIndex((u, i) => {
          const report = reports[i]!;
          const records = u.records.filter((r) => r.record.item === source.item);
          const head = records.length === 0 ? undefined : toHex(leafHash(canonicalBytes(records[records.length - 1]!.record), this.crypto));
          return (
            u.log.origin === source.log &&
            u.items.includes(source.item) &&
            head === source.head &&
            report.checkpoint?.size === source.checkpoint.size &&
            report.checkpoint?.rootHash === source.checkpoint.root &&
            report.digest === source.bundle
          );
        });
        if (match < 0) {
          throw new CustodyError('BUNDLE_UPSTREAM_MISMATCH', `Record ${record.seq} imports "${source.item}" from ${source.log}, but no upstream bundle matches it.`, {
            seq: record.seq,
          });
        }
      }
      const bad = reports.filter((r) => !r.ok).length;
      if (bad > 0) throw new CustodyError('BUNDLE_UPSTREAM_MISMATCH', `${bad} upstream bundle(s) are not intact.`);
      return { detail: `${reports.length} upstream bundle(s) intact; ${imports.length} import(s) each match one`, value: true };
    });
    return reports;
  }

  /** #step runs one named check, records its outcome, and returns its value (undefined if it failed). */
  #step<T>(name: string, run: () => Step<T>): T | undefined {
    try {
      const { detail, value } = run();
      this.#checks.push({ name, ok: true, detail });
      return value;
    } catch (e) {
      if (!isCustodyError(e)) throw e;
      this.#checks.push({ name, ok: false, detail: e.message });
      if (!this.#failures.some((f) => f.message === e.message)) {
        const seq = typeof e.details['seq'] === 'number' ? e.details['seq'] : null;
        this.#fail({ code: e.code, message: e.message, seq, details: e.details });
      }
      return undefined;
    }
  }

  #skipped(name: string, why: string): void {
    this.#checks.push({ name, ok: false, detail: why });
  }

  #violation(v: { code: ErrorCode; message: string; details: ErrorDetails }): void {
    const seq = typeof v.details['seq'] === 'number' ? v.details['seq'] : null;
    this.#fail({ code: v.code, message: v.message, seq, details: v.details });
  }

  #fail(failure: BundleFailure): void {
    this.#failures.push(failure);
  }
}

function forEachBundle(bundle: Bundle, depth: number, visit: (b: Bundle) => void): void {
  if (depth > BUNDLE_LIMITS.maxUpstreamDepth) {
    throw new CustodyError('BUNDLE_MALFORMED', `Upstream bundles are nested deeper than ${BUNDLE_LIMITS.maxUpstreamDepth}.`);
  }
  visit(bundle);
  for (const u of bundle.upstream ?? []) forEachBundle(u, depth + 1, visit);
}

