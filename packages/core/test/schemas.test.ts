// The record schemas (schemas/record.schema.json and schemas/data/*.schema.json) as a contract:
// every record type has a realistic record that is signed, rule-valid and parses, and broken
// variants of it that parseRecord refuses with SCHEMA_INVALID at the field that was broken.
// The schema files themselves are checked as JSON Schema 2020-12 documents, closed to unknown
// fields, and the committed validators must be what scripts/gen-validators.mjs makes of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import {
  auditLedger,
  canonicalize,
  isCustodyError,
  MemoryLedger,
  parseRecord,
  RECORD_TYPES,
  signStatement,
  statementOf,
  toBase64,
  toHex,
  utf8,
  type JsonObject,
  type LedgerRecord,
  type RecordInput,
  type RecordType,
  type Signer,
} from '@custody/core';
import { testSigner } from './vectors.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaDir = join(root, 'schemas');

// ---------------------------------------------------------------------------------------------
// A realistic ledger with every record type: a phone seized in a child-exploitation case, handed to
// the evidence custodian (PPBB), offered to the forensic lab (Labfor) twice before it is accepted,
// imaged, checked, resealed; a cloud export imported from the FBI's ledger; a working copy disposed of.
// Metadata only: numbers, names, places, digests. Never content.

const ORIGIN = 'ledger.dittipidsiber.polri.go.id/2026';
const ADMIN = 'admin.87010001';
const PENYIDIK = 'penyidik.85061234'; // seizing investigator
const PPBB = 'ppbb.90030456'; // evidence custodian (pengelola barang bukti)
const LABFOR = 'labfor.88112233'; // forensic examiner, Puslabfor
const FBI = 'fbi.legat-jakarta'; // external partner
const WITNESS = 'wit.kejagung'; // cosigns checkpoints
const LEAVER = 'penyidik.92070088'; // transferred out; revoked

const PHONE = 'BB/017/XI/2026/Dittipidsiber';
const IMAGE = 'BB/017/XI/2026/Dittipidsiber/IMG-1';
const CLOUD = 'BB/018/XI/2026/Dittipidsiber';

const signers: Record<string, Signer> = {
  ledger: testSigner(21),
  [ADMIN]: testSigner(22),
  [PENYIDIK]: testSigner(23),
  [PPBB]: testSigner(24),
  [LABFOR]: testSigner(25),
  [FBI]: testSigner(26),
  [WITNESS]: testSigner(27),
  [LEAVER]: testSigner(28),
};
const labforNewKey = testSigner(29);
const keyOf = (signer: Signer): string => toBase64(signer.publicKey);

const digestOf = (label: string) => ({ sha256: toHex(sha256(utf8(label))), sha512: toHex(sha512(utf8(label))) });
const PHONE_DIGESTS = { sha256: toHex(sha256(utf8('BB/017 physical extraction'))), md5: '5d41402abc4b2a76b9719d911017c592' };
const IMAGE_DIGESTS = digestOf('BB/017 IMG-1');
const CLOUD_DIGESTS = { sha256: toHex(sha256(utf8('BB/018 cloud export'))), sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' };
const CASES = ['LP/B/0123/XI/2026/SPKT/Bareskrim Polri'];
const SEAL_1 = { numbers: ['SGL-2026-000417'], state: 'intact' };
const LAB_REQUEST = 'Surat permintaan pemeriksaan No. B/789/XI/2026/Dittipidsiber';

class Story {
  readonly ledger = new MemoryLedger(ORIGIN);
  /** The first record of each type, as appended (signed, rule-checked). */
  readonly first = new Map<RecordType, { record: LedgerRecord; leaf: Uint8Array; leafHash: string }>();
  readonly all: Array<{ record: LedgerRecord; leaf: Uint8Array }> = [];
  #clock = Date.parse('2026-11-28T01:00:00.000Z');

  do(actor: string, partial: Omit<RecordInput, 'actor' | 'time' | 'zone'>, cosigners: string[] = [], signer = signers[actor]!): string {
    this.#clock += 7 * 60_000 + 123;
    const input: RecordInput = { time: new Date(this.#clock).toISOString(), zone: 'Asia/Jakarta', actor, ...partial };
    const statement = statementOf(this.ledger.unsigned(input));
    const cosigs = cosigners.map((id) => signStatement(statement, id, signers[id]!));
    const prepared = this.ledger.append({ ...input, cosigs }, signer);
    const entry = { record: prepared.record, leaf: prepared.leafBytes, leafHash: prepared.leafHashHex };
    if (!this.first.has(prepared.record.type)) this.first.set(prepared.record.type, entry);
    this.all.push(entry);
    return prepared.leafHashHex;
  }

  enrol(id: string, role: string, name: string, extra: JsonObject = {}): void {
    const data = { id, name, agency: 'Dittipidsiber Bareskrim Polri', role, key: keyOf(signers[id]!), ...extra };
    this.do(id === ADMIN ? 'ledger' : ADMIN, { type: 'identity.enrol', item: null, data });
  }

  head(item: string): string {
    return this.ledger.state.item(item)!.head;
  }
}

function buildStory(): Story {
  const s = new Story();
  s.do('ledger', {
    type: 'ledger.genesis',
    item: null,
    data: {
      name: 'Register Barang Bukti Digital Dittipidsiber 2026',
      agency: 'Direktorat Tindak Pidana Siber Bareskrim Polri',
      key: keyOf(signers['ledger']!),
      description: 'Buku register barang bukti digital perkara eksploitasi seksual anak, tahun 2026.',
    },
  });
  s.enrol(ADMIN, 'admin', 'Dewi Lestari');
  s.enrol(PENYIDIK, 'officer', 'Budi Santoso', { nrp: '85061234', title: 'AKP', unit: 'Subdit III Dittipidsiber' });
  s.enrol(PPBB, 'officer', 'Sari Wulandari', { nrp: '90030456', title: 'Bripka', unit: 'Urusan PPBB' });
  s.enrol(LABFOR, 'officer', 'Rudi Hartono', { nrp: '88112233', title: 'Kompol', unit: 'Subbidkomfor Puslabfor' });
  s.enrol(FBI, 'external', 'John Doe');
  s.enrol(WITNESS, 'witness', 'Saksi Log Kejaksaan Agung');
  s.enrol(LEAVER, 'officer', 'Agus Prasetyo', { nrp: '92070088' });
  s.do(ADMIN, { type: 'identity.revoke', item: null, data: { id: LEAVER, reason: 'Mutasi ke Polda Jawa Timur (Skep/1123/XI/2026).' } });
  s.do(LABFOR, { type: 'identity.rotate', item: null, data: { id: LABFOR, key: keyOf(labforNewKey), reason: 'Token kunci diganti: masa berlaku habis.' } });
  signers[LABFOR] = labforNewKey;

  s.do(PENYIDIK, {
    type: 'item.register',
    item: PHONE,
    data: {
      kind: 'phone',
      description: 'Ponsel Samsung Galaxy A54 warna hitam, layar retak di sudut kanan atas.',
      digests: PHONE_DIGESTS,
      size: 128043712512,
      identifiers: { imei: '356789104512347', serial: 'R58T21ABCDE' },
      cases: CASES,
      seizure: {
        authority: 'Surat Perintah Penyitaan Sp.Sita/45/XI/2026/Dittipidsiber',
        place: 'Jl. Kemang Raya No. 12, Jakarta Selatan',
        witnesses: ['Ketua RT 05/RW 02 Bangka', 'Ahmad Fauzi'],
        time: '2026-11-28T00:40:00.000Z',
      },
      seal: SEAL_1,
      location: 'Ruang Barang Bukti Dittipidsiber, Rak A-3',
      remarks: 'Disita dalam keadaan menyala; mode pesawat diaktifkan di tempat.',
    },
  });
  s.do(PENYIDIK, {
    type: 'custody.transfer',
    item: PHONE,
    data: {
      from: PENYIDIK,
      to: PPBB,
      purpose: 'Penyerahan barang bukti ke PPBB untuk disimpan.',
      authority: 'Sp.Sita/45/XI/2026/Dittipidsiber',
      place: 'Ruang PPBB Bareskrim Polri, Jakarta Selatan',
      seal: SEAL_1,
      check: { digests: { sha256: PHONE_DIGESTS.sha256 }, size: 128043712512, result: 'match', tool: 'sha256sum (GNU coreutils 9.4)' },
      remarks: 'Berita acara serah terima No. BA/STBB/88/XI/2026.',
    },
  }, [PPBB]);
  const move = s.do(PPBB, { type: 'item.move', item: PHONE, data: { location: 'Gudang PPBB Lt. 2, Lemari 7, Rak B', reason: 'Penataan ulang gudang.' } });
  const offer = () => ({
    type: 'custody.offer' as const,
    item: PHONE,
    data: { to: LABFOR, purpose: 'Pemeriksaan forensik digital di Puslabfor.', authority: LAB_REQUEST, place: 'Gudang PPBB Lt. 2', seal: SEAL_1, remarks: 'Dikirim dengan kurir internal.' },
  });
  const offer1 = s.do(PPBB, offer());
  s.do(LABFOR, {
    type: 'custody.reject',
    item: PHONE,
    data: { offer: offer1, reason: 'Surat permintaan belum ditandatangani Kasubdit.', seal: SEAL_1, check: { digests: { sha256: PHONE_DIGESTS.sha256 }, result: 'match' } },
  });
  const offer2 = s.do(PPBB, offer());
  s.do(PPBB, { type: 'custody.cancel', item: PHONE, data: { offer: offer2, reason: 'Pemeriksaan dialihkan ke Labfor Cabang Semarang, lalu dibatalkan.' } });
  const offer3 = s.do(PPBB, offer());
  s.do(LABFOR, {
    type: 'custody.accept',
    item: PHONE,
    data: {
      offer: offer3,
      place: 'Puslabfor Bareskrim Polri, Sentul',
      seal: SEAL_1,
      check: { digests: { sha256: PHONE_DIGESTS.sha256, md5: PHONE_DIGESTS.md5 }, size: 128043712512, result: 'match', tool: 'Tableau TX1 22.4' },
      remarks: 'Segel utuh, diterima oleh pemeriksa.',
    },
  });
  s.do(LABFOR, {
    type: 'item.unseal',
    item: PHONE,
    data: { numbers: ['SGL-2026-000417'], found: 'intact', purpose: 'Akuisisi forensik.', place: 'Ruang akuisisi Puslabfor', remarks: 'Dibuka disaksikan penyidik.' },
  });
  s.do(LABFOR, {
    type: 'item.examine',
    item: PHONE,
    data: { purpose: 'Identifikasi perangkat dan akuisisi data.', authority: LAB_REQUEST, tool: 'Cellebrite UFED 7.69', place: 'Ruang akuisisi Puslabfor', remarks: 'Perangkat dalam mode pesawat.' },
  });
  s.do(LABFOR, {
    type: 'item.derive',
    item: IMAGE,
    data: {
      parents: [{ item: PHONE, head: s.head(PHONE) }],
      kind: 'image',
      description: 'Citra forensik full file system dari ponsel BB/017.',
      method: 'Akuisisi full file system',
      tool: 'Cellebrite UFED 7.69',
      digests: IMAGE_DIGESTS,
      size: 64021856256,
      cases: CASES,
      location: 'Server penyimpanan Puslabfor, volume EVD-03',
      remarks: 'Citra kerja untuk pemeriksaan.',
    },
  });
  s.do(LABFOR, {
    type: 'item.check',
    item: IMAGE,
    data: { digests: { sha512: IMAGE_DIGESTS.sha512 }, size: 64021856256, result: 'match', tool: 'Magnet AXIOM Process 8.2', remarks: 'Verifikasi sebelum analisis.' },
  });
  s.do(LABFOR, {
    type: 'item.seal',
    item: PHONE,
    data: { numbers: ['LABFOR-2026-1123', 'LABFOR-2026-1124'], place: 'Ruang akuisisi Puslabfor', remarks: 'Dibungkus ulang setelah akuisisi.' },
  });
  s.do(PENYIDIK, {
    type: 'item.import',
    item: CLOUD,
    data: {
      source: {
        log: 'ledger.cyber.fbi.gov/2026',
        item: 'FBI-CY-2026-00412',
        head: toHex(sha256(utf8('fbi head'))),
        checkpoint: { size: 1532, root: toHex(sha256(utf8('fbi root'))) },
        bundle: toHex(sha256(utf8('fbi bundle'))),
      },
      kind: 'cloud-export',
      description: 'Ekspor akun penyimpanan awan dari penyedia layanan AS, diterima melalui Divhubinter.',
      digests: CLOUD_DIGESTS,
      size: 2147483648,
      cases: CASES,
      location: 'Server barang bukti Dittipidsiber, volume EVD-01',
    },
  });
  s.do(LABFOR, {
    type: 'item.dispose',
    item: IMAGE,
    data: {
      method: 'destroyed',
      authority: 'Penetapan PN Jakarta Selatan No. 45/Pen.Pid/2026/PN Jkt.Sel',
      witnesses: ['Jaksa Penuntut Umum Kejari Jakarta Selatan', 'Penasihat hukum tersangka'],
      place: 'Puslabfor Bareskrim Polri, Sentul',
      remarks: 'Salinan kerja dihapus aman (DoD 5220.22-M).',
    },
  });
  s.do(PPBB, { type: 'item.note', item: PHONE, data: { text: 'Koreksi: lokasi yang benar adalah Lemari 7, Rak C.\nDicatat oleh PPBB.', corrects: move } });
  s.do(ADMIN, { type: 'item.note', item: null, data: { text: 'Audit internal Itwasum: register diperiksa lengkap.' } });
  return s;
}

const story = buildStory();

// ---------------------------------------------------------------------------------------------
// Broken variants

type Path = readonly (string | number)[];
interface Variant {
  readonly name: string;
  readonly mutate: (record: Record<string, unknown>) => void;
  /** The JSON pointer parseRecord must name (details.path). */
  readonly pointer: string;
}

const pointer = (path: Path): string => '/' + path.join('/');

/** at: a variant setting `path` to `value`, failing at `failsAt` (default: the path itself). */
function at(path: Path, value: unknown, name: string, failsAt: Path = path): Variant {
  return {
    name,
    pointer: pointer(failsAt),
    mutate(record) {
      let node = record as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]!] = value;
    },
  };
}

function without(path: Path, name = `without ${path.join('.')}`): Variant {
  return {
    name,
    pointer: pointer(path.slice(0, -1)),
    mutate(record) {
      let node = record as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      delete node[path[path.length - 1]!];
    },
  };
}

const HEX63 = 'a'.repeat(63);
const UPPER64 = 'A'.repeat(64);

/** Variants of a `name` field (1–200 characters, one line). */
const nameVariants = (path: Path): Variant[] => [
  at(path, 'x'.repeat(201), `${path.join('.')} of 201 characters`),
  at(path, '', `${path.join('.')} empty`),
  at(path, 'Budi\nSantoso', `${path.join('.')} with a newline`),
  at(path, 'Budi\u0007', `${path.join('.')} with a control character`),
  at(path, 42, `${path.join('.')} as a number`),
];

/** Variants of a `text` field (1–2000 characters; tab and newline allowed, other controls not). */
const textVariants = (path: Path): Variant[] => [
  at(path, 'x'.repeat(2001), `${path.join('.')} of 2001 characters`),
  at(path, '', `${path.join('.')} empty`),
  at(path, 'baris satu\r\nbaris dua', `${path.join('.')} with a carriage return`),
  at(path, 'isi\u0000berkas', `${path.join('.')} with a NUL`),
  at(path, '\u007f', `${path.join('.')} with DEL`),
  at(path, ['a'], `${path.join('.')} as an array`),
];

/** Variants of an identity or item id. */
const idVariants = (path: Path): Variant[] => [
  at(path, 'Budi Santoso', `${path.join('.')} with a space`),
  at(path, '-budi', `${path.join('.')} starting with a dash`),
  at(path, 'b'.repeat(129), `${path.join('.')} of 129 characters`),
  at(path, 'budi#1', `${path.join('.')} with a character outside ._:/-`),
  at(path, '', `${path.join('.')} empty`),
];

/** Variants of a SHA-256 hash field (a leaf hash or a digest). */
const hashVariants = (path: Path): Variant[] => [
  at(path, HEX63, `${path.join('.')} of 63 hex digits`),
  at(path, UPPER64, `${path.join('.')} in upper case`),
  at(path, 'g'.repeat(64), `${path.join('.')} with a non-hex digit`),
];

/** Variants of a digests object: lengths, unknown algorithms, no strong digest. */
const digestVariants = (path: Path): Variant[] => [
  at([...path, 'sha256'], HEX63, `${path.join('.')}.sha256 of 63 hex digits`),
  at([...path, 'sha256'], 'a'.repeat(65), `${path.join('.')}.sha256 of 65 hex digits`),
  at([...path, 'sha256'], UPPER64, `${path.join('.')}.sha256 in upper case`),
  at([...path, 'sha512'], 'b'.repeat(64), `${path.join('.')}.sha512 of 64 hex digits`),
  at([...path, 'md5'], 'c'.repeat(40), `${path.join('.')}.md5 of 40 hex digits`),
  at([...path, 'sha384'], 'd'.repeat(96), `${path.join('.')} with an unknown algorithm`, path),
  at(path, { md5: '5d41402abc4b2a76b9719d911017c592', sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' }, `${path.join('.')} with no strong digest`),
  at(path, {}, `${path.join('.')} empty`),
];

/** Variants of a byte size. */
const sizeVariants = (path: Path): Variant[] => [
  at(path, -1, `${path.join('.')} negative`),
  at(path, '6', `${path.join('.')} as a string`),
];

/** Variants of a seal object. */
const sealVariants = (path: Path): Variant[] => [
  at([...path, 'state'], 'rusak', `${path.join('.')}.state not intact or broken`),
  at([...path, 'numbers'], [], `${path.join('.')}.numbers empty`),
  at([...path, 'numbers'], Array.from({ length: 51 }, (_, i) => `SGL-${i}`), `${path.join('.')}.numbers with 51 seals`),
  without([...path, 'state']),
  at([...path, 'colour'], 'merah', `${path.join('.')} with an unknown field`, path),
];

/** Variants of a check object (a re-measurement). */
const checkVariants = (path: Path): Variant[] => [
  at([...path, 'result'], 'ok', `${path.join('.')}.result not match or mismatch`),
  without([...path, 'result']),
  without([...path, 'digests']),
  at([...path, 'digests'], { md5: '5d41402abc4b2a76b9719d911017c592' }, `${path.join('.')}.digests with only md5`),
  at([...path, 'verdict'], 'match', `${path.join('.')} with an unknown field`, path),
];

/** The item must be an id on an item record... */
const itemRequired: Variant[] = [at(['item'], null, 'item null'), ...idVariants(['item'])];
/** ...and null on ledger and identity records, with itemPrev null too. */
const itemForbidden: Variant[] = [
  at(['item'], PHONE, 'item set to an exhibit number'),
  at(['itemPrev'], 'e'.repeat(64), 'itemPrev set'),
];

interface TypeCase {
  /** The data fields the schema requires: each one's absence is a variant. */
  readonly required: readonly string[];
  readonly variants: readonly Variant[];
}

const D = (...path: Path): Path => ['data', ...path];

const CASES_BY_TYPE: Record<RecordType, TypeCase> = {
  'ledger.genesis': {
    required: ['name', 'agency', 'key'],
    variants: [
      ...itemForbidden,
      ...nameVariants(D('name')),
      ...nameVariants(D('agency')),
      ...textVariants(D('description')),
      at(D('key'), 'A'.repeat(43), 'key without padding'),
      at(D('key'), 'A'.repeat(42) + 'B=', 'key with non-zero unused bits'),
      at(D('key'), 'A'.repeat(86) + 'A==', 'key of 64 bytes'),
    ],
  },
  'identity.enrol': {
    required: ['id', 'name', 'agency', 'role', 'key'],
    variants: [
      ...itemForbidden,
      ...idVariants(D('id')),
      ...nameVariants(D('name')),
      ...nameVariants(D('nrp')),
      ...nameVariants(D('title')),
      at(D('role'), 'ledger', 'role ledger (reserved for the ledger key)'),
      at(D('role'), 'superadmin', 'role not in the list'),
      at(D('role'), 'Officer', 'role in another case'),
      at(D('key'), 'A'.repeat(43) + '-', 'key in the URL alphabet'),
      at(D('key'), 'AAAA', 'key of 3 bytes'),
    ],
  },
  'identity.rotate': {
    required: ['id', 'key'],
    variants: [...itemForbidden, ...idVariants(D('id')), ...textVariants(D('reason')), at(D('key'), null, 'key null')],
  },
  'identity.revoke': {
    required: ['id', 'reason'],
    variants: [
      ...itemForbidden,
      ...idVariants(D('id')),
      ...textVariants(D('reason')),
      at(D('compromisedSince'), -1, 'compromisedSince negative'),
      at(D('compromisedSince'), '3', 'compromisedSince as a string'),
    ],
  },
  'item.register': {
    required: ['kind', 'description', 'digests'],
    variants: [
      ...itemRequired,
      at(D('kind'), 'Phone', 'kind in upper case'),
      at(D('kind'), 'mobile phone', 'kind with a space'),
      at(D('kind'), 'k'.repeat(33), 'kind of 33 characters'),
      ...textVariants(D('description')),
      ...digestVariants(D('digests')),
      ...sizeVariants(D('size')),
      at(D('identifiers', 'IMEI'), '356789104512347', 'identifiers with an upper-case name', D('identifiers')),
      at(D('identifiers'), {}, 'identifiers empty'),
      ...nameVariants(D('identifiers', 'imei')),
      at(D('cases'), [], 'cases empty'),
      ...nameVariants(D('cases', 0)),
      without(D('seizure', 'authority')),
      ...nameVariants(D('seizure', 'place')),
      at(D('seizure', 'time'), '2026-11-28T00:40:00Z', 'seizure time without milliseconds'),
      at(D('seizure', 'time'), '2026-11-28T07:40:00.000+07:00', 'seizure time with an offset'),
      at(D('seizure', 'photo'), 'data:image/jpeg;base64,/9j/4AAQ', 'seizure with a photo field', D('seizure')),
      ...sealVariants(D('seal')),
      ...nameVariants(D('location')),
      ...textVariants(D('remarks')),
    ],
  },
  'item.derive': {
    required: ['parents', 'kind', 'description', 'method', 'digests'],
    variants: [
      ...itemRequired,
      at(D('parents'), [], 'parents empty'),
      ...idVariants(D('parents', 0, 'item')),
      ...hashVariants(D('parents', 0, 'head')),
      without(D('parents', 0, 'head')),
      at(D('parents', 0, 'seq'), 17, 'a parent with an unknown field', D('parents', 0)),
      at(D('kind'), 'IMAGE', 'kind in upper case'),
      ...textVariants(D('description')),
      ...nameVariants(D('method')),
      ...nameVariants(D('tool')),
      ...digestVariants(D('digests')),
      ...sizeVariants(D('size')),
    ],
  },
  'item.import': {
    required: ['source', 'kind', 'description', 'digests'],
    variants: [
      ...itemRequired,
      without(D('source', 'log')),
      without(D('source', 'item')),
      without(D('source', 'head')),
      without(D('source', 'checkpoint')),
      without(D('source', 'bundle')),
      at(D('source', 'log'), 'ledger fbi', 'source log with a space'),
      at(D('source', 'log'), 'ledger.fbi.gov+1234', 'source log with a plus (it is a note key name)'),
      ...idVariants(D('source', 'item')),
      ...hashVariants(D('source', 'head')),
      ...hashVariants(D('source', 'bundle')),
      ...hashVariants(D('source', 'checkpoint', 'root')),
      at(D('source', 'checkpoint', 'size'), -1, 'source checkpoint size negative'),
      at(D('source', 'checkpoint', 'note'), 'ledger.cyber.fbi.gov/2026\n1532\n', 'source checkpoint with an unknown field', D('source', 'checkpoint')),
      at(D('source', 'url'), 'https://example.org', 'source with an unknown field', D('source')),
      ...digestVariants(D('digests')),
      ...textVariants(D('description')),
    ],
  },
  'custody.transfer': {
    required: ['from', 'to', 'purpose'],
    variants: [
      ...itemRequired,
      ...idVariants(D('from')),
      ...idVariants(D('to')),
      ...textVariants(D('purpose')),
      ...nameVariants(D('authority')),
      ...nameVariants(D('place')),
      ...sealVariants(D('seal')),
      ...checkVariants(D('check')),
      ...digestVariants(D('check', 'digests')),
      ...textVariants(D('remarks')),
    ],
  },
  'custody.offer': {
    required: ['to', 'purpose'],
    variants: [...itemRequired, ...idVariants(D('to')), ...textVariants(D('purpose')), ...nameVariants(D('authority')), ...sealVariants(D('seal'))],
  },
  'custody.accept': {
    required: ['offer'],
    variants: [
      ...itemRequired,
      ...hashVariants(D('offer')),
      ...nameVariants(D('place')),
      ...sealVariants(D('seal')),
      ...checkVariants(D('check')),
      ...digestVariants(D('check', 'digests')),
      ...sizeVariants(D('check', 'size')),
      ...textVariants(D('remarks')),
    ],
  },
  'custody.reject': {
    required: ['offer', 'reason'],
    variants: [...itemRequired, ...hashVariants(D('offer')), ...textVariants(D('reason')), ...sealVariants(D('seal')), ...checkVariants(D('check'))],
  },
  'custody.cancel': {
    required: ['offer'],
    variants: [...itemRequired, ...hashVariants(D('offer')), ...textVariants(D('reason'))],
  },
  'item.seal': {
    required: ['numbers'],
    variants: [
      ...itemRequired,
      at(D('numbers'), [], 'numbers empty'),
      at(D('numbers'), 'LABFOR-2026-1123', 'numbers as a string'),
      ...nameVariants(D('numbers', 0)),
      ...nameVariants(D('place')),
      ...textVariants(D('remarks')),
    ],
  },
  'item.unseal': {
    required: ['numbers', 'found', 'purpose'],
    variants: [
      ...itemRequired,
      at(D('numbers'), [], 'numbers empty'),
      ...nameVariants(D('numbers', 0)),
      at(D('found'), 'utuh', 'found not intact or broken'),
      at(D('found'), true, 'found as a boolean'),
      ...textVariants(D('purpose')),
    ],
  },
  'item.check': {
    required: ['digests', 'result'],
    variants: [
      ...itemRequired,
      ...digestVariants(D('digests')),
      at(D('result'), 'cocok', 'result not match or mismatch'),
      ...sizeVariants(D('size')),
      ...nameVariants(D('tool')),
      ...textVariants(D('remarks')),
    ],
  },
  'item.examine': {
    required: ['purpose', 'authority'],
    variants: [...itemRequired, ...textVariants(D('purpose')), ...nameVariants(D('authority')), ...nameVariants(D('tool')), ...nameVariants(D('place'))],
  },
  'item.move': {
    required: ['location'],
    variants: [...itemRequired, ...nameVariants(D('location')), ...textVariants(D('reason'))],
  },
  'item.dispose': {
    required: ['method', 'authority'],
    variants: [
      ...itemRequired,
      at(D('method'), 'sold', 'method not in the list'),
      at(D('method'), 'dimusnahkan', 'method in Bahasa Indonesia'),
      ...nameVariants(D('authority')),
      at(D('witnesses'), [], 'witnesses empty'),
      ...nameVariants(D('witnesses', 1)),
      ...nameVariants(D('recipient')),
      ...textVariants(D('remarks')),
    ],
  },
  'item.note': {
    required: ['text'],
    variants: [
      ...idVariants(['item']),
      ...textVariants(D('text')),
      ...hashVariants(D('corrects')),
      at(D('corrects'), null, 'corrects null'),
    ],
  },
};

/** Variants every type shares: each required data field missing, an unknown data field, data not an object. */
function commonVariants(type: RecordType): Variant[] {
  return [
    ...CASES_BY_TYPE[type].required.map((field) => without(D(field))),
    at(D('content'), 'iVBORw0KGgoAAAANSUhEUgAA', 'an unknown data field that could hold content', ['data']),
    at(D('Description'), 'x', 'a data field differing only in case', ['data']),
    at(['data'], [], 'data as an array'),
  ];
}

function clone(record: LedgerRecord): Record<string, unknown> {
  return structuredClone(record) as unknown as Record<string, unknown>;
}

/** The variant's record, re-serialised canonically, must fail parseRecord with SCHEMA_INVALID at `pointer`. */
function assertRejected(record: LedgerRecord, variant: Variant): void {
  const broken = clone(record);
  variant.mutate(broken);
  const bytes = utf8(canonicalize(broken));
  try {
    parseRecord(bytes);
  } catch (e) {
    assert.ok(isCustodyError(e), `${record.type}, ${variant.name}: not a CustodyError: ${String(e)}`);
    assert.is(e.code, 'SCHEMA_INVALID', `${record.type}, ${variant.name}: ${e.message}`);
    assert.is(e.details['path'], variant.pointer, `${record.type}, ${variant.name}: ${e.message}`);
    return;
  }
  assert.unreachable(`${record.type}, ${variant.name}: parseRecord accepted it`);
}

function schemaFile(type: RecordType): { required?: string[]; properties: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(schemaDir, 'data', `${type}.schema.json`), 'utf8'));
}

// ---------------------------------------------------------------------------------------------

test('the story uses every record type and audits intact', () => {
  assert.equal([...story.first.keys()].sort(), [...RECORD_TYPES].sort());
  const report = auditLedger(story.ledger.leaves);
  assert.equal(report.failures, []);
  assert.equal(report.warnings, []);
  assert.ok(report.ok);
  assert.is(report.size, story.all.length);
});

for (const type of RECORD_TYPES) {
  test(`a realistic ${type} record, signed and rule-valid, passes parseRecord unchanged`, () => {
    const { record, leaf } = story.first.get(type)!;
    assert.equal(parseRecord(leaf), record);
    assert.is(canonicalize(parseRecord(leaf)), new TextDecoder().decode(leaf));
  });

  test(`the ${type} schema requires exactly the fields this test removes`, () => {
    assert.equal([...(schemaFile(type).required ?? [])].sort(), [...CASES_BY_TYPE[type].required].sort());
  });

  test(`broken ${type} records fail parseRecord with SCHEMA_INVALID at the broken field`, () => {
    const { record } = story.first.get(type)!;
    const variants = [...commonVariants(type), ...CASES_BY_TYPE[type].variants];
    for (const variant of variants) assertRejected(record, variant);
    // Every variant must change the record (a mutation that changes nothing would test nothing).
    for (const variant of variants) {
      const broken = clone(record);
      variant.mutate(broken);
      assert.is.not(canonicalize(broken), canonicalize(record), `${type}, ${variant.name} changes nothing`);
    }
  });
}

test('an item.note may be about an item or about the ledger as a whole', () => {
  const notes = story.all.filter((e) => e.record.type === 'item.note');
  assert.equal(notes.map((e) => e.record.item), [PHONE, null]);
  for (const note of notes) assert.equal(parseRecord(note.leaf), note.record);
});

test('length limits count characters (code points), up to and including the limit', () => {
  const { record } = story.first.get('item.register')!;
  const accepted = (mutate: (r: Record<string, unknown>) => void): void => {
    const r = clone(record);
    mutate(r);
    parseRecord(utf8(canonicalize(r)));
  };
  const data = (r: Record<string, unknown>) => r['data'] as Record<string, unknown>;
  accepted((r) => (data(r)['description'] = 'x'.repeat(2000)));
  accepted((r) => (data(r)['description'] = '📱'.repeat(2000))); // 4000 UTF-16 code units
  accepted((r) => (data(r)['description'] = 'baris satu\nbaris dua\tkolom'));
  accepted((r) => (data(r)['location'] = 'x'.repeat(200)));
  accepted((r) => (data(r)['location'] = '🗄'.repeat(200)));
  accepted((r) => (r['item'] = 'B'.repeat(128)));
  accepted((r) => (r['item'] = '0:a.b-c/d'));
  assertRejected(record, at(D('description'), '📱'.repeat(2001), 'description of 2001 emoji'));
  assertRejected(record, at(D('location'), '🗄'.repeat(201), 'location of 201 emoji'));
});

test('broken record envelopes fail parseRecord with SCHEMA_INVALID', () => {
  const { record } = story.first.get('custody.transfer')!;
  const variants: Variant[] = [
    at(['v'], 2, 'v 2'),
    at(['type'], 'item.destroy', 'an unknown type'),
    at(['seq'], -1, 'seq negative'),
    at(['seq'], '4', 'seq as a string'),
    ...hashVariants(['prev']),
    ...hashVariants(['itemPrev']),
    at(['time'], '2026-11-28T01:00:00Z', 'time without milliseconds'),
    at(['time'], '2026-11-28 01:00:00.000Z', 'time with a space'),
    at(['time'], '2026-13-28T01:00:00.000Z', 'time in month 13'),
    at(['zone'], 'WIB', 'zone not an IANA name'),
    at(['zone'], `Asia/${'J'.repeat(60)}`, 'zone of 65 characters'),
    ...idVariants(['actor']),
    at(['log'], 'ledger dittipidsiber', 'log with a space'),
    at(['sig'], 'A'.repeat(88), 'sig without padding'),
    at(['sig'], 'A'.repeat(84) + '==', 'sig of 63 bytes'),
    at(['sig'], 'A'.repeat(85) + 'B==', 'sig with non-zero unused bits'),
    without(['sig']),
    without(['itemPrev']),
    without(['item']),
    without(['data']),
    at(['cosigs'], [], 'cosigs empty'),
    at(['cosigs', 0, 'sig'], 'A'.repeat(43) + '=', 'cosig of 32 bytes'),
    without(['cosigs', 0, 'id']),
    at(['cosigs', 0, 'time'], '2026-11-28T01:00:00.000Z', 'cosig with an unknown field', ['cosigs', 0]),
    at(['note'], 'diubah', 'an unknown top-level field', []),
  ];
  for (const variant of variants) assertRejected(record, variant);
});

test('a time that matches the pattern but is no real instant fails with SCHEMA_INVALID', () => {
  const { record } = story.first.get('item.move')!;
  for (const time of ['2026-02-30T01:00:00.000Z', '2026-11-31T01:00:00.000Z', '2026-02-29T01:00:00.000Z']) {
    let error: unknown;
    try {
      parseRecord(utf8(canonicalize({ ...record, time })));
    } catch (e) {
      error = e;
    }
    assert.ok(isCustodyError(error, 'SCHEMA_INVALID'), `${time}: ${String(error)}`);
  }
  parseRecord(utf8(canonicalize({ ...record, time: '2028-02-29T01:00:00.000Z' }))); // a leap day
});

// ---------------------------------------------------------------------------------------------
// The schema files

function schemaFiles(): Array<{ file: string; schema: Record<string, unknown> }> {
  const top = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
  const data = readdirSync(join(schemaDir, 'data')).map((f) => join('data', f));
  return [...top, ...data].sort().map((file) => ({ file, schema: JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) }));
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * closedObjectProblems walks a schema and lists every subschema with `properties` but without
 * `additionalProperties: false`. A conditional branch (if/then/else) is exempt, as it must be
 * (closing it would reject the other fields), when its parent is closed and the branch names only
 * properties the parent declares, so a branch can never admit a field.
 */
function closedObjectProblems(schema: unknown, where = '#'): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, at: string, branchOf?: Schema): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`, branchOf));
    if (!isObject(node)) return;
    if (isObject(node['properties'])) {
      if (branchOf !== undefined) {
        const declared = Object.keys(branchOf['properties'] as Schema);
        for (const key of Object.keys(node['properties'])) {
          if (!declared.includes(key)) problems.push(`${at}: the branch names "${key}", which its closed parent does not declare`);
        }
      } else if (node['additionalProperties'] !== false) {
        problems.push(`${at}: has properties but not additionalProperties: false`);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'const' || key === 'enum' || key === 'required' || key === 'examples' || key === 'default') continue;
      const closedParent = node['additionalProperties'] === false && isObject(node['properties']);
      if (key === 'allOf' && closedParent) {
        // allOf of conditionals: each if/then/else is a branch of this node
        (value as unknown[]).forEach((c, i) => {
          if (!isObject(c)) return;
          for (const [k, v] of Object.entries(c)) {
            if (k === 'if' || k === 'then' || k === 'else') walk(v, `${at}/allOf/${i}/${k}`, node);
            else walk(v, `${at}/allOf/${i}/${k}`);
          }
        });
        continue;
      }
      if ((key === 'if' || key === 'then' || key === 'else') && closedParent) walk(value, `${at}/${key}`, node);
      else if (key === 'properties' && isObject(value)) for (const [p, s] of Object.entries(value)) walk(s, `${at}/properties/${p}`);
      else walk(value, `${at}/${key}`);
    }
  };
  walk(schema, where);
  return problems;
}

test('every schema file is a valid JSON Schema 2020-12 document with a unique $id', () => {
  const files = schemaFiles();
  assert.ok(files.length >= 2 + RECORD_TYPES.length, `only ${files.length} schema files`);
  const ajv = new Ajv2020({ strict: true, strictRequired: false });
  const ids = new Set<string>();
  for (const { file, schema } of files) {
    assert.is(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema', `${file}: $schema`);
    assert.type(schema['$id'], 'string', `${file}: $id`);
    assert.not.ok(ids.has(schema['$id'] as string), `${file}: $id ${String(schema['$id'])} twice`);
    ids.add(schema['$id'] as string);
    assert.ok(ajv.validateSchema(schema), `${file}: ${ajv.errorsText(ajv.errors)}`);
  }
  // All of them together compile under strict mode (every $ref resolves, no unknown keywords).
  const all = new Ajv2020({ strict: true, strictRequired: false, schemas: files.map((f) => f.schema) });
  for (const id of ids) assert.ok(all.getSchema(id), `${id} does not compile`);
});

test('every object schema with properties is closed by additionalProperties: false', () => {
  for (const { file, schema } of schemaFiles()) assert.equal(closedObjectProblems(schema, file), [], file);
});

test('the closed-object walk finds an open object, and a conditional branch that adds a field', () => {
  const open = { type: 'object', properties: { a: { type: 'object', properties: { b: {} } } }, additionalProperties: false };
  assert.equal(closedObjectProblems(open), ['#/properties/a: has properties but not additionalProperties: false']);
  const sneaky = {
    type: 'object',
    additionalProperties: false,
    properties: { type: {} },
    allOf: [{ if: { properties: { type: { const: 'x' } } }, then: { properties: { extra: {} } } }],
  };
  assert.equal(closedObjectProblems(sneaky), ['#/allOf/0/then: the branch names "extra", which its closed parent does not declare']);
  const defs = { $defs: { seal: { type: 'object', properties: { numbers: {} } } } };
  assert.equal(closedObjectProblems(defs), ['#/$defs/seal: has properties but not additionalProperties: false']);
});

test('the record schema selects one data schema for each record type, and no other', () => {
  const record = JSON.parse(readFileSync(join(schemaDir, 'record.schema.json'), 'utf8'));
  const types = record.properties.type.enum as string[];
  assert.equal([...types].sort(), [...RECORD_TYPES].sort());
  const selected = (record.allOf as Array<{ if: Schema; then: { properties: { data: { $ref: string } } } }>).map((c) => {
    const type = ((c.if['properties'] as Schema)['type'] as Schema)['const'] as string;
    assert.equal(c.if['required'], ['type'], `the condition for ${type} requires type`);
    assert.is(c.then.properties.data.$ref, `urn:custody:schema:data:${type}`);
    return type;
  });
  assert.equal([...selected].sort(), [...RECORD_TYPES].sort());
  const dataFiles = readdirSync(join(schemaDir, 'data')).sort();
  assert.equal(dataFiles, [...RECORD_TYPES].map((t) => `${t}.schema.json`).sort());
  for (const type of RECORD_TYPES) {
    const s = schemaFile(type) as unknown as Schema;
    assert.is(s['$id'], `urn:custody:schema:data:${type}`);
    assert.is(s['type'], 'object');
    assert.is(s['additionalProperties'], false);
  }
});

test('the committed validators are exactly what gen-validators makes of the schemas', () => {
  const run = spawnSync(process.execPath, [join(root, 'scripts/gen-validators.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
});

test('gen-validators --check fails when the committed validators differ from the schemas', () => {
  // A copy of the layout with one schema loosened: the same committed validators no longer match.
  const dir = mkdtempSync(join(tmpdir(), 'custody-gen-'));
  try {
    cpSync(join(root, 'scripts/gen-validators.mjs'), join(dir, 'scripts/gen-validators.mjs'));
    cpSync(schemaDir, join(dir, 'schemas'), { recursive: true });
    cpSync(join(root, 'packages/core/src/generated'), join(dir, 'packages/core/src/generated'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const script = join(dir, 'scripts/gen-validators.mjs');
    assert.is(spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' }).status, 0, 'the copy matches before the change');
    const moveFile = join(dir, 'schemas/data/item.move.schema.json');
    const move = JSON.parse(readFileSync(moveFile, 'utf8'));
    move.properties.location = { type: 'string' };
    writeFileSync(moveFile, JSON.stringify(move, null, 2));
    assert.is(spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' }).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
