// A realistic case for the report, handover and verifier-page tests: a phone seized in Jakarta (WIB),
// handed to the evidence custodian (PPBB), offered to the forensic lab in Makassar (WITA) and
// accepted there with its hash values re-measured, then examined; a checkpoint cosigned by the
// prosecutor's witness. Fixed keys and times, so every run builds the same bundle.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { seedSigner, signStatement, statementOf, toBase64, unsignedRecord, type Bundle, type RecordInput, type Signer } from '@custody/core';
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
  witnessCosign,
  witnessLastSize,
  witnessRequest,
  witnessVerifierKey,
} from '@custody/ledger';

const key = (byte: number): Signer => seedSigner(new Uint8Array(32).fill(byte), nodeCrypto);
export const KEYS = { ledger: key(71), budi: key(72), sari: key(73), rudi: key(74), jaksa: key(75), witness: key(76) };
export const ORIGIN = 'ledger.dittipidsiber.polri.go.id/2026';
export const ITEM = 'BB/017/XI/2026';
export const WITNESS = 'witness.kejaksaan.go.id';
const SHA256 = 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78';

const PEOPLE = [
  { id: 'budi.santoso', signer: KEYS.budi, role: 'officer', name: 'Budi Santoso', title: 'AKP, Penyidik', nrp: '87050123', agency: 'Dittipidsiber Bareskrim Polri' },
  { id: 'sari.wulandari', signer: KEYS.sari, role: 'officer', name: 'Sari Wulandari', title: 'Bripka, PPBB', nrp: '90010456', agency: 'Dittipidsiber Bareskrim Polri' },
  { id: 'rudi.hartono', signer: KEYS.rudi, role: 'officer', name: 'Rudi Hartono', title: 'Kompol, Pemeriksa Forensik', nrp: '79120877', agency: 'Puslabfor Polri', unit: 'Labfor Cabang Makassar' },
  { id: 'jaksa.dewi', signer: KEYS.jaksa, role: 'external', name: 'Dewi Lestari', title: 'Jaksa Penuntut Umum', nrp: '198201012006042001', agency: 'Kejaksaan Negeri Jakarta Selatan' },
] as const;

export interface Case {
  readonly ledger: Ledger;
  readonly bundle: Bundle;
  readonly bundleBytes: Uint8Array;
  readonly logKey: string;
  readonly policyText: string;
  /** Seq of the budi → sari handover (custody.transfer) and of the lab's accept. */
  readonly transferSeq: number;
  readonly acceptSeq: number;
}

/** buildCase writes the case's ledger, bundle and policy into `dir` (case.db, case.bundle.json, case.policy). */
export function buildCase(dir: string): Case {
  const ledger = Ledger.create(join(dir, 'case.db'), {
    origin: ORIGIN, name: 'Register Barang Bukti Digital 2026', agency: 'Dittipidsiber Bareskrim Polri', signer: KEYS.ledger,
    time: '2026-11-20T01:00:00.000Z', zone: 'Asia/Jakarta',
  });
  let minute = 0;
  const time = (): string => new Date(Date.parse('2026-11-20T02:00:00.000Z') + 60_000 * 37 * minute++).toISOString();
  for (const p of PEOPLE) {
    const { signer, ...data } = p;
    ledger.append({ type: 'identity.enrol', item: null, actor: 'ledger', time: time(), zone: 'Asia/Jakarta', data: { ...data, key: toBase64(signer.publicKey) } }, KEYS.ledger);
  }
  const act = (actor: string, input: Omit<RecordInput, 'actor' | 'time'>, cosigners: string[] = []): number => {
    const full = { ...input, actor, time: time() } as RecordInput;
    const statement = statementOf(unsignedRecord(ledger, ledger.head(), full));
    const signer = (id: string): Signer => PEOPLE.find((p) => p.id === id)!.signer;
    return ledger.append({ ...full, cosigs: cosigners.map((c) => signStatement(statement, c, signer(c))) }, signer(actor)).seq;
  };
  act('budi.santoso', {
    type: 'item.register', item: ITEM, zone: 'Asia/Jakarta',
    data: {
      kind: 'phone', description: 'Ponsel Samsung Galaxy A54, hitam, layar retak', digests: { sha256: SHA256 }, size: 128_035_454_976,
      identifiers: { imei: '356789104512345' }, cases: ['LP/B/0123/XI/2026/SPKT/Bareskrim'],
      seizure: { authority: 'SP.Sita/45/XI/2026/Dittipidsiber', place: 'Jl. Kemang Raya 12, Jakarta Selatan', witnesses: ['Ahmad (Ketua RT 05)'] },
      seal: { numbers: ['SGL-000417'], state: 'intact' },
    },
  });
  const transferSeq = act('budi.santoso', {
    type: 'custody.transfer', item: ITEM, zone: 'Asia/Jakarta',
    data: {
      from: 'budi.santoso', to: 'sari.wulandari', purpose: 'Penyerahan ke PPBB untuk penyimpanan', authority: 'SP.Sita/45/XI/2026/Dittipidsiber',
      place: 'Gedung Bareskrim, Jakarta Selatan', seal: { numbers: ['SGL-000417'], state: 'intact' }, check: { digests: { sha256: SHA256 }, result: 'match', tool: 'sha256sum 9.1' },
    },
  }, ['sari.wulandari']);
  act('sari.wulandari', { type: 'item.move', item: ITEM, zone: 'Asia/Jakarta', data: { location: 'Gudang BB Dittipidsiber, rak 3' } });
  act('sari.wulandari', { type: 'custody.offer', item: ITEM, zone: 'Asia/Jakarta', data: { to: 'rudi.hartono', purpose: 'Pemeriksaan forensik (akuisisi dan analisis)', authority: 'ST/123/XI/2026/Labfor', seal: { numbers: ['SGL-000417'], state: 'intact' } } });
  const offer = ledger.timeline(ITEM).at(-1)!.leafHash;
  const acceptSeq = act('rudi.hartono', {
    type: 'custody.accept', item: ITEM, zone: 'Asia/Makassar',
    data: { offer, place: 'Labfor Cabang Makassar', seal: { numbers: ['SGL-000417'], state: 'intact' }, check: { digests: { sha256: SHA256 }, result: 'match', tool: 'FTK Imager 4.7' } },
  });
  act('rudi.hartono', { type: 'item.examine', item: ITEM, zone: 'Asia/Makassar', data: { purpose: 'Analisis percakapan dan media', authority: 'ST/123/XI/2026/Labfor', tool: 'Magnet AXIOM 8.0', place: 'Labfor Cabang Makassar' } });
  act('rudi.hartono', { type: 'item.check', item: ITEM, zone: 'Asia/Makassar', data: { digests: { sha256: SHA256 }, result: 'match', tool: 'FTK Imager 4.7' } });
  act('budi.santoso', { type: 'item.register', item: 'BB/099/XI/2026', zone: 'Asia/Jakarta', data: { kind: 'disk', description: 'Perkara lain (tidak boleh muncul)', digests: { sha256: 'cd'.repeat(32) } } });

  const state = join(dir, 'witness.json');
  createWitnessState(state, WITNESS, KEYS.witness.publicKey);
  addWitnessLog(state, ledgerVerifierKey(ledger));
  const wkey = witnessVerifierKey(WITNESS, KEYS.witness.publicKey);
  const cp = signLedgerCheckpoint(ledger, KEYS.ledger, new Date('2026-11-22T03:00:00.000Z'));
  addCheckpointCosignatures(ledger, cp.size, [witnessCosign(state, KEYS.witness, witnessRequest(ledger, witnessLastSize(ledger, wkey)), new Date('2026-11-22T03:05:00.000Z')).line], [wkey]);
  const bundle = exportBundle(ledger, [ITEM]);
  const bundleBytes = formatBundle(bundle);
  const logKey = ledgerVerifierKey(ledger);
  const policyText = `log ${logKey}\nwitness kejari ${wkey}\nquorum kejari\n`;
  writeFileSync(join(dir, 'case.bundle.json'), bundleBytes);
  writeFileSync(join(dir, 'case.policy'), policyText);
  return { ledger, bundle, bundleBytes, logKey, policyText, transferSeq, acceptSeq };
}

/** otherBundle is the bundle of the other case's item, for the mutation that adds one of its records. */
export function otherBundle(c: Case): Bundle {
  return exportBundle(c.ledger, ['BB/099/XI/2026']);
}

/**
 * MUTATIONS: the bundle issue's mutation set (packages/ledger/test/bundles.test.ts), as named
 * changes of the bundle's JSON; each must make the bundle not intact.
 */
export function mutations(bundle: Bundle, other: Bundle): Array<[string, (b: any) => void]> {
  const items = bundle.records.map((r, i) => [r, i] as const).filter(([r]) => r.record.item === bundle.items[0]);
  const first = items[0]![1];
  const second = items[1]![1];
  const last = items.at(-1)![1];
  return [
    ['time of the genesis record', (b) => (b.records[0].record.time = '2020-01-01T00:00:00.000Z')],
    ['time of the item’s first record', (b) => (b.records[first].record.time = '2020-01-01T00:00:00.000Z')],
    ['description of the item', (b) => (b.records[first].record.data.description = 'Laptop')],
    ['recipient of the last record', (b) => (b.records[last].record.data.place = 'Tempat lain')],
    ['a proof hash', (b) => (b.records[3].proof[0] = '00'.repeat(32))],
    ['the checkpoint size', (b) => (b.checkpoint = b.checkpoint.replace(/\n(\d+)\n/, (_: string, n: string) => `\n${Number(n) + 1}\n`))],
    ['the witness cosignature removed', (b) => (b.checkpoint = b.checkpoint.replace(/— witness\.kejaksaan\.go\.id .*\n$/, ''))],
    ['a signature swapped', (b) => (b.records[second].record.sig = b.records[first].record.sig)],
    ['a record removed from the item’s chain', (b) => b.records.splice(second, 1)],
    ['a record of another item added', (b) => b.records.push(JSON.parse(JSON.stringify(other.records.find((r) => r.record.item === other.items[0]))))],
    ['records reordered', (b) => b.records.reverse()],
    ['the genesis removed', (b) => b.records.shift()],
    ['an unknown field', (b) => (b.extra = 1)],
  ];
}

export interface CrossAgency {
  /** Polri → FBI (MLA) → Polri: the court's bundle of the returned item, nesting both earlier bundles. */
  readonly court: Bundle;
  /** The first bundle (Polri's, handing the item to the FBI). */
  readonly first: Bundle;
  readonly polriKey: string;
  readonly fbiKey: string;
}

/** buildCrossAgency follows an item from Polri to the FBI and back, as packages/ledger/test/bundles.test.ts does. */
export function buildCrossAgency(dir: string): CrossAgency {
  const polriLedger = key(81);
  const fbiLedger = key(82);
  const budi = key(83);
  const doe = key(84);
  const make = (path: string, origin: string, ledgerKey: Signer, agency: string, people: Array<[string, string, string, Signer]>): Ledger => {
    const l = Ledger.create(join(dir, path), { origin, name: origin, agency, signer: ledgerKey, zone: 'Asia/Jakarta', time: '2026-10-01T01:00:00.000Z' });
    for (const [id, role, name, signer] of people) {
      l.append({ type: 'identity.enrol', item: null, actor: 'ledger', time: '2026-10-01T01:01:00.000Z', data: { id, role, name, agency: role === 'external' ? 'partner' : agency, key: toBase64(signer.publicKey) } }, ledgerKey);
    }
    return l;
  };
  const cosigned = (l: Ledger, input: RecordInput, cosigners: Array<[string, Signer]>): RecordInput => {
    const statement = statementOf(unsignedRecord(l, l.head(), input));
    return { ...input, cosigs: cosigners.map(([id, s]) => signStatement(statement, id, s)) };
  };
  const polri = make('polri.db', 'ledger.polri.go.id/2026', polriLedger, 'Bareskrim Polri', [['budi', 'officer', 'Budi Santoso', budi], ['fbi.doe', 'external', 'John Doe', doe]]);
  polri.append({ type: 'item.register', item: 'BB-1', actor: 'budi', time: '2026-10-02T02:00:00.000Z', zone: 'Asia/Jakarta', data: { kind: 'phone', description: 'Ponsel sitaan', digests: { sha256: SHA256 }, size: 6 } }, budi);
  polri.append(cosigned(polri, { type: 'custody.transfer', item: 'BB-1', actor: 'budi', time: '2026-10-03T02:00:00.000Z', zone: 'Asia/Jakarta', data: { from: 'budi', to: 'fbi.doe', purpose: 'MLA request 2026-17' } }, [['fbi.doe', doe]]), budi);
  signLedgerCheckpoint(polri, polriLedger, new Date('2026-10-03T03:00:00.000Z'));
  const first = exportBundle(polri, ['BB-1']);
  const fbi = make('fbi.db', 'ledger.fbi.gov/legat-jakarta', fbiLedger, 'FBI Legat Jakarta', [['doe', 'officer', 'John Doe', doe], ['polri.budi', 'external', 'Budi Santoso', budi]]);
  const trustBoth = { logKeys: [ledgerVerifierKey(polri), ledgerVerifierKey(fbi)] };
  importBundle(fbi, formatBundle(first), trustBoth, { actor: 'doe', signer: doe, item: 'FBI-E1', time: '2026-10-04T14:00:00.000Z', zone: 'America/New_York' });
  fbi.append({ type: 'item.examine', item: 'FBI-E1', actor: 'doe', time: '2026-10-05T14:00:00.000Z', zone: 'America/New_York', data: { purpose: 'Analysis', authority: 'MLAT request 2026-17' } }, doe);
  fbi.append(cosigned(fbi, { type: 'custody.transfer', item: 'FBI-E1', actor: 'doe', time: '2026-10-06T14:00:00.000Z', zone: 'America/New_York', data: { from: 'doe', to: 'polri.budi', purpose: 'Return' } }, [['polri.budi', budi]]), doe);
  signLedgerCheckpoint(fbi, fbiLedger, new Date('2026-10-06T15:00:00.000Z'));
  importBundle(polri, formatBundle(exportBundle(fbi, ['FBI-E1'])), trustBoth, { actor: 'budi', signer: budi, item: 'BB-1-R', time: '2026-10-08T02:00:00.000Z', zone: 'Asia/Jakarta' });
  polri.append({ type: 'item.check', item: 'BB-1-R', actor: 'budi', time: '2026-10-08T03:00:00.000Z', zone: 'Asia/Jakarta', data: { digests: { sha256: SHA256 }, result: 'match' } }, budi);
  signLedgerCheckpoint(polri, polriLedger, new Date('2026-10-08T04:00:00.000Z'));
  const court = exportBundle(polri, ['BB-1-R']);
  const result = { court, first, polriKey: trustBoth.logKeys[0]!, fbiKey: trustBoth.logKeys[1]! };
  polri.close();
  fbi.close();
  return result;
}
