/**
 * Custody bundles from and into a ledger file (DESIGN §9): export the records of some items — with
 * their ancestors, the genesis and the identity records, each proved at a stored checkpoint, and
 * the upstream bundles of imported items — and import a verified bundle as an item.import record,
 * keeping the bundle so the item's history can be carried on to the next agency.
 */
import {
  bundleDigest,
  canonicalBytes,
  CustodyError,
  leafHash,
  parseBundle,
  proveInclusion,
  toBase64,
  toHex,
  verifyBundle,
  type Bundle,
  type BundleRecord,
  type BundleReport,
  type BundleTrust,
  type JsonObject,
  type LedgerRecord,
  type Signer,
} from '@custody/core';
import { getCheckpoint, latestCheckpoint, ledgerVerifierKey } from './checkpoints.js';
import { storeOf, type Appended, type Ledger } from './ledger.js';

/**
 * exportBundle builds the bundle of `items` at the stored checkpoint of `checkpointSize` (default:
 * the latest). Derived items bring their parents' histories; imported items bring the bundle they
 * were imported from as upstream. Throws ITEM_UNKNOWN, and CHECKPOINT_MISMATCH without a checkpoint
 * that covers the items.
 */
export function exportBundle(ledger: Ledger, items: readonly string[], checkpointSize?: number): Bundle {
  if (items.length === 0) throw new CustodyError('ITEM_UNKNOWN', 'Name at least one item to export.');
  const checkpoint = checkpointSize === undefined ? latestCheckpoint(ledger) : getCheckpoint(ledger, checkpointSize);
  if (checkpoint === undefined) throw new CustodyError('CHECKPOINT_MISMATCH', 'The ledger has no checkpoint yet: sign one first (custody checkpoint).');
  const size = checkpoint.size;

  // The items and their ancestors, with each one's records up to the checkpoint.
  const covered = new Set<string>();
  const pending = [...items];
  const seqs = new Set<number>([0]);
  const upstream: Bundle[] = [];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (covered.has(id)) continue;
    covered.add(id);
    const timeline = ledger.timeline(id).filter((r) => r.seq < size);
    if (timeline.length === 0) {
      throw new CustodyError('CHECKPOINT_MISMATCH', `"${id}" was registered after the checkpoint of ${size} records: sign a newer checkpoint.`, { item: id, size });
    }
    for (const r of timeline) seqs.add(r.seq);
    const first = timeline[0]!.record;
    if (first.type === 'item.derive') for (const p of first.data['parents'] as Array<{ item: string }>) pending.push(p.item);
    if (first.type === 'item.import') upstream.push(storedImport(ledger, id));
  }
  for (const seq of identityRecordSeqs(ledger)) if (seq < size) seqs.add(seq);

  const records: BundleRecord[] = [...seqs]
    .sort((a, b) => a - b)
    .map((seq) => ({
      record: ledger.record(seq).record,
      proof: proveInclusion(seq, size, ledger, ledger.crypto).map(toHex),
    }));
  return {
    format: 'custody-bundle/v1',
    log: { origin: ledger.origin, key: ledgerVerifierKey(ledger) },
    checkpoint: checkpoint.note,
    items: [...items],
    records,
    ...(upstream.length === 0 ? {} : { upstream }),
  };
}

/**
 * formatBundle returns the bytes of a bundle file: exactly its canonical JSON, so that the file's
 * SHA-256 (as `sha256sum` prints it) is the bundle digest an item.import names.
 */
export function formatBundle(bundle: Bundle): Uint8Array {
  return canonicalBytes(bundle);
}

export interface ImportOptions {
  /** The item id in this ledger (default: the source item's own id). */
  readonly item?: string;
  /** Which of the bundle's items to import (default: its only item). */
  readonly sourceItem?: string;
  /** The officer recording the import, who becomes its custodian here. */
  readonly actor: string;
  readonly signer: Signer;
  /** Why the import is recorded although the bundle does not hand the item to the importer. */
  readonly forceNote?: string;
  readonly time?: string;
  readonly zone?: string;
}

/**
 * importBundle verifies `bundleBytes` under `trust` and records item.import in this ledger, keeping
 * the bundle. Refuses (with the bundle's first failure code) a bundle that is not intact, and
 * (CUSTODY_RULE) one whose last custody step does not hand the item to the importing key, unless
 * `forceNote` says why. Returns the appended record and the bundle's report.
 */
export function importBundle(
  ledger: Ledger,
  bundleBytes: Uint8Array,
  trust: BundleTrust,
  options: ImportOptions,
): { appended: Appended; report: BundleReport } {
  const bundle = parseBundle(bundleBytes);
  const report = verifyBundle(bundle, trust, ledger.crypto);
  if (!report.ok) {
    const first = report.failures[0];
    throw new CustodyError(first?.code ?? 'BUNDLE_MALFORMED', `The bundle is not intact: ${first?.message ?? 'a check failed'}`, first?.details ?? {});
  }
  const sourceItem = options.sourceItem ?? (bundle.items.length === 1 ? bundle.items[0]! : undefined);
  if (sourceItem === undefined || !bundle.items.includes(sourceItem)) {
    throw new CustodyError('ITEM_UNKNOWN', `Name which of the bundle's items to import: ${bundle.items.join(', ')}.`);
  }
  const holder = report.holders[sourceItem];
  const handedToUs = holder !== undefined && holder.key === toBase64(options.signer.publicKey) && !holder.inTransit && !holder.disposed;
  if (!handedToUs && options.forceNote === undefined) {
    throw new CustodyError(
      'CUSTODY_RULE',
      `The bundle's last custody step leaves "${sourceItem}" with "${holder?.custodian ?? 'nobody'}", not with your key; record why with --force-note to import it anyway.`,
      { item: sourceItem },
    );
  }
  const itemRecords = bundle.records.filter((r) => r.record.item === sourceItem).map((r) => r.record);
  const origin = itemRecords[0]!;
  const head = toHex(leafHash(canonicalBytes(itemRecords[itemRecords.length - 1]!), ledger.crypto));
  const data: JsonObject = {
    source: {
      log: bundle.log.origin,
      item: sourceItem,
      head,
      checkpoint: { size: report.checkpoint!.size, root: report.checkpoint!.rootHash },
      bundle: toHex(bundleDigest(bundle, ledger.crypto)),
    },
    kind: origin.data['kind'] as string,
    description: origin.data['description'] as string,
    digests: latestDigests(itemRecords),
    ...(typeof origin.data['size'] === 'number' ? { size: origin.data['size'] } : {}),
    ...(options.forceNote === undefined ? {} : { remarks: options.forceNote }),
  };
  const localItem = options.item ?? sourceItem;
  const store = storeOf(ledger);
  const appended = store.transaction(() => {
    const appended = ledger.append(
      {
        type: 'item.import',
        item: localItem,
        actor: options.actor,
        data,
        ...(options.time === undefined ? {} : { time: options.time }),
        ...(options.zone === undefined ? {} : { zone: options.zone }),
      },
      options.signer,
    );
    store.insertImport(localItem, canonicalBytes(bundle));
    return appended;
  });
  return { appended, report };
}

/** The digests the item is known by: those of its creating record (register, derive or import). */
function latestDigests(records: readonly LedgerRecord[]): JsonObject {
  return records[0]!.data['digests'] as JsonObject;
}

function storedImport(ledger: Ledger, item: string): Bundle {
  const bytes = storeOf(ledger).importedBundle(item);
  if (bytes === undefined) throw new CustodyError('BUNDLE_INCOMPLETE', `The bundle "${item}" was imported from is not kept in this ledger.`, { item });
  return parseBundle(bytes);
}

/**
 * The seqs of every identity record: each identity's enrolment, each rotation (the record before
 * each later key epoch) and its revocation — read from the identity states, which verification
 * checks against the records, rather than from an index of the records table.
 */
function identityRecordSeqs(ledger: Ledger): number[] {
  const seqs: number[] = [];
  for (const identity of ledger.identities()) {
    if (identity.id === 'ledger') continue;
    seqs.push(identity.enrolledAt);
    for (const epoch of identity.keys.slice(1)) seqs.push(epoch.from - 1);
    if (identity.revokedAt !== null) seqs.push(identity.revokedAt);
  }
  return seqs;
}
