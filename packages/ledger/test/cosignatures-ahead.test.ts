// A batch's cosignatures are verified ahead on another thread (cosignatures-ahead.ts): the batch
// must be accepted or refused exactly as if each were verified in place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { seedSigner, signStatement, statementOf, statementSigningBytes, parseBase64, toBase64, type Crypto, type RecordInput, type Signer } from '@custody/core';
import { Ledger, nodeCrypto, verifyLedger } from '@custody/ledger';
import { createStoryLedger, DIGESTS, people, tempDir, withCosigners } from './helpers.js';
import { code } from '../../core/test/error-code.js';
import { AnsweredAhead, CosignatureChecker } from '../src/cosignatures-ahead.js';

const ITEMS = 24;

/** Items BB-0… registered by budi, and a batch handing each of them to sari, cosigned by her. */
function setUp(path: string): { ledger: Ledger; handovers: { input: RecordInput; signer: Signer }[] } {
  const ledger = createStoryLedger(path);
  ledger.appendBatch(
    Array.from({ length: ITEMS }, (_, i) => ({
      input: { type: 'item.register', item: `BB-${i}`, actor: 'budi', data: { kind: 'phone', description: `Ponsel ${i}`, digests: DIGESTS } },
      signer: people.budi,
    })),
  );
  const handovers = Array.from({ length: ITEMS }, (_, i) => ({
    input: withCosigners(ledger, { type: 'custody.transfer', item: `BB-${i}`, actor: 'budi', data: { from: 'budi', to: 'sari', purpose: 'Penyimpanan' } }, ['sari']),
    signer: people.budi,
  }));
  return { ledger, handovers };
}

/** `input` (which has its time) cosigned as sari, by `signer`'s key. */
function cosignedAsSari(ledger: Ledger, input: RecordInput, signer: Signer): RecordInput {
  const { cosigs: _, ...bare } = input;
  return { ...bare, cosigs: [signStatement(statementOf({ v: 1, log: ledger.origin, ...bare, time: bare.time! } as never), 'sari', signer)] };
}

/** The batch with handover `at` cosigned "as sari" by rudi's key. */
function forgedAt(handovers: { input: RecordInput; signer: Signer }[], ledger: Ledger, at: number): typeof handovers {
  const changed = handovers.slice();
  changed[at] = { ...changed[at]!, input: cosignedAsSari(ledger, changed[at]!.input, people.rudi) };
  return changed;
}

test('a batch of cosigned handovers is appended, and verifies', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const { ledger, handovers } = setUp(path);
    ledger.appendBatch(handovers);
    assert.is(ledger.itemState(`BB-${ITEMS - 1}`).custodian, 'sari');
    ledger.close();
    assert.ok((await verifyLedger(path)).ok);
  } finally {
    cleanup();
  }
});

test('one bad cosignature anywhere in the batch refuses all of it, as in place', () => {
  const { dir, cleanup } = tempDir();
  try {
    const { ledger, handovers } = setUp(join(dir, 'custody.db'));
    const size = ledger.size();
    for (const at of [0, ITEMS / 2, ITEMS - 1]) {
      assert.is(code(() => ledger.appendBatch(forgedAt(handovers, ledger, at))), 'COSIGNATURE_INVALID', `forged at ${at}`);
      assert.is(ledger.size(), size);
    }
    // A signature moved to another record is over another statement: refused too.
    const moved = handovers.slice();
    moved[3] = { ...moved[3]!, input: { ...moved[3]!.input, cosigs: moved[4]!.input.cosigs! } };
    assert.is(code(() => ledger.appendBatch(moved)), 'COSIGNATURE_INVALID');
    assert.is(ledger.size(), size);
    // The first refusal in order is the one reported, even when a later record cannot be serialised.
    const unsignable = withCosigners(ledger, { type: 'item.note', item: 'BB-0', actor: 'budi', data: { text: 'x' } }, ['sari']);
    const refusedFirst = [
      { input: { type: 'item.move', item: 'BB-1', actor: 'sari', data: { location: 'Lemari 1' } } as RecordInput, signer: people.sari },
      ...handovers,
      { input: { ...unsignable, data: { text: Number.NaN } } as unknown as RecordInput, signer: people.budi },
    ];
    assert.is(code(() => ledger.appendBatch(refusedFirst)), 'CUSTODY_RULE');
    assert.is(ledger.size(), size);
    ledger.close();
  } finally {
    cleanup();
  }
});

test('a key rotated inside the batch: cosignatures after it must be by the new key', () => {
  const { dir, cleanup } = tempDir();
  try {
    const { ledger, handovers } = setUp(join(dir, 'custody.db'));
    const newSari = seedSigner(new Uint8Array(32).fill(44), nodeCrypto);
    const rotate = { input: { type: 'identity.rotate', item: null, actor: 'adm', data: { id: 'sari', key: toBase64(newSari.publicKey) } } as RecordInput, signer: people.adm };
    const size = ledger.size();
    // Checked ahead under sari's key before the batch, these verify; in place they are by her old key.
    assert.is(code(() => ledger.appendBatch([rotate, ...handovers])), 'COSIGNATURE_INVALID');
    assert.is(ledger.size(), size);
    // Cosigned by the new key: unknown ahead (the key before the batch is the old one), valid in place.
    const byNewKey = handovers.map(({ input, signer }) => ({ input: cosignedAsSari(ledger, input, newSari), signer }));
    ledger.appendBatch([rotate, ...byNewKey]);
    assert.is(ledger.size(), size + 1 + ITEMS);
    ledger.close();
  } finally {
    cleanup();
  }
});

test('answers from the other thread stand only for the same signature, bytes and key', async () => {
  const { dir, cleanup } = tempDir();
  const checker = new CosignatureChecker();
  try {
    const { ledger, handovers } = setUp(join(dir, 'custody.db'));
    let inPlace = 0;
    const counting: Crypto = { ...nodeCrypto, verify: (...args) => (inPlace++, nodeCrypto.verify(...args)) };
    const batch = [...handovers.slice(0, ITEMS - 1), ...forgedAt(handovers, ledger, ITEMS - 1).slice(ITEMS - 1)];
    const crypto = checker.ahead(ledger, ledger.origin, batch.map((h) => h.input), counting);
    assert.instance(crypto, AnsweredAhead);
    for (const t0 = Date.now(); (crypto as AnsweredAhead).pending > 0; ) {
      assert.ok(Date.now() - t0 < 10_000, 'the other thread answers');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const sari = people.sari.publicKey;
    const question = (i: number): [Uint8Array, Uint8Array] => {
      const { cosigs, ...input } = batch[i]!.input;
      return [parseBase64(cosigs![0]!.sig, 64), statementSigningBytes(statementOf({ v: 1, log: ledger.origin, ...input, time: input.time! } as never))];
    };
    for (let i = 0; i < ITEMS - 1; i++) assert.ok(crypto.verify(...question(i), sari));
    assert.not.ok(crypto.verify(...question(ITEMS - 1), sari), 'the forged one was answered ahead as not valid');
    assert.is(inPlace, 0, 'all answered ahead');
    const [signature, message] = question(0);
    const otherBytes = message.slice();
    otherBytes[otherBytes.length - 2]! ^= 1;
    assert.not.ok(crypto.verify(signature, otherBytes, sari));
    assert.not.ok(crypto.verify(signature, message, people.rudi.publicKey));
    assert.is(inPlace, 2, 'other bytes or another key are verified in place');
    ledger.close();
  } finally {
    await checker.close();
    cleanup();
  }
});

test.run();
