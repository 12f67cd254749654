import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { checkInclusion, checkConsistency, isCustodyError, openCheckpoint, seedSigner } from '@custody/core';
import {
  addCheckpointCosignatures,
  addWitnessLog,
  createWitnessState,
  Ledger,
  ledgerVerifierKey,
  listCheckpoints,
  nodeCrypto,
  proveRecordInclusion,
  proveTreeConsistency,
  readWitnessState,
  signLedgerCheckpoint,
  verifyLedger,
  witnessCosign,
  witnessLastSize,
  witnessRequest,
  witnessVerifierKey,
} from '@custody/ledger';
import { behindTriggers } from './raw-sqlite.js';
import { createStoryLedger, DIGESTS, people, tempDir } from './helpers.js';
import { code } from '../../core/test/error-code.js';

const kejari = seedSigner(new Uint8Array(32).fill(21), nodeCrypto);
const pn = seedSigner(new Uint8Array(32).fill(22), nodeCrypto);

function register(ledger: Ledger, from: number, count: number): void {
  for (let i = from; i < from + count; i++) {
    ledger.append({ type: 'item.register', item: `BB-${i}`, actor: 'budi', data: { kind: 'phone', description: `Ponsel ${i}`, digests: DIGESTS } }, people.budi);
  }
}

test('checkpoints open with the ledger key, are kept, and are never smaller or inconsistent', () => {
  const { dir, cleanup } = tempDir();
  try {
    const ledger = createStoryLedger(join(dir, 'custody.db'));
    const first = signLedgerCheckpoint(ledger, people.ledger);
    assert.is(first.size, 6);
    const opened = openCheckpoint(first.note, ledgerVerifierKey(ledger));
    assert.equal(opened.checkpoint.rootHash, ledger.rootHash(6));
    assert.is(signLedgerCheckpoint(ledger, people.ledger).note, first.note, 'no new records: the same checkpoint');
    assert.is(code(() => signLedgerCheckpoint(ledger, people.budi)), 'KEY_NOT_VALID');
    register(ledger, 0, 3);
    const second = signLedgerCheckpoint(ledger, people.ledger);
    assert.equal(listCheckpoints(ledger).map((c) => c.size), [6, 9]);
    const consistency = proveTreeConsistency(ledger, 6, 9);
    checkConsistency(consistency.proof, 6, 9, first.rootHash, second.rootHash);
    const inclusion = proveRecordInclusion(ledger, 7, 9);
    checkInclusion(inclusion.proof, 7, 9, inclusion.leafHash, second.rootHash);
    assert.is(code(() => proveRecordInclusion(ledger, 9, 9)), 'RECORD_UNKNOWN');
    ledger.close();
  } finally {
    cleanup();
  }
});

test('witnesses cosign offline; a rewritten history is refused by them and caught by an outside checkpoint', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    register(ledger, 0, 5);
    const vkey = ledgerVerifierKey(ledger);
    const witnesses = [
      { name: 'witness.kejaksaan.go.id', signer: kejari, state: join(dir, 'kejari.json') },
      { name: 'witness.pn-jakarta.go.id', signer: pn, state: join(dir, 'pn.json') },
    ];
    for (const w of witnesses) {
      createWitnessState(w.state, w.name, w.signer.publicKey);
      addWitnessLog(w.state, vkey);
    }
    const witnessKeys = witnesses.map((w) => witnessVerifierKey(w.name, w.signer.publicKey));
    const cosignAll = () => {
      const cp = signLedgerCheckpoint(ledger, people.ledger);
      const lines = witnesses.map((w, i) => witnessCosign(w.state, w.signer, witnessRequest(ledger, witnessLastSize(ledger, witnessKeys[i]!))).line);
      return addCheckpointCosignatures(ledger, cp.size, lines, witnessKeys);
    };
    const old = cosignAll();
    assert.is(old.witnesses.length, 2);
    register(ledger, 5, 4);
    const newer = cosignAll();
    assert.is(newer.size, old.size + 4);
    assert.is(readWitnessState(witnesses[0]!.state).logs[ledger.origin]!.size, newer.size);
    // A stale request (from a size the witness has moved past) is refused.
    assert.is(code(() => witnessCosign(witnesses[0]!.state, kejari, witnessRequest(ledger, old.size))), 'CHECKPOINT_MISMATCH');
    ledger.close();
    assert.ok((await verifyLedger(path)).ok);

    // The holder of the file and the stolen ledger key rewrites record 8 and everything after it,
    // re-signing every record and a new checkpoint: each record is validly signed, the chain links.
    const original = new Database(path, { readonly: true });
    const leaves = (original.prepare('SELECT leaf FROM records ORDER BY seq').all() as { leaf: Buffer }[]).map((r) => JSON.parse(r.leaf.toString()));
    original.close();
    // Rebuild the same history with one record told differently, through the library.
    const rewrite = Ledger.create(join(dir, 'rewrite.db'), { origin: leaves[0].log, name: leaves[0].data.name, agency: leaves[0].data.agency, signer: people.ledger, time: leaves[0].time, zone: leaves[0].zone });
    for (const r of leaves.slice(1)) {
      const data = r.seq === 8 ? { ...r.data, description: 'Ponsel lain' } : r.data;
      const signer = r.actor === 'ledger' ? people.ledger : people[r.actor as keyof typeof people];
      rewrite.append({ type: r.type, item: r.item, actor: r.actor, time: r.time, ...(r.zone ? { zone: r.zone } : {}), data }, signer);
    }
    const forgedCheckpoint = signLedgerCheckpoint(rewrite, people.ledger);
    assert.is(forgedCheckpoint.size, newer.size);
    // Both witnesses refuse it: same size as what they cosigned, another root.
    for (const w of witnesses) {
      const request = `old ${newer.size}\n\n${forgedCheckpoint.note}`;
      assert.is(code(() => witnessCosign(w.state, w.signer, request)), 'CHECKPOINT_INCONSISTENT');
    }
    rewrite.close();
    assert.ok((await verifyLedger(join(dir, 'rewrite.db'))).ok, 'on its own the rewritten file is consistent');
    const report = await verifyLedger(join(dir, 'rewrite.db'), {
      expectedRoots: [{ size: old.size, rootHash: old.rootHash, source: 'the witnessed checkpoint' }],
    });
    assert.not.ok(report.ok);
    assert.is(report.failures[0]!.code, 'CHECKPOINT_MISMATCH');
    assert.equal([report.failures[0]!.details['firstPossible'], report.failures[0]!.details['lastPossible']], [0, old.size - 1]);
  } finally {
    cleanup();
  }
});

test('verification re-checks stored checkpoints and cosignatures', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'custody.db');
    const ledger = createStoryLedger(path);
    const state = join(dir, 'w.json');
    createWitnessState(state, 'witness.kejaksaan.go.id', kejari.publicKey);
    addWitnessLog(state, ledgerVerifierKey(ledger));
    const cp = signLedgerCheckpoint(ledger, people.ledger);
    const { line } = witnessCosign(state, kejari, witnessRequest(ledger, 0));
    addCheckpointCosignatures(ledger, cp.size, [line], [witnessVerifierKey('witness.kejaksaan.go.id', kejari.publicKey)]);
    ledger.close();
    const report = await verifyLedger(path);
    assert.ok(report.ok);
    assert.is(report.rootsChecked, 1);
    const db = new Database(path);
    behindTriggers(db, () => db.exec("UPDATE checkpoints SET note = replace(note, '\n6\n', '\n5\n')"));
    db.close();
    const bad = await verifyLedger(path);
    assert.not.ok(bad.ok);
    assert.ok(bad.failures.some((f) => f.code === 'CHECKPOINT_MISMATCH'));
    assert.ok(bad.failures.some((f) => f.code === 'COSIGNATURE_INVALID'));
  } finally {
    cleanup();
  }
});

test.run();
