// Test helpers: temp directories and a small cast of people with fixed keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSigner, statementOf, signStatement, toBase64, type RecordInput, type Signer } from '@custody/core';
import { Ledger, nodeCrypto } from '@custody/ledger';

export function tempDir(prefix = 'custody-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const people = {
  ledger: seedSigner(new Uint8Array(32).fill(1), nodeCrypto),
  adm: seedSigner(new Uint8Array(32).fill(2), nodeCrypto),
  budi: seedSigner(new Uint8Array(32).fill(3), nodeCrypto),
  sari: seedSigner(new Uint8Array(32).fill(4), nodeCrypto),
  rudi: seedSigner(new Uint8Array(32).fill(5), nodeCrypto),
  'fbi.doe': seedSigner(new Uint8Array(32).fill(6), nodeCrypto),
} satisfies Record<string, Signer>;
export type Person = keyof typeof people;

export const DIGESTS = { sha256: 'af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf' };
export const ORIGIN = 'ledger.test.polri.go.id/2026';

/** createStoryLedger makes a ledger file with the demo's people enrolled. */
export function createStoryLedger(path: string): Ledger {
  const ledger = Ledger.create(path, { origin: ORIGIN, name: 'Uji', agency: 'Polri', signer: people.ledger, zone: 'Asia/Jakarta' });
  const roles: Record<string, string> = { adm: 'admin', budi: 'officer', sari: 'officer', rudi: 'officer', 'fbi.doe': 'external' };
  for (const [id, role] of Object.entries(roles)) {
    ledger.append(
      {
        type: 'identity.enrol', item: null, actor: 'ledger',
        data: { id, role, name: `Name of ${id}`, agency: id === 'fbi.doe' ? 'FBI' : 'Polri', key: toBase64(people[id as Person].publicKey) },
      },
      people.ledger,
    );
  }
  return ledger;
}

/** withCosigners returns `input` with cosignatures by `cosigners` over the statement. */
export function withCosigners(ledger: Ledger, input: RecordInput, cosigners: Person[]): RecordInput {
  const time = input.time ?? new Date().toISOString();
  const statement = statementOf({ v: 1, log: ledger.origin, ...input, time } as never);
  return { ...input, time, cosigs: cosigners.map((p) => signStatement(statement, p, people[p])) };
}
