/**
 * Identities and their keys over time (DESIGN §5). A key enrolled, rotated in or revoked by the
 * record at seq s takes effect at seq s + 1; only the ledger key signs its own genesis at seq 0.
 */

export type Role = 'ledger' | 'admin' | 'officer' | 'external' | 'witness';

/** One key of an identity and the seqs it may sign: from ≤ seq < until (until null: still current). */
export interface KeyEpoch {
  readonly key: string;
  readonly from: number;
  readonly until: number | null;
}

/** An identity as the ledger knows it after replaying some prefix of the log. */
export interface IdentityState {
  readonly id: string;
  readonly role: Role;
  readonly name: string;
  readonly agency: string;
  readonly nrp?: string;
  readonly title?: string;
  readonly unit?: string;
  /** Seq of the record that enrolled it (0 for the ledger key). */
  readonly enrolledAt: number;
  readonly keys: readonly KeyEpoch[];
  /** Seq of its identity.revoke record: it signs nothing after. */
  readonly revokedAt: number | null;
  /** From a revocation: records it signed from this seq on are not to be trusted. */
  readonly compromisedSince: number | null;
}

/** Why a signer's key did not count at a seq. */
export type KeyProblem = 'not-yet-enrolled' | 'revoked' | 'compromised' | 'rotated-out';

/**
 * keyAt returns the identity's key valid at `seq`, or the reason there is none. `revokedAt` counts
 * from the record after the revocation; `compromisedSince` from its own seq.
 */
export function keyAt(identity: IdentityState, seq: number): { key: string } | { problem: KeyProblem } {
  if (identity.revokedAt !== null && seq > identity.revokedAt) return { problem: 'revoked' };
  if (identity.compromisedSince !== null && seq >= identity.compromisedSince) return { problem: 'compromised' };
  for (const epoch of identity.keys) {
    if (epoch.from <= seq && (epoch.until === null || seq < epoch.until)) return { key: epoch.key };
  }
  const first = identity.keys[0];
  return { problem: first === undefined || seq < first.from ? 'not-yet-enrolled' : 'rotated-out' };
}

/** currentKey returns the key the identity signs with now, or null once revoked. */
export function currentKey(identity: IdentityState): string | null {
  if (identity.revokedAt !== null) return null;
  const last = identity.keys[identity.keys.length - 1];
  return last !== undefined && last.until === null ? last.key : null;
}

/** isActive reports whether the identity may still act (enrolled and not revoked). */
export function isActive(identity: IdentityState): boolean {
  return identity.revokedAt === null;
}
