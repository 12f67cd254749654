import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  auditLedger,
  canonicalize,
  isCustodyError,
  leafHash,
  MemoryLedger,
  pae,
  parseRecord,
  recordSigningBytes,
  statementOf,
  statementSigningBytes,
  toBase64,
  toHex,
  utf8,
  type LedgerRecord,
} from '@custody/core';
import { protocolV1, signerFor } from './vectors.js';

const origin = protocolV1.origin;

/** Rebuilds the five vector records through MemoryLedger, the same path the ledger takes. */
function buildVectorLedger(): MemoryLedger {
  const ledger = new MemoryLedger(origin);
  const key = (name: string) => protocolV1.keys[name]!.publicKey;
  ledger.append(
    { type: 'ledger.genesis', item: null, actor: 'ledger', time: '2026-11-28T01:00:00.000Z', zone: 'Asia/Jakarta', data: { agency: 'Polri', key: key('ledger'), name: 'Contoh' } },
    signerFor('ledger'),
  );
  ledger.append(
    { type: 'identity.enrol', item: null, actor: 'ledger', time: '2026-11-28T01:01:00.000Z', data: { agency: 'Polri', id: 'budi', key: key('budi'), name: 'Budi Santoso', role: 'officer' } },
    signerFor('ledger'),
  );
  ledger.append(
    { type: 'identity.enrol', item: null, actor: 'ledger', time: '2026-11-28T01:02:00.000Z', data: { agency: 'FBI', id: 'fbi.doe', key: key('fbi.doe'), name: 'J. Doe', role: 'external' } },
    signerFor('ledger'),
  );
  ledger.append(
    {
      type: 'item.register', item: 'BB-2026-0001', actor: 'budi', time: '2026-11-28T02:00:00.000Z', zone: 'Asia/Jakarta',
      data: { description: 'Ponsel, layar retak', digests: { sha256: 'af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf' }, kind: 'phone', size: 6 },
    },
    signerFor('budi'),
  );
  const transfer = { type: 'custody.transfer' as const, item: 'BB-2026-0001', actor: 'budi', time: '2026-11-28T03:00:00.000Z', zone: 'Asia/Jakarta', data: { from: 'budi', purpose: 'MLA', to: 'fbi.doe' } };
  const statement = statementOf(ledger.unsigned(transfer));
  const cosig = { id: 'fbi.doe', sig: toBase64(signerFor('fbi.doe').sign(statementSigningBytes(statement))) };
  ledger.append({ ...transfer, cosigs: [cosig] }, signerFor('budi'));
  return ledger;
}

test('the five protocol-v1 records reproduce byte for byte', () => {
  const ledger = buildVectorLedger();
  protocolV1.records.forEach((expected, i) => {
    const record = ledger.records[i]!;
    const { sig: _sig, ...unsigned } = record;
    assert.is(canonicalize(unsigned), expected.unsignedJcs, `unsigned JCS of record ${i}`);
    assert.is(toHex(sha256(recordSigningBytes(record))), expected.recordPaeSha256, `PAE of record ${i}`);
    assert.is(new TextDecoder().decode(ledger.leaves[i]), expected.leafBytes, `leaf bytes of record ${i}`);
    assert.is(toHex(leafHash(ledger.leaves[i]!)), expected.leafHash, `leaf hash of record ${i}`);
    if (expected.statementJcs) {
      assert.is(canonicalize(statementOf(record)), expected.statementJcs);
      assert.is(toHex(sha256(statementSigningBytes(statementOf(record)))), expected.statementPaeSha256);
    }
  });
});

test('the protocol-v1 JSON Lines export audits intact with the published root', () => {
  const lines = protocolV1.exportJsonl.split('\n').filter((l) => l.length > 0);
  const report = auditLedger(lines.map(utf8));
  assert.equal(report.failures, []);
  assert.ok(report.ok);
  assert.is(report.size, 5);
  assert.is(report.rootHash, protocolV1.merkle.rootHex);
  assert.is(report.origin, origin);
});

test('pae follows DSSE: lengths in decimal bytes, one space between fields', () => {
  assert.is(new TextDecoder().decode(pae('t', utf8('héllo'))), 'DSSEv1 1 t 6 héllo');
  assert.is(new TextDecoder().decode(pae('', new Uint8Array(0))), 'DSSEv1 0  0 ');
});

test('parseRecord accepts the vector leaves and rejects a non-canonical re-encoding', () => {
  for (const r of protocolV1.records) parseRecord(utf8(r.leafBytes));
  const spaced = protocolV1.records[0]!.leafBytes.replace('{"actor"', '{ "actor"');
  assertCode(() => parseRecord(utf8(spaced)), 'JSON_NOT_CANONICAL');
});

function mutateLeaf(i: number, change: (r: Record<string, unknown>) => void): Uint8Array {
  const r = JSON.parse(protocolV1.records[i]!.leafBytes);
  change(r);
  return utf8(canonicalize(r));
}

test('parseRecord rejects unknown fields, wrong types and bad times with SCHEMA_INVALID', () => {
  const cases: Array<[string, (r: Record<string, any>) => void]> = [
    ['unknown envelope field', (r) => (r.extra = 1)],
    ['unknown data field', (r) => (r.data.extra = 'x')],
    ['version 2', (r) => (r.v = 2)],
    ['negative seq', (r) => (r.seq = -1)],
    ['upper-case prev', (r) => (r.prev = r.prev.toUpperCase())],
    ['unknown type', (r) => (r.type = 'item.teleport')],
    ['time without milliseconds', (r) => (r.time = '2026-11-28T02:00:00Z')],
    ['time not UTC', (r) => (r.time = '2026-11-28T02:00:00.000+07:00')],
    ['impossible date', (r) => (r.time = '2026-02-30T02:00:00.000Z')],
    ['id with a space', (r) => (r.item = 'BB 1')],
    ['id starting with a dot', (r) => (r.item = '.BB')],
    ['no strong digest', (r) => (r.data.digests = { md5: 'd41d8cd98f00b204e9800998ecf8427e' })],
    ['short digest', (r) => (r.data.digests = { sha256: 'abcd' })],
    ['non-canonical signature padding bits', (r) => (r.sig = r.sig.slice(0, 85) + 'B==')],
    ['missing sig', (r) => delete r.sig],
    ['item on an item record set to null', (r) => (r.item = null)],
    ['control character in a description', (r) => (r.data.description = 'a\u0007b')],
    ['over-long description', (r) => (r.data.description = 'x'.repeat(2001))],
    ['right-to-left override in a description', (r) => (r.data.description = 'Ponsel \u202Eretak')],
    ['right-to-left mark in a kind', (r) => (r.data.kind = 'phone\u200F')],
    ['C1 control in a description', (r) => (r.data.description = 'a\u0085b')],
    ['line separator in a seal number', (r) => (r.data.seal = { numbers: ['S-1\u2028S-2'], state: 'intact' })],
    ['".." in an item id', (r) => (r.item = 'BB/../x')],
    ['impossible seizure date', (r) => (r.data.seizure = { authority: 'SP.Sita/1', time: '2026-02-30T00:00:00.000Z' })],
  ];
  for (const [what, change] of cases) assertCode(() => parseRecord(mutateLeaf(3, change)), 'SCHEMA_INVALID', what);
});

test('parseRecord rejects floats and duplicate keys in leaf bytes', () => {
  const leaf = protocolV1.records[3]!.leafBytes;
  assertCode(() => parseRecord(utf8(leaf.replace('"size":6', '"size":6.5'))), 'JSON_NUMBER');
  assertCode(() => parseRecord(utf8(leaf.replace('{"actor":"budi",', '{"actor":"budi","actor":"budi",'))), 'JSON_DUPLICATE_KEY');
});

function assertCode(fn: () => unknown, code: string, what = ''): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isCustodyError(e), `${what}: not a CustodyError: ${String(e)}`);
    assert.is(e.code, code, `${what}: ${e.message}`);
    return;
  }
  assert.unreachable(`${what}: expected ${code}`);
}

export type { LedgerRecord };
test.run();
