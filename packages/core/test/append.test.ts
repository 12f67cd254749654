// Append-time sanity (append.ts, docs/PROTOCOL.md §4.5): times against the appender's clock and the
// genesis, late entries, and mixed-script text; and how verification reports what got in anyway.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  auditLedger,
  isCustodyError,
  LedgerAuditor,
  MemoryLedger,
  prepareRecord,
  sealRecord,
  signStatement,
  statementOf,
  statementSigningBytes,
  statementSigningBytesFromLeaf,
  ZERO_HASH_HEX,
  type CustodyView,
  type RecordInput,
} from '@custody/core';
import { DIGESTS, key, ORIGIN, people, type Person } from './world.js';

const GENESIS = '2026-11-28T01:00:00.000Z';
const NOW = Date.parse('2026-11-28T09:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number): string => new Date(ms).toISOString();

/** A ledger whose clock reads NOW: genesis at GENESIS, budi and sari enrolled, BB-1 registered by budi. */
function ledger(now = (): number => NOW): MemoryLedger {
  const l = new MemoryLedger(ORIGIN, undefined, { now });
  l.append({ type: 'ledger.genesis', item: null, actor: 'ledger', time: GENESIS, data: { name: 'Uji', agency: 'Polri', key: key('ledger') } }, people.ledger);
  for (const id of ['budi', 'sari'] as const) {
    l.append({ type: 'identity.enrol', item: null, actor: 'ledger', time: at(Date.parse(GENESIS) + MINUTE), data: { id, name: `Nama ${id}`, agency: 'Polri', role: 'officer', key: key(id) } }, people.ledger);
  }
  l.append({ type: 'item.register', item: 'BB-1', actor: 'budi', time: at(NOW - 60 * MINUTE), data: { kind: 'phone', description: 'Ponsel', digests: DIGESTS } }, people.budi);
  return l;
}

const note = (time: string | undefined, extra: Partial<RecordInput> = {}): RecordInput => ({
  type: 'item.note',
  item: 'BB-1',
  actor: 'budi',
  data: { text: 'Catatan' },
  ...(time === undefined ? {} : { time }),
  ...extra,
});

/** refusal appends and returns the code it is refused with, checking that nothing was written. */
function refusal(l: MemoryLedger, input: RecordInput, as: Person = 'budi'): { code: string; details: Record<string, unknown> } {
  const size = l.head.size;
  try {
    l.append(input, people[as]);
  } catch (e) {
    assert.ok(isCustodyError(e), String(e));
    assert.is(l.head.size, size, 'a refused append writes nothing');
    assert.is(l.leaves.length, size);
    return { code: e.code, details: e.details };
  }
  assert.unreachable(`appended: ${JSON.stringify(input)}`);
  throw new Error('unreachable');
}

test('a record dated more than 5 minutes after the appender’s clock is refused as a clock fault', () => {
  const l = ledger();
  const refused = refusal(l, note(at(NOW + 60 * MINUTE)));
  assert.is(refused.code, 'TIME_IN_FUTURE');
  assert.is(refused.details['path'], '/time');
  assert.is(refused.details['now'], at(NOW));
  assert.is(refusal(l, note(at(NOW + 5 * MINUTE + 1))).code, 'TIME_IN_FUTURE');
  l.append(note(at(NOW + 5 * MINUTE)), people.budi); // clocks of two machines may differ by that much
});

test('without an injected clock, the real clock decides: one hour ahead is refused', () => {
  const l = ledger(Date.now);
  assert.is(refusal(l, note(at(Date.now() + 60 * MINUTE))).code, 'TIME_IN_FUTURE');
  l.append(note(undefined), people.budi); // no time: now
});

test('a record dated before the genesis is refused unless it is a late entry with a reason', () => {
  const l = ledger();
  const before = at(Date.parse(GENESIS) - 24 * 60 * MINUTE);
  const refused = refusal(l, note(before));
  assert.is(refused.code, 'TIME_BEFORE_GENESIS');
  assert.is(refused.details['genesisTime'], GENESIS);
  assert.is(refused.details['time'], before);
  l.append(note(at(Date.parse(GENESIS) - 5 * MINUTE)), people.budi); // within the clock tolerance

  const late = l.append(note(before, { late: { reason: 'Sistem tidak tersedia saat penyitaan' } }), people.budi);
  assert.equal(late.record.late, { reason: 'Sistem tidak tersedia saat penyitaan', recorded: at(NOW) });
  assert.is(late.record.time, before, 'the record keeps the time the event happened');
  const report = auditLedger(l.leaves);
  assert.ok(report.ok);
  // The undeclared record just inside the tolerance regresses and warns; the declared one does not.
  assert.equal(report.warnings.map((w) => [w.seq, w.code]), [[late.record.seq - 1, 'TIME_REGRESSION']], 'a declared late entry is not an unexplained regression');
});

test('a late marker’s recorded time is checked too: not ahead of the clock, not before the genesis, not before the time', () => {
  const l = ledger();
  const before = at(Date.parse(GENESIS) - 60 * MINUTE);
  assert.is(refusal(l, note(before, { late: { reason: 'x', recorded: at(NOW + 60 * MINUTE) } })).code, 'TIME_IN_FUTURE');
  const early = refusal(l, note(before, { late: { reason: 'x', recorded: at(Date.parse(GENESIS) - 30 * MINUTE) } }));
  assert.is(early.code, 'TIME_BEFORE_GENESIS');
  assert.is(early.details['path'], '/late/recorded');
  const backwards = refusal(l, note(at(NOW - 10 * MINUTE), { late: { reason: 'x', recorded: at(NOW - 20 * MINUTE) } }));
  assert.is(backwards.code, 'SCHEMA_INVALID');
  assert.is(backwards.details['path'], '/late/recorded');
  assert.is(refusal(l, note(before, { late: { reason: '', recorded: at(NOW) } })).code, 'SCHEMA_INVALID', 'a reason is required');
});

test('the genesis record cannot be a late entry', () => {
  const l = new MemoryLedger(ORIGIN, undefined, { now: () => NOW });
  assert.is(
    refusal(l, { type: 'ledger.genesis', item: null, actor: 'ledger', time: GENESIS, late: { reason: 'x' }, data: { name: 'Uji', agency: 'Polri', key: key('ledger') } }, 'ledger').code,
    'SCHEMA_INVALID',
  );
});

test('the genesis time comes from the view, or from the genesisTime option when the view does not know it', () => {
  const l = ledger();
  const before = at(Date.parse(GENESIS) - 60 * MINUTE);
  // A view with only the three required methods, like a store that keeps no genesis time.
  const bare: CustodyView = { identity: (id) => l.state.identity(id), item: (id) => l.state.item(id), keyHolder: (k) => l.state.keyHolder(k) };
  const options = { now: () => NOW };
  prepareRecord(bare, l.head, note(before), people.budi, undefined, options); // not known: not refused here
  let code: string | undefined;
  try {
    prepareRecord(bare, l.head, note(before), people.budi, undefined, { ...options, genesisTime: GENESIS });
  } catch (e) {
    code = isCustodyError(e) ? e.code : String(e);
  }
  assert.is(code, 'TIME_BEFORE_GENESIS');
  assert.is(l.state.genesisTime(), GENESIS);
});

test('the late marker is part of the statement: cosigners sign it, and removing it breaks their signature', () => {
  const l = ledger();
  const transfer: RecordInput = {
    type: 'custody.transfer', item: 'BB-1', actor: 'budi', time: at(NOW - 30 * MINUTE),
    late: { reason: 'Serah terima di lapangan, dicatat kemudian', recorded: at(NOW - MINUTE) },
    data: { from: 'budi', to: 'sari', purpose: 'Penyimpanan' },
  };
  const statement = statementOf(l.unsigned(transfer));
  assert.equal(statement.late, transfer.late);
  const cosig = signStatement(statement, 'sari', people.sari);
  const { late: _dropped, ...withoutLate } = transfer;
  const stripped = refusal(l, { ...withoutLate, cosigs: [cosig] });
  assert.equal([stripped.code, stripped.details['signer'] ?? stripped.details['id']], ['COSIGNATURE_INVALID', 'sari']);
  const changed = refusal(l, { ...transfer, late: { ...transfer.late!, reason: 'Alasan lain' }, cosigs: [cosig] });
  assert.is(changed.code, 'COSIGNATURE_INVALID');
  const appended = l.append({ ...transfer, cosigs: [cosig] }, people.budi);
  // The statement cut from the leaf bytes is the statement the cosigner signed, late marker included.
  assert.equal(statementSigningBytesFromLeaf(l.leaves[appended.record.seq]!), statementSigningBytes(statementOf(appended.record)));
  assert.ok(auditLedger(l.leaves).ok);
});

test('display text with a word that mixes scripts is refused at append, naming the field and the word', () => {
  const l = ledger();
  const enrol = refusal(
    l,
    { type: 'identity.enrol', item: null, actor: 'ledger', time: at(NOW), data: { id: 'rudi', name: 'Rudi S\u0430ntoso', agency: 'Polri', role: 'officer', key: key('rudi') } },
    'ledger',
  );
  assert.is(enrol.code, 'TEXT_MIXED_SCRIPT');
  assert.equal([enrol.details['path'], enrol.details['word'], enrol.details['scripts'], enrol.details['letters']], ['/data/name', 'S\u0430ntoso', 'Latn+Cyrl', 'U+0430']);
  const register = refusal(l, { type: 'item.register', item: 'BB-2', actor: 'budi', time: at(NOW), data: { kind: 'phone', description: 'Ponsel B\u03BFgor', digests: DIGESTS } });
  assert.equal([register.code, register.details['path']], ['TEXT_MIXED_SCRIPT', '/data/description']);
  const reason = refusal(l, note(at(Date.parse(GENESIS) - 60 * MINUTE), { late: { reason: 'Sist\u0435m mati' } }));
  assert.equal([reason.code, reason.details['path']], ['TEXT_MIXED_SCRIPT', '/late/reason']);
  l.append({ type: 'item.register', item: 'BB-2', actor: 'budi', time: at(NOW), data: { kind: 'phone', description: 'Ponsel 微信WeChat, Rp.500, Москва', digests: DIGESTS } }, people.budi);
});

test('verification warns TEXT_MIXED_SCRIPT for such text already in a ledger, also when strict, and stays intact', () => {
  const l = ledger();
  // Signed directly, as a ledger written before the check (or by another tool) may hold it.
  const unsigned = l.unsigned({ type: 'item.note', item: 'BB-1', actor: 'budi', time: at(NOW), data: { text: 'Diterima dari Budi S\u0430ntoso' } });
  const { leafBytes } = sealRecord(unsigned, people.budi);
  for (const strict of [false, true]) {
    const report = auditLedger([...l.leaves, leafBytes], { strict });
    assert.ok(report.ok, `strict ${strict}`);
    assert.equal(report.warnings.map((w) => [w.seq, w.code, w.details['path'], w.details['word']]), [[l.head.size, 'TEXT_MIXED_SCRIPT', '/data/text', 'S\u0430ntoso']]);
  }
});

test('a late entry is placed in time by when it was recorded: its own regression still warns', () => {
  const l = ledger();
  // A late entry that claims to have been recorded 2 hours before the record before it.
  const unsigned = l.unsigned(note(at(NOW - 4 * 60 * MINUTE), { late: { reason: 'x', recorded: at(NOW - 3 * 60 * MINUTE) } }));
  const { leafBytes } = sealRecord(unsigned, people.budi);
  const report = auditLedger([...l.leaves, leafBytes]);
  assert.ok(report.ok);
  assert.equal(report.warnings.map((w) => [w.seq, w.code]), [[l.head.size, 'TIME_REGRESSION']]);
  // The undeclared backdated record keeps warning, as before.
  const plain = sealRecord(l.unsigned(note(at(NOW - 4 * 60 * MINUTE))), people.budi).leafBytes;
  assert.equal(auditLedger([...l.leaves, plain]).warnings.map((w) => w.code), ['TIME_REGRESSION']);
  // And a late entry does not move the baseline back: an undeclared record after it still warns.
  const declared = l.append(note(at(NOW - 4 * 60 * MINUTE), { late: { reason: 'x' } }), people.budi);
  assert.ok(declared.record.late !== undefined);
  const after = sealRecord(l.unsigned(note(at(NOW - 3 * 60 * MINUTE))), people.budi).leafBytes;
  const auditor = new LedgerAuditor();
  for (const leaf of [...l.leaves, after]) auditor.add(leaf);
  assert.equal(auditor.finish().warnings.map((w) => [w.seq, w.code]), [[l.head.size, 'TIME_REGRESSION']]);
});

test('a statement of an unsigned record keeps zone and late only when present', () => {
  const l = ledger();
  const plain = statementOf(l.unsigned(note(at(NOW))));
  assert.ok(!('late' in plain) && !('zone' in plain));
  assert.is(l.unsigned(note(at(NOW))).prev, l.head.leafHash);
  assert.is.not(l.head.leafHash, ZERO_HASH_HEX);
});

test.run();
