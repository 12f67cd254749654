import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  canonicalBytes,
  CompactRange,
  leafHash,
  recordSigningBytes,
  recordSigningBytesFromLeaf,
  sealRecord,
  verifyRecordSignature,
  statementOf,
  statementSigningBytes,
  statementSigningBytesFromLeaf,
  storedHashIndex,
  storedHashesForLeaf,
  MemoryHashStore,
  toHex,
} from '@custody/core';
import { people, World } from './world.js';

function storyWorld(): World {
  const w = new World();
  w.register('BB-1', 'budi', { seal: { numbers: ['S-1'], state: 'intact' }, seizure: { authority: 'SP.Sita/1', time: '2026-11-27T10:00:00.000Z' } });
  w.do('budi', { type: 'custody.transfer', item: 'BB-1', data: { from: 'budi', to: 'sari', purpose: 'time "sig" ,"time":"x' } }, ['sari']);
  w.do('sari', { type: 'item.note', item: 'BB-1', data: { text: ',"sig":"' + 'A'.repeat(86) + '==","time":"' } });
  return w;
}

test('sealed leaf bytes are exactly the canonical form of the signed record', () => {
  const w = storyWorld();
  w.ledger.records.forEach((record, i) => assert.equal(w.ledger.leaves[i], canonicalBytes(record), `record ${i}`));
});

test('the signed bytes cut from a leaf equal the signed bytes serialised afresh, cosigned records too', () => {
  const w = storyWorld();
  w.ledger.records.forEach((record, i) => {
    assert.equal(recordSigningBytesFromLeaf(w.ledger.leaves[i]!), recordSigningBytes(record), `record ${i}`);
  });
});

test('the statement bytes cut from a leaf equal the statement serialised afresh, whatever the data holds', () => {
  const w = storyWorld();
  // Member names of the record inside data, quotes, escapes and non-ASCII text, with and without a zone.
  w.register('BB-2', 'budi', { description: 'kotak ",\"itemPrev\":null,"log":"x" \\ é 😀 ¶', location: ',"prev":"' });
  w.ledger.append(
    { ...w.input('budi', { type: 'item.derive', item: 'BB-3', data: { parents: [{ item: 'BB-2', head: w.ledger.head.leafHash }], method: 'image', digests: { sha256: 'ab'.repeat(32) }, kind: 'image', description: 'x' } as never }), zone: undefined },
    people.budi,
  );
  w.do('budi', { type: 'item.note', item: 'BB-3', data: { text: ',"data":{"time":"1"},"cosigs":[' } }, ['sari']);
  w.ledger.records.forEach((record, i) => {
    assert.equal(statementSigningBytesFromLeaf(w.ledger.leaves[i]!), statementSigningBytes(statementOf(record)), `record ${i}`);
  });
});

test('sealing gives the canonical bytes and signed bytes for a large record, and with a signer that seals another record meanwhile', () => {
  const w = storyWorld();
  const unsigned = w.ledger.unsigned(w.input('sari', { type: 'item.note', item: 'BB-1', data: { text: 'é😀'.repeat(20_000) } }));
  const nested = w.ledger.unsigned(w.input('sari', { type: 'item.note', item: 'BB-1', data: { text: 'nested' } }));
  const reentrant = { publicKey: people.sari.publicKey, sign: (message: Uint8Array) => (sealRecord(nested, people.sari), people.sari.sign(message)) };
  for (const signer of [people.sari, reentrant]) {
    for (const record of [unsigned, nested]) {
      const sealed = sealRecord(record, signer);
      assert.equal(sealed.leafBytes, canonicalBytes(sealed.record));
      assert.equal(recordSigningBytesFromLeaf(sealed.leafBytes), recordSigningBytes(sealed.record));
      assert.ok(verifyRecordSignature(sealed.record, people.sari.publicKey), 'the actor signed the record');
    }
  }
});

test('storedHashIndex numbers hashes in the order appends store them', () => {
  const store = new MemoryHashStore();
  let next = 0;
  for (let n = 0; n < 300; n++) {
    const hash = leafHash(Uint8Array.of(n & 255, n >> 8));
    for (const { position } of storedHashesForLeaf(n, hash, store)) {
      assert.is(storedHashIndex(position.level, position.index), next++, `leaf ${n}, level ${position.level}`);
    }
    store.append(hash);
  }
});

test('a compact range forms the same hashes, in the same order, as storedHashesForLeaf', () => {
  const store = new MemoryHashStore();
  const range = new CompactRange();
  for (let n = 0; n < 130; n++) {
    const hash = leafHash(Uint8Array.of(n));
    const expected = storedHashesForLeaf(n, hash, store).map((s) => toHex(s.hash));
    assert.equal(range.append(hash).map(toHex), expected, `leaf ${n}`);
    store.append(hash);
  }
});

test.run();
