// Ledgers the reliability suites start from: the story ledger of packages/ledger's tests (the cast
// enrolled), and a bundle from a partner ledger that hands an item to budi's key, for imports.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedSigner, signStatement, statementOf, toBase64, unsignedRecord, type RecordInput } from '../../packages/core/src/index.js';
import { exportBundle, formatBundle, Ledger, ledgerVerifierKey, nodeCrypto, signLedgerCheckpoint } from '../../packages/ledger/src/index.js';
import { createStoryLedger as storyLedger, DIGESTS, people } from '../../packages/ledger/test/helpers.js';

export { DIGESTS, people };

/** createStoryLedger makes a ledger file with the cast enrolled (packages/ledger's test helper, typed against the sources). */
export const createStoryLedger = storyLedger as unknown as (path: string) => Ledger;

/** partnerBundle writes a bundle in which a partner ledger hands item P-1 to budi's key. */
export function partnerBundle(dir: string): { bundlePath: string; verifierKey: string } {
  const partnerKey = seedSigner(new Uint8Array(32).fill(41), nodeCrypto);
  const agent = seedSigner(new Uint8Array(32).fill(42), nodeCrypto);
  const partner = Ledger.create(join(dir, 'partner.db'), { origin: 'ledger.partner.example/2026', name: 'Partner', agency: 'Partner', signer: partnerKey });
  const enrol = (id: string, role: string, publicKey: Uint8Array) =>
    partner.append({ type: 'identity.enrol', item: null, actor: 'ledger', data: { id, role, name: id, agency: 'Partner', key: toBase64(publicKey) } }, partnerKey);
  enrol('agent', 'officer', agent.publicKey);
  enrol('budi', 'external', people.budi.publicKey);
  partner.append({ type: 'item.register', item: 'P-1', actor: 'agent', data: { kind: 'disk', description: 'Disk', digests: DIGESTS } }, agent);
  const handover: RecordInput = { type: 'custody.transfer', item: 'P-1', actor: 'agent', time: new Date().toISOString(), data: { from: 'agent', to: 'budi', purpose: 'MLA' } };
  const statement = statementOf(unsignedRecord(partner, partner.head(), handover));
  partner.append({ ...handover, cosigs: [signStatement(statement, 'budi', people.budi)] }, agent);
  signLedgerCheckpoint(partner, partnerKey);
  const bundlePath = join(dir, 'partner-bundle.json');
  writeFileSync(bundlePath, formatBundle(exportBundle(partner, ['P-1'])));
  const verifierKey = ledgerVerifierKey(partner);
  partner.close();
  return { bundlePath, verifierKey };
}
