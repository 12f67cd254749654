import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedSigner, signStatement, statementOf, type RecordInput } from '@custody/core';
import { Ledger, nodeCrypto } from '@custody/ledger';
import { tempDir } from './helpers.js';

const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../test/vectors/custody/protocol-v1.json', import.meta.url)), 'utf8'),
);
const signer = (name: string) => seedSigner(new Uint8Array(32).fill(vectors.keys[name].seedByte), nodeCrypto);
const key = (name: string) => vectors.keys[name].publicKey as string;

test('the SQLite ledger reproduces protocol-v1.json and exports it byte for byte as JSON Lines', () => {
  const { dir, cleanup } = tempDir();
  try {
    const ledger = Ledger.create(join(dir, 'custody.db'), {
      origin: vectors.origin, name: 'Contoh', agency: 'Polri', signer: signer('ledger'),
      time: '2026-11-28T01:00:00.000Z', zone: 'Asia/Jakarta',
    });
    ledger.append({ type: 'identity.enrol', item: null, actor: 'ledger', time: '2026-11-28T01:01:00.000Z', data: { agency: 'Polri', id: 'budi', key: key('budi'), name: 'Budi Santoso', role: 'officer' } }, signer('ledger'));
    ledger.append({ type: 'identity.enrol', item: null, actor: 'ledger', time: '2026-11-28T01:02:00.000Z', data: { agency: 'FBI', id: 'fbi.doe', key: key('fbi.doe'), name: 'J. Doe', role: 'external' } }, signer('ledger'));
    ledger.append(
      { type: 'item.register', item: 'BB-2026-0001', actor: 'budi', time: '2026-11-28T02:00:00.000Z', zone: 'Asia/Jakarta', data: { description: 'Ponsel, layar retak', digests: { sha256: 'af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf' }, kind: 'phone', size: 6 } },
      signer('budi'),
    );
    const transfer: RecordInput = { type: 'custody.transfer', item: 'BB-2026-0001', actor: 'budi', time: '2026-11-28T03:00:00.000Z', zone: 'Asia/Jakarta', data: { from: 'budi', purpose: 'MLA', to: 'fbi.doe' } };
    const statement = statementOf({ v: 1, log: vectors.origin, ...transfer } as never);
    ledger.append({ ...transfer, cosigs: [signStatement(statement, 'fbi.doe', signer('fbi.doe'))] }, signer('budi'));
    const exported = Buffer.concat([...ledger.exportLines()]).toString('utf8');
    assert.is(exported, vectors.exportJsonl);
    assert.is(Buffer.from(ledger.rootHash()).toString('hex'), vectors.merkle.rootHex);
    ledger.close();
  } finally {
    cleanup();
  }
});

test.run();
