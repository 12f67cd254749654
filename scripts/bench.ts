/**
 * pnpm bench [--full] [--json] [--runs N] [--records N] [--rebuild] [--profile] [--no-hash]
 *
 * The performance figures of the custody ledger, each the median of several runs with its spread,
 * measured side by side with its baseline in the same process and the same minutes (runs alternate
 * custody / baseline, and swap the order every run), and reported as absolute figures and as ratios:
 *
 *   durable single appends   Ledger.append, one transaction each      vs bare better-sqlite3 inserts of the
 *                            (transfers with a cosignature, and notes)   same leaf bytes, one transaction each
 *   batch appends            Ledger.appendBatch, 1,000 per transaction   vs bare inserts, 1,000 per transaction
 *   full verification        verifyLedger in a child process (its        vs measureVerifyRate (one core, cached
 *                            peak RSS read there)                        KeyObject) × os.availableParallelism()
 *   bytes on disk            per typical transfer record, and per record of the big mixed ledger
 *
 * Both sides of the append figures use WAL with synchronous=FULL (the ledger's own settings).
 * Scratch files live in .bench/ (git-ignored). The big ledger for verification (100,000 records, or
 * 1,000,000 with --full) is built with appendBatch and cached there, keyed on its size and on the
 * git tree hashes of packages/core and packages/ledger at HEAD: uncommitted changes to the record
 * format are not in the key, so pass --rebuild after them (a cached ledger that fails verification
 * is also rebuilt once, and the figure says so).
 *
 * Output: a table on stdout, or with --json exactly one JSON document. Progress goes to stderr.
 * --profile runs each figure that misses its target once more under `node --cpu-prof` and lists
 * where the time goes. scripts/bench-hash.mjs (file hashing), when present, is run and included.
 *
 * Exit status: 0 when it ran (targets missed or not), 1 when a freshly built ledger fails
 * verification, 2 on bad usage, 3 when it could not run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { signStatement, statementOf, toBase64, type RecordInput, type RecordType, type Signer } from '../packages/core/src/index.js';
import { keyPairFromSeed, Ledger, measureVerifyRate, verifyLedger, type KeyPair } from '../packages/ledger/src/index.js';
import { mulberry32 } from '../packages/core/test/prng.js';
import { proofFigures } from './bench-proofs.js';

type Database = import('../packages/ledger/test/raw-sqlite.js').RawDatabase;
const ledgerRequire = createRequire(new URL('../packages/ledger/package.json', import.meta.url));
const Sqlite = ledgerRequire('better-sqlite3') as new (path: string, options?: { readonly?: boolean }) => Database;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);
const BENCH_DIR = join(ROOT, '.bench');
const RUN_DIR = join(BENCH_DIR, 'run');
/** Bump when the generated workload changes, so cached ledgers are rebuilt. */
const WORKLOAD_VERSION = 2;
const ORIGIN = 'bench.custody.example/2026';
const ZONE = 'Asia/Jakarta';
const BATCH = 1000;

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  full: boolean;
  json: boolean;
  rebuild: boolean;
  profile: boolean;
  /** Run scripts/bench-hash.mjs when it is there. */
  hash: boolean;
  /** Runs of each append figure (≥ 3). */
  runs: number;
  /** Runs of the verification figure (≥ 3). */
  verifyRuns: number;
  /** Records in the ledger that is verified. */
  records: number;
  singleCount: number;
  batchRecords: number;
}

const USAGE = `Usage: pnpm bench [--full] [--json] [--runs N] [--records N] [--rebuild] [--profile] [--no-hash]

  --full        verify 1,000,000 records (default 100,000) and append more per run
  --json        print exactly one JSON document instead of the table
  --runs N      runs per figure, at least 3 (default 5 for appends, 3 for verification)
  --records N   records in the verified ledger (overrides --full's size)
  --rebuild     rebuild the cached ledger in .bench/ (after changing the record format)
  --profile     profile each figure that misses its target (node --cpu-prof) and list where the time goes
  --no-hash     skip the file hashing figures of scripts/bench-hash.mjs

Example: pnpm -s bench --json > bench.json   (-s: without pnpm's own banner on stdout)`;

function parseOptions(argv: readonly string[]): Options {
  const flags = new Set<string>();
  const values = new Map<string, number>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs' || arg === '--records') {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${arg} needs a positive whole number`);
      values.set(arg, value);
    } else if (['--full', '--json', '--rebuild', '--profile', '--no-hash', '--help'].includes(arg)) {
      flags.add(arg);
    } else {
      throw new UsageError(`unknown argument ${arg}`);
    }
  }
  if (flags.has('--help')) throw new UsageError('');
  const full = flags.has('--full');
  const runs = values.get('--runs');
  if (runs !== undefined && runs < 3) throw new UsageError('--runs must be at least 3: a median of fewer says little');
  const records = values.get('--records') ?? (full ? 1_000_000 : 100_000);
  if (records < 100) throw new UsageError('--records must be at least 100');
  return {
    full,
    json: flags.has('--json'),
    rebuild: flags.has('--rebuild'),
    profile: flags.has('--profile'),
    hash: !flags.has('--no-hash'),
    runs: runs ?? 5,
    verifyRuns: runs ?? 3,
    records,
    singleCount: full ? 1000 : 300,
    batchRecords: full ? 50_000 : 10_000,
  };
}

class UsageError extends Error {}

// ---------------------------------------------------------------------------------------------
// Main

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly custody: Stats;
  readonly baseline: (Stats & { readonly what: string }) | null;
  /** custody median ÷ baseline median. */
  readonly ratio: number | null;
  /** The spread of custody ÷ baseline within each run's pair. */
  readonly pairedRatio: { readonly min: number; readonly max: number } | null;
  readonly target: string;
  readonly met: boolean | null;
  readonly details: Record<string, unknown>;
  profile?: ProfileSummary;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv.slice(1));
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    (e.message === '' ? process.stdout : process.stderr).write(`${e.message === '' ? '' : `bench: ${e.message}\n\n`}${USAGE}\n`);
    process.exitCode = e.message === '' ? 0 : 2;
    return;
  }
  try {
    await bench(options);
  } catch (e) {
    // Could not run (a broken build, a full disk): say so, as one JSON document with --json.
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    if (options.json) process.stdout.write(`${JSON.stringify({ bench: 'custody', error: message }, null, 2)}\n`);
    process.stderr.write(`bench: could not run: ${message}\n`);
    process.exitCode = 3;
  }
}

async function bench(options: Options): Promise<void> {
  mkdirSync(RUN_DIR, { recursive: true });
  const started = new Date();
  const cpuBefore = readCpuTimes();
  const loadBefore = loadavg();

  const figures: Figure[] = [];
  progress('durable single appends');
  figures.push(singleAppends(options));
  progress('batch appends');
  figures.push(batchAppends(options));
  progress('bytes on disk');
  figures.push(bytesOnDisk(options));
  progress(`full verification of ${options.records.toLocaleString('en-US')} records`);
  const verification = await fullVerification(options);
  figures.push(verification.figure);
  figures.push(verification.bytes);
  progress('proofs, checkpoints and bundles on the big ledger');
  for (const f of proofFigures(verification.path, RUN_DIR, LEDGER_KEYS, OFFICERS[0], PEOPLE.get(OFFICERS[0])!, options.verifyRuns)) {
    const custody = stats(f.runsMs);
    figures.push({
      name: f.name,
      unit: f.unit,
      custody,
      baseline: null,
      ratio: null,
      pairedRatio: null,
      target: `< ${f.limitMs} ms`,
      met: custody.median < f.limitMs,
      details: f.details,
    });
  }
  if (options.profile) {
    for (const figure of figures.filter((f) => f.met === false)) {
      progress(`profiling: ${figure.name}`);
      figure.profile = profileFigure(figure.name, verification.path);
    }
  }
  const hashBench = runHashBench(options);
  rmSync(RUN_DIR, { recursive: true, force: true });

  const machine = machineFacts(started, loadBefore, cpuBefore);
  const document = {
    bench: 'custody',
    mode: options.full ? 'full' : 'quick',
    started: started.toISOString(),
    seconds: Math.round((Date.now() - started.getTime()) / 100) / 10,
    machine,
    code: codeFacts(),
    figures,
    hashBench,
  };
  process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : renderTable(document));
  if (verification.figure.details['ok'] === false) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// The cast and the workload: a dozen officers and an admin with fixed keys, and a realistic mix of
// registers, cosigned transfers, checks and notes over thousands of items.

const OFFICERS = ['budi', 'sari', 'rudi', 'dewi', 'agus', 'rina', 'joko', 'wati', 'eko', 'maya', 'hadi', 'lina'] as const;

function keysOf(id: string): KeyPair {
  return keyPairFromSeed(new Uint8Array(createHash('sha256').update(`custody bench key ${id}`).digest()));
}

const LEDGER_KEYS = keysOf('ledger');
const PEOPLE = new Map<string, KeyPair>([['adm', keysOf('adm')], ...OFFICERS.map((id) => [id, keysOf(id)] as const)]);

type Entry = { input: RecordInput; signer: Signer };
type EventType = 'custody.transfer' | 'item.check' | 'item.note';
type Mix = Partial<Record<EventType, number>>;

/** The mix of the big ledger and of the batch figure, besides registrations. */
const MIXED: Mix = { 'custody.transfer': 0.4, 'item.check': 0.2, 'item.note': 0.4 };

const KINDS = ['phone', 'computer', 'disk', 'memory-card', 'sim', 'image', 'extraction', 'document'] as const;
const PURPOSES = [
  'Penyimpanan di gudang barang bukti',
  'Pemeriksaan forensik digital di Labfor',
  'Pengembalian dari Labfor setelah pemeriksaan',
  'Penyerahan kepada penyidik untuk pemeriksaan saksi',
  'Pelimpahan tahap II ke kejaksaan',
];
const PLACES = ['Gudang BB Ditreskrimsus Polda Metro Jaya', 'Labfor Puslabfor Bareskrim Polri, Sentul', 'Ruang Penyidik Subdit Siber Lt. 3'];
const NOTES = [
  'Kemasan diperiksa, segel utuh, tidak ada kerusakan fisik yang terlihat pada barang bukti.',
  'Barang bukti difoto ulang untuk berita acara; foto disimpan pada berkas perkara.',
  'Penyidik meminta salinan hasil ekstraksi untuk dilampirkan pada berkas.',
  'Koreksi: nomor laporan polisi pada register sebelumnya sudah sesuai dengan surat perintah penyitaan.',
];

interface BenchItem {
  readonly id: string;
  custodian: string;
  readonly sha256: string;
  readonly size: number;
}

/** Workload generates record inputs deterministically (same seed, same records, byte for byte). */
class Workload {
  /** The enrolments of the admin and the officers, signed by the ledger key. */
  readonly setup: Entry[];
  readonly genesisTime: string;
  readonly #options: { seed: number; items: number; records: number; mix: Mix };
  readonly #random: () => number;
  readonly #items: BenchItem[] = [];
  #clock = Date.UTC(2026, 0, 5, 1, 0, 0);
  #produced = 0;

  constructor(options: { seed: number; items: number; records: number; mix: Mix }) {
    this.#options = options;
    this.#random = mulberry32(options.seed);
    this.genesisTime = this.#time();
    this.setup = [...PEOPLE].map(([id, keys]) => ({
      input: {
        type: 'identity.enrol' as const,
        item: null,
        actor: 'ledger',
        time: this.#time(),
        zone: ZONE,
        data: {
          id,
          role: id === 'adm' ? 'admin' : 'officer',
          name: `Bench ${id}`,
          agency: 'Polri',
          nrp: String(87_000_000 + this.#int(1_000_000)),
          title: 'AKP',
          unit: 'Subdit V Siber Ditreskrimsus',
          key: toBase64(keys.publicKey),
        },
      },
      signer: LEDGER_KEYS.signer,
    }));
  }

  /** next follows the schedule: registrations spread evenly over the planned records, events between. */
  next(): Entry {
    const due = Math.ceil((this.#options.items * (this.#produced + 1)) / this.#options.records);
    return this.#items.length === 0 || this.#items.length < due ? this.register() : this.event();
  }

  take(count: number): Entry[] {
    return Array.from({ length: count }, () => this.next());
  }

  register(): Entry {
    const n = this.#items.length + 1;
    const id = `BB-2026-${String(n).padStart(6, '0')}`;
    const custodian = this.#pick(OFFICERS);
    const item: BenchItem = { id, custodian, sha256: createHash('sha256').update(id).digest('hex'), size: 1_000_000 + this.#int(64e9) };
    this.#items.push(item);
    const caseNumber = `LP/B/${100 + (n % 900)}/I/2026/SPKT/POLDA METRO JAYA`;
    const kind = this.#pick(KINDS);
    return this.#entry('item.register', id, custodian, {
      kind,
      description: `Barang bukti ${kind} disita dari tersangka dalam perkara ${caseNumber}`,
      digests: { sha256: item.sha256 },
      size: item.size,
      cases: [caseNumber],
      seal: { numbers: [`SEG-${n}`], state: 'intact' },
      location: PLACES[0]!,
    });
  }

  /** event appends a transfer, check or note (by the mix) about an item registered earlier. */
  event(): Entry {
    const item = this.#items[this.#int(this.#items.length)];
    if (item === undefined) throw new Error('Workload.event: no item registered yet');
    const type = this.#eventType();
    if (type === 'custody.transfer') {
      const from = item.custodian;
      let to = this.#pick(OFFICERS);
      while (to === from) to = this.#pick(OFFICERS);
      item.custodian = to;
      return this.#entry(type, item.id, from, { from, to, purpose: this.#pick(PURPOSES), place: this.#pick(PLACES) }, to);
    }
    if (type === 'item.check') {
      return this.#entry(type, item.id, item.custodian, { digests: { sha256: item.sha256 }, size: item.size, result: 'match', tool: 'custody 0.1.0' });
    }
    return this.#entry(type, item.id, item.custodian, { text: `${this.#pick(NOTES)} (${item.id})` });
  }

  #entry(type: RecordType, item: string, actor: string, data: RecordInput['data'], cosigner?: string): Entry {
    this.#produced++;
    const time = this.#time();
    const input: RecordInput = { type, item, actor, time, zone: ZONE, data };
    if (cosigner === undefined) return { input, signer: PEOPLE.get(actor)!.signer };
    const statement = statementOf({ v: 1, log: ORIGIN, ...input, time });
    return { input: { ...input, cosigs: [signStatement(statement, cosigner, PEOPLE.get(cosigner)!.signer)] }, signer: PEOPLE.get(actor)!.signer };
  }

  #eventType(): EventType {
    const entries = Object.entries(this.#options.mix) as [EventType, number][];
    let r = this.#random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [type, weight] of entries) if ((r -= weight) < 0) return type;
    return entries[entries.length - 1]![0];
  }

  #time(): string {
    // 1 to 20 s apart: a 1,000,000-record workload ends within months of its start, never after
    // today (appends dated more than 5 minutes ahead of the clock are refused).
    this.#clock += 1000 + this.#int(19_000);
    return new Date(this.#clock).toISOString();
  }

  #int(below: number): number {
    return Math.floor(this.#random() * below);
  }

  #pick<T>(list: readonly T[]): T {
    return list[this.#int(list.length)]!;
  }
}

/** createBenchLedger makes a fresh ledger at `path` with the cast enrolled and `prelude` appended. */
function createBenchLedger(path: string, workload: Workload, prelude: readonly Entry[] = []): Ledger {
  removeDatabase(path);
  const ledger = Ledger.create(path, { origin: ORIGIN, name: 'Bench', agency: 'Polri', signer: LEDGER_KEYS.signer, zone: ZONE, time: workload.genesisTime });
  const entries = [...workload.setup, ...prelude];
  for (let i = 0; i < entries.length; i += BATCH) ledger.appendBatch(entries.slice(i, i + BATCH));
  return ledger;
}

/** bareDatabase makes the baseline: one table of leaf bytes, with the ledger's journal settings. */
function bareDatabase(path: string): Database {
  removeDatabase(path);
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE leaves (seq INTEGER PRIMARY KEY, leaf BLOB NOT NULL) STRICT');
  return db;
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

// ---------------------------------------------------------------------------------------------
// Figures: appends

/** The single-append workload: 50 items registered beforehand, then cosigned transfers and notes. */
function singleWorkload(count: number): { workload: Workload; prelude: Entry[]; timed: Entry[] } {
  const workload = new Workload({ seed: 1, items: 50, records: 50 + count, mix: { 'custody.transfer': 1, 'item.note': 1 } });
  const prelude = Array.from({ length: 50 }, () => workload.register());
  return { workload, prelude, timed: Array.from({ length: count }, () => workload.event()) };
}

/** What one timed run took: wall-clock and this process's CPU time (the rest is waiting, for the disk or for others). */
interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

function timed(run: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * sideBySide runs the custody side and the baseline side `runs` times each, alternating, and swaps
 * which goes first every run, so load from others falls on both alike.
 */
function sideBySide(runs: number, custodySide: () => Timing, baselineSide: () => Timing): { custody: Timing[]; baseline: Timing[] } {
  const custody: Timing[] = [];
  const baseline: Timing[] = [];
  for (let run = 0; run < runs; run++) {
    const sides = [() => custody.push(custodySide()), () => baseline.push(baselineSide())];
    if (run % 2 === 1) sides.reverse();
    for (const side of sides) side();
  }
  return { custody, baseline };
}

/** timeSingleAppends appends each entry in its own transaction to a fresh ledger. */
function timeSingleAppends(path: string, work: ReturnType<typeof singleWorkload>): Timing & { leaves: Uint8Array[] } {
  const ledger = createBenchLedger(path, work.workload, work.prelude);
  const first = ledger.size();
  const timing = timed(() => {
    for (const { input, signer } of work.timed) ledger.append(input, signer);
  });
  const leaves = [...ledger.leaves(first)];
  ledger.close();
  return { ...timing, leaves };
}

function timeBareSingleInserts(path: string, leaves: readonly Uint8Array[]): Timing {
  const db = bareDatabase(path);
  const insert = db.prepare('INSERT INTO leaves (seq, leaf) VALUES (?, ?)');
  const one = db.transaction((seq: number, leaf: Uint8Array) => insert.run(seq, leaf));
  const timing = timed(() => leaves.forEach((leaf, seq) => one.immediate(seq, leaf)));
  db.close();
  return timing;
}

function singleAppends(options: Options): Figure {
  const work = singleWorkload(options.singleCount);
  const path = join(RUN_DIR, 'single.db');
  const barePath = join(RUN_DIR, 'single-bare.db');
  const { leaves } = timeSingleAppends(path, work); // warm-up; gives the leaf bytes of the baseline
  timeBareSingleInserts(barePath, leaves);
  const { custody, baseline } = sideBySide(options.runs, () => timeSingleAppends(path, work), () => timeBareSingleInserts(barePath, leaves));
  const count = work.timed.length;
  const leafBytes = leaves.reduce((sum, leaf) => sum + leaf.length, 0) / count;
  const perRecordMs = (runs: readonly Timing[], key: keyof Timing): number => round(stats(runs.map((t) => t[key] / count)).median, 3);
  return compare('durable single appends', 'records/s', rates(custody, count), rates(baseline, count), 'bare SQLite inserts of the same leaf bytes, one transaction each', {
    minRatio: 0.8,
    details: {
      recordsPerRun: count,
      mix: '50% custody.transfer with 1 cosignature, 50% item.note',
      meanLeafBytes: Math.round(leafBytes),
      msPerAppend: { wall: perRecordMs(custody, 'ms'), cpu: perRecordMs(custody, 'cpuMs') },
      msPerBareCommit: { wall: perRecordMs(baseline, 'ms'), cpu: perRecordMs(baseline, 'cpuMs') },
      walFramesPerCommit: walFramesPerCommit(work, leaves),
      ...cryptoCosts(work.timed),
    },
  });
}

function rates(runs: readonly Timing[], records: number): number[] {
  return runs.map((t) => (records * 1000) / t.ms);
}

/**
 * walFramesPerCommit counts the pages each commit writes to the WAL (and so syncs), custody and
 * bare, in an untimed run with automatic checkpoints off.
 */
function walFramesPerCommit(work: ReturnType<typeof singleWorkload>, leaves: readonly Uint8Array[]): { custody: number; bare: number } {
  const count = Math.min(100, work.timed.length);
  const frames = (path: string, db: Database, commit: (i: number) => void, holdReader = false): number => {
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The ledger commits on its own connection, which may checkpoint: a reader holding a snapshot
    // keeps the WAL from being reset, so its size still counts every frame.
    if (holdReader) {
      db.exec('BEGIN');
      db.prepare('SELECT count(*) FROM records').get();
    }
    for (let i = 0; i < count; i++) commit(i);
    if (holdReader) db.exec('COMMIT');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return round((statSync(`${path}-wal`).size - 32) / (pageSize + 24) / count, 1);
  };
  const path = join(RUN_DIR, 'wal.db');
  const ledger = createBenchLedger(path, work.workload, work.prelude);
  const observer = new Sqlite(path);
  const custody = frames(path, observer, (i) => ledger.append(work.timed[i]!.input, work.timed[i]!.signer), true);
  observer.close();
  ledger.close();
  const db = bareDatabase(path);
  const insert = db.prepare('INSERT INTO leaves (seq, leaf) VALUES (?, ?)');
  const bare = frames(path, db, (i) => db.transaction(() => insert.run(i, leaves[i]!)).immediate());
  db.close();
  return { custody, bare };
}

/**
 * cryptoCosts measures, on one core and next to the figure, what the signatures alone cost: one
 * signature by the actor's key (prepareRecord does not verify the signature it has just made) and
 * a verification of every cosignature. The ceiling is the append rate on one core if nothing else
 * took any time; a batch verifies its cosignatures on another core, ahead of placing the records.
 */
function cryptoCosts(entries: readonly Entry[]): Record<string, number> {
  const signer = PEOPLE.get(OFFICERS[0])!.signer;
  const message = new Uint8Array(600).fill(7);
  signer.sign(message);
  let signatures = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 500) for (let i = 0; i < 16; i++, signatures++) signer.sign(message);
  const signPerSecond = (signatures * 1000) / (performance.now() - t0);
  const verifyPerSecond = measureVerifyRate(500).perSecond;
  const verificationsPerRecord = entries.reduce((sum, e) => sum + (e.input.cosigs?.length ?? 0), 0) / entries.length;
  return {
    signPerSecond: Math.round(signPerSecond),
    verifyPerSecond,
    verificationsPerRecord: round(verificationsPerRecord, 3),
    cryptoOnlyCeilingPerSecond: Math.round(1 / (1 / signPerSecond + verificationsPerRecord / verifyPerSecond)),
  };
}

function batchWorkload(records: number): { workload: Workload; timed: Entry[] } {
  const workload = new Workload({ seed: 2, items: Math.max(50, Math.round(records / 40)), records, mix: MIXED });
  return { workload, timed: workload.take(records) };
}

/** Bulk intake: every record registers a new item (one item per record makes next() always register). */
function intakeWorkload(records: number): { workload: Workload; timed: Entry[] } {
  const workload = new Workload({ seed: 3, items: records, records, mix: MIXED });
  return { workload, timed: workload.take(records) };
}

function timeBatchAppends(path: string, work: ReturnType<typeof batchWorkload>): Timing & { leaves: Uint8Array[] } {
  const ledger = createBenchLedger(path, work.workload);
  const first = ledger.size();
  const timing = timed(() => {
    for (let i = 0; i < work.timed.length; i += BATCH) ledger.appendBatch(work.timed.slice(i, i + BATCH));
  });
  const leaves = [...ledger.leaves(first)];
  ledger.close();
  return { ...timing, leaves };
}

function timeBareBatchInserts(path: string, leaves: readonly Uint8Array[]): Timing {
  const db = bareDatabase(path);
  const insert = db.prepare('INSERT INTO leaves (seq, leaf) VALUES (?, ?)');
  const many = db.transaction((from: number, rows: readonly Uint8Array[]) => rows.forEach((leaf, i) => insert.run(from + i, leaf)));
  const timing = timed(() => {
    for (let i = 0; i < leaves.length; i += BATCH) many.immediate(i, leaves.slice(i, i + BATCH));
  });
  db.close();
  return timing;
}

function batchAppends(options: Options): Figure {
  const work = batchWorkload(options.batchRecords);
  const path = join(RUN_DIR, 'batch.db');
  const barePath = join(RUN_DIR, 'batch-bare.db');
  const { leaves } = timeBatchAppends(path, work); // warm-up; gives the leaf bytes of the baseline
  timeBareBatchInserts(barePath, leaves);
  const { custody, baseline } = sideBySide(options.runs, () => timeBatchAppends(path, work), () => timeBareBatchInserts(barePath, leaves));
  const count = work.timed.length;
  const cosigned = work.timed.filter((e) => e.input.cosigs !== undefined).length;
  const intake = intakeWorkload(options.batchRecords);
  const intakeRates = Array.from({ length: options.runs }, () => (intake.timed.length * 1000) / timeBatchAppends(path, intake).ms);
  return compare('batch appends (1,000 per transaction)', 'records/s', rates(custody, count), rates(baseline, count), 'bare SQLite inserts of the same leaf bytes, 1,000 per transaction', {
    minRatio: 0.5,
    minAbsolute: 20_000,
    details: {
      recordsPerRun: count,
      cosignedShare: round(cosigned / count, 3),
      intakeOnlyRecordsPerSecond: stats(intakeRates.map(Math.round)),
      mix: mixDescription(work.timed),
      usPerRecord: { wall: round(stats(custody.map((t) => (t.ms * 1000) / count)).median, 1), cpu: round(stats(custody.map((t) => (t.cpuMs * 1000) / count)).median, 1) },
      ...cryptoCosts(work.timed),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Figures: bytes on disk

function bytesOnDisk(options: Options): Figure {
  const count = options.full ? 20_000 : 5_000;
  const workload = new Workload({ seed: 3, items: 200, records: 200 + count, mix: { 'custody.transfer': 1 } });
  const prelude = Array.from({ length: 200 }, () => workload.register());
  const path = join(RUN_DIR, 'bytes.db');
  const ledger = createBenchLedger(path, workload, prelude);
  const observer = new Sqlite(path);
  const before = tableBytes(observer);
  const first = ledger.size();
  const transfers = Array.from({ length: count }, () => workload.event());
  for (let i = 0; i < count; i += BATCH) ledger.appendBatch(transfers.slice(i, i + BATCH));
  const after = tableBytes(observer);
  observer.close();
  const leafBytes = [...ledger.leaves(first)].reduce((sum, leaf) => sum + leaf.length, 0) / count;
  ledger.close();
  const perTable: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(after)) perTable[name] = round((bytes - (before[name] ?? 0)) / count, 1);
  const perRecord = (after['(file)']! - before['(file)']!) / count;
  return {
    name: 'bytes on disk per transfer record',
    unit: 'bytes',
    custody: stats([perRecord]),
    baseline: null,
    ratio: null,
    pairedRatio: null,
    target: 'reported',
    met: null,
    details: { records: count, leafBytes: Math.round(leafBytes), overheadFactor: round(perRecord / leafBytes, 2), perTable },
  };
}

/** tableBytes checkpoints the WAL into the file and returns the bytes of each table and index (dbstat). */
function tableBytes(db: Database): Record<string, number> {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return { '(file)': pages * pageSize, ...Object.fromEntries(rows.map((r) => [r.name, r.bytes])) };
}

// ---------------------------------------------------------------------------------------------
// Figures: verification

interface BigLedgerMeta {
  readonly key: string;
  readonly records: number;
  readonly signatures: number;
  readonly items: number;
  readonly types: Record<string, number>;
  readonly buildSeconds: number;
  readonly builtAt: string;
}

interface VerifyChildResult {
  readonly ms: number;
  readonly ok: boolean;
  readonly size: number;
  readonly failureCount: number;
  readonly failures: unknown[];
  readonly maxRssKb: number;
  readonly vmHwmKb: number | null;
  readonly rssBeforeKb: number | null;
  readonly cpuMs: number;
  /** process.memoryUsage() at the end, in MB, and the main heap still in use after a full GC. */
  readonly memoryAtEndMb: Record<string, number>;
  readonly heapRetainedMb: number | null;
}

async function fullVerification(options: Options): Promise<{ figure: Figure; bytes: Figure; path: string }> {
  let big = bigLedger(options.records, options.rebuild);
  const cores = availableParallelism();
  const oneCore: number[] = [];
  const parallel: number[] = [];
  const custody: number[] = [];
  const children: VerifyChildResult[] = [];
  let rebuiltAfterFailure = false;
  for (let run = 0; run < options.verifyRuns; run++) {
    oneCore.push(measureVerifyRate(1000).perSecond * cores);
    parallel.push(await measureParallelVerifyRate(cores, 1000));
    const result = verifyInChild(big.path);
    if (!result.ok && !big.fresh && !rebuiltAfterFailure) {
      // A cached ledger from before an uncommitted format change: build it again and start over.
      progress('the cached ledger does not verify; rebuilding it');
      rebuiltAfterFailure = true;
      big = bigLedger(options.records, true);
      oneCore.length = parallel.length = custody.length = children.length = 0;
      run = -1;
      continue;
    }
    children.push(result);
    custody.push((big.meta.records * 1000) / result.ms);
  }
  // The child's own high-water mark (VmHWM, per address space). getrusage's maxRSS is not: the kernel
  // carries it across exec from the fork of this process, so it reports this process's size when
  // that is larger (as after building the 1,000,000-record ledger in the same run).
  const rss = children.map((c) => (c.vmHwmKb ?? c.maxRssKb) / 1024);
  const peakRssMb = Math.max(...rss);
  const ok = children.every((c) => c.ok);
  const figure = compare(`full verification (${big.meta.records.toLocaleString('en-US')} records)`, 'records/s', custody, oneCore, `measureVerifyRate (one core) × ${cores} cores`, {
    minRatio: 0.7,
    maxRssMb: { value: peakRssMb, limit: 300 },
    details: {
      ok,
      failureCount: children[0]?.failureCount ?? null,
      firstFailures: children.find((c) => !c.ok)?.failures ?? [],
      signaturesPerRecord: round(big.meta.signatures / big.meta.records, 3),
      signaturesPerSecond: Math.round((big.meta.signatures * 1000) / stats(children.map((c) => c.ms)).median),
      signatureRateRatio: round((big.meta.signatures * 1000) / stats(children.map((c) => c.ms)).median / stats(oneCore).median, 3),
      // The baseline counts signatures and the figure counts records: even if verifying signatures
      // were all there is to do, the ratio could not exceed records ÷ signatures.
      ratioCeiling: round(big.meta.records / big.meta.signatures, 3),
      peakRssMb: round(peakRssMb, 1),
      rssAtStartMb: round((children[0]?.rssBeforeKb ?? 0) / 1024, 1),
      vmHwmMb: children.map((c) => (c.vmHwmKb === null ? null : round(c.vmHwmKb / 1024, 1))),
      getrusageMaxRssMb: children.map((c) => round(c.maxRssKb / 1024, 1)),
      memoryAtEndMb: children[children.length - 1]?.memoryAtEndMb ?? null,
      heapRetainedMb: children[children.length - 1]?.heapRetainedMb ?? null,
      cpuCoresBusy: stats(children.map((c) => round(c.cpuMs / c.ms, 2))),
      parallelRawVerifyPerSecond: stats(parallel),
      ratioToParallelRaw: round(stats(custody).median / stats(parallel).median, 3),
      cache: big.fresh ? (rebuiltAfterFailure ? 'rebuilt: the cached ledger failed verification' : 'built in this run') : 'cached',
      ledger: big.meta,
    },
  });
  const fileBytes = statSync(big.path).size;
  const bytes: Figure = {
    name: 'bytes on disk per record (big mixed ledger)',
    unit: 'bytes',
    custody: stats([fileBytes / big.meta.records]),
    baseline: null,
    ratio: null,
    pairedRatio: null,
    target: 'reported',
    met: null,
    details: { fileBytes, records: big.meta.records },
  };
  return { figure, bytes, path: big.path };
}

/** bigLedger returns the cached ledger of `size` records, building it (with appendBatch) if needed. */
function bigLedger(size: number, rebuild: boolean): { path: string; meta: BigLedgerMeta; fresh: boolean } {
  const key = cacheKey();
  const path = join(BENCH_DIR, `ledger-${size}-${key}.db`);
  const metaPath = path.replace(/\.db$/, '.json');
  if (!rebuild && existsSync(path) && existsSync(metaPath)) {
    return { path, meta: JSON.parse(readFileSync(metaPath, 'utf8')) as BigLedgerMeta, fresh: false };
  }
  for (const name of readdirSync(BENCH_DIR)) {
    if (name.startsWith(`ledger-${size}-`)) rmSync(join(BENCH_DIR, name), { force: true }); // older keys of this size
  }
  progress(`building a ${size.toLocaleString('en-US')}-record ledger in .bench/ (cached for later runs)`);
  const t0 = performance.now();
  const building = `${path}.building-${process.pid}`;
  const workload = new Workload({ seed: 7, items: Math.max(100, Math.round(size / 40)), records: size - 1 - PEOPLE.size, mix: MIXED });
  const ledger = createBenchLedger(building, workload);
  let signatures = ledger.size();
  const types: Record<string, number> = { 'ledger.genesis': 1, 'identity.enrol': PEOPLE.size };
  let reported = 0;
  while (ledger.size() < size) {
    const entries = workload.take(Math.min(BATCH, size - ledger.size()));
    ledger.appendBatch(entries);
    for (const { input } of entries) {
      signatures += 1 + (input.cosigs?.length ?? 0);
      types[input.type] = (types[input.type] ?? 0) + 1;
    }
    const done = Math.floor((10 * ledger.size()) / size);
    if (done > reported) progress(`  ${(reported = done) * 10}% (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  ledger.close();
  const observer = new Sqlite(building);
  observer.pragma('wal_checkpoint(TRUNCATE)');
  observer.close();
  removeDatabase(path);
  renameSync(building, path);
  const meta: BigLedgerMeta = {
    key,
    records: size,
    signatures,
    items: types['item.register'] ?? 0,
    types,
    buildSeconds: round((performance.now() - t0) / 1000, 1),
    builtAt: new Date().toISOString(),
  };
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { path, meta, fresh: true };
}

/** cacheKey: the git tree hashes of packages/core and packages/ledger at HEAD, and the workload version. */
function cacheKey(): string {
  const trees = ['packages/core', 'packages/ledger'].map((dir) => git(['rev-parse', `HEAD:${dir}`]) ?? 'no-git');
  return createHash('sha256').update(`${WORKLOAD_VERSION}\n${trees.join('\n')}`).digest('hex').slice(0, 12);
}

function verifyInChild(path: string): VerifyChildResult {
  const out = spawnSync(process.execPath, ['--expose-gc', join(ROOT, 'scripts/bench-verify-child.mjs'), path], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new Error(`the verification child process failed (status ${out.status}, signal ${out.signal})`);
  return JSON.parse(out.stdout) as VerifyChildResult;
}

/**
 * measureParallelVerifyRate runs the raw verify loop (node:crypto, cached KeyObjects, 400-byte
 * messages) on `threads` worker threads at once and returns the sum of their rates: what the cores
 * actually deliver together on this machine at this moment.
 */
async function measureParallelVerifyRate(threads: number, durationMs: number): Promise<number> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { generateKeyPairSync, sign, verify } = require('node:crypto');
    const cases = Array.from({ length: 32 }, (_, i) => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const message = Buffer.alloc(400, i);
      return { publicKey, message, signature: sign(null, message, privateKey) };
    });
    for (const c of cases) verify(null, c.message, c.publicKey, c.signature);
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      let n = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        for (let i = 0; i < 16; i++, n++) {
          const c = cases[n % 32];
          if (!verify(null, c.message, c.publicKey, c.signature)) throw new Error('a valid signature did not verify');
        }
        elapsed = performance.now() - start;
      } while (elapsed < workerData);
      parentPort.postMessage((n * 1000) / elapsed);
    });`;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: durationMs }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    const rates = workers.map((w) => new Promise<number>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
    for (const w of workers) w.postMessage('go');
    return Math.round((await Promise.all(rates)).reduce((a, b) => a + b, 0));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: verification (for its own peak RSS) and profiles

async function child(args: readonly string[]): Promise<void> {
  const [what, path] = args;
  if (what === 'verify' && path !== undefined) {
    // Only profiled: the measured runs are scripts/bench-verify-child.mjs, on the built package.
    await verifyLedger(path);
  } else if (what === 'single') {
    timeSingleAppends(join(RUN_DIR, 'profile-single.db'), singleWorkload(1500));
  } else if (what === 'batch') {
    timeBatchAppends(join(RUN_DIR, 'profile-batch.db'), batchWorkload(20_000));
  } else {
    throw new Error(`bench: unknown child task ${args.join(' ')}`);
  }
}

interface ProfileSummary {
  readonly command: string;
  /** Per thread (main, worker 1, …). */
  readonly threads: ThreadProfile[];
}

/** Sampled ms of one thread, the functions with the most self time, and self time by file. */
interface ThreadProfile {
  readonly thread: string;
  readonly sampledMs: number;
  readonly top: { fn: string; where: string; selfMs: number; share: number }[];
  readonly byFile: { file: string; share: number }[];
}

/** profileFigure runs the figure once more in a child under --cpu-prof and summarises the profiles. */
function profileFigure(name: string, bigPath: string): ProfileSummary {
  const task = name.startsWith('durable single') ? ['single'] : name.startsWith('batch') ? ['batch'] : ['verify', bigPath];
  const dir = join(RUN_DIR, `profile-${task[0]}`);
  rmSync(dir, { recursive: true, force: true });
  const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--conditions=source', '--import', 'tsx', SCRIPT, '--child', ...task];
  const out = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (out.status !== 0) throw new Error(`the profiling child failed (status ${out.status})`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  // Node names them CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile; thread 0 is the main thread.
  const threadOf = (file: string): number => Number(file.split('.')[4] ?? 0);
  return {
    command: `node ${args.map((a) => a.replace(ROOT, '')).join(' ')}`,
    threads: files
      .sort((a, b) => threadOf(a) - threadOf(b))
      .map((file) => {
        const summary = summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
        // tsx's module hooks run on a thread of their own in Node 20: it only loads modules.
        const { loader, ...rest } = summary;
        if (loader && threadOf(file) !== 0) return { thread: 'module loader (tsx hooks)', ...rest, top: [] };
        return { thread: threadOf(file) === 0 ? 'main' : `worker thread ${threadOf(file)}`, ...rest };
      }),
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function summariseProfile(profile: CpuProfile): Omit<ThreadProfile, 'thread'> & { loader: boolean } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const byFunction = new Map<string, { fn: string; where: string; us: number }>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!;
    const file = shortUrl(frame.url);
    // Line numbers of our TypeScript sources are those of tsx's output, not of the source: file only.
    const where = file === '' || file.endsWith('.ts') ? file : `${file}:${frame.lineNumber + 1}`;
    const fn = frame.functionName || '(anonymous)';
    const key = `${fn} ${where}`;
    const entry = byFunction.get(key) ?? { fn, where, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    byFile.set(file || fn, (byFile.get(file || fn) ?? 0) + us);
    totalUs += us;
  }
  const share = (us: number): number => round(us / Math.max(1, totalUs), 3);
  return {
    loader: profile.nodes.some((n) => n.callFrame.url === 'node:internal/modules/esm/worker'),
    sampledMs: Math.round(totalUs / 1000),
    top: [...byFunction.values()].sort((a, b) => b.us - a.us).slice(0, 15).map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 1000), share: share(e.us) })),
    byFile: [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([file, us]) => ({ file, share: share(us) })),
  };
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path.replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '');
}

// ---------------------------------------------------------------------------------------------
// scripts/bench-hash.mjs (file hashing figures), when a colleague's script is there

function runHashBench(options: Options): { ran: boolean; status?: number | null; result?: unknown; text?: string } {
  const path = join(ROOT, 'scripts', 'bench-hash.mjs');
  if (!options.hash || !existsSync(path)) return { ran: false, ...(options.hash ? {} : { text: 'skipped (--no-hash)' }) };
  progress('file hashing (scripts/bench-hash.mjs)');
  // Its own defaults (a 1 GiB file, 5 runs) in both modes: it has no --full.
  const out = spawnSync(process.execPath, [path, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  try {
    return { ran: true, status: out.status, result: JSON.parse(out.stdout) as unknown };
  } catch {
    return { ran: true, status: out.status, text: out.stdout.trim() };
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics, machine facts, rendering

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: significant(median), min: significant(sorted[0]!), max: significant(sorted[sorted.length - 1]!), runs: values.map(significant) };
}

/** significant rounds to 4 significant digits (whole numbers from 10,000 up). */
function significant(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return round(value, digits);
}

function compare(
  name: string,
  unit: string,
  custodyRuns: readonly number[],
  baselineRuns: readonly number[],
  baselineWhat: string,
  goal: { minRatio: number; minAbsolute?: number; maxRssMb?: { value: number; limit: number }; details: Record<string, unknown> },
): Figure {
  const custody = stats(custodyRuns);
  const baseline = stats(baselineRuns);
  const ratio = round(custody.median / baseline.median, 3);
  const paired = custodyRuns.map((c, i) => c / baselineRuns[i]!);
  const targets = [`ratio ≥ ${goal.minRatio}`];
  let met = ratio >= goal.minRatio;
  if (goal.minAbsolute !== undefined) {
    targets.push(`≥ ${goal.minAbsolute.toLocaleString('en-US')} ${unit}`);
    met &&= custody.median >= goal.minAbsolute;
  }
  if (goal.maxRssMb !== undefined) {
    targets.push(`peak RSS < ${goal.maxRssMb.limit} MB`);
    met &&= goal.maxRssMb.value < goal.maxRssMb.limit;
  }
  return {
    name,
    unit,
    custody,
    baseline: { what: baselineWhat, ...baseline },
    ratio,
    pairedRatio: { min: round(Math.min(...paired), 3), max: round(Math.max(...paired), 3) },
    target: targets.join(', '),
    met,
    details: goal.details,
  };
}

function mixDescription(entries: readonly Entry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { input } of entries) counts[input.type] = (counts[input.type] ?? 0) + 1;
  return counts;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU time counters in clock ticks: all cores together, and this process with its waited-for children. */
interface CpuTimes {
  readonly total: number;
  readonly idle: number;
  readonly steal: number;
  readonly ours: number;
}

/** readCpuTimes reads /proc/stat and /proc/self/stat, to tell how busy other processes kept the machine. */
function readCpuTimes(): CpuTimes | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    // proc(5): after the command name in parentheses, utime, stime, cutime and cstime are fields 14–17.
    const self = readFileSync('/proc/self/stat', 'utf8');
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
    return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal, ours: utime + stime + cutime + cstime };
  } catch {
    return null;
  }
}

function procStatusKb(field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

function machineFacts(started: Date, loadBefore: number[], cpuBefore: CpuTimes | null): Record<string, unknown> {
  const cpuAfter = readCpuTimes();
  const db = new Sqlite(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const cores = cpus().length;
  let busy: Record<string, number> | null = null;
  if (cpuBefore !== null && cpuAfter !== null) {
    // Shares of all cores' time over the run: busy at all, used by the bench (with its child
    // processes), so by others the difference, and stolen by the hypervisor.
    const total = cpuAfter.total - cpuBefore.total;
    const machine = 1 - (cpuAfter.idle - cpuBefore.idle) / total;
    const bench = (cpuAfter.ours - cpuBefore.ours) / total;
    busy = {
      machineBusyShare: round(machine, 3),
      benchShare: round(bench, 3),
      othersShare: round(Math.max(0, machine - bench), 3),
      stealShare: round((cpuAfter.steal - cpuBefore.steal) / total, 3),
    };
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores,
    availableParallelism: availableParallelism(),
    memoryGb: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    sqlite,
    betterSqlite3: (ledgerRequire('better-sqlite3/package.json') as { version: string }).version,
    benchDirFilesystem: filesystemOf(BENCH_DIR),
    loadAverageBefore: loadBefore.map((l) => round(l, 2)),
    loadAverageAfter: loadavg().map((l) => round(l, 2)),
    cpuOverRun: busy,
  };
}

function filesystemOf(path: string): string {
  try {
    let best = { mount: '', text: 'unknown' };
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [device, mount, type] = line.split(' ');
      if (mount !== undefined && (path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && mount.length >= best.mount.length) {
        best = { mount, text: `${type} on ${device} (${mount})` };
      }
    }
    return best.text;
  } catch {
    return 'unknown';
  }
}

function codeFacts(): Record<string, unknown> {
  return {
    head: git(['rev-parse', '--short', 'HEAD']),
    uncommittedInPackages: (git(['status', '--porcelain', '--', 'packages']) ?? '').split('\n').filter((l) => l !== '').length,
  };
}

function git(args: readonly string[]): string | null {
  const out = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : null;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function renderTable(document: {
  mode: string;
  started: string;
  seconds: number;
  machine: Record<string, unknown>;
  code: Record<string, unknown>;
  figures: readonly Figure[];
  hashBench: ReturnType<typeof runHashBench>;
}): string {
  const m = document.machine;
  const n = (v: number): string => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(v));
  const spread = (s: Stats): string => `${n(s.median)} (${n(s.min)}–${n(s.max)})`;
  const lines = [
    `custody bench, ${document.mode} mode, ${document.started}, ${document.seconds} s`,
    `machine: ${String(m['cpu'])}, ${String(m['cores'])} cores (availableParallelism ${String(m['availableParallelism'])}), Node ${String(m['node'])}, ` +
      `SQLite ${String(m['sqlite'])} (better-sqlite3 ${String(m['betterSqlite3'])}), OpenSSL ${String(m['openssl'])}`,
    `         .bench on ${String(m['benchDirFilesystem'])}; load average ${JSON.stringify(m['loadAverageBefore'])} before, ${JSON.stringify(m['loadAverageAfter'])} after; ` +
      `CPU over the run ${JSON.stringify(m['cpuOverRun'])}`,
    `code: HEAD ${String(document.code['head'])}, ${String(document.code['uncommittedInPackages'])} uncommitted paths under packages/`,
    '',
  ];
  const rows = [['figure', 'custody: median (min–max)', 'baseline: median (min–max)', 'ratio (paired min–max)', 'target', '']];
  for (const f of document.figures) {
    rows.push([
      `${f.name}, ${f.unit}`,
      spread(f.custody),
      f.baseline === null ? '—' : spread(f.baseline),
      f.ratio === null ? '—' : `${f.ratio} (${f.pairedRatio!.min}–${f.pairedRatio!.max})`,
      f.target,
      f.met === null ? '' : f.met ? 'met' : 'MISSED',
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, row] of rows.entries()) {
    lines.push(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  lines.push('');
  for (const f of document.figures) {
    lines.push(`${f.name}:`);
    if (f.baseline !== null) lines.push(`  baseline: ${f.baseline.what}`);
    lines.push(`  runs: ${f.custody.runs.map(n).join(', ')}${f.baseline === null ? '' : `; baseline ${f.baseline.runs.map(n).join(', ')}`}`);
    for (const [key, value] of Object.entries(f.details)) lines.push(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    for (const t of f.profile?.threads ?? []) {
      lines.push(`  profile, ${t.thread} (${t.sampledMs} ms sampled): by file ${t.byFile.map((b) => `${b.file} ${Math.round(b.share * 100)}%`).join(', ')}`);
      for (const e of t.top) lines.push(`    ${String(Math.round(e.share * 1000) / 10).padStart(5)}%  ${e.fn}  ${e.where}`);
    }
  }
  const hash = document.hashBench;
  lines.push('', 'file hashing (scripts/bench-hash.mjs):');
  if (!hash.ran) lines.push(`  not run: ${hash.text ?? 'scripts/bench-hash.mjs is not there'}`);
  else if (hash.result !== undefined) lines.push(...JSON.stringify(hash.result, null, 2).split('\n').map((l) => `  ${l}`));
  else lines.push(`  exit status ${String(hash.status)}`, ...(hash.text ?? '').split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

await main();
