/**
 * CompromiseTracker: who signed which records, so that a revocation with `compromisedSince`
 * (DESIGN §5) can fail the records the identity signed from then on, although they were valid when
 * they were checked. Four to eight bytes per signature; used by every replay (ledger and bundle).
 */
import type { IdentityState } from './identity.js';
import type { LedgerRecord } from './record.js';
import type { Violation } from './rules.js';

export class CompromiseTracker {
  readonly #signed = new Map<string, number[]>();

  /**
   * note records the signers of `record` (at position `seq`) and returns a violation for each
   * earlier record signed by an identity this record revokes as compromised since a seq.
   */
  note(record: LedgerRecord, seq: number, changed: readonly IdentityState[]): Violation[] {
    this.#noteSigner(record.actor, seq);
    const cosigs = record.cosigs;
    if (cosigs !== undefined) for (let i = 0; i < cosigs.length; i++) this.#noteSigner(cosigs[i]!.id, seq);
    const violations: Violation[] = [];
    for (const identity of changed) {
      if (identity.revokedAt !== record.seq || identity.compromisedSince === null) continue;
      for (const signed of this.#signed.get(identity.id) ?? []) {
        if (signed >= identity.compromisedSince && signed < seq) {
          violations.push({
            code: 'KEY_NOT_VALID',
            message: `Record ${signed} was signed by "${identity.id}", whose key was compromised from seq ${identity.compromisedSince} (revoked at ${record.seq}).`,
            details: { seq: signed, signer: identity.id, revokedAt: record.seq },
          });
        }
      }
    }
    return violations;
  }

  #noteSigner(id: string, seq: number): void {
    const seqs = this.#signed.get(id);
    if (seqs === undefined) this.#signed.set(id, [seq]);
    else seqs.push(seq);
  }
}
