/**
 * The court report as data: what a verified (or failed) custody bundle says about its items — the
 * verdict and each check from core's verifyBundle, the items, the timeline of their records, the
 * identities involved with key fingerprints, and the checkpoint. Language-free; the renderers
 * (html.ts, markdown.ts) put it in words. Pure: the offline verifier page builds the same model in
 * the browser, so the page and `custody report` cannot disagree.
 */
import {
  canonicalBytes,
  CustodyState,
  evaluateRecord,
  leafHash,
  nobleCrypto,
  parseBase64,
  toHex,
  type Bundle,
  type BundleReport,
  type Crypto,
  type IdentityState,
  type LedgerRecord,
} from '@custody/core';

export const REPORT_FORMAT = 'custody-report/v1';

type Data = Record<string, unknown>;

export interface SealView {
  readonly numbers: readonly string[];
  readonly state: 'intact' | 'broken';
}

export interface CheckView {
  readonly digests: Readonly<Record<string, string>>;
  readonly size: number | null;
  readonly result: 'match' | 'mismatch';
  readonly tool: string | null;
}

export interface TimelineRow {
  readonly seq: number;
  readonly item: string;
  readonly type: string;
  readonly time: string;
  readonly zone: string | null;
  /** On a late entry only (docs/PROTOCOL.md §4.5): why it was recorded after the event, and when. */
  readonly late?: { readonly reason: string; readonly recorded: string };
  readonly actor: string;
  /** Released by / received by: set for handovers (transfer, offer, accept, reject). */
  readonly from: string | null;
  readonly to: string | null;
  readonly purpose: string | null;
  readonly authority: string | null;
  readonly place: string | null;
  readonly method: string | null;
  readonly tool: string | null;
  readonly location: string | null;
  readonly reason: string | null;
  readonly remarks: string | null;
  readonly seal: SealView | null;
  readonly check: CheckView | null;
  readonly cosigners: readonly string[];
  readonly leafHash: string;
  /** Failures the verifier names for this record (codes). */
  readonly failures: readonly string[];
}

export interface ItemView {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  readonly digests: Readonly<Record<string, string>>;
  readonly size: number | null;
  readonly cases: readonly string[];
  readonly identifiers: Readonly<Record<string, string>>;
  readonly seizure: { readonly authority: string; readonly place: string | null; readonly witnesses: readonly string[]; readonly time: string | null } | null;
  readonly origin: string;
  readonly parents: readonly string[];
  readonly importedFrom: string | null;
  readonly custodian: string | null;
  readonly inTransitTo: string | null;
  readonly seal: SealView | null;
  readonly location: string | null;
  readonly disposed: { readonly seq: number; readonly method: string } | null;
  /** The zone of its first record, for showing times. */
  readonly zone: string | null;
}

export interface IdentityView {
  readonly id: string;
  readonly name: string;
  readonly agency: string;
  readonly role: string;
  readonly nrp: string | null;
  readonly title: string | null;
  readonly unit: string | null;
  readonly keys: readonly { readonly fingerprint: string; readonly from: number; readonly until: number | null }[];
  readonly revokedAt: number | null;
}

export interface ReportModel {
  readonly format: typeof REPORT_FORMAT;
  readonly origin: string | null;
  readonly ledger: { readonly name: string; readonly agency: string; readonly key: string; readonly fingerprint: string | null } | null;
  /** How the verifier was told whom to trust. */
  readonly trust: 'policy' | 'log-key' | 'ledger';
  readonly verdict: {
    readonly ok: boolean;
    readonly isBundle: boolean;
    readonly checks: BundleReport['checks'];
    readonly failures: BundleReport['failures'];
    readonly warnings: BundleReport['warnings'];
    readonly digest: string | null;
  };
  readonly checkpoint: { readonly size: number; readonly rootHash: string; readonly witnesses: readonly string[]; readonly signers: readonly string[]; readonly text: string } | null;
  readonly items: readonly ItemView[];
  readonly timeline: readonly TimelineRow[];
  readonly identities: readonly IdentityView[];
  readonly upstream: readonly ReportModel[];
  /** Records about the items that no checkpoint covers yet (ledger reports only). */
  readonly recordsAfterCheckpoint: number;
}

export interface ReportOptions {
  readonly trust: ReportModel['trust'];
  readonly recordsAfterCheckpoint?: number;
  readonly crypto?: Crypto;
}

/**
 * buildReport turns a bundle and core's verdict on it into a report. `bundle` is null when the input
 * was not a bundle at all; the verdict then says so and nothing else is shown.
 */
export function buildReport(bundle: Bundle | null, verdict: BundleReport, options: ReportOptions): ReportModel {
  const crypto = options.crypto ?? nobleCrypto;
  const base = {
    format: REPORT_FORMAT,
    trust: options.trust,
    verdict: { ok: verdict.ok, isBundle: verdict.isBundle, checks: verdict.checks, failures: verdict.failures, warnings: verdict.warnings, digest: verdict.digest },
    recordsAfterCheckpoint: options.recordsAfterCheckpoint ?? 0,
  } as const;
  if (bundle === null || !verdict.isBundle) {
    return { ...base, origin: null, ledger: null, checkpoint: null, items: [], timeline: [], identities: [], upstream: [] };
  }
  const records = bundle.records.map((r) => r.record);
  const state = replay(records, crypto);
  const genesis = records.find((r) => r.type === 'ledger.genesis');
  const g = (genesis?.data ?? {}) as Data;
  const covered = coveredItems(bundle.items, records);
  const failuresBySeq = new Map<number, string[]>();
  for (const f of verdict.failures) if (f.seq !== null) failuresBySeq.set(f.seq, [...(failuresBySeq.get(f.seq) ?? []), f.code]);

  const timeline = records
    .filter((r) => r.item !== null && covered.has(r.item))
    .map((r) => timelineRow(r, records, crypto, failuresBySeq.get(r.seq) ?? []));
  const involved = new Set<string>();
  for (const row of timeline) {
    for (const id of [row.actor, row.from, row.to, ...row.cosigners]) if (id !== null) involved.add(id);
  }
  const identities = [...state.identities.values()]
    .filter((i) => involved.has(i.id) || i.id === 'ledger')
    .sort((a, b) => a.enrolledAt - b.enrolledAt)
    .map((i) => identityView(i, crypto));
  const items = [...covered].map((id) => itemView(id, records, state.items.get(id) ?? null));

  return {
    ...base,
    origin: bundle.log.origin,
    ledger: {
      name: typeof g['name'] === 'string' ? g['name'] : bundle.log.origin,
      agency: typeof g['agency'] === 'string' ? g['agency'] : '',
      key: bundle.log.key,
      fingerprint: typeof g['key'] === 'string' ? keyFingerprint(g['key'], crypto) : null,
    },
    checkpoint: {
      size: verdict.checkpoint?.size ?? checkpointSize(bundle.checkpoint),
      rootHash: verdict.checkpoint?.rootHash ?? '',
      witnesses: verdict.checkpoint?.witnesses ?? [],
      signers: signatureLines(bundle.checkpoint),
      text: bundle.checkpoint,
    },
    items,
    timeline,
    identities,
    upstream: (bundle.upstream ?? []).map((u, i) => {
      const report = verdict.upstream[i];
      return report === undefined ? buildReport(null, { ...verdict, ok: false, isBundle: false, upstream: [] }, options) : buildReport(u, report, { ...options, recordsAfterCheckpoint: 0 });
    }),
  };
}

/**
 * textWarningsAbout returns the verifier's TEXT_MIXED_SCRIPT warnings that concern one place of the
 * report: those of record `seq`, and those whose word occurs in one of `texts` (a name shown in the
 * identities, an item's description), so the report can show each next to the text it is about.
 */
export function textWarningsAbout(model: ReportModel, where: { readonly seq?: number; readonly texts?: readonly (string | null | undefined)[] }): BundleReport['warnings'] {
  const texts = (where.texts ?? []).filter((t): t is string => typeof t === 'string');
  return model.verdict.warnings.filter((w) => {
    if (w.code !== 'TEXT_MIXED_SCRIPT') return false;
    if (where.seq !== undefined && w.seq === where.seq) return true;
    const word = w.details['word'];
    return typeof word === 'string' && word !== '' && texts.some((t) => t.includes(word));
  });
}

/** keyFingerprint returns the hex SHA-256 of a base64 public key, grouped in fours (DESIGN §5). */
export function keyFingerprint(keyBase64: string, crypto: Crypto = nobleCrypto): string | null {
  try {
    const hex = toHex(crypto.sha256(parseBase64(keyBase64, 32)));
    return hex.match(/.{4}/g)!.join(' ');
  } catch {
    return null;
  }
}

// ---- helpers ----

interface Replayed {
  readonly identities: Map<string, IdentityState>;
  readonly items: Map<string, ReturnType<CustodyState['item']>>;
}

/** Replays the records for the states they lead to (the verdict, not this, says whether they may). */
function replay(records: readonly LedgerRecord[], crypto: Crypto): Replayed {
  const state = new CustodyState();
  for (const record of records) {
    try {
      state.apply(evaluateRecord(state, record, toHex(leafHash(canonicalBytes(record), crypto))).transition);
    } catch {
      // A record the rules cannot even read: the verdict names it; the report shows what came before.
    }
  }
  return {
    identities: new Map([...state.identities()].map((i) => [i.id, i])),
    items: new Map([...state.items()].map((i) => [i.id, i])),
  };
}

function coveredItems(items: readonly string[], records: readonly LedgerRecord[]): Set<string> {
  const covered = new Set(items);
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.type === 'item.derive' && r.item !== null && covered.has(r.item) && Array.isArray(r.data['parents'])) {
      for (const p of r.data['parents'] as Array<{ item?: unknown }>) if (typeof p.item === 'string') covered.add(p.item);
    }
  }
  return covered;
}

const str = (d: Data, k: string): string | null => (typeof d[k] === 'string' ? (d[k] as string) : null);

function sealOf(value: unknown): SealView | null {
  const s = value as { numbers?: unknown; state?: unknown } | undefined;
  if (s === undefined || s === null || !Array.isArray(s.numbers)) return null;
  return { numbers: s.numbers as string[], state: s.state === 'broken' ? 'broken' : 'intact' };
}

function checkOf(value: unknown): CheckView | null {
  const c = value as Data | undefined;
  if (c === undefined || c === null || (c['result'] !== 'match' && c['result'] !== 'mismatch')) return null;
  return {
    digests: (c['digests'] ?? {}) as Record<string, string>,
    size: typeof c['size'] === 'number' ? c['size'] : null,
    result: c['result'],
    tool: str(c, 'tool'),
  };
}

function timelineRow(r: LedgerRecord, records: readonly LedgerRecord[], crypto: Crypto, failures: readonly string[]): TimelineRow {
  const d = r.data as Data;
  let from: string | null = null;
  let to: string | null = null;
  let purpose = str(d, 'purpose');
  let authority = str(d, 'authority');
  if (r.type === 'custody.transfer') {
    from = str(d, 'from');
    to = str(d, 'to');
  } else if (r.type === 'custody.offer') {
    from = r.actor;
    to = str(d, 'to');
  } else if (r.type === 'custody.accept' || r.type === 'custody.reject') {
    const offer = offerOf(r, records, crypto);
    if (offer !== undefined) {
      from = offer.actor;
      to = str(offer.data as Data, 'to');
      purpose ??= str(offer.data as Data, 'purpose');
      authority ??= str(offer.data as Data, 'authority');
    }
  }
  let seal = sealOf(d['seal']);
  if (r.type === 'item.seal' && Array.isArray(d['numbers'])) seal = { numbers: d['numbers'] as string[], state: 'intact' };
  if (r.type === 'item.unseal' && Array.isArray(d['numbers'])) seal = { numbers: d['numbers'] as string[], state: d['found'] === 'broken' ? 'broken' : 'intact' };
  const seizure = d['seizure'] as Data | undefined;
  return {
    seq: r.seq,
    item: r.item!,
    type: r.type,
    time: r.time,
    zone: r.zone ?? null,
    ...(r.late === undefined ? {} : { late: { reason: r.late.reason, recorded: r.late.recorded } }),
    actor: r.actor,
    from,
    to,
    purpose,
    authority: authority ?? (seizure !== undefined ? str(seizure, 'authority') : null),
    place: str(d, 'place') ?? (seizure !== undefined ? str(seizure, 'place') : null),
    method: str(d, 'method'),
    tool: str(d, 'tool'),
    location: str(d, 'location'),
    reason: str(d, 'reason'),
    remarks: str(d, 'remarks') ?? str(d, 'text'),
    seal,
    check: r.type === 'item.check' ? checkOf(d) : checkOf(d['check']),
    cosigners: (r.cosigs ?? []).map((c) => c.id),
    leafHash: toHex(leafHash(canonicalBytes(r), crypto)),
    failures,
  };
}

/** The offer an accept or reject answers: the item's offer record whose leaf hash it names. */
function offerOf(r: LedgerRecord, records: readonly LedgerRecord[], crypto: Crypto): LedgerRecord | undefined {
  const want = r.data['offer'];
  return records.find((o) => o.type === 'custody.offer' && o.item === r.item && o.seq < r.seq && toHex(leafHash(canonicalBytes(o), crypto)) === want);
}

function itemView(id: string, records: readonly LedgerRecord[], state: ReturnType<CustodyState['item']> | null): ItemView {
  const own = records.filter((r) => r.item === id);
  const first = own[0];
  const d = (first?.data ?? {}) as Data;
  const seizure = d['seizure'] as Data | undefined;
  const source = d['source'] as Data | undefined;
  return {
    id,
    kind: state?.kind ?? str(d, 'kind') ?? '',
    description: state?.description ?? str(d, 'description') ?? '',
    digests: (state?.digests ?? d['digests'] ?? {}) as Record<string, string>,
    size: state?.size ?? (typeof d['size'] === 'number' ? d['size'] : null),
    cases: Array.isArray(d['cases']) ? (d['cases'] as string[]) : [],
    identifiers: (d['identifiers'] ?? {}) as Record<string, string>,
    seizure: seizure === undefined ? null : {
      authority: String(seizure['authority']),
      place: str(seizure, 'place'),
      witnesses: Array.isArray(seizure['witnesses']) ? (seizure['witnesses'] as string[]) : [],
      time: str(seizure, 'time'),
    },
    origin: first?.type ?? '',
    parents: state?.parents ?? [],
    importedFrom: source === undefined ? null : `${String(source['log'])} · ${String(source['item'])}`,
    custodian: state?.custodian ?? null,
    inTransitTo: state?.offer?.to ?? null,
    seal: state?.seal ?? null,
    location: state?.location ?? null,
    disposed: state?.disposed ?? null,
    zone: first?.zone ?? null,
  };
}

function identityView(i: IdentityState, crypto: Crypto): IdentityView {
  return {
    id: i.id,
    name: i.name,
    agency: i.agency,
    role: i.role,
    nrp: i.nrp ?? null,
    title: i.title ?? null,
    unit: i.unit ?? null,
    keys: i.keys.map((k) => ({ fingerprint: keyFingerprint(k.key, crypto) ?? k.key, from: k.from, until: k.until })),
    revokedAt: i.revokedAt,
  };
}

function checkpointSize(text: string): number {
  const n = Number(text.split('\n')[1]);
  return Number.isSafeInteger(n) ? n : 0;
}

/** The key names of the signature lines of a signed note ("— name base64"). */
function signatureLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('\u2014 '))
    .map((l) => l.slice(2).split(' ')[0]!)
    .filter((name, i, all) => all.indexOf(name) === i);
}
