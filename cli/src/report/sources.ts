/**
 * Where a report's facts come from: a bundle file checked under a policy or log keys, or an item of
 * a ledger file, exported as a bundle at its latest checkpoint and checked the same way (so the
 * report says exactly what a partner, a court or the offline page would find).
 */
import {
  CustodyError,
  isCustodyError,
  parseBundle,
  parsePolicy,
  verifyBundle,
  type Bundle,
  type BundleTrust,
} from '@custody/core';
import { exportBundle, ledgerVerifierKey, nodeCrypto, type Ledger } from '@custody/ledger';
import { buildReport, type ReportModel } from './model.js';

/** Whom to trust, as given on the command line: a policy's text, and/or log verifier keys. */
export interface TrustInput {
  readonly policyText?: string | undefined;
  readonly logKeys?: readonly string[] | undefined;
}

/** trustFrom turns the command line's policy or keys into core's trust (POLICY_MALFORMED). */
export function trustFrom(input: TrustInput): BundleTrust | undefined {
  if (input.policyText !== undefined) return { policy: parsePolicy(input.policyText, nodeCrypto) };
  if (input.logKeys !== undefined && input.logKeys.length > 0) return { logKeys: [...input.logKeys] };
  return undefined;
}

/** reportFromBundle verifies bundle bytes with core and builds the report of what was found. */
export function reportFromBundle(bytes: Uint8Array, trust: BundleTrust): ReportModel {
  let bundle: Bundle | null = null;
  try {
    bundle = parseBundle(bytes);
  } catch (e) {
    if (!isCustodyError(e)) throw e;
  }
  const verdict = verifyBundle(bundle ?? bytes, trust, nodeCrypto);
  return buildReport(bundle, verdict, { trust: 'policy' in trust ? 'policy' : 'log-key', crypto: nodeCrypto });
}

/**
 * reportFromLedger exports `item`'s bundle at the ledger's latest checkpoint and verifies it under
 * the ledger's own key (plus `extra` keys for the ledgers of imported items), or under a policy.
 * Records about the item after that checkpoint are counted, not shown: no checkpoint proves them yet.
 */
export function reportFromLedger(ledger: Ledger, item: string, extra: TrustInput): { model: ReportModel; bundle: Bundle } {
  const bundle = exportBundle(ledger, [item]);
  const own = ledgerVerifierKey(ledger);
  const trust: BundleTrust =
    extra.policyText !== undefined ? { policy: parsePolicy(extra.policyText, nodeCrypto) } : { logKeys: [own, ...(extra.logKeys ?? [])] };
  const verdict = verifyBundle(bundle, trust, nodeCrypto);
  const covered = new Set(bundle.records.map((r) => r.record.seq));
  const after = ledger.timeline(item).filter((r) => !covered.has(r.seq)).length;
  const model = buildReport(bundle, verdict, { trust: 'policy' in trust ? 'policy' : 'ledger', recordsAfterCheckpoint: after, crypto: nodeCrypto });
  return { model, bundle };
}

/** The handover record's row: a transfer, or the accept of an offer (RECORD_UNKNOWN otherwise). */
export function handoverRow(model: ReportModel, seq: number): ReportModel['timeline'][number] {
  const row = model.timeline.find((r) => r.seq === seq);
  if (row === undefined) {
    throw new CustodyError('RECORD_UNKNOWN', `Record ${seq} is not in this report's timeline.`, { seq });
  }
  if (row.type !== 'custody.transfer' && row.type !== 'custody.accept') {
    throw new CustodyError('RECORD_UNKNOWN', `Record ${seq} is a ${row.type}, not a handover (custody.transfer, or custody.accept of an offer).`, { seq });
  }
  return row;
}
