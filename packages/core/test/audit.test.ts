import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  auditLedger,
  canonicalize,
  LedgerAuditor,
  nobleCrypto,
  parseHex,
  utf8,
  type AuditReport,
} from '@custody/core';
import { DIGESTS, key, people, World } from './world.js';

/** A ledger of 20-odd records touching every kind of record the demo story uses. */
function storyLedger(): World {
  const w = new World();
  w.register('BB-1', 'budi', { seal: { numbers: ['S-1'], state: 'intact' }, cases: ['LP/B/123/XI/2026'] });
  w.do('budi', { type: 'custody.transfer', item: 'BB-1', data: { from: 'budi', to: 'sari', purpose: 'Penyimpanan' } }, ['sari']);
  w.do('sari', { type: 'item.move', item: 'BB-1', data: { location: 'Gudang BB' } });
  w.do('sari', { type: 'custody.transfer', item: 'BB-1', data: { from: 'sari', to: 'rudi', purpose: 'Pemeriksaan' } }, ['rudi']);
  w.do('rudi', { type: 'item.unseal', item: 'BB-1', data: { numbers: ['S-1'], found: 'intact', purpose: 'Akuisisi' } });
  w.do('rudi', {
    type: 'item.derive', item: 'IMG-1',
    data: { parents: [{ item: 'BB-1', head: w.head('BB-1') }], kind: 'image', description: 'Citra', method: 'physical', digests: { sha256: 'ab'.repeat(32) } },
  });
  w.do('rudi', { type: 'item.check', item: 'IMG-1', data: { digests: { sha256: 'ab'.repeat(32) }, result: 'match' } });
  const offer = w.do('rudi', { type: 'custody.offer', item: 'IMG-1', data: { to: 'fbi.doe', purpose: 'MLA' } });
  w.do('rudi', { type: 'custody.accept', item: 'IMG-1', data: { offer: offer.leafHashHex } }, ['fbi.doe']);
  w.do('rudi', { type: 'item.seal', item: 'BB-1', data: { numbers: ['S-2'] } });
  return w;
}

function codesAt(report: AuditReport): Array<[number | null, string]> {
  return report.failures.map((f) => [f.seq, f.code]);
}

test('an untouched ledger audits intact, with its root, head and every check named', () => {
  const w = storyLedger();
  const report = auditLedger(w.ledger.leaves);
  assert.equal(report.failures, []);
  assert.ok(report.ok);
  assert.is(report.size, w.ledger.leaves.length);
  assert.is(report.headLeafHash, w.ledger.head.leafHash);
  assert.ok(report.checks.includes('signatures') && report.checks.includes('custody-rules'));
});

test('changing any single byte of any record fails at that record', () => {
  const w = storyLedger();
  const leaves = w.ledger.leaves;
  for (let i = 0; i < leaves.length; i++) {
    // Three positions per record: start, middle, end (every byte would be slow with noble).
    for (const at of [1, Math.floor(leaves[i]!.length / 2), leaves[i]!.length - 2]) {
      const copy = leaves.map((l) => l.slice());
      copy[i]![at] = copy[i]![at]! ^ 0x01;
      const report = auditLedger(copy);
      assert.not.ok(report.ok, `record ${i} byte ${at}`);
      assert.is(report.failures[0]!.seq, i, `first failure names record ${i} (byte ${at}): ${report.failures[0]!.message}`);
    }
  }
});

test('deleting a record in the middle, or swapping two, fails at the first moved record', () => {
  const w = storyLedger();
  const leaves = w.ledger.leaves;
  const removed = [...leaves.slice(0, 9), ...leaves.slice(10)];
  assert.is(auditLedger(removed).failures[0]!.seq, 9);
  const swapped = [...leaves];
  [swapped[9], swapped[10]] = [swapped[10]!, swapped[9]!];
  const report = auditLedger(swapped);
  assert.is(report.failures[0]!.seq, 9);
  assert.ok(codesAt(report).some(([, c]) => c === 'SEQ_MISMATCH'));
});

test('a record whose data changed, kept canonical, fails its signature and breaks the chain after it', () => {
  const w = storyLedger();
  const leaves = [...w.ledger.leaves];
  const record = JSON.parse(new TextDecoder().decode(leaves[9]));
  assert.is(record.type, 'item.move');
  record.data.location = 'Rumah pelaku';
  leaves[9] = utf8(canonicalize(record));
  const report = auditLedger(leaves);
  assert.equal(codesAt(report), [[9, 'SIGNATURE_INVALID'], [10, 'CHAIN_BROKEN'], [10, 'ITEM_CHAIN_BROKEN']]);
});

test('truncating the tail cannot be seen without an outside checkpoint, and is caught with one', () => {
  const w = storyLedger();
  const full = auditLedger(w.ledger.leaves);
  const truncated = w.ledger.leaves.slice(0, -3);
  assert.ok(auditLedger(truncated).ok, 'a shorter prefix is a valid ledger on its own');
  const report = auditLedger(truncated, {
    expectedRoots: [{ size: full.size, rootHash: parseHex(full.rootHash), source: 'checkpoint from the prosecutor' }],
  });
  assert.not.ok(report.ok);
  assert.equal(codesAt(report), [[null, 'CHECKPOINT_MISMATCH']]);
});

test('a rewritten history fails against an outside checkpoint of the original', () => {
  const original = storyLedger();
  const mid = auditLedger(original.ledger.leaves.slice(0, 12));
  // The same people, one record told differently: every signature valid, the chain recomputed.
  const forked = new World();
  forked.register('BB-1', 'budi', { seal: { numbers: ['S-9'], state: 'intact' }, cases: ['LP/B/123/XI/2026'] });
  const report = auditLedger(forked.ledger.leaves, {
    expectedRoots: [{ size: 8, rootHash: parseHex(mid.rootHash), source: 'witness checkpoint' }],
  });
  assert.ok(auditLedger(forked.ledger.leaves).ok);
  assert.not.ok(report.ok);
  assert.is(report.failures[0]!.code, 'CHECKPOINT_MISMATCH');
  assert.is(report.rootsChecked, 1);
});

test('a revocation with compromisedSince fails the records the identity signed from then on', () => {
  const w = new World();
  w.register('BB-1');
  const bad = w.do('budi', { type: 'item.move', item: 'BB-1', data: { location: 'Tidak diketahui' } });
  w.do('budi', { type: 'item.note', item: 'BB-1', data: { text: 'x' } });
  w.do('adm', { type: 'identity.revoke', item: null, data: { id: 'budi', reason: 'Kunci bocor', compromisedSince: bad.record.seq } });
  const report = auditLedger(w.ledger.leaves);
  assert.equal(codesAt(report), [
    [bad.record.seq, 'KEY_NOT_VALID'],
    [bad.record.seq + 1, 'KEY_NOT_VALID'],
  ]);
});

test('time running backwards by more than 5 minutes is a warning, and a failure when strict', () => {
  const w = new World();
  w.register('BB-1');
  w.ledger.append(
    // After the genesis (01:01), more than 5 minutes before the registration (01:08).
    { ...w.input('budi', { type: 'item.note', item: 'BB-1', data: { text: 'late' } }), time: '2026-11-28T01:01:30.000Z' },
    people.budi,
  );
  const lenient = auditLedger(w.ledger.leaves);
  assert.ok(lenient.ok);
  assert.equal(lenient.warnings.map((f) => f.code), ['TIME_REGRESSION']);
  const strict = auditLedger(w.ledger.leaves, { strict: true });
  assert.equal(codesAt(strict), [[w.ledger.head.size - 1, 'TIME_REGRESSION']]);
});

test('a pinned origin or ledger key other than the ledger’s own fails', () => {
  const w = new World();
  assert.is(auditLedger(w.ledger.leaves, { origin: 'other.example/log' }).failures[0]!.code, 'LOG_MISMATCH');
  const otherKey = Buffer.from(key('eve'), 'base64');
  assert.is(auditLedger(w.ledger.leaves, { ledgerKey: otherKey }).failures[0]!.code, 'KEY_NOT_VALID');
});

test('deferred signature checks give the same report as inline ones', () => {
  const w = storyLedger();
  const leaves = w.ledger.leaves.map((l) => l.slice());
  const sigByte = leaves[5]!.length - 5; // inside the signature
  leaves[5]![sigByte] = leaves[5]![sigByte]! ^ 1;
  const inline = auditLedger(leaves);
  const auditor = new LedgerAuditor({ deferSignatures: true });
  const pending = [];
  for (const leaf of leaves) pending.push(...auditor.add(leaf));
  for (const job of pending) {
    if (!nobleCrypto.verify(job.signature, job.message, job.publicKey)) auditor.signatureFailed(job);
  }
  const deferred = auditor.finish();
  assert.equal(codesAt(deferred), codesAt(inline));
  assert.not.ok(deferred.ok);
});

test('an empty ledger is not intact', () => {
  const report = auditLedger([]);
  assert.not.ok(report.ok);
  assert.is(report.failures[0]!.code, 'SEQ_MISMATCH');
});

test('a ledger whose first record is not a genesis is not intact', () => {
  const w = new World();
  const report = auditLedger(w.ledger.leaves.slice(1));
  assert.not.ok(report.ok);
  assert.is(report.failures[0]!.seq, 0);
});

void DIGESTS;
test.run();
