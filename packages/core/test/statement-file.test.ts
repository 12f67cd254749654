import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatStatementFile, isCustodyError, parseStatementFile, signStatement, statementOf, verifyStatementSignature, type ErrorCode } from '@custody/core';
import { DIGESTS, people, World } from './world.js';

function transferStatement() {
  const w = new World();
  w.register('BB-1', 'budi');
  const input = w.input('budi', { type: 'custody.transfer', item: 'BB-1', data: { from: 'budi', to: 'sari', purpose: 'Penyimpanan' } });
  return { w, input, statement: statementOf(w.ledger.unsigned(input)) };
}

function code(f: () => unknown): ErrorCode | undefined {
  try {
    f();
  } catch (e) {
    if (isCustodyError(e)) return e.code;
    throw e;
  }
  return undefined;
}

test('a statement file round-trips, and a cosignature over the parsed statement lets the record be appended', () => {
  const { w, input, statement } = transferStatement();
  const text = formatStatementFile(statement);
  assert.ok(text.endsWith('}\n'));
  const parsed = parseStatementFile(text);
  assert.equal(parsed, statement);
  const cosig = signStatement(parsed, 'sari', people.sari);
  assert.ok(verifyStatementSignature(statement, cosig, people.sari.publicKey));
  w.ledger.append({ ...input, cosigs: [cosig] }, people.budi);
  assert.is(w.ledger.state.item('BB-1')?.custodian, 'sari');
});

test('position and signature fields, unknown fields, a wrong format and bad data are SCHEMA_INVALID', () => {
  const { statement } = transferStatement();
  const doc = (s: unknown, format = 'custody-statement/v1') => JSON.stringify({ format, statement: s });
  assert.is(code(() => parseStatementFile(doc({ ...statement, seq: 3 }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(doc({ ...statement, sig: 'x' }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(doc({ ...statement, extra: 1 }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(doc(statement, 'custody-statement/v2'))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(doc({ ...statement, data: { from: 'budi' } }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(doc({ ...statement, time: '2026-02-30T00:00:00.000Z' }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile(JSON.stringify({ format: 'custody-statement/v1' }))), 'SCHEMA_INVALID');
  assert.is(code(() => parseStatementFile('[]')), 'SCHEMA_INVALID');
  assert.ok(DIGESTS.sha256.length === 64);
});

test('strict JSON: duplicate keys, fractions and garbage are refused with their JSON codes', () => {
  const { statement } = transferStatement();
  const text = formatStatementFile(statement);
  assert.is(code(() => parseStatementFile(text.replace('{"format"', '{"format":"x","format"'))), 'JSON_DUPLICATE_KEY');
  assert.is(code(() => parseStatementFile(text.replace('"v":1', '"v":1.5'))), 'JSON_NUMBER');
  assert.is(code(() => parseStatementFile('not json')), 'JSON_SYNTAX');
  assert.is(code(() => parseStatementFile(' '.repeat(1024 * 1024 + 1))), 'JSON_TOO_LARGE');
});

test.run();
