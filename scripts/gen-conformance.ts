#!/usr/bin/env node
// Generates the conformance corpus test/conformance/ (docs/PROTOCOL.md §12) and the worked examples
// of docs/PROTOCOL.md, deterministically: fixed Ed25519 seeds, fixed times, no randomness. Ed25519
// signatures are deterministic (RFC 8032), so every run writes the same bytes.
//
//   node --conditions=source --import tsx scripts/gen-conformance.ts [OUT_DIR]
//   node --conditions=source --import tsx scripts/gen-conformance.ts --doc
//
// OUT_DIR defaults to test/conformance. With --doc, it rewrites the example blocks of docs/PROTOCOL.md. Each case's expected verdict is written here by hand, from the
// protocol, not read back from the verifier: test/conformance.test.ts then checks that the project's
// verifiers agree with every one.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addCosignatures,
  canonicalBytes,
  canonicalize,
  cosignatureMessage,
  cosignCheckpoint,
  createVerifierKey,
  formatVerifierKey,
  leafHash,
  MemoryHashStore,
  nobleCrypto,
  parseJson,
  parseBase64,
  proveConsistency,
  proveInclusion,
  recordSigningBytes,
  sealRecord,
  seedSigner,
  signCheckpoint,
  signNote,
  noteSigner,
  signStatement,
  statementOf,
  statementSigningBytes,
  toBase64,
  toHex,
  treeHash,
  utf8,
  withCosignatures,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  ZERO_HASH_HEX,
  type Bundle,
  type BundleRecord,
  type JsonObject,
  type LedgerRecord,
  type RecordType,
  type Signer,
  type UnsignedRecord,
} from '../packages/core/src/index.js';

// ---------------------------------------------------------------------------------------------
// Keys and people

/** Every key of the corpus is an Ed25519 private key whose 32-byte seed is one byte repeated. */
export const SEEDS = {
  ledger: 1,
  adm: 2,
  budi: 3,
  sari: 4,
  rudi: 5,
  'fbi.doe': 6,
  'wit.kejari': 7,
  eve: 8,
  'budi.new': 9,
  'fbi.ledger': 10,
  'witness.a': 21,
  'witness.b': 22,
  'witness.c': 23,
  'other.ledger': 24,
} as const;
export type KeyName = keyof typeof SEEDS;

const signers = new Map<KeyName, Signer>();
export function signer(name: KeyName): Signer {
  let s = signers.get(name);
  if (s === undefined) signers.set(name, (s = seedSigner(new Uint8Array(32).fill(SEEDS[name]))));
  return s;
}
const pub = (name: KeyName): string => toBase64(signer(name).publicKey);

export const ORIGIN = 'ledger.polri.example/2026';
export const FBI_ORIGIN = 'ledger.fbi.example/legat-jakarta';
export const WITNESSES = { a: 'witness.kejaksaan.example', b: 'witness.komnasham.example', c: 'witness.ma.example' } as const;
const WITNESS_KEY: Record<keyof typeof WITNESSES, KeyName> = { a: 'witness.a', b: 'witness.b', c: 'witness.c' };
/** Cosignature timestamps: POSIX seconds, fixed. */
const COSIGNED_AT = 1795831200; // 2026-11-28T02:00:00Z

const DIGEST_PHONE = { sha256: 'af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf' };
const DIGEST_IMAGE = {
  sha256: '5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
  sha512: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
};
const DIGEST_DISK = { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };

export function logVerifierKey(origin: string = ORIGIN, key: KeyName = 'ledger'): string {
  return formatVerifierKey(createVerifierKey(origin, SIGNATURE_TYPE_ED25519, signer(key).publicKey));
}
export function witnessVerifierKey(w: keyof typeof WITNESSES): string {
  return formatVerifierKey(createVerifierKey(WITNESSES[w], SIGNATURE_TYPE_COSIGNATURE_V1, signer(WITNESS_KEY[w]).publicKey));
}

// ---------------------------------------------------------------------------------------------
// Forge: builds a log record by record, signing whatever it is told to. Unlike MemoryLedger it
// does not refuse a record that breaks a rule: invalid ledgers need such records, correctly signed.

export interface Step {
  type: RecordType;
  item?: string | null;
  actor: string;
  data: JsonObject;
  /** Who signs as actor (default: the actor's key; `budi` after his rotation signs as `budi.new`). */
  as?: KeyName;
  /** Cosigners: [identity id, key]. */
  cosign?: Array<[string, KeyName]>;
  time?: string;
  /** Makes the record a late entry (PROTOCOL.md §4.5); cosigners sign it with the statement. */
  late?: { reason: string; recorded: string };
  /** Changes the unsigned record just before the actor signs (after cosigners signed the statement). */
  patch?: (r: Record<string, unknown>) => void;
}

export class Forge {
  readonly leaves: Uint8Array[] = [];
  readonly records: LedgerRecord[] = [];
  readonly hashes: string[] = [];
  readonly #heads = new Map<string, string>();
  #clock: number;
  readonly #keys = new Map<string, KeyName>();

  constructor(
    readonly origin: string,
    start = '2026-11-28T01:00:00.000Z',
  ) {
    this.#clock = Date.parse(start);
  }

  get size(): number {
    return this.leaves.length;
  }

  /** The leaf hash of the latest record about `item`. */
  head(item: string): string {
    return this.#heads.get(item)!;
  }

  add(step: Step): { record: LedgerRecord; leafHash: string; seq: number } {
    const item = step.item ?? null;
    const creates = step.type === 'item.register' || step.type === 'item.derive' || step.type === 'item.import';
    const time = step.time ?? new Date((this.#clock += 60_000)).toISOString();
    let unsigned: UnsignedRecord = {
      v: 1,
      log: this.origin,
      seq: this.size,
      prev: this.size === 0 ? ZERO_HASH_HEX : this.hashes[this.size - 1]!,
      time,
      zone: 'Asia/Jakarta',
      ...(step.late === undefined ? {} : { late: step.late }),
      type: step.type,
      item,
      itemPrev: item === null || creates ? null : (this.#heads.get(item) ?? null),
      actor: step.actor,
      data: step.data,
    };
    if (step.cosign !== undefined) {
      const statement = statementOf(unsigned);
      unsigned = withCosignatures(unsigned, step.cosign.map(([id, key]) => signStatement(statement, id, signer(key))));
    }
    if (step.patch !== undefined) {
      const copy = JSON.parse(JSON.stringify(unsigned)) as Record<string, unknown>;
      step.patch(copy);
      unsigned = copy as unknown as UnsignedRecord;
    }
    const key = step.as ?? this.#keys.get(step.actor) ?? (step.actor as KeyName);
    const { record, leafBytes } = sealRecord(unsigned, signer(key));
    const hash = toHex(leafHash(leafBytes));
    this.leaves.push(leafBytes);
    this.records.push(record);
    this.hashes.push(hash);
    if (record.item !== null) this.#heads.set(record.item, hash);
    if (step.type === 'identity.rotate' && step.patch === undefined) {
      const id = step.data['id'] as string;
      const newKey = (Object.keys(SEEDS) as KeyName[]).find((k) => pub(k) === step.data['key']);
      if (newKey !== undefined) this.#keys.set(id, newKey);
    }
    return { record, leafHash: hash, seq: record.seq };
  }

  /** jsonl returns the JSON Lines export: each leaf's bytes and "\n". */
  jsonl(count = this.size): Uint8Array {
    return joinLines(this.leaves.slice(0, count));
  }

  root(size = this.size): Uint8Array {
    return treeHash(size, this.store());
  }

  store(): MemoryHashStore {
    return MemoryHashStore.fromLeafHashes(this.leaves.map((l) => leafHash(l)));
  }

  /** checkpoint returns the log's signed checkpoint at `size`, cosigned by the given witnesses. */
  checkpoint(size = this.size, witnesses: Array<keyof typeof WITNESSES> = [], ledgerKey: KeyName = 'ledger'): string {
    const note = signCheckpoint({ origin: this.origin, size, rootHash: this.root(size) }, signer(ledgerKey));
    return cosign(note, witnesses);
  }
}

function cosign(note: string, witnesses: Array<keyof typeof WITNESSES>): string {
  if (witnesses.length === 0) return note;
  const text = note.slice(0, note.indexOf('\n\n') + 1);
  return addCosignatures(
    note,
    witnesses.map((w) => cosignCheckpoint(text, WITNESSES[w], signer(WITNESS_KEY[w]), COSIGNED_AT)),
  );
}

export function joinLines(lines: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const l of lines) parts.push(l, utf8('\n'));
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const enrol = (id: string, role: string, key: KeyName, by = 'ledger'): Step => ({
  type: 'identity.enrol',
  actor: by,
  data: { id, name: `Name of ${id}`, agency: role === 'external' ? 'FBI' : 'Polri', role, key: pub(key) },
});

/** genesisSteps: record 0 and the enrolment of the cast (records 1–6). */
function genesis(origin = ORIGIN, ledgerKey: KeyName = 'ledger'): Step[] {
  return [
    { type: 'ledger.genesis', actor: 'ledger', as: ledgerKey, data: { name: 'Register BB Digital 2026', agency: 'Dittipidsiber', key: pub(ledgerKey) } },
    { ...enrol('adm', 'admin', 'adm'), as: ledgerKey },
    enrol('budi', 'officer', 'budi', 'adm'),
    enrol('sari', 'officer', 'sari', 'adm'),
    enrol('rudi', 'officer', 'rudi', 'adm'),
    enrol('fbi.doe', 'external', 'fbi.doe', 'adm'),
    enrol('wit.kejari', 'witness', 'wit.kejari', 'adm'),
  ];
}

const register = (item: string, by = 'budi', extra: JsonObject = {}): Step => ({
  type: 'item.register',
  item,
  actor: by,
  data: {
    kind: 'phone',
    description: 'Ponsel Samsung, layar retak',
    digests: DIGEST_PHONE,
    size: 128043712512,
    cases: ['LP/B/0123/XI/2026/SPKT/Bareskrim Polri'],
    seal: { numbers: ['SGL-000417'], state: 'intact' },
    ...extra,
  },
});

/**
 * story builds the main valid ledger, 30 records exercising every record type but item.import.
 * Returned with the seqs of notable records, for the variants built on it.
 */
export function story(until = Infinity, tweak: (seq: number, step: Step, f: Forge) => Step = (_s, step) => step): Forge {
  const f = new Forge(ORIGIN);
  const steps: Array<Step | ((f: Forge) => Step)> = [
    ...genesis(), // 0–6
    register('BB-1'), // 7
    { type: 'custody.transfer', item: 'BB-1', actor: 'budi', data: { from: 'budi', to: 'sari', purpose: 'Penyerahan ke PPBB' }, cosign: [['sari', 'sari']] }, // 8
    { type: 'custody.offer', item: 'BB-1', actor: 'sari', data: { to: 'rudi', purpose: 'Pemeriksaan Labfor' } }, // 9
    (f) => ({ type: 'custody.accept', item: 'BB-1', actor: 'rudi', data: { offer: f.head('BB-1'), check: { digests: DIGEST_PHONE, result: 'match', tool: 'sha256sum' } } }), // 10
    { type: 'item.unseal', item: 'BB-1', actor: 'rudi', data: { numbers: ['SGL-000417'], found: 'intact', purpose: 'Akuisisi' } }, // 11
    (f) => ({
      type: 'item.derive',
      item: 'BB-1/IMG-1',
      actor: 'rudi',
      data: { parents: [{ item: 'BB-1', head: f.head('BB-1') }], kind: 'image', description: 'Citra fisik', method: 'physical acquisition', tool: 'Cellebrite UFED 7.71', digests: DIGEST_IMAGE, size: 128043712512 },
    }), // 12
    { type: 'item.check', item: 'BB-1/IMG-1', actor: 'rudi', data: { digests: { sha256: DIGEST_IMAGE.sha256 }, result: 'match', tool: 'sha256sum' } }, // 13
    { type: 'item.examine', item: 'BB-1/IMG-1', actor: 'rudi', data: { purpose: 'Pemeriksaan isi', authority: 'Sprint/77/XI/2026' } }, // 14
    { type: 'item.seal', item: 'BB-1', actor: 'rudi', data: { numbers: ['SGL-000512'] } }, // 15
    { type: 'custody.offer', item: 'BB-1', actor: 'rudi', data: { to: 'sari', purpose: 'Kembali ke PPBB' } }, // 16
    (f) => ({ type: 'custody.cancel', item: 'BB-1', actor: 'rudi', data: { offer: f.head('BB-1'), reason: 'Salah alamat' } }), // 17
    { type: 'custody.offer', item: 'BB-1', actor: 'rudi', data: { to: 'sari', purpose: 'Kembali ke PPBB' } }, // 18
    (f) => ({ type: 'custody.reject', item: 'BB-1', actor: 'sari', data: { offer: f.head('BB-1'), reason: 'Berita acara belum lengkap' } }), // 19
    { type: 'custody.transfer', item: 'BB-1', actor: 'sari', data: { from: 'rudi', to: 'sari', purpose: 'Kembali ke PPBB' }, cosign: [['rudi', 'rudi']] }, // 20
    { type: 'item.move', item: 'BB-1', actor: 'sari', data: { location: 'Gudang BB, lemari 7' } }, // 21
    { type: 'identity.rotate', actor: 'budi', data: { id: 'budi', key: pub('budi.new'), reason: 'Ganti perangkat' } }, // 22
    register('BB-2', 'budi', { kind: 'disk', description: 'Harddisk eksternal', digests: DIGEST_DISK, size: 500107862016, seal: { numbers: ['SGL-000600'], state: 'intact' } }), // 23
    { type: 'item.note', item: 'BB-1', actor: 'adm', data: { text: 'Nomor segel dikoreksi pada berita acara.' } }, // 24
    { type: 'identity.revoke', actor: 'adm', data: { id: 'wit.kejari', reason: 'Pindah tugas' } }, // 25
    { type: 'item.dispose', item: 'BB-2', actor: 'budi', data: { method: 'returned', authority: 'Penetapan PN Jaksel 12/2026', recipient: 'Pemilik' } }, // 26
    { type: 'item.note', actor: 'sari', data: { text: 'Stok opname gudang selesai.' } }, // 27
    { type: 'custody.transfer', item: 'BB-1/IMG-1', actor: 'rudi', data: { from: 'rudi', to: 'fbi.doe', purpose: 'MLA' }, cosign: [['fbi.doe', 'fbi.doe']] }, // 28
    { type: 'custody.transfer', item: 'BB-1/IMG-1', actor: 'rudi', data: { from: 'fbi.doe', to: 'rudi', purpose: 'Dikembalikan' }, cosign: [['fbi.doe', 'fbi.doe']] }, // 29
  ];
  for (let i = 0; i < steps.length && i < until; i++) {
    const s = steps[i]!;
    f.add(tweak(i, typeof s === 'function' ? s(f) : s, f));
  }
  return f;
}

/**
 * lateEntryStory is story(9) and, as record 9, a note on BB-1 dated a day before the genesis and
 * declared a late entry (PROTOCOL.md §4.5), recorded at `recorded` (default: a minute after record 8).
 */
export function lateEntryStory(recorded = '2026-11-28T01:10:00.000Z'): Forge {
  const f = story(9);
  f.add({
    type: 'item.note',
    item: 'BB-1',
    actor: 'sari',
    data: { text: 'Penyitaan di TKP pada 27 November, dicatat dari berita acara penyitaan.' },
    time: '2026-11-27T08:00:00.000Z',
    late: { reason: 'Buku register belum tersedia di lokasi penyitaan', recorded },
  });
  return f;
}

/** mixedScriptStory is story(9) and, as record 9, a note whose text has a Cyrillic "а" (U+0430) in the Latin word "Santoso". */
export function mixedScriptStory(): Forge {
  const f = story(9);
  f.add({ type: 'item.note', item: 'BB-1', actor: 'sari', data: { text: 'Diterima dari Budi S\u0430ntoso.' } });
  return f;
}

// ---------------------------------------------------------------------------------------------
// Bundles

/** bundleOf assembles a custody-bundle/v1 as @custody/ledger's exportBundle does. */
export function bundleOf(f: Forge, items: string[], note: string, size: number, upstream?: Bundle[]): Bundle {
  const covered = new Set<string>();
  const pending = [...items];
  const seqs = new Set<number>([0]);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (covered.has(id)) continue;
    covered.add(id);
    const timeline = f.records.filter((r) => r.item === id && r.seq < size);
    for (const r of timeline) seqs.add(r.seq);
    const first = timeline[0];
    if (first?.type === 'item.derive') for (const p of first.data['parents'] as Array<{ item: string }>) pending.push(p.item);
  }
  for (const r of f.records) if (r.seq < size && r.type.startsWith('identity.')) seqs.add(r.seq);
  const store = f.store();
  const records: BundleRecord[] = [...seqs]
    .sort((a, b) => a - b)
    .map((seq) => ({ record: f.records[seq]!, proof: proveInclusion(seq, size, store).map(toHex) }));
  return {
    format: 'custody-bundle/v1',
    log: { origin: f.origin, key: logVerifierKey(f.origin, f.origin === FBI_ORIGIN ? 'fbi.ledger' : 'ledger') },
    checkpoint: note,
    items,
    records,
    ...(upstream === undefined ? {} : { upstream }),
  };
}

/** bundleFile returns a bundle's file bytes: its canonical JSON and a newline (formatBundle). */
export function bundleFile(b: unknown): Uint8Array {
  return concat([canonicalBytes(b), utf8('\n')]);
}

/** Plain SHA-256 (no leaf prefix), hex: what an item.import names a bundle by. */
const sha256hex = (bytes: Uint8Array): string => toHex(nobleCrypto.sha256(bytes));

// ---------------------------------------------------------------------------------------------
// The corpus

export interface Trust {
  /** Log verifier keys (checkpoint, bundle). */
  logKeys?: string[];
  /** A policy file (path in the corpus): checkpoint and bundle cases under a witness policy. */
  policy?: string;
  /** Ledger: the origin the ledger must have, and its pinned ledger key (base64). */
  origin?: string;
  ledgerKey?: string;
  /** Ledger: checkpoints held outside it (paths) that it must reproduce, opened with logKeys. */
  checkpoints?: string[];
  /** Ledger: time regressions are failures. */
  strict?: boolean;
}

export interface Case {
  id: string;
  kind: 'ledger' | 'record' | 'checkpoint' | 'policy' | 'bundle';
  description: string;
  /** The input, relative to test/conformance/. */
  input: string;
  trust: Trust;
  expect: { ok: boolean; error: string | null; seq?: number | null; warnings?: string[] };
  /**
   * A known divergence: this project's verifier does not yet give the expected answer (a bug
   * reported, not yet fixed). `actual` is what it gives today; the test holds it to that, so the
   * fix cannot go unnoticed. Another implementation must give `expect`.
   */
  divergence?: { note: string; actual: { ok: boolean; error: string | null; seq?: number | null } };
}

export interface Corpus {
  files: Map<string, Uint8Array>;
  cases: Case[];
}

export function generateCorpus(): Corpus {
  const files = new Map<string, Uint8Array>();
  const cases: Case[] = [];
  const put = (path: string, bytes: Uint8Array | string): string => {
    if (files.has(path)) throw new Error(`generated twice: ${path}`);
    files.set(path, typeof bytes === 'string' ? utf8(bytes) : bytes);
    return path;
  };
  const add = (c: Omit<Case, 'trust'> & { trust?: Trust; divergence?: Case['divergence'] }): void => {
    if (cases.some((x) => x.id === c.id)) throw new Error(`case id twice: ${c.id}`);
    cases.push({ ...c, trust: c.trust ?? {} });
  };
  const ok = { ok: true, error: null } as const;
  const bad = (error: string, seq?: number | null) => ({ ok: false, error, ...(seq === undefined ? {} : { seq }) });

  ledgerCases(put, add, ok, bad);
  recordCases(put, add, ok, bad);
  checkpointCases(put, add, ok, bad);
  policyCases(put, add, ok, bad);
  bundleCases(put, add, ok, bad);

  put('cases.json', JSON.stringify({ format: 'custody-conformance/v1', protocol: 1, cases }, null, 2) + '\n');
  return { files, cases };
}

type Put = (path: string, bytes: Uint8Array | string) => string;
type Add = (c: Omit<Case, 'trust'> & { trust?: Trust }) => void;
type Ok = { readonly ok: true; readonly error: null };
type Bad = (error: string, seq?: number | null) => Case['expect'];

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
/** Replace the first occurrence of `from` in line `seq` of a ledger (leaves as text). */
function editLine(f: Forge, seq: number, edit: (line: string) => string): Uint8Array {
  const lines = f.leaves.map(text);
  const before = lines[seq]!;
  lines[seq] = edit(before);
  if (lines[seq] === before) throw new Error(`edit of line ${seq} changed nothing`);
  return utf8(lines.map((l) => l + '\n').join(''));
}
function replaceOnce(s: string, from: string, to: string): string {
  const at = s.indexOf(from);
  if (at < 0) throw new Error(`not found: ${from}`);
  return s.slice(0, at) + to + s.slice(at + from.length);
}
/** A different signature in canonical base64: the first character changed. */
function flipSig(line: string, member = '"sig":"'): string {
  const at = line.lastIndexOf(member) + member.length;
  const c = line[at] === 'A' ? 'B' : 'A';
  return line.slice(0, at) + c + line.slice(at + 1);
}

function ledgerCases(put: Put, add: Add, ok: Ok, bad: Bad): void {
  const full = story();
  const jsonl = (name: string, bytes: Uint8Array) => put(`ledger/${name}.jsonl`, bytes);
  const lk = logVerifierKey();

  add({ id: 'ledger/valid/story', kind: 'ledger', description: 'A 30-record ledger using every record type but item.import: transfers with both signatures, offer/accept, cancel, reject, derive, seal/unseal, check, examine, move, key rotation, revocation, disposal, notes, a round trip to an external identity.', input: jsonl('story', full.jsonl()), expect: ok });
  add({ id: 'ledger/valid/story-pinned', kind: 'ledger', description: 'The same ledger with its origin and ledger key pinned by the verifier.', input: 'ledger/story.jsonl', trust: { origin: ORIGIN, ledgerKey: pub('ledger') }, expect: ok });
  put('ledger/story-checkpoint-30.txt', full.checkpoint(30));
  put('ledger/story-checkpoint-12.txt', full.checkpoint(12));
  add({ id: 'ledger/valid/story-checkpoints', kind: 'ledger', description: 'The ledger reproduces two checkpoints held outside it (sizes 12 and 30).', input: 'ledger/story.jsonl', trust: { logKeys: [lk], checkpoints: ['ledger/story-checkpoint-12.txt', 'ledger/story-checkpoint-30.txt'] }, expect: ok });
  add({ id: 'ledger/valid/genesis-only', kind: 'ledger', description: 'A ledger of its genesis record alone.', input: jsonl('genesis-only', story(1).jsonl()), expect: ok });
  add({ id: 'ledger/valid/tail-removed-undetectable', kind: 'ledger', description: 'The last 5 records deleted. Nothing in the ledger itself shows it: only a checkpoint held elsewhere can (next case).', input: jsonl('tail-removed', full.jsonl(25)), expect: ok });
  add({ id: 'ledger/invalid/tail-removed-checkpoint', kind: 'ledger', description: 'The last 5 records deleted, verified against a checkpoint of 30 records held outside the ledger.', input: 'ledger/tail-removed.jsonl', trust: { logKeys: [lk], checkpoints: ['ledger/story-checkpoint-30.txt'] }, expect: bad('CHECKPOINT_MISMATCH', null) });
  {
    const rewritten = story(Infinity, (seq, step) => (seq === 7 ? { ...step, data: { ...step.data, description: 'Ponsel Samsung, layar utuh' } } : step));
    add({ id: 'ledger/invalid/rewritten-checkpoint', kind: 'ledger', description: 'Record 7 rewritten and the whole ledger re-signed after it by its own keys: every signature verifies, but the checkpoint of 12 records held outside does not match.', input: jsonl('rewritten', rewritten.jsonl()), trust: { logKeys: [lk], checkpoints: ['ledger/story-checkpoint-12.txt'] }, expect: bad('CHECKPOINT_MISMATCH', 11) });
  }

  // Byte-level tampering with the valid ledger.
  const mutate = (id: string, description: string, bytes: Uint8Array, error: string, seq: number | null, trust?: Trust) =>
    add({ id: `ledger/invalid/${id}`, kind: 'ledger', description, input: jsonl(id, bytes), ...(trust ? { trust } : {}), expect: bad(error, seq) });
  mutate('actor-signature-changed', 'The actor signature of record 7 changed (still canonical base64).', editLine(full, 7, (l) => flipSig(l)), 'SIGNATURE_INVALID', 7);
  mutate('data-changed', 'The description in record 7 changed after signing: its signature fails, and record 8 no longer links to it.', editLine(full, 7, (l) => replaceOnce(l, 'layar retak', 'layar utuh')), 'SIGNATURE_INVALID', 7);
  mutate('cosignature-changed', 'The receiver’s cosignature on the transfer at record 8 changed after the record was signed: the actor’s signature covers the cosignatures, so it fails first (then the cosignature itself).', editLine(full, 8, (l) => flipSig(l, '"id":"sari","sig":"')), 'SIGNATURE_INVALID', 8);
  {
    const lines = full.leaves.slice();
    lines.splice(10, 1);
    mutate('record-deleted', 'Record 10 deleted from the middle: the record now at position 10 says it is 11.', joinLines(lines), 'SEQ_MISMATCH', 10);
    const swapped = full.leaves.slice();
    [swapped[13], swapped[14]] = [swapped[14]!, swapped[13]!];
    mutate('records-swapped', 'Records 13 and 14 swapped.', joinLines(swapped), 'SEQ_MISMATCH', 13);
    const doubled = full.leaves.slice();
    doubled.splice(20, 0, full.leaves[19]!);
    add({
      id: 'ledger/invalid/record-duplicated',
      kind: 'ledger',
      description: 'Record 19 appears twice, at positions 19 and 20: the first failing position is 20, whose record says it is 19.',
      input: jsonl('record-duplicated', joinLines(doubled)),
      expect: bad('SEQ_MISMATCH', 20),
    });
  }
  mutate('non-canonical-whitespace', 'Record 3 written with a space after a colon: valid JSON, not RFC 8785.', editLine(full, 3, (l) => l.replace('"actor":', '"actor": ')), 'JSON_NOT_CANONICAL', 3);
  mutate('non-canonical-member-order', 'Record 3 with its first two members swapped.', editLine(full, 3, (l) => { const m = /^\{("actor":"[^"]*"),(.*)$/.exec(l)!; return `{${m[2]!.replace(/,"item":/, `,${m[1]},"item":`)}`; }), 'JSON_NOT_CANONICAL', 3);
  mutate('non-canonical-escape', 'A "/" written as "\\/" in record 7 (RFC 8785 writes it raw).', editLine(full, 7, (l) => l.replace('LP/B', 'LP\\/B')), 'JSON_NOT_CANONICAL', 7);
  mutate('non-canonical-unicode-escape', 'A letter written as a \\u escape in record 7.', editLine(full, 7, (l) => l.replace('Ponsel', '\\u0050onsel')), 'JSON_NOT_CANONICAL', 7);
  mutate('crlf', 'Record 2 ends in CR LF instead of LF: the CR is trailing whitespace, not canonical.', editLine(full, 2, (l) => l + '\r'), 'JSON_NOT_CANONICAL', 2);
  mutate('duplicate-key', 'Record 7 names the member "actor" twice.', editLine(full, 7, (l) => l.replace('{"actor":"budi",', '{"actor":"budi","actor":"budi",')), 'JSON_DUPLICATE_KEY', 7);
  mutate('lone-surrogate', 'Record 7’s description holds an escaped lone surrogate \\ud800.', editLine(full, 7, (l) => l.replace('layar retak', 'layar retak\\ud800')), 'JSON_LONE_SURROGATE', 7);
  mutate('float', 'Record 7’s size written as 128043712512.0.', editLine(full, 7, (l) => l.replace('128043712512', '128043712512.0')), 'JSON_NUMBER', 7);
  mutate('exponent', 'Record 7’s size written with an exponent.', editLine(full, 7, (l) => l.replace('"size":128043712512', '"size":1.28043712512e11')), 'JSON_NUMBER', 7);
  mutate('unsafe-integer', 'Record 7’s size is 2^53, beyond the integers signed data may hold.', editLine(full, 7, (l) => l.replace('128043712512', '9007199254740992')), 'JSON_NUMBER', 7);
  mutate('negative-zero', 'Record 0’s seq written as -0.', editLine(full, 0, (l) => l.replace('"seq":0', '"seq":-0')), 'JSON_NUMBER', 0);
  {
    const bom = concat([Uint8Array.of(0xef, 0xbb, 0xbf), full.jsonl()]);
    mutate('bom', 'The file starts with a UTF-8 byte order mark.', bom, 'JSON_SYNTAX', 0);
    const lines = full.leaves.map((l) => l.slice());
    const at = text(lines[7]!).indexOf('Ponsel');
    lines[7]![at] = 0xff;
    mutate('invalid-utf8', 'A byte 0xFF inside record 7.', joinLines(lines), 'JSON_SYNTAX', 7);
    const cut = full.jsonl();
    mutate('truncated', 'The file cut off in the middle of its last record.', cut.slice(0, cut.length - 200), 'JSON_SYNTAX', 29);
    const blank = full.leaves.slice();
    blank.splice(5, 0, new Uint8Array(0));
    mutate('blank-line', 'An empty line between records 4 and 5.', joinLines(blank), 'JSON_SYNTAX', 5);
    mutate('empty', 'An empty file: not even a genesis record.', new Uint8Array(0), 'SEQ_MISMATCH', null);
  }
  mutate('unknown-field', 'Record 7 carries a member the schema does not define.', editLine(full, 7, (l) => l.replace('"v":1', '"v":1,"x":1')), 'SCHEMA_INVALID', 7);
  mutate('unknown-data-field', 'Record 7’s data carries a member its type’s schema does not define ("thumbnail": the ledger never holds evidence content).', editLine(full, 7, (l) => l.replace('"size":128043712512}', '"size":128043712512,"thumbnail":"aGVsbG8="}')), 'SCHEMA_INVALID', 7);
  mutate('bad-time', 'Record 7 is dated 30 February.', editLine(full, 7, (l) => l.replace('"time":"2026-11-28', '"time":"2026-02-30')), 'SCHEMA_INVALID', 7);
  mutate('uppercase-hex', 'Record 5’s prev in upper-case hex.', editLine(full, 5, (l) => l.replace(/"prev":"([0-9a-f]{64})"/, (_m, h: string) => `"prev":"${h.toUpperCase()}"`)), 'SCHEMA_INVALID', 5);
  mutate('non-canonical-base64', 'Record 4’s signature with non-zero unused bits in its last base64 character.', editLine(full, 4, (l) => l.replace(/"sig":"([A-Za-z0-9+/]{85})([AQgw])=="/, (_m, b: string, c: string) => `"sig":"${b}${c === 'A' ? 'B' : String.fromCharCode(c.charCodeAt(0) + 1)}=="`)), 'SCHEMA_INVALID', 4);
  mutate('version-2', 'Record 3 says "v":2.', editLine(full, 3, (l) => l.replace('"v":1', '"v":2')), 'SCHEMA_INVALID', 3);
  mutate('pinned-origin', 'The verifier expects another origin: every record names the wrong log.', full.jsonl(), 'LOG_MISMATCH', 0, { origin: 'ledger.other.example/2026' });
  mutate('pinned-ledger-key', 'The verifier pinned another ledger key than the genesis names.', full.jsonl(), 'KEY_NOT_VALID', 0, { ledgerKey: pub('other.ledger') });
  {
    const strictFile = story(9, (seq, step) => (seq === 8 ? { ...step, time: '2026-11-28T01:01:00.000Z' } : step));
    add({ id: 'ledger/valid/time-regression-warning', kind: 'ledger', description: 'Record 8 is dated 7 minutes before record 7: a warning only.', input: jsonl('time-regression', strictFile.jsonl()), expect: { ok: true, error: null, warnings: ['TIME_REGRESSION'] } });
    add({ id: 'ledger/invalid/time-regression-strict', kind: 'ledger', description: 'The same ledger verified with strict time order.', input: 'ledger/time-regression.jsonl', trust: { strict: true }, expect: bad('TIME_REGRESSION', 8) });
  }
  {
    // Late entries (PROTOCOL.md §4.5, §8.2 step 7): placed in time by when they were recorded.
    const declared = 'Record 9 is dated a day before the genesis and declared a late entry, with its reason, recorded a minute after record 8';
    add({ id: 'ledger/valid/late-entry', kind: 'ledger', description: `${declared}: it is no time regression.`, input: jsonl('late-entry', lateEntryStory().jsonl()), expect: { ok: true, error: null, warnings: [] } });
    add({ id: 'ledger/valid/late-entry-strict', kind: 'ledger', description: `${declared}, verified with strict time order: still no regression.`, input: 'ledger/late-entry.jsonl', trust: { strict: true }, expect: { ok: true, error: null, warnings: [] } });
    const early = 'Record 9, a late entry, says it was recorded at 01:00:30, more than 5 minutes before record 8 (01:09)';
    add({ id: 'ledger/valid/late-entry-recorded-regression', kind: 'ledger', description: `${early}: a time regression, a warning.`, input: jsonl('late-entry-recorded-regression', lateEntryStory('2026-11-28T01:00:30.000Z').jsonl()), expect: { ok: true, error: null, warnings: ['TIME_REGRESSION'] } });
    add({ id: 'ledger/invalid/late-entry-recorded-regression-strict', kind: 'ledger', description: `${early}, verified with strict time order.`, input: 'ledger/late-entry-recorded-regression.jsonl', trust: { strict: true }, expect: bad('TIME_REGRESSION', 9) });
    const mixed = 'Record 9’s text has the Latin word "Santoso" written with a Cyrillic "а" (U+0430)';
    add({ id: 'ledger/valid/mixed-script-warning', kind: 'ledger', description: `${mixed}: a warning, since older ledgers may hold such text (PROTOCOL.md §4.5).`, input: jsonl('mixed-script', mixedScriptStory().jsonl()), expect: { ok: true, error: null, warnings: ['TEXT_MIXED_SCRIPT'] } });
    add({ id: 'ledger/valid/mixed-script-strict', kind: 'ledger', description: `${mixed}, verified strictly: strict mode concerns time order only, so still a warning.`, input: 'ledger/mixed-script.jsonl', trust: { strict: true }, expect: { ok: true, error: null, warnings: ['TEXT_MIXED_SCRIPT'] } });
  }

  // Correctly signed records that break the chain, the keys or the custody rules.
  const forged = (id: string, description: string, f: Forge, error: string, seq: number | null) =>
    add({ id: `ledger/invalid/${id}`, kind: 'ledger', description, input: jsonl(id, f.jsonl()), expect: bad(error, seq) });
  const at = (n: number, change: (step: Step, f: Forge) => Step) => story(n + 1, (seq, step, f) => (seq === n ? change(step, f) : step));
  const after = (n: number, extra: Array<Step | ((f: Forge) => Step)>) => {
    const f = story(n);
    for (const s of extra) f.add(typeof s === 'function' ? s(f) : s);
    return f;
  };
  forged('signed-wrong-log', 'Record 7 names another origin, signed by its actor (replayed from another ledger).', at(7, (s) => ({ ...s, patch: (r) => (r['log'] = 'ledger.other.example/2026') })), 'LOG_MISMATCH', 7);
  forged('signed-wrong-seq', 'Record 7 says seq 8, signed.', at(7, (s) => ({ ...s, patch: (r) => (r['seq'] = 8) })), 'SEQ_MISMATCH', 7);
  forged('signed-wrong-prev', 'Record 7’s prev is the leaf hash of record 5, signed.', at(7, (s, f) => ({ ...s, patch: (r) => (r['prev'] = f.hashes[5]) })), 'CHAIN_BROKEN', 7);
  forged('signed-wrong-item-prev', 'Record 9’s itemPrev is the item’s first record, not its latest, signed.', at(9, (s, f) => ({ ...s, patch: (r) => (r['itemPrev'] = f.hashes[7]) })), 'ITEM_CHAIN_BROKEN', 9);
  forged('item-prev-on-register', 'An item.register with a non-null itemPrev.', at(7, (s, f) => ({ ...s, patch: (r) => (r['itemPrev'] = f.hashes[6]) })), 'ITEM_CHAIN_BROKEN', 7);
  forged('unknown-signer', 'Record 7 by "eve", who was never enrolled.', at(7, (s) => ({ ...s, actor: 'eve' })), 'IDENTITY_UNKNOWN', 7);
  forged('wrong-key', 'Record 7 by budi signed with sari’s key.', at(7, (s) => ({ ...s, as: 'sari' })), 'SIGNATURE_INVALID', 7);
  forged('old-key-after-rotation', 'Record 23 by budi signed with the key he rotated out at record 22.', at(23, (s) => ({ ...s, as: 'budi' })), 'SIGNATURE_INVALID', 23);
  forged('new-key-before-rotation', 'Record 7 by budi signed with the key that only becomes his at record 23.', at(7, (s) => ({ ...s, as: 'budi.new' })), 'SIGNATURE_INVALID', 7);
  forged('signer-revoked', 'wit.kejari, revoked at record 25, signs a note at record 26.', after(26, [{ type: 'item.note', actor: 'wit.kejari', data: { text: 'Catatan.' } }]), 'KEY_NOT_VALID', 26);
  forged('compromised-key', 'rudi’s key is revoked at record 30 as compromised since record 12: the records he signed from 12 on fail.', after(30, [{ type: 'identity.revoke', actor: 'adm', data: { id: 'rudi', reason: 'Kunci bocor', compromisedSince: 12 } }]), 'KEY_NOT_VALID', 12);
  forged('cosignature-missing', 'A transfer without the receiver’s cosignature.', at(8, (s) => ({ ...s, cosign: [] })), 'COSIGNATURE_MISSING', 8);
  forged('cosigned-by-actor', 'A transfer cosigned by its own actor instead of the receiver.', at(8, (s) => ({ ...s, cosign: [['budi', 'budi']] })), 'COSIGNATURE_INVALID', 8);
  forged('cosigned-by-wrong-key', 'The receiver’s cosignature made with another key.', at(8, (s) => ({ ...s, cosign: [['sari', 'rudi']] })), 'COSIGNATURE_INVALID', 8);
  forged('late-marker-removed', 'A transfer cosigned as a late entry, its late marker removed before the actor signed: the marker is part of the statement the receiver signed.', at(8, (s) => ({ ...s, late: { reason: 'Serah terima dicatat kemudian', recorded: '2026-11-28T01:09:00.000Z' }, patch: (r) => delete r['late'] })), 'COSIGNATURE_INVALID', 8);
  forged('cosigs-unsorted', 'Two cosignatures not sorted by id.', at(8, (s) => ({ ...s, cosign: [['sari', 'sari'], ['adm', 'adm']], patch: (r) => (r['cosigs'] as unknown[]).reverse() })), 'COSIGNATURE_INVALID', 8);
  forged('genesis-twice', 'A second ledger.genesis at record 7, signed by the ledger key.', at(7, () => ({ type: 'ledger.genesis', actor: 'ledger', data: { name: 'Lagi', agency: 'x', key: pub('ledger') } })), 'CUSTODY_RULE', 7);
  forged('first-not-genesis', 'Record 0 is an identity.enrol: no ledger key exists to check it.', (() => { const f = new Forge(ORIGIN); f.add({ ...enrol('adm', 'admin', 'adm'), as: 'ledger' }); return f; })(), 'IDENTITY_UNKNOWN', 0);
  forged('enrol-by-officer', 'An officer enrols an identity.', after(7, [{ ...enrol('eve', 'officer', 'eve', 'budi') }]), 'CUSTODY_RULE', 7);
  forged('enrol-id-taken', 'An identity id enrolled a second time.', after(7, [enrol('sari', 'officer', 'eve', 'adm')]), 'CUSTODY_RULE', 7);
  forged('enrol-reserved-id', 'An identity enrolled as "ledger".', after(7, [enrol('ledger', 'officer', 'eve', 'adm')]), 'CUSTODY_RULE', 7);
  forged('enrol-small-order-key', 'An identity enrolled with a small-order public key (the identity point).', after(7, [{ ...enrol('eve', 'officer', 'eve', 'adm'), data: { ...enrol('eve', 'officer', 'eve', 'adm').data, key: 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } }]), 'KEY_INVALID', 7);
  forged('enrol-key-in-use', 'An identity enrolled with the key another identity holds.', after(7, [enrol('eve', 'officer', 'sari', 'adm')]), 'CUSTODY_RULE', 7);
  forged('rotate-to-current-key', 'budi "rotates" to the key he already has.', after(7, [{ type: 'identity.rotate', actor: 'budi', data: { id: 'budi', key: pub('budi') } }]), 'CUSTODY_RULE', 7);
  forged('witness-rotates-itself', 'An identity of role witness rotates its own key (only admins and officers may).', after(7, [{ type: 'identity.rotate', actor: 'wit.kejari', data: { id: 'wit.kejari', key: pub('eve') } }]), 'CUSTODY_RULE', 7);
  forged('ledger-key-rotated', 'The ledger key "rotates" itself: no identity but admins and officers rotates its own key, and the ledger key is not an identity that can be rotated.', after(7, [{ type: 'identity.rotate', actor: 'ledger', data: { id: 'ledger', key: pub('other.ledger') } }]), 'CUSTODY_RULE', 7);
  forged('ledger-key-revoked', 'An admin revokes the ledger key: "ledger" is not an enrolled identity.', after(7, [{ type: 'identity.revoke', actor: 'adm', data: { id: 'ledger', reason: 'x' } }]), 'IDENTITY_UNKNOWN', 7);
  forged('register-by-external', 'An external identity registers an item.', after(7, [register('BB-X', 'fbi.doe')]), 'CUSTODY_RULE', 7);
  forged('register-by-witness', 'A witness identity registers an item.', after(7, [register('BB-X', 'wit.kejari')]), 'CUSTODY_RULE', 7);
  forged('external-accepts-as-actor', 'An item offered to an external identity, which then appends the accept itself (an officer must record it, with the external party’s cosignature).', after(9, [{ type: 'custody.offer', item: 'BB-1', actor: 'sari', data: { to: 'fbi.doe', purpose: 'MLA' } }, (f) => ({ type: 'custody.accept', item: 'BB-1', actor: 'fbi.doe', data: { offer: f.head('BB-1') } })]), 'CUSTODY_RULE', 10);
  forged('external-transfers-as-actor', 'An external identity appends a transfer back to an officer.', after(9, [{ type: 'custody.transfer', item: 'BB-1', actor: 'sari', data: { from: 'sari', to: 'fbi.doe', purpose: 'MLA' }, cosign: [['fbi.doe', 'fbi.doe']] }, { type: 'custody.transfer', item: 'BB-1', actor: 'fbi.doe', data: { from: 'fbi.doe', to: 'sari', purpose: 'x' }, cosign: [['sari', 'sari']] }]), 'CUSTODY_RULE', 10);
  forged('note-by-external', 'An external identity appends a note.', after(8, [{ type: 'item.note', item: 'BB-1', actor: 'fbi.doe', data: { text: 'Catatan.' } }]), 'CUSTODY_RULE', 8);
  forged('register-existing-item', 'An item id registered a second time.', after(8, [register('BB-1', 'budi')]), 'ITEM_EXISTS', 8);
  forged('unknown-item', 'A move of an item that was never registered.', after(8, [{ type: 'item.move', item: 'BB-404', actor: 'budi', data: { location: 'Lemari 1' } }]), 'ITEM_UNKNOWN', 8);
  forged('not-custodian-move', 'budi moves BB-1 after handing it to sari.', after(9, [{ type: 'item.move', item: 'BB-1', actor: 'budi', data: { location: 'Lemari 1' } }]), 'CUSTODY_RULE', 9);
  forged('transfer-from-not-custodian', 'A transfer "from rudi" of an item sari holds, signed by rudi and cosigned by budi.', after(9, [{ type: 'custody.transfer', item: 'BB-1', actor: 'rudi', data: { from: 'rudi', to: 'budi', purpose: 'x' }, cosign: [['budi', 'budi']] }]), 'CUSTODY_RULE', 9);
  forged('transfer-to-unknown', 'A transfer to an identity that is not enrolled.', after(8, [{ type: 'custody.transfer', item: 'BB-1', actor: 'budi', data: { from: 'budi', to: 'eve', purpose: 'x' }, cosign: [['eve', 'eve']] }]), 'IDENTITY_UNKNOWN', 8);
  forged('offer-to-witness', 'An offer to an identity of role witness.', after(9, [{ type: 'custody.offer', item: 'BB-1', actor: 'sari', data: { to: 'wit.kejari', purpose: 'x' } }]), 'CUSTODY_RULE', 9);
  forged('work-in-transit', 'sari moves BB-1 while it is offered to rudi.', after(10, [{ type: 'item.move', item: 'BB-1', actor: 'sari', data: { location: 'Lemari 1' } }]), 'CUSTODY_RULE', 10);
  forged('accept-by-other', 'budi accepts an offer made to rudi, without rudi’s cosignature.', after(10, [(f) => ({ type: 'custody.accept', item: 'BB-1', actor: 'budi', data: { offer: f.head('BB-1') } })]), 'COSIGNATURE_MISSING', 10);
  forged('accept-wrong-offer', 'rudi accepts naming a leaf hash that is not the open offer.', after(10, [(f) => ({ type: 'custody.accept', item: 'BB-1', actor: 'rudi', data: { offer: f.hashes[7]! } })]), 'CUSTODY_RULE', 10);
  forged('accept-without-offer', 'An accept of an item that has no open offer.', after(9, [(f) => ({ type: 'custody.accept', item: 'BB-1', actor: 'sari', data: { offer: f.head('BB-1') } })]), 'CUSTODY_RULE', 9);
  forged('cancel-by-receiver', 'The receiver cancels the offer (only the offerer may).', after(17, [(f) => ({ type: 'custody.cancel', item: 'BB-1', actor: 'sari', data: { offer: f.head('BB-1') } })]), 'CUSTODY_RULE', 17);
  forged('check-result-wrong', 'An item.check that says "match" for digests that differ from those on record.', after(13, [{ type: 'item.check', item: 'BB-1/IMG-1', actor: 'rudi', data: { digests: DIGEST_DISK, result: 'match' } }]), 'CUSTODY_RULE', 13);
  forged('unseal-wrong-numbers', 'An unseal naming seal numbers other than those on record.', after(11, [{ type: 'item.unseal', item: 'BB-1', actor: 'rudi', data: { numbers: ['SGL-999999'], found: 'intact', purpose: 'x' } }]), 'CUSTODY_RULE', 11);
  forged('derive-stale-parent-head', 'A derive naming an older record of its parent as the parent’s head.', after(12, [(f) => ({ type: 'item.derive', item: 'BB-1/IMG-9', actor: 'rudi', data: { parents: [{ item: 'BB-1', head: f.hashes[7]! }], kind: 'image', description: 'x', method: 'm', digests: DIGEST_IMAGE } })]), 'ITEM_CHAIN_BROKEN', 12);
  forged('derive-not-custodian', 'budi derives an item from BB-1, which rudi holds.', after(12, [(f) => ({ type: 'item.derive', item: 'BB-1/IMG-9', actor: 'budi', data: { parents: [{ item: 'BB-1', head: f.head('BB-1') }], kind: 'image', description: 'x', method: 'm', digests: DIGEST_IMAGE } })]), 'CUSTODY_RULE', 12);
  forged('after-dispose', 'budi moves BB-2 after disposing of it.', after(27, [{ type: 'item.move', item: 'BB-2', actor: 'budi', data: { location: 'Lemari 1' } }]), 'CUSTODY_RULE', 27);
}

function recordCases(put: Put, add: Add, ok: Ok, bad: Bad): void {
  const full = story(8);
  const leaf = text(full.leaves[7]!);
  const rec = (id: string, description: string, bytes: string | Uint8Array, error: string | null) =>
    add({ id: `record/${error === null ? 'valid' : 'invalid'}/${id}`, kind: 'record', description, input: put(`record/${id}.json`, bytes), expect: error === null ? ok : bad(error) });
  rec('register', 'The leaf bytes of an item.register record.', leaf, null);
  rec('transfer-cosigned', 'The leaf bytes of a custody.transfer with a cosignature.', text(story(9).leaves[8]!), null);
  rec('genesis', 'The leaf bytes of a ledger.genesis record.', text(full.leaves[0]!), null);
  rec('whitespace', 'Pretty-printed: valid JSON, not canonical.', JSON.stringify(JSON.parse(leaf), null, 1), 'JSON_NOT_CANONICAL');
  rec('trailing-newline', 'The leaf bytes followed by a newline.', leaf + '\n', 'JSON_NOT_CANONICAL');
  rec('duplicate-key-nested', 'A member named twice inside data.', leaf.replace('"data":{', '"data":{"kind":"phone",'), 'JSON_DUPLICATE_KEY');
  rec('lone-low-surrogate', 'An escaped lone low surrogate \\udc00.', leaf.replace('layar retak', '\\udc00'), 'JSON_LONE_SURROGATE');
  rec('reversed-surrogates', 'A low surrogate escape followed by a high one.', leaf.replace('layar retak', '\\udc00\\ud800'), 'JSON_LONE_SURROGATE');
  {
    const bytes = utf8(leaf.replace('layar retak', 'layar retak#'));
    const at = bytes.indexOf(0x23);
    const withSurrogate = concat([bytes.slice(0, at), Uint8Array.of(0xed, 0xa0, 0x80), bytes.slice(at + 1)]);
    rec('raw-surrogate-bytes', 'A surrogate encoded directly in UTF-8 (ED A0 80): not valid UTF-8.', withSurrogate, 'JSON_SYNTAX');
  }
  rec('float-zero-fraction', 'A number with a fraction: 1.0.', leaf.replace('"seq":7', '"seq":7.0'), 'JSON_NUMBER');
  rec('big-integer', 'An integer of 2^63.', leaf.replace('128043712512', '9223372036854775808'), 'JSON_NUMBER');
  rec('too-deep', 'data nested 70 levels deep (the limit is 64).', leaf.replace('"data":{', `"data":{"a":${'['.repeat(70)}${']'.repeat(70)},`), 'JSON_TOO_DEEP');
  rec('trailing-comma', 'A trailing comma.', leaf.replace(/\}$/, ',}'), 'JSON_SYNTAX');
  rec('single-quotes', 'Not JSON at all.', "{'v':1}", 'JSON_SYNTAX');
  rec('missing-sig', 'A record without its signature.', leaf.replace(/,"sig":"[^"]*"/, ''), 'SCHEMA_INVALID');
  rec('unknown-type', 'A record of a type protocol v1 does not have.', leaf.replace('"type":"item.register"', '"type":"item.zzz"'), 'SCHEMA_INVALID');
  rec('genesis-with-item', 'A ledger.genesis about an item.', text(full.leaves[0]!).replace('"item":null', '"item":"BB-1"'), 'SCHEMA_INVALID');
  rec('id-with-dotdot', 'An item id containing "..".', leaf.replace('"item":"BB-1"', '"item":"BB..1"'), 'SCHEMA_INVALID');
  rec('weak-digest-only', 'An item known only by an MD5 digest.', leaf.replace(/"digests":\{[^}]*\}/, '"digests":{"md5":"d41d8cd98f00b204e9800998ecf8427e"}'), 'SCHEMA_INVALID');
  rec('time-without-ms', 'A time without milliseconds.', leaf.replace(/"time":"([^".]*)\.000Z"/, '"time":"$1Z"'), 'SCHEMA_INVALID');
  rec('time-with-offset', 'A time with a zone offset instead of Z.', leaf.replace(/"time":"([^"]*)Z"/, '"time":"$1+07:00"'), 'SCHEMA_INVALID');
  rec('seizure-time-impossible', 'A seizure time of 31 November.', leaf.replace('"data":{', '"data":{"seizure":{"authority":"SP.Sita/1","time":"2026-11-31T10:00:00.000Z"},').replace(/"data":\{(.*)\},"item"/, (_m, d: string) => `"data":${canonicalize(JSON.parse(`{${d}}`))},"item"`), 'SCHEMA_INVALID');
  rec('bidi-control-in-name', 'A right-to-left override character in a description.', leaf.replace('layar retak', 'layar \u202eretak'), 'SCHEMA_INVALID');
  const late = text(lateEntryStory().leaves[9]!);
  rec('late-entry', 'The leaf bytes of a late entry: dated before the genesis, with the reason it was recorded late and when.', late, null);
  rec('late-recorded-before-time', 'A late entry that says it was recorded before the time it is dated.', late.replace('"recorded":"2026-11-28T01:10:00.000Z"', '"recorded":"2026-11-26T01:10:00.000Z"'), 'SCHEMA_INVALID');
  rec('late-without-reason', 'A late marker without its reason.', late.replace(/"reason":"[^"]*",/, ''), 'SCHEMA_INVALID');
  rec('late-unknown-member', 'A late marker with a member the schema does not define.', late.replace('"late":{', '"late":{"by":"sari",'), 'SCHEMA_INVALID');
  rec('late-on-genesis', 'A ledger.genesis marked as a late entry: nothing comes before it.', text(full.leaves[0]!).replace(',"log":', ',"late":{"reason":"Dicatat kemudian","recorded":"2026-11-28T01:01:00.000Z"},"log":'), 'SCHEMA_INVALID');
}

function checkpointCases(put: Put, add: Add, ok: Ok, bad: Bad): void {
  const f = story(12);
  const note = f.checkpoint();
  const lk = logVerifierKey();
  const textOf = note.slice(0, note.indexOf('\n\n') + 1);
  const cp = (id: string, description: string, body: string, error: string | null, trust: Trust = { logKeys: [lk] }) =>
    add({ id: `checkpoint/${error === null ? 'valid' : 'invalid'}/${id}`, kind: 'checkpoint', description, input: put(`checkpoint/${id}.txt`, body), trust, expect: error === null ? ok : bad(error) });
  cp('signed', 'A checkpoint of 12 records signed by the ledger key.', note, null);
  cp('cosigned', 'The same checkpoint with two witness cosignatures (ignored when only the log key is trusted).', f.checkpoint(12, ['a', 'b']), null);
  cp('two-log-keys-trusted', 'Opened with a list of trusted log keys, one of them this log’s.', note, null, { logKeys: [logVerifierKey(FBI_ORIGIN, 'fbi.ledger'), lk] });
  cp('signature-changed', 'The log signature altered (after its key ID).', note.replace(/— (\S+) (\S{20})(\S)/, (_m, n: string, head: string, c: string) => `— ${n} ${head}${c === 'A' ? 'B' : 'A'}`), 'NOTE_SIGNATURE_INVALID');
  cp('key-id-changed', 'The key ID in the log signature altered: no trusted key has that ID.', note.replace(/— (\S+) (\S)/, (_m, n: string, c: string) => `— ${n} ${c === 'A' ? 'B' : 'A'}`), 'NOTE_UNKNOWN_SIGNER');
  cp('size-changed', 'The size changed after signing.', note.replace('\n12\n', '\n13\n'), 'NOTE_SIGNATURE_INVALID');
  cp('root-changed', 'The root hash replaced by the root at size 11 after signing.', note.replace(toBase64(f.root(12)), toBase64(f.root(11))), 'NOTE_SIGNATURE_INVALID');
  cp('untrusted-key', 'Signed by a key the verifier does not trust (another ledger’s key under this origin).', f.checkpoint(12, [], 'other.ledger'), 'NOTE_UNKNOWN_SIGNER');
  cp('only-witness-signature', 'A note carrying only a witness cosignature, no log signature.', `${textOf}\n${cosignCheckpoint(textOf, WITNESSES.a, signer('witness.a'), COSIGNED_AT)}\n`, 'NOTE_UNKNOWN_SIGNER');
  {
    const wrongName = signNote(textOf, [noteSigner('ledger.other.example/2026', signer('ledger'))]);
    cp('key-named-for-other-origin', 'Signed by the ledger’s key under another key name; that key is trusted, but not for this origin.', wrongName, 'CHECKPOINT_MISMATCH', { logKeys: [logVerifierKey('ledger.other.example/2026')] });
  }
  const signedText = (t: string) => signNote(t, [noteSigner(ORIGIN, signer('ledger'))]);
  cp('size-leading-zero', 'A correctly signed text whose size has a leading zero.', signedText(textOf.replace('\n12\n', '\n012\n')), 'CHECKPOINT_MALFORMED');
  cp('root-not-32-bytes', 'A correctly signed text whose root is 31 bytes.', signedText(`${ORIGIN}\n12\n${toBase64(f.root(12).slice(0, 31))}\n`), 'CHECKPOINT_MALFORMED');
  cp('two-lines', 'A correctly signed text without a root line.', signedText(`${ORIGIN}\n12\n`), 'CHECKPOINT_MALFORMED');
  cp('no-blank-line', 'No blank line between text and signatures.', note.replace('\n\n', '\n'), 'NOTE_MALFORMED');
  cp('crlf', 'CR LF line endings.', note.replace(/\n/g, '\r\n'), 'NOTE_MALFORMED');
  cp('signature-line-prefix', 'A signature line starting with "-" instead of "— " (U+2014).', note.replace('— ', '- '), 'NOTE_MALFORMED');
  cp('bad-verifier-key', 'The trusted key’s key ID does not match its name and key.', note, 'VERIFIER_KEY_INVALID', { logKeys: [lk.replace(/\+([0-9a-f]{8})\+/, '+00000000+')] });
}

function policyCases(put: Put, add: Add, ok: Ok, bad: Bad): void {
  const f = story(12);
  const lk = logVerifierKey();
  const w = { a: witnessVerifierKey('a'), b: witnessVerifierKey('b'), c: witnessVerifierKey('c') };
  const policy = (name: string, body: string) => put(`policy/${name}.policy`, body);
  const onePolicy = policy('one-witness', `# Trust the Polri ledger when the Kejaksaan witness has cosigned.\nlog ${lk}\nwitness kejaksaan ${w.a}\nquorum kejaksaan\n`);
  const twoOfThree = policy('two-of-three', `log ${lk}\nwitness kejaksaan ${w.a}\nwitness komnasham ${w.b}\nwitness ma ${w.c}\ngroup any-two 2 kejaksaan komnasham ma\nquorum any-two\n`);
  const all = policy('all-of-two', `log ${lk}\nwitness kejaksaan ${w.a}\nwitness komnasham ${w.b}\ngroup both all kejaksaan komnasham\nquorum both\n`);
  const none = policy('no-witness', `log ${lk}\nquorum none\n`);
  const pc = (id: string, description: string, note: string, policyPath: string, error: string | null) =>
    add({ id: `policy/${error === null ? 'valid' : 'invalid'}/${id}`, kind: 'policy', description, input: put(`policy/${id}.txt`, note), trust: { policy: policyPath }, expect: error === null ? ok : bad(error) });
  pc('one-of-one', 'Cosigned by the one witness the policy requires.', f.checkpoint(12, ['a']), onePolicy, null);
  pc('two-of-three', 'Cosigned by two of three witnesses; the policy needs two.', f.checkpoint(12, ['a', 'c']), twoOfThree, null);
  pc('quorum-none', 'No witness required: the log signature is enough.', f.checkpoint(12), none, null);
  pc('extra-unknown-cosigner', 'An extra cosignature by a witness the policy does not know is ignored.', f.checkpoint(12, ['a', 'b']), onePolicy, null);
  pc('witness-missing', 'No cosignature by the required witness.', f.checkpoint(12), onePolicy, 'POLICY_NOT_MET');
  pc('one-of-three', 'Only one of the two cosignatures the group needs.', f.checkpoint(12, ['b']), twoOfThree, 'POLICY_NOT_MET');
  pc('all-needs-both', 'A group of "all" with one member missing.', f.checkpoint(12, ['a']), all, 'POLICY_NOT_MET');
  {
    const good = f.checkpoint(12, ['a']);
    const flipped = good.replace(new RegExp(`— ${WITNESSES.a.replace(/\./g, '\\.')} (\\S{20})(\\S)`), (_m, head: string, c: string) => `— ${WITNESSES.a} ${head}${c === 'A' ? 'B' : 'A'}`);
    pc('cosignature-changed', 'The witness cosignature altered.', flipped, onePolicy, 'COSIGNATURE_INVALID');
    // A cosignature the witness made over another checkpoint of the same log (size 11), attached to this one.
    const other = f.checkpoint(11, ['a']);
    const line = other.split('\n').find((l) => l.startsWith(`— ${WITNESSES.a} `))!;
    pc('cosignature-of-other-checkpoint', 'The witness cosignature is over the checkpoint of size 11, attached to the one of size 12: inconsistent.', addCosignatures(f.checkpoint(12), [line]), onePolicy, 'COSIGNATURE_INVALID');
    const shortSig = good.replace(new RegExp(`(— ${WITNESSES.a.replace(/\./g, '\\.')} )(\\S+)`), (_m, p: string, b64: string) => p + toBase64(parseBase64(b64).slice(0, 68)));
    pc('cosignature-truncated', 'The witness cosignature cut to 64 bytes after the key ID (a cosignature/v1 has 72).', shortSig, onePolicy, 'COSIGNATURE_INVALID');
  }
  pc('log-key-not-in-policy', 'Signed by a ledger key the policy does not list.', f.checkpoint(12, ['a'], 'other.ledger'), onePolicy, 'NOTE_UNKNOWN_SIGNER');
  const malformed = (id: string, description: string, body: string) => pc(id, description, f.checkpoint(12, ['a']), policy(id, body), 'POLICY_MALFORMED');
  malformed('no-quorum', 'A policy without a quorum line.', `log ${lk}\nwitness kejaksaan ${w.a}\n`);
  malformed('two-quorums', 'A policy with two quorum lines.', `log ${lk}\nwitness kejaksaan ${w.a}\nquorum kejaksaan\nquorum none\n`);
  malformed('unknown-keyword', 'An unknown keyword.', `log ${lk}\nwitnesses kejaksaan ${w.a}\nquorum none\n`);
  malformed('witness-key-type', 'A witness key of type 0x01 (a log key), not a cosignature/v1 key.', `log ${lk}\nwitness kejaksaan ${logVerifierKey(WITNESSES.a, 'witness.a')}\nquorum kejaksaan\n`);
  malformed('undefined-member', 'A group naming a witness defined later.', `log ${lk}\ngroup g 1 kejaksaan\nwitness kejaksaan ${w.a}\nquorum g\n`);
  malformed('threshold-zero', 'A group threshold of 0.', `log ${lk}\nwitness kejaksaan ${w.a}\ngroup g 0 kejaksaan\nquorum g\n`);
  malformed('threshold-too-large', 'A group threshold larger than its members.', `log ${lk}\nwitness kejaksaan ${w.a}\ngroup g 2 kejaksaan\nquorum g\n`);
  malformed('name-twice', 'A name defined twice.', `log ${lk}\nwitness kejaksaan ${w.a}\nwitness kejaksaan ${w.b}\nquorum kejaksaan\n`);
  malformed('member-twice', 'A witness listed in two groups.', `log ${lk}\nwitness kejaksaan ${w.a}\ngroup g1 any kejaksaan\ngroup g2 any kejaksaan\nquorum g1\n`);
  malformed('same-key-twice', 'The same witness key under two names.', `log ${lk}\nwitness kejaksaan ${w.a}\nwitness k2 ${w.a}\nquorum kejaksaan\n`);
  malformed('control-character', 'A carriage return at the end of a line.', `log ${lk}\r\nquorum none\n`);
}

function bundleCases(put: Put, add: Add, ok: Ok, bad: Bad): void {
  const lk = logVerifierKey();
  const fbiKey = logVerifierKey(FBI_ORIGIN, 'fbi.ledger');
  const policy = put('bundle/witness.policy', `log ${lk}\nwitness kejaksaan ${witnessVerifierKey('a')}\nquorum kejaksaan\n`);
  const full = story();
  const size = full.size;
  const note = full.checkpoint(size, ['a']);
  const good = bundleOf(full, ['BB-1'], note, size);
  const json = (b: unknown) => JSON.parse(canonicalize(b)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const bc = (id: string, description: string, bytes: Uint8Array | string, error: string | null, trust: Trust = { policy }) =>
    add({ id: `bundle/${error === null ? 'valid' : 'invalid'}/${id}`, kind: 'bundle', description, input: put(`bundle/${id}.json`, bytes), trust, expect: error === null ? ok : bad(error) });
  const m = (id: string, description: string, change: (b: any) => void, error: string | null, trust?: Trust) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const b = json(good);
    change(b);
    bc(id, description, bundleFile(b), error, trust);
  };
  const idx = (b: { records: Array<{ record: LedgerRecord }> }, seq: number) => b.records.findIndex((r) => r.record.seq === seq);

  bc('item-with-witness', 'The custody of BB-1 at a checkpoint of 30 records cosigned by the witness the policy requires.', bundleFile(good), null);
  bc('log-key-trust', 'The same bundle verified trusting the log key alone.', bundleFile(good), null, { logKeys: [lk] });
  bc('derived-item', 'The custody of the image BB-1/IMG-1, which brings the history of its parent BB-1 up to the checkpoint.', bundleFile(bundleOf(full, ['BB-1/IMG-1'], note, size)), null);
  bc('two-items', 'Two items in one bundle.', bundleFile(bundleOf(full, ['BB-1', 'BB-2'], note, size)), null);
  bc('older-checkpoint', 'BB-1 at the checkpoint of 12 records (its later records are not in that tree).', bundleFile(bundleOf(full, ['BB-1'], full.checkpoint(12, ['a']), 12)), null);
  bc('pretty-printed', 'A bundle need not be canonical JSON: pretty-printed, it verifies the same.', JSON.stringify(json(good), null, 2) + '\n', null);
  {
    const late = lateEntryStory();
    bc('late-entry', 'BB-1 with a late entry dated before the genesis (record 9): intact, as in a whole-ledger audit.', bundleFile(bundleOf(late, ['BB-1'], late.checkpoint(late.size, ['a']), late.size)), null);
    const mixed = mixedScriptStory();
    bc('mixed-script-text', 'BB-1 with a record whose text mixes scripts in one word (record 9): a warning, not a failure.', bundleFile(bundleOf(mixed, ['BB-1'], mixed.checkpoint(mixed.size, ['a']), mixed.size)), null);
  }
  m('tail-omitted-undetectable', 'The last records of BB-1 (after record 15) left out. Nothing shows it: a bundle proves the records it holds, not that no later one exists (PROTOCOL.md §11.4).', (b) => (b.records = b.records.filter((r: any) => r.record.item !== 'BB-1' || r.record.seq <= 15)), null); // eslint-disable-line @typescript-eslint/no-explicit-any

  {
    const bytes = bundleFile(good);
    bc('truncated', 'The bundle file cut in half.', bytes.slice(0, Math.floor(bytes.length / 2)), 'JSON_SYNTAX');
  }
  bc('duplicate-key', 'The member "format" twice.', text(bundleFile(good)).replace('{"checkpoint":', '{"format":"custody-bundle/v1","checkpoint":'), 'JSON_DUPLICATE_KEY');
  bc('float', 'A record’s size as a float.', text(bundleFile(good)).replace('"size":128043712512', '"size":128043712512.5'), 'JSON_NUMBER');
  bc('lone-surrogate', 'A lone surrogate in a record.', text(bundleFile(good)).replace('layar retak', 'layar \\udfff'), 'JSON_LONE_SURROGATE');
  m('unknown-field', 'A member the bundle schema does not define.', (b) => (b.extra = 1), 'SCHEMA_INVALID');
  m('wrong-format', 'format "custody-bundle/v2".', (b) => (b.format = 'custody-bundle/v2'), 'SCHEMA_INVALID');
  m('record-schema', 'A record inside the bundle with an unknown member.', (b) => (b.records[3].record.x = 1), 'SCHEMA_INVALID');
  m('item-twice', 'The item listed twice.', (b) => b.items.push('BB-1'), 'BUNDLE_MALFORMED');
  m('record-of-other-item', 'A record of BB-2, which the bundle does not cover, added (with its valid proof).', (b) => {
    const other = json(bundleOf(full, ['BB-2'], note, size)).records.find((r: any) => r.record.item === 'BB-2'); // eslint-disable-line @typescript-eslint/no-explicit-any
    b.records.push(other);
    b.records.sort((x: any, y: any) => x.record.seq - y.record.seq); // eslint-disable-line @typescript-eslint/no-explicit-any
  }, 'BUNDLE_MALFORMED');
  m('records-reordered', 'Records out of seq order.', (b) => b.records.reverse(), 'BUNDLE_MALFORMED');
  m('genesis-removed', 'The genesis record left out.', (b) => b.records.shift(), 'BUNDLE_INCOMPLETE');
  m('item-without-records', 'An item listed with no record in the bundle.', (b) => b.items.push('BB-2'), 'BUNDLE_INCOMPLETE');
  m('middle-record-removed', 'Record 9 of BB-1 (the offer) left out: the accept’s itemPrev has nothing to link to.', (b) => b.records.splice(idx(b, 9), 1), 'ITEM_CHAIN_BROKEN');
  m('identity-record-removed', 'The enrolment of sari left out: her cosignature and records cannot be checked.', (b) => b.records.splice(idx(b, 3), 1), 'IDENTITY_UNKNOWN');
  m('record-edited', 'A record’s description edited: its leaf hash no longer has an inclusion proof.', (b) => (b.records[idx(b, 7)].record.data.description = 'Laptop'), 'PROOF_INVALID');
  m('proof-hash-changed', 'One hash of an inclusion proof zeroed.', (b) => (b.records[idx(b, 8)].proof[0] = '00'.repeat(32)), 'PROOF_INVALID');
  m('proof-too-short', 'An inclusion proof missing its last hash.', (b) => b.records[idx(b, 8)].proof.pop(), 'PROOF_INVALID');
  m('record-beyond-checkpoint', 'A record whose seq is beyond the checkpoint’s size.', (b) => (b.records[idx(b, 21)].record.seq = 40), 'PROOF_INVALID');
  m('record-of-other-log', 'A record naming another log’s origin.', (b) => (b.records[idx(b, 7)].record.log = 'ledger.other.example/2026'), 'LOG_MISMATCH');
  m('witness-removed', 'The witness cosignature removed from the checkpoint.', (b) => (b.checkpoint = b.checkpoint.replace(/— witness\.kejaksaan\.example \S+\n$/, '')), 'POLICY_NOT_MET');
  m('checkpoint-size-changed', 'The checkpoint’s size changed.', (b) => (b.checkpoint = b.checkpoint.replace('\n30\n', '\n31\n')), 'NOTE_SIGNATURE_INVALID');
  bc('untrusted-log', 'Verified trusting only another ledger’s key.', bundleFile(good), 'NOTE_UNKNOWN_SIGNER', { logKeys: [fbiKey] });
  m('log-key-malformed', 'The bundle’s log key has a wrong key ID.', (b) => (b.log.key = b.log.key.replace(/\+([0-9a-f]{8})\+/, '+00000000+')), 'VERIFIER_KEY_INVALID');
  m('log-key-of-other-origin', 'The bundle says it is of another origin than its checkpoint.', (b) => {
    b.log.origin = 'ledger.other.example/2026';
    b.log.key = logVerifierKey('ledger.other.example/2026');
  }, 'CHECKPOINT_MISMATCH');
  m('genesis-key-differs', 'The bundle names another ledger key than the genesis record does (and than the key that signed its checkpoint).', (b) => (b.log.key = logVerifierKey(ORIGIN, 'other.ledger')), 'CHECKPOINT_MISMATCH');
  {
    // A ledger that holds a bad record, faithfully proved: the bundle verifies the records, not just the proofs.
    const forgedLedger = story(Infinity, (seq, step) => (seq === 21 ? { ...step, actor: 'budi' } : step));
    bc('custody-rule-in-log', 'A ledger whose record 21 (a move of BB-1 by budi, who does not hold it) was appended anyway: the bundle’s proofs hold, its custody rules do not.', bundleFile(bundleOf(forgedLedger, ['BB-1'], forgedLedger.checkpoint(size, ['a']), size)), 'CUSTODY_RULE');
    const badSig = story(Infinity, (seq, step) => (seq === 9 ? { ...step, as: 'rudi' } : step));
    bc('bad-signature-in-log', 'A ledger whose record 9 is signed with the wrong key, faithfully proved.', bundleFile(bundleOf(badSig, ['BB-1'], badSig.checkpoint(size, ['a']), size)), 'SIGNATURE_INVALID');
  }

  // Across two ledgers: Polri → FBI, with the upstream bundle nested.
  const polri = story(9, (seq, step) => (seq === 8 ? { ...step, data: { from: 'budi', to: 'fbi.doe', purpose: 'MLA' }, cosign: [['fbi.doe', 'fbi.doe']] } : step));
  const pNote = polri.checkpoint();
  const upstream = bundleOf(polri, ['BB-1'], pNote, polri.size);
  const fbi = new Forge(FBI_ORIGIN, '2026-11-28T03:00:00.000Z');
  fbi.add({ type: 'ledger.genesis', actor: 'ledger', as: 'fbi.ledger', data: { name: 'Evidence, Legat Jakarta', agency: 'FBI', key: pub('fbi.ledger') } });
  fbi.add({ ...enrol('doe', 'officer', 'fbi.doe'), as: 'fbi.ledger' });
  const importStep = (u: Bundle): Step => ({
    type: 'item.import',
    item: 'FBI-E1',
    actor: 'doe',
    as: 'fbi.doe',
    data: {
      source: { log: ORIGIN, item: 'BB-1', head: polri.head('BB-1'), checkpoint: { size: polri.size, root: toHex(polri.root()) }, bundle: sha256hex(canonicalBytes(u)) },
      kind: 'phone',
      description: 'Ponsel Samsung, layar retak',
      digests: DIGEST_PHONE,
      size: 128043712512,
    },
  });
  fbi.add(importStep(upstream));
  fbi.add({ type: 'item.examine', item: 'FBI-E1', actor: 'doe', as: 'fbi.doe', data: { purpose: 'Analysis', authority: 'MLAT 2026-17' } });
  const fNote = fbi.checkpoint(fbi.size, [], 'fbi.ledger');
  const both = { logKeys: [lk, fbiKey] };
  const downstream = bundleOf(fbi, ['FBI-E1'], fNote, fbi.size, [upstream]);
  {
    const revoked = story();
    revoked.add({ type: 'identity.revoke', actor: 'adm', data: { id: 'rudi', reason: 'Kunci bocor', compromisedSince: 12 } });
    add({
      id: 'bundle/invalid/compromised-signer',
      kind: 'bundle',
      description: 'The bundle of BB-1/IMG-1 holds the revocation of rudi (record 30) with compromisedSince 12: the records rudi signed from seq 12 on must fail, as they do in a whole-ledger audit.',
      input: put('bundle/compromised-signer.json', bundleFile(bundleOf(revoked, ['BB-1/IMG-1'], revoked.checkpoint(31, ['a']), 31))),
      trust: { policy },
      expect: bad('KEY_NOT_VALID', 12),
    });
  }
  {
    const g = json(good);
    g.checkpoint = full.checkpoint(size, [], 'other.ledger');
    add({
      id: 'bundle/invalid/checkpoint-key-not-genesis-key',
      kind: 'bundle',
      description: 'The checkpoint is signed (for this origin) by a trusted key that is not the ledger key the genesis record names and the bundle’s log key gives: the ledger key signs checkpoints (DESIGN §5), so the two must be one key.',
      input: put('bundle/checkpoint-key-not-genesis-key.json', bundleFile(g)),
      trust: { logKeys: [logVerifierKey(ORIGIN, 'other.ledger')] },
      expect: bad('CHECKPOINT_MISMATCH'),
    });
  }
  bc('upstream', 'An item imported by the FBI ledger from the Polri ledger: the FBI bundle nests the Polri bundle it came from.', bundleFile(downstream), null, both);
  bc('upstream-untrusted', 'The same bundle trusting only the FBI ledger’s key: the upstream part cannot be checked.', bundleFile(downstream), 'BUNDLE_UPSTREAM_MISMATCH', { logKeys: [fbiKey] });
  {
    const d = json(downstream);
    delete d.upstream;
    bc('upstream-missing', 'The upstream bundle left out.', bundleFile(d), 'BUNDLE_UPSTREAM_MISMATCH', both);
    const e = json(downstream);
    e.upstream[0].records.pop();
    bc('upstream-changed', 'The upstream bundle without its last record: its digest and head no longer match the import.', bundleFile(e), 'BUNDLE_UPSTREAM_MISMATCH', both);
  }
}

// ---------------------------------------------------------------------------------------------
// The worked examples of docs/PROTOCOL.md, each produced here and checked by test/protocol-doc.test.ts.

export function protocolExamples(): Record<string, string> {
  const f = story(9);
  const genesisRecord = f.records[0]!;
  const { sig: _s, ...unsignedGenesis } = genesisRecord;
  const transfer = f.records[8]!;
  const statement = statementOf(transfer);
  const paeText = (bytes: Uint8Array) => text(bytes);
  const store = f.store();
  const note = f.checkpoint(9);
  const cpText = note.slice(0, note.indexOf('\n\n') + 1); // the checkpoint text
  const witness = witnessVerifierKey('a');
  const cosignedNote = f.checkpoint(9, ['a']);
  const proof = proveInclusion(7, 9, store).map(toHex);
  const consistency = proveConsistency(5, 9, store).map(toHex);
  // A three-record ledger for the bundle example: genesis, an officer enrolled by the ledger key, an item.
  const small = new Forge(ORIGIN);
  small.add(genesis()[0]!);
  small.add({ ...enrol('budi', 'officer', 'budi'), as: 'ledger' });
  small.add(register('BB-1'));
  const smallBundle = bundleOf(small, ['BB-1'], small.checkpoint(3, ['a']), 3);
  const jcsInput = '{ "b": [1, true, null], "a": "Gedung \\u0042areskrim", "\u00e9": "\\u20ac", "\ufb01": 1, "\ud83d\ude00": 2, "A": {"z": 0, "y": "\\n\\u001f"} }';
  const corpus = generateCorpus();
  const kinds = ['ledger', 'record', 'checkpoint', 'policy', 'bundle'] as const;
  const count = (kind: string, ok: boolean) => corpus.cases.filter((c) => c.kind === kind && c.expect.ok === ok).length;
  return {
    'jcs-input': jcsInput,
    'jcs-output': canonicalize(parseJson(jcsInput)),
    'keys': [
      `ledger key seed: ${toHex(new Uint8Array(32).fill(SEEDS.ledger))}`,
      `ledger public key: ${pub('ledger')}`,
      `budi public key: ${pub('budi')}`,
      `sari public key: ${pub('sari')}`,
      `log verifier key: ${logVerifierKey()}`,
      `witness verifier key: ${witness}`,
    ].join('\n'),
    'genesis-unsigned': canonicalize(unsignedGenesis),
    'genesis-pae': paeText(recordSigningBytes(genesisRecord)).replace(/\{.*\}$/, '{…as above…}'),
    'genesis-leaf': text(f.leaves[0]!),
    'genesis-leaf-hash': f.hashes[0]!,
    'transfer-leaf': text(f.leaves[8]!),
    'late-leaf': text(lateEntryStory().leaves[9]!),
    'transfer-statement': canonicalize(statement),
    'transfer-statement-pae-head': paeText(statementSigningBytes(statement)).slice(0, paeText(statementSigningBytes(statement)).indexOf('{')),
    'merkle': [
      `leaf hashes (seq 0–8):`,
      ...f.hashes.map((h, i) => `  ${i} ${h}`),
      `root at size 9: ${toHex(f.root(9))}`,
      `root at size 5: ${toHex(f.root(5))}`,
      `inclusion proof of seq 7 at size 9: ${JSON.stringify(proof)}`,
      `consistency proof from size 5 to 9: ${JSON.stringify(consistency)}`,
    ].join('\n'),
    'checkpoint-note': note,
    'cosignature-message': text(cosignatureMessage(cpText, COSIGNED_AT)),
    'cosigned-note': cosignedNote,
    'policy': `log ${logVerifierKey()}\nwitness kejaksaan ${witness}\nquorum kejaksaan\n`,
    'jsonl': text(story(3).jsonl()),
    'bundle': JSON.stringify(smallBundle, null, 2),
    'bundle-digest': sha256hex(canonicalBytes(smallBundle)),
    'corpus-counts': [
      '| kind | valid | invalid |',
      '|---|---|---|',
      ...kinds.map((k) => `| ${k} | ${count(k, true)} | ${count(k, false)} |`),
      `| all | ${corpus.cases.filter((c) => c.expect.ok).length} | ${corpus.cases.filter((c) => !c.expect.ok).length} |`,
    ].join('\n'),
    'checkpoint-empty-root': toHex(treeHash(0, new MemoryHashStore())),
  };
}

/** The blocks of docs/PROTOCOL.md that hold examples: an HTML comment naming it, then a fenced block. */
const EXAMPLE_BLOCK = /<!-- example: ([a-z0-9-]+) -->\n```([a-z]*)\n([\s\S]*?)\n```\n/g;

/**
 * renderProtocolDoc returns `markdown` with every example block replaced by the example of that name
 * (its final newline, if any, left out before the closing fence). Throws for an unknown name.
 */
export function renderProtocolDoc(markdown: string, examples: Record<string, string> = protocolExamples()): string {
  return markdown.replace(EXAMPLE_BLOCK, (_m, id: string, lang: string) => {
    const example = examples[id];
    if (example === undefined) throw new Error(`docs/PROTOCOL.md names an unknown example "${id}"`);
    return `<!-- example: ${id} -->\n\`\`\`${lang}\n${example.endsWith('\n') ? example.slice(0, -1) : example}\n\`\`\`\n`;
  });
}

/** exampleIds lists the example names that `markdown` uses, in order. */
export function exampleIds(markdown: string): string[] {
  return [...markdown.matchAll(EXAMPLE_BLOCK)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------

/** writeCorpus writes the corpus under `dir`, replacing the generated files there (README.md is kept). */
export function writeCorpus(dir: string): Corpus {
  const corpus = generateCorpus();
  for (const sub of ['ledger', 'record', 'checkpoint', 'policy', 'bundle']) rmSync(join(dir, sub), { recursive: true, force: true });
  for (const [path, bytes] of corpus.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return corpus;
}

/** listCorpusFiles lists the generated files under `dir` (all but README.md and tests), relative and sorted. */
export function listCorpusFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (path !== 'README.md' && !path.endsWith('.test.ts')) out.push(path);
    }
  };
  walk('');
  return out.sort();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = resolve(process.argv[2] ?? join(root, 'test/conformance'));
  if (process.argv[2] === '--doc') {
    // Rewrites the examples of docs/PROTOCOL.md from the code (test/protocol-doc.test.ts checks them).
    const path = join(root, 'docs/PROTOCOL.md');
    writeFileSync(path, renderProtocolDoc(readFileSync(path, 'utf8')));
    process.stdout.write(`examples written into ${path}\n`);
    process.exit(0);
  }
  const { cases, files } = writeCorpus(dir);
  const kinds = new Map<string, number>();
  for (const c of cases) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
  process.stdout.write(`${cases.length} cases (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${files.size} files in ${dir}\n`);
}
