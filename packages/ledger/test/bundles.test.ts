import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  canonicalize,
  parsePolicy,
  seedSigner,
  signStatement,
  statementOf,
  toBase64,
  utf8,
  verifyBundle,
  type Bundle,
  type RecordInput,
  type Signer,
} from '@custody/core';
import {
  addCheckpointCosignatures,
  addWitnessLog,
  createWitnessState,
  exportBundle,
  formatBundle,
  importBundle,
  Ledger,
  ledgerVerifierKey,
  nodeCrypto,
  signLedgerCheckpoint,
  verifyLedger,
  witnessCosign,
  witnessLastSize,
  witnessRequest,
  witnessVerifierKey,
} from '@custody/ledger';
import { DIGESTS, tempDir } from './helpers.js';
import { behindTriggers } from './raw-sqlite.js';

const key = (byte: number): Signer => seedSigner(new Uint8Array(32).fill(byte), nodeCrypto);
const polriKey = key(31);
const fbiKey = key(32);
const budi = key(33); // Polri investigator
const doe = key(34); // FBI agent
const witness = key(35);
const WITNESS = 'witness.kejaksaan.go.id';

function ledger(path: string, origin: string, ledgerKey: Signer, people: Array<[string, string, Signer]>): Ledger {
  const l = Ledger.create(path, { origin, name: origin, agency: origin.split('.')[1]!, signer: ledgerKey, zone: 'Asia/Jakarta' });
  for (const [id, role, signer] of people) {
    l.append({ type: 'identity.enrol', item: null, actor: 'ledger', data: { id, role, name: id, agency: 'x', key: toBase64(signer.publicKey) } }, ledgerKey);
  }
  return l;
}

function cosigned(l: Ledger, input: RecordInput, cosigners: Array<[string, Signer]>): RecordInput {
  const time = new Date().toISOString();
  const statement = statementOf({ v: 1, log: l.origin, ...input, time } as never);
  return { ...input, time, cosigs: cosigners.map(([id, s]) => signStatement(statement, id, s)) };
}

function story(dir: string) {
  const polri = ledger(join(dir, 'polri.db'), 'ledger.polri.go.id/2026', polriKey, [['budi', 'officer', budi], ['fbi.doe', 'external', doe]]);
  polri.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'Ponsel sitaan', digests: DIGESTS, size: 6 } }, budi);
  polri.append({ type: 'item.register', item: 'BB-OTHER', actor: 'budi', data: { kind: 'disk', description: 'Perkara lain', digests: DIGESTS } }, budi);
  polri.append({ type: 'item.seal', item: 'BB-1', actor: 'budi', data: { numbers: ['S-1'] } }, budi);
  polri.append(cosigned(polri, { type: 'custody.transfer', item: 'BB-1', actor: 'budi', data: { from: 'budi', to: 'fbi.doe', purpose: 'MLA' } }, [['fbi.doe', doe]]), budi);
  const state = join(dir, 'witness.json');
  createWitnessState(state, WITNESS, witness.publicKey);
  addWitnessLog(state, ledgerVerifierKey(polri));
  const wkey = witnessVerifierKey(WITNESS, witness.publicKey);
  const cp = signLedgerCheckpoint(polri, polriKey);
  addCheckpointCosignatures(polri, cp.size, [witnessCosign(state, witness, witnessRequest(polri, witnessLastSize(polri, wkey))).line], [wkey]);
  const policy = parsePolicy(`log ${ledgerVerifierKey(polri)}\nwitness kejari ${wkey}\nquorum kejari\n`);
  return { polri, policy, wkey, state };
}

test('a bundle proves an item’s custody offline, reveals no other case, and meets a witness policy', () => {
  const { dir, cleanup } = tempDir();
  try {
    const { polri, policy } = story(dir);
    const bundle = exportBundle(polri, ['BB-1']);
    assert.ok(!bundle.records.some((r) => r.record.item === 'BB-OTHER'), 'no record of another case');
    const report = verifyBundle(formatBundle(bundle), { policy });
    assert.equal(report.failures, []);
    assert.ok(report.ok);
    assert.equal(report.checkpoint!.witnesses, ['kejari']);
    assert.is(report.holders['BB-1']!.custodian, 'fbi.doe');
    const untrusted = verifyBundle(formatBundle(bundle), { logKeys: [ledgerVerifierKey(polri).replace('ledger.polri', 'ledger.other')] });
    assert.not.ok(untrusted.ok);
    polri.close();
  } finally {
    cleanup();
  }
});

test('every single change to a bundle is caught with a code naming what broke', () => {
  const { dir, cleanup } = tempDir();
  try {
    const { polri, policy } = story(dir);
    const good = exportBundle(polri, ['BB-1']);
    const other = exportBundle(polri, ['BB-OTHER']);
    polri.close();
    const mutate = (change: (b: any) => void): string[] => {
      const b = JSON.parse(canonicalize(good));
      change(b);
      const report = verifyBundle(utf8(JSON.stringify(b)), { policy });
      assert.not.ok(report.ok);
      return report.failures.map((f) => f.code);
    };
    const itemRecords = good.records.map((r, i) => [r, i] as const).filter(([r]) => r.record.item === 'BB-1');
    // Any field of any record.
    for (let i = 0; i < good.records.length; i++) {
      assert.ok(mutate((b) => (b.records[i].record.time = '2020-01-01T00:00:00.000Z')).includes('PROOF_INVALID'), `time of record ${i}`);
    }
    assert.ok(mutate((b) => (b.records[itemRecords[0]![1]].record.data.description = 'Laptop')).includes('PROOF_INVALID'));
    assert.ok(mutate((b) => (b.records[itemRecords.at(-1)![1]].record.data.to = 'budi')).includes('PROOF_INVALID'));
    // Any proof hash.
    assert.ok(mutate((b) => (b.records[3].proof[0] = '00'.repeat(32))).includes('PROOF_INVALID'));
    // The checkpoint text or a signature.
    assert.ok(mutate((b) => (b.checkpoint = b.checkpoint.replace(/\n(\d+)\n/, (_: string, n: string) => `\n${Number(n) + 1}\n`))).some((c) => c.startsWith('NOTE_')));
    assert.ok(mutate((b) => (b.checkpoint = b.checkpoint.replace(/— witness\.kejaksaan\.go\.id .*\n$/, ''))).includes('POLICY_NOT_MET'));
    assert.ok(mutate((b) => (b.records[itemRecords[1]![1]].record.sig = b.records[itemRecords[0]![1]].record.sig)).includes('PROOF_INVALID'));
    // A record removed from the middle of the item's chain.
    assert.ok(mutate((b) => b.records.splice(itemRecords[1]![1], 1)).includes('ITEM_CHAIN_BROKEN'));
    // A record of another item added.
    assert.ok(mutate((b) => b.records.push(JSON.parse(canonicalize(other.records.find((r) => r.record.item === 'BB-OTHER'))))).includes('BUNDLE_MALFORMED'));
    // Records reordered.
    assert.ok(mutate((b) => b.records.reverse()).includes('BUNDLE_MALFORMED'));
    // The genesis removed.
    assert.ok(mutate((b) => b.records.shift()).includes('BUNDLE_INCOMPLETE'));
    // Not a bundle at all: duplicate keys, unknown fields, garbage.
    const notBundle = (text: string) => verifyBundle(utf8(text), { policy });
    assert.is(notBundle('{"format":"custody-bundle/v1","format":"x"}').isBundle, false);
    assert.is(notBundle(JSON.stringify({ ...good, extra: 1 })).failures[0]!.code, 'SCHEMA_INVALID');
    assert.is(notBundle('[' .repeat(100000)).failures[0]!.code, 'JSON_TOO_DEEP');
  } finally {
    cleanup();
  }
});

test('Polri → FBI → Polri: each import continues the history, and a court trusting both ledgers verifies it end to end', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { polri } = story(dir);
    const first = formatBundle(exportBundle(polri, ['BB-1']));
    const fbi = ledger(join(dir, 'fbi.db'), 'ledger.fbi.gov/legat-jakarta', fbiKey, [['doe', 'officer', doe], ['polri.budi', 'external', budi]]);
    const trustBoth = { logKeys: [ledgerVerifierKey(polri), ledgerVerifierKey(fbi)] };
    // Someone else's key cannot import it without saying why.
    assert.throws(() => importBundle(fbi, first, trustBoth, { actor: 'doe', signer: budi, item: 'FBI-E1' }));
    importBundle(fbi, first, trustBoth, { actor: 'doe', signer: doe, item: 'FBI-E1' });
    fbi.append({ type: 'item.examine', item: 'FBI-E1', actor: 'doe', data: { purpose: 'Analysis', authority: 'MLAT request 2026-17' } }, doe);
    fbi.append(cosigned(fbi, { type: 'custody.transfer', item: 'FBI-E1', actor: 'doe', data: { from: 'doe', to: 'polri.budi', purpose: 'Return' } }, [['polri.budi', budi]]), doe);
    signLedgerCheckpoint(fbi, fbiKey);
    const second = formatBundle(exportBundle(fbi, ['FBI-E1']));
    assert.ok(verifyBundle(second, trustBoth).ok);
    importBundle(polri, second, trustBoth, { actor: 'budi', signer: budi, item: 'BB-1-R' });
    polri.append({ type: 'item.check', item: 'BB-1-R', actor: 'budi', data: { digests: DIGESTS, result: 'match' } }, budi);
    signLedgerCheckpoint(polri, polriKey);
    const court = exportBundle(polri, ['BB-1-R']);
    assert.is(court.upstream!.length, 1);
    assert.is(court.upstream![0]!.upstream!.length, 1);
    const report = verifyBundle(formatBundle(court), trustBoth);
    assert.equal(report.failures, []);
    assert.ok(report.ok);
    assert.ok(report.upstream[0]!.ok && report.upstream[0]!.upstream[0]!.ok);
    // Trusting only Polri's key, the FBI part cannot be checked: not intact.
    assert.not.ok(verifyBundle(formatBundle(court), { logKeys: [ledgerVerifierKey(polri)] }).ok);
    // An upstream bundle swapped for another breaks the import's link.
    const swapped: Bundle = { ...court, upstream: [JSON.parse(new TextDecoder().decode(first))] };
    assert.ok(verifyBundle(formatBundle(swapped), trustBoth).failures.some((f) => f.code === 'BUNDLE_UPSTREAM_MISMATCH'));
    fbi.close();
    polri.close();
    assert.ok((await verifyLedger(join(dir, 'polri.db'))).ok, 'the imports are kept as their records say');
    // The kept bundle is verified by the ledger's own verification too.
    const raw = new Database(join(dir, 'polri.db'));
    behindTriggers(raw, () => raw.exec("UPDATE imports SET bundle = CAST(replace(CAST(bundle AS TEXT), 'Return', 'Retour') AS BLOB)"));
    raw.close();
    const tampered = await verifyLedger(join(dir, 'polri.db'));
    assert.ok(tampered.failures.some((f) => f.code === 'STATE_MISMATCH'), JSON.stringify(tampered.failures));
  } finally {
    cleanup();
  }
});

test.run();
