import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auditLedger, evaluateRecord, isCustodyError, signStatement, statementOf, type LedgerRecord } from '@custody/core';
import { DIGESTS, key, people, World } from './world.js';

const transfer = (item: string, from: string, to: string) =>
  ({ type: 'custody.transfer', item, data: { from, to, purpose: 'Pemeriksaan laboratorium' } }) as const;

test('the built world audits intact (every allowed record below keeps it so)', () => {
  const w = new World();
  w.register('BB-1');
  w.do('budi', transfer('BB-1', 'budi', 'sari'), ['sari']);
  const report = auditLedger(w.ledger.leaves);
  assert.equal(report.failures, []);
  assert.ok(report.ok);
});

test('record 0 must be the genesis, and only record 0 may be', () => {
  const w = new World();
  w.refused('CUSTODY_RULE', 'ledger', { type: 'ledger.genesis', item: null, data: { name: 'Dua', agency: 'Polri', key: key('ledger') } });
});

test('identities are enrolled by the ledger key or an admin, never by an officer', () => {
  const w = new World();
  w.enrol('eve', 'officer', 'adm');
  assert.is(w.ledger.state.identity('eve')!.role, 'officer');
  const w2 = new World();
  w2.refused('CUSTODY_RULE', 'budi', { type: 'identity.enrol', item: null, data: { id: 'eve', name: 'Eve', agency: 'X', role: 'officer', key: key('eve') } });
});

test('an identity id is never reused, and ledger is reserved', () => {
  const w = new World();
  w.refused('CUSTODY_RULE', 'ledger', { type: 'identity.enrol', item: null, data: { id: 'budi', name: 'B2', agency: 'X', role: 'officer', key: key('eve') } });
  w.refused('CUSTODY_RULE', 'ledger', { type: 'identity.enrol', item: null, data: { id: 'ledger', name: 'L', agency: 'X', role: 'admin', key: key('eve') } });
});

test('an enrolled key must be valid and not held by another identity', () => {
  const w = new World();
  // The identity point (01 00 … 00) is small-order.
  const smallOrder = Buffer.from(Uint8Array.of(1, ...new Uint8Array(31))).toString('base64');
  w.refused('KEY_INVALID', 'ledger', { type: 'identity.enrol', item: null, data: { id: 'eve', name: 'Eve', agency: 'X', role: 'officer', key: smallOrder } });
  w.refused('CUSTODY_RULE', 'ledger', { type: 'identity.enrol', item: null, data: { id: 'eve', name: 'Eve', agency: 'X', role: 'officer', key: key('budi') } });
});

test('a signer must be enrolled, and sign with the key enrolled for it', () => {
  const w = new World();
  w.refused('IDENTITY_UNKNOWN', 'eve', { type: 'item.register', item: 'BB-9', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.refused('SIGNATURE_INVALID', 'budi', { type: 'item.register', item: 'BB-9', data: { kind: 'phone', description: 'x', digests: DIGESTS } }, [], 'sari');
});

test('rotation: an officer rotates its own key with the old one; the old key no longer signs after', () => {
  const w = new World();
  w.do('budi', { type: 'identity.rotate', item: null, data: { id: 'budi', key: key('eve') } });
  w.refused('SIGNATURE_INVALID', 'budi', { type: 'item.register', item: 'BB-1', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.do('budi', { type: 'item.register', item: 'BB-1', data: { kind: 'phone', description: 'x', digests: DIGESTS } }, [], 'eve');
  assert.ok(auditLedger(w.ledger.leaves).ok);
});

test('rotation of another identity needs an admin; external identities do not rotate themselves', () => {
  const w = new World();
  w.refused('CUSTODY_RULE', 'sari', { type: 'identity.rotate', item: null, data: { id: 'budi', key: key('eve') } });
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'identity.rotate', item: null, data: { id: 'fbi.doe', key: key('eve') } });
  w.refused('CUSTODY_RULE', 'adm', { type: 'identity.rotate', item: null, data: { id: 'budi', key: key('budi') } });
  w.do('adm', { type: 'identity.rotate', item: null, data: { id: 'fbi.doe', key: key('eve') } });
});

test('revocation: by an admin; the revoked identity signs nothing after', () => {
  const w = new World();
  w.refused('CUSTODY_RULE', 'sari', { type: 'identity.revoke', item: null, data: { id: 'budi', reason: 'Mutasi' } });
  w.do('adm', { type: 'identity.revoke', item: null, data: { id: 'budi', reason: 'Mutasi' } });
  w.refused('KEY_NOT_VALID', 'budi', { type: 'item.register', item: 'BB-1', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.refused('CUSTODY_RULE', 'adm', { type: 'identity.revoke', item: null, data: { id: 'budi', reason: 'Again' } });
});

test('items are registered by officers only, once', () => {
  const w = new World();
  w.register('BB-1');
  w.refused('ITEM_EXISTS', 'sari', { type: 'item.register', item: 'BB-1', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.refused('CUSTODY_RULE', 'adm', { type: 'item.register', item: 'BB-2', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'item.register', item: 'BB-2', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
  w.refused('CUSTODY_RULE', 'wit.kejari', { type: 'item.register', item: 'BB-2', data: { kind: 'phone', description: 'x', digests: DIGESTS } });
});

const derive = (w: World, item: string, parents: string[], heads?: string[]) =>
  ({
    type: 'item.derive',
    item,
    data: {
      parents: parents.map((p, i) => ({ item: p, head: heads?.[i] ?? w.head(p) })),
      kind: 'image', description: 'Citra forensik', method: 'physical acquisition', digests: { sha256: 'ab'.repeat(32) },
    },
  }) as const;

test('derive: the custodian of every parent, naming each parent head', () => {
  const w = new World();
  w.register('BB-1');
  w.register('BB-2');
  w.do('budi', derive(w, 'IMG-1', ['BB-1', 'BB-2']));
  assert.equal(w.ledger.state.item('IMG-1')!.parents, ['BB-1', 'BB-2']);
  w.register('BB-3', 'sari');
  w.refused('CUSTODY_RULE', 'budi', derive(w, 'IMG-2', ['BB-1', 'BB-3']));
  w.refused('ITEM_CHAIN_BROKEN', 'budi', derive(w, 'IMG-2', ['BB-1'], ['00'.repeat(32)]));
  w.refused('ITEM_UNKNOWN', 'budi', derive(w, 'IMG-2', ['BB-404'], ['00'.repeat(32)]));
  w.refused('ITEM_EXISTS', 'budi', derive(w, 'IMG-1', ['BB-1']));
  w.refused('CUSTODY_RULE', 'budi', derive(w, 'IMG-2', ['BB-1', 'BB-1']));
});

test('transfer: from the custodian, signed by one party and cosigned by the other', () => {
  const w = new World();
  w.register('BB-1');
  w.refused('COSIGNATURE_MISSING', 'budi', transfer('BB-1', 'budi', 'sari'));
  w.refused('COSIGNATURE_MISSING', 'budi', transfer('BB-1', 'budi', 'sari'), ['rudi']); // an extra cosigner does not stand in for the receiver
  w.do('budi', transfer('BB-1', 'budi', 'sari'), ['sari']);
  assert.is(w.ledger.state.item('BB-1')!.custodian, 'sari');
  w.refused('CUSTODY_RULE', 'budi', transfer('BB-1', 'budi', 'rudi'), ['rudi']); // budi no longer holds it
  w.refused('CUSTODY_RULE', 'rudi', transfer('BB-1', 'sari', 'budi'), ['sari', 'budi']); // a third party signs
  w.refused('CUSTODY_RULE', 'sari', transfer('BB-1', 'sari', 'sari'), []);
  w.refused('IDENTITY_UNKNOWN', 'sari', transfer('BB-1', 'sari', 'eve'), []);
  w.refused('CUSTODY_RULE', 'sari', transfer('BB-1', 'sari', 'wit.kejari'), ['wit.kejari']);
  w.do('rudi', transfer('BB-1', 'sari', 'rudi'), ['sari']); // signed by the receiver, cosigned by the releaser
  assert.is(w.ledger.state.item('BB-1')!.custodian, 'rudi');
});

test('a cosignature by someone else than its id fails', () => {
  const w = new World();
  w.register('BB-1');
  const input = w.input('budi', transfer('BB-1', 'budi', 'sari'));
  const size = w.ledger.head.size;
  const forged = signStatement(statementOf(w.ledger.unsigned(input)), 'sari', people.rudi);
  try {
    w.ledger.append({ ...input, cosigs: [forged] }, people.budi);
  } catch (e) {
    assert.ok(isCustodyError(e, 'COSIGNATURE_INVALID'), String(e));
    assert.is(w.ledger.head.size, size);
    return;
  }
  assert.unreachable('forged cosignature accepted');
});

test('an item handed to an external identity leaves this ledger until the external party signs it back', () => {
  const w = new World();
  w.register('BB-1');
  w.do('budi', transfer('BB-1', 'budi', 'fbi.doe'), ['fbi.doe']);
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'item.examine', item: 'BB-1', data: { purpose: 'x', authority: 'y' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-1'] } });
  w.refused('CUSTODY_RULE', 'fbi.doe', transfer('BB-1', 'fbi.doe', 'budi'), ['budi']); // external never appends
  w.refused('COSIGNATURE_MISSING', 'budi', transfer('BB-1', 'fbi.doe', 'budi'));
  w.do('budi', transfer('BB-1', 'fbi.doe', 'budi'), ['fbi.doe']);
  assert.is(w.ledger.state.item('BB-1')!.custodian, 'budi');
});

test('offer and accept: while in transit only accept, reject or cancel follow', () => {
  const w = new World();
  w.register('BB-1');
  w.refused('CUSTODY_RULE', 'sari', { type: 'custody.offer', item: 'BB-1', data: { to: 'rudi', purpose: 'x' } });
  const offer = w.do('budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'sari', purpose: 'Penyimpanan' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-1'] } });
  w.refused('CUSTODY_RULE', 'budi', transfer('BB-1', 'budi', 'rudi'), ['rudi']);
  w.refused('CUSTODY_RULE', 'budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'rudi', purpose: 'x' } });
  w.refused('CUSTODY_RULE', 'sari', { type: 'custody.accept', item: 'BB-1', data: { offer: 'cd'.repeat(32) } });
  w.refused('COSIGNATURE_MISSING', 'rudi', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex } }); // rudi is not the receiver, and sari did not cosign
  w.do('sari', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex, seal: { numbers: ['S-1'], state: 'intact' } } });
  const item = w.ledger.state.item('BB-1')!;
  assert.is(item.custodian, 'sari');
  assert.is(item.offer, null);
  w.refused('CUSTODY_RULE', 'sari', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex } });
});

test('reject keeps custody with the offerer; cancel is the offerer’s alone', () => {
  const w = new World();
  w.register('BB-1');
  let offer = w.do('budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'sari', purpose: 'x' } });
  w.do('sari', { type: 'custody.reject', item: 'BB-1', data: { offer: offer.leafHashHex, reason: 'Segel rusak' } });
  assert.is(w.ledger.state.item('BB-1')!.custodian, 'budi');
  offer = w.do('budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'sari', purpose: 'x' } });
  w.refused('CUSTODY_RULE', 'sari', { type: 'custody.cancel', item: 'BB-1', data: { offer: offer.leafHashHex } });
  w.do('budi', { type: 'custody.cancel', item: 'BB-1', data: { offer: offer.leafHashHex } });
  assert.is(w.ledger.state.item('BB-1')!.offer, null);
});

test('an external receiver accepts by cosigning the officer’s record', () => {
  const w = new World();
  w.register('BB-1');
  const offer = w.do('budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'fbi.doe', purpose: 'MLA' } });
  w.refused('COSIGNATURE_MISSING', 'budi', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex } });
  // The external receiver cannot record its own answer: externals never append.
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex } });
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'custody.reject', item: 'BB-1', data: { offer: offer.leafHashHex, reason: 'x' } });
  w.do('budi', { type: 'custody.accept', item: 'BB-1', data: { offer: offer.leafHashHex } }, ['fbi.doe']);
  assert.is(w.ledger.state.item('BB-1')!.custodian, 'fbi.doe');
});

test('seal and unseal: by the custodian, opening the seals on record', () => {
  const w = new World();
  w.register('BB-1');
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.unseal', item: 'BB-1', data: { numbers: ['S-1'], found: 'intact', purpose: 'x' } });
  w.refused('CUSTODY_RULE', 'sari', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-1'] } });
  w.do('budi', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-1', 'S-2'] } });
  assert.equal(w.ledger.state.item('BB-1')!.seal, { numbers: ['S-1', 'S-2'], state: 'intact' });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.unseal', item: 'BB-1', data: { numbers: ['S-1'], found: 'intact', purpose: 'x' } });
  w.do('budi', { type: 'item.unseal', item: 'BB-1', data: { numbers: ['S-2', 'S-1'], found: 'intact', purpose: 'Pemeriksaan' } });
  assert.is(w.ledger.state.item('BB-1')!.seal, null);
});

test('check: the stated result must be what the digests give', () => {
  const w = new World();
  w.register('BB-1');
  w.do('budi', { type: 'item.check', item: 'BB-1', data: { digests: DIGESTS, size: 6, result: 'match', tool: 'sha256sum' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.check', item: 'BB-1', data: { digests: { sha256: 'ee'.repeat(32) }, result: 'match' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.check', item: 'BB-1', data: { digests: DIGESTS, size: 7, result: 'match' } });
  w.do('budi', { type: 'item.check', item: 'BB-1', data: { digests: { sha256: 'ee'.repeat(32) }, result: 'mismatch' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.check', item: 'BB-1', data: { digests: { sha512: 'ee'.repeat(64) }, result: 'mismatch' } });
  w.refused('CUSTODY_RULE', 'sari', { type: 'item.check', item: 'BB-1', data: { digests: DIGESTS, result: 'match' } });
});

test('examine and move: by the custodian only', () => {
  const w = new World();
  w.register('BB-1');
  w.do('budi', { type: 'item.examine', item: 'BB-1', data: { purpose: 'Analisis', authority: 'SP/12/XI/2026' } });
  w.do('budi', { type: 'item.move', item: 'BB-1', data: { location: 'Gudang BB, rak 3' } });
  assert.is(w.ledger.state.item('BB-1')!.location, 'Gudang BB, rak 3');
  w.refused('CUSTODY_RULE', 'sari', { type: 'item.examine', item: 'BB-1', data: { purpose: 'x', authority: 'y' } });
  w.refused('CUSTODY_RULE', 'sari', { type: 'item.move', item: 'BB-1', data: { location: 'x' } });
  w.refused('ITEM_UNKNOWN', 'budi', { type: 'item.move', item: 'BB-404', data: { location: 'x' } });
});

test('dispose is final: afterwards only notes', () => {
  const w = new World();
  w.register('BB-1');
  w.refused('CUSTODY_RULE', 'sari', { type: 'item.dispose', item: 'BB-1', data: { method: 'destroyed', authority: 'Penetapan PN' } });
  w.do('budi', { type: 'item.dispose', item: 'BB-1', data: { method: 'destroyed', authority: 'Penetapan PN', witnesses: ['Saksi A'] } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-1'] } });
  w.refused('CUSTODY_RULE', 'budi', transfer('BB-1', 'budi', 'sari'), ['sari']);
  w.refused('CUSTODY_RULE', 'budi', { type: 'custody.offer', item: 'BB-1', data: { to: 'sari', purpose: 'x' } });
  w.refused('CUSTODY_RULE', 'budi', { type: 'item.dispose', item: 'BB-1', data: { method: 'returned', authority: 'x' } });
  w.do('sari', { type: 'item.note', item: 'BB-1', data: { text: 'Berita acara pemusnahan diarsipkan.' } });
});

test('notes: by any enrolled identity but an external one, on an existing item or on none', () => {
  const w = new World();
  w.register('BB-1');
  w.do('rudi', { type: 'item.note', item: 'BB-1', data: { text: 'Catatan' } });
  w.do('wit.kejari', { type: 'item.note', item: null, data: { text: 'Catatan umum' } });
  w.refused('CUSTODY_RULE', 'fbi.doe', { type: 'item.note', item: 'BB-1', data: { text: 'x' } });
  w.refused('ITEM_UNKNOWN', 'rudi', { type: 'item.note', item: 'BB-404', data: { text: 'x' } });
});

test('itemPrev must link to the item’s latest record', () => {
  const w = new World();
  const reg = w.register('BB-1');
  w.do('budi', { type: 'item.move', item: 'BB-1', data: { location: 'a' } });
  const next = { ...reg.record, seq: w.ledger.head.size, type: 'item.move', itemPrev: reg.leafHashHex, data: { location: 'b' } } as LedgerRecord;
  const evaluation = evaluateRecord(w.ledger.state, next, 'ff'.repeat(32));
  assert.equal(evaluation.violations.map((v) => v.code), ['ITEM_CHAIN_BROKEN']);
});


test.run();
