/**
 * Items (barang bukti) as the custody rules see them: who holds each one, whether it is in transit,
 * sealed, where it is kept, and whether it has been disposed of (DESIGN §6).
 */
import type { Digests } from './digests.js';

export interface SealState {
  readonly numbers: readonly string[];
  readonly state: 'intact' | 'broken';
}

export interface OfferState {
  readonly seq: number;
  readonly leafHash: string;
  readonly from: string;
  readonly to: string;
}

export interface ItemState {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  /** How it entered this ledger. */
  readonly origin: 'item.register' | 'item.derive' | 'item.import';
  readonly registeredAt: number;
  readonly digests: Digests;
  readonly size: number | null;
  readonly parents: readonly string[];
  /** Leaf hash (hex) and seq of the latest record about the item. */
  readonly head: string;
  readonly headSeq: number;
  readonly custodian: string;
  readonly offer: OfferState | null;
  readonly seal: SealState | null;
  readonly location: string | null;
  readonly disposed: { readonly seq: number; readonly method: string } | null;
}

/** isInTransit reports whether the item has an open offer. */
export function isInTransit(item: ItemState): boolean {
  return item.offer !== null;
}
