#!/usr/bin/env node
// Measures evidence hashing (packages/ledger/src/evidence-hash.ts) against the baselines of the
// project's acceptance figures, in the same run on the same file:
//   SHA-256 alone                 vs  `openssl dgst -sha256`   target ≥ 0.9 × its throughput
//   SHA-256 + SHA-1 + MD5, 1 pass vs  `md5sum` (MD5 alone)     target ≥ 0.8 × its throughput
// The file is random bytes written once to a temporary directory and read once before timing, so
// both sides read from the page cache. Runs are interleaved (baseline, ours, baseline, ours, …) so
// that load from other processes on a shared machine falls on both; figures are medians.
// Baseline times include starting the tool's process; ours include starting worker threads.
//
// Usage: node scripts/bench-hash.mjs [--json] [--runs N] [--size-mib N] [--file PATH] [--extra] [--check]
//   --json      print one JSON document instead of the table
//   --extra     also time other algorithms alone and all five together, and noble's pure-JS BLAKE3
//   --check     exit with status 1 when a target is missed
// Progress goes to stderr; stdout carries only the result.
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));

// The library is run from its TypeScript sources, with workspace packages resolved to theirs.
if (!process.execArgv.includes('--conditions=source')) {
  const child = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', self, ...process.argv.slice(2)], {
    cwd: repo,
    stdio: 'inherit',
  });
  process.exitCode = child.status ?? 3;
} else {
  await main();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { hashFile } = await import('../packages/ledger/src/evidence-hash.ts');
  for (const tool of ['openssl', 'md5sum']) {
    if (spawnSync(tool, ['--version']).error) fail(`${tool} is needed for the baseline and was not found`);
  }

  let dir;
  let file = args.file;
  if (file === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'custody-bench-'));
    file = join(dir, 'random.bin');
    progress(`writing ${args.sizeMiB} MiB of random bytes to ${file}`);
    writeRandom(file, args.sizeMiB * 1024 * 1024);
  }
  try {
    const size = statSync(file).size;
    progress('reading it once into the page cache');
    readAll(file);
    const load = [loadavg()[0]];

    const cases = [
      {
        name: 'sha256',
        target: 0.9,
        baseline: { name: 'openssl dgst -sha256', run: () => tool('openssl', ['dgst', '-sha256', '-r', file]).split(' ')[0] },
        ours: { name: 'custody sha256', run: async () => (await hashFile(file, [])).digests.sha256 },
      },
      {
        name: 'sha256+sha1+md5',
        target: 0.8,
        baseline: { name: 'md5sum', run: () => tool('md5sum', [file]).split(' ')[0] },
        ours: { name: 'custody sha256+sha1+md5', run: async () => (await hashFile(file, ['sha1', 'md5'])).digests.md5 },
      },
    ];
    const results = [];
    for (const c of cases) {
      const base = [];
      const ours = [];
      for (let r = 0; r < args.runs; r++) {
        progress(`${c.name}: run ${r + 1} of ${args.runs}`);
        const b = await timed(c.baseline.run);
        const o = await timed(c.ours.run);
        if (b.value !== o.value) fail(`${c.name}: custody and ${c.baseline.name} disagree (${o.value} vs ${b.value})`);
        base.push(b.seconds);
        ours.push(o.seconds);
      }
      const ratio = median(base) / median(ours);
      const paired = base.map((b, i) => b / ours[i]);
      results.push({
        case: c.name,
        baseline: summary(c.baseline.name, base, size),
        custody: summary(c.ours.name, ours, size),
        ratio: round(ratio, 3),
        // Each run's ratio to the baseline run just before it: less disturbed by load that comes and goes.
        pairedRatios: paired.map((r) => round(r, 3)),
        pairedRatioMedian: round(median(paired), 3),
        target: c.target,
        pass: ratio >= c.target,
      });
    }

    const extra = [];
    if (args.extra) {
      for (const algorithms of [['sha512'], ['sha3-256'], ['sha1'], ['md5'], ['sha512', 'sha3-256', 'sha1', 'md5']]) {
        const label = `custody ${['sha256', ...algorithms.filter((a) => a !== 'sha256')].join('+')}`;
        const times = [];
        for (let r = 0; r < args.runs; r++) {
          progress(`${label}: run ${r + 1} of ${args.runs}`);
          times.push((await timed(() => hashFile(file, algorithms))).seconds);
        }
        extra.push(summary(label, times, size));
        times.length = 0;
        const single = `${label}, one thread`;
        for (let r = 0; r < Math.min(args.runs, 3); r++) times.push((await timed(() => hashFile(file, algorithms, { threads: 1 }))).seconds);
        extra.push(summary(single, times, size));
      }
      const { blake3 } = await import('../packages/core/node_modules/@noble/hashes/blake3.js');
      const sample = randomFillSync(new Uint8Array(64 * 1024 * 1024));
      progress('noble blake3 on 64 MiB in memory');
      const times = [];
      for (let r = 0; r < 3; r++) times.push((await timed(() => blake3(sample))).seconds);
      extra.push(summary('@noble/hashes blake3 (pure JS, 64 MiB in memory)', times, sample.length));
    }
    load.push(loadavg()[0]);

    const report = {
      file: { bytes: size, written: args.file === undefined },
      runs: args.runs,
      machine: {
        cpus: availableParallelism(),
        model: cpus()[0]?.model ?? 'unknown',
        sha_ni: hasShaNi(),
        loadAverage1m: { before: round(load[0], 2), after: round(load[1], 2) },
      },
      versions: { node: process.versions.node, openssl: tool('openssl', ['version']).trim(), md5sum: tool('md5sum', ['--version']).split('\n')[0] },
      results,
      extra,
      pass: results.every((r) => r.pass),
    };
    if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(table(report));
    if (args.check && !report.pass) process.exitCode = 1;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const args = { json: false, extra: false, check: false, runs: 5, sizeMiB: 1024, file: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--extra') args.extra = true;
    else if (a === '--check') args.check = true;
    else if (a === '--runs') args.runs = positive(argv[++i], a);
    else if (a === '--size-mib') args.sizeMiB = positive(argv[++i], a);
    else if (a === '--file') args.file = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write('Usage: node scripts/bench-hash.mjs [--json] [--runs N] [--size-mib N] [--file PATH] [--extra] [--check]\n');
      process.exit(0);
    } else fail(`unknown argument ${a}`, 2);
  }
  return args;
}

function positive(text, flag) {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) fail(`${flag} needs a positive integer`, 2);
  return n;
}

function writeRandom(path, bytes) {
  const fd = openSync(path, 'w');
  const block = new Uint8Array(4 * 1024 * 1024);
  try {
    for (let written = 0; written < bytes; written += block.length) {
      const n = Math.min(block.length, bytes - written);
      randomFillSync(block, 0, n);
      writeSync(fd, block, 0, n);
    }
  } finally {
    closeSync(fd);
  }
}

function readAll(path) {
  const fd = openSync(path, 'r');
  const block = new Uint8Array(4 * 1024 * 1024);
  try {
    while (readSync(fd, block, 0, block.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function tool(command, argv) {
  const r = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) fail(`${command} ${argv.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

async function timed(fn) {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function summary(name, seconds, bytes) {
  const m = median(seconds);
  return { name, seconds: seconds.map((s) => round(s, 3)), medianSeconds: round(m, 3), megabytesPerSecond: Math.round(bytes / m / 1e6) };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function round(x, digits) {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

function hasShaNi() {
  try {
    return /\bsha_ni\b/.test(spawnSync('cat', ['/proc/cpuinfo'], { encoding: 'utf8' }).stdout ?? '');
  } catch {
    return null;
  }
}

function table(report) {
  const rows = [['case', 'baseline', 'MB/s', 'custody MB/s', 'ratio', 'paired', 'target', '']];
  for (const r of report.results) {
    rows.push([
      r.case,
      r.baseline.name,
      String(r.baseline.megabytesPerSecond),
      String(r.custody.megabytesPerSecond),
      r.ratio.toFixed(3),
      r.pairedRatioMedian.toFixed(3),
      `≥ ${r.target}`,
      r.pass ? 'ok' : 'MISSED',
    ]);
  }
  for (const e of report.extra) rows.push([e.name, '', '', String(e.megabytesPerSecond), '', '', '', '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  const m = report.machine;
  return (
    `${(report.file.bytes / 2 ** 20).toFixed(0)} MiB file, median of ${report.runs} runs, ${m.cpus} CPUs (${m.model}${m.sha_ni ? ', SHA-NI' : ''}), ` +
    `load ${m.loadAverage1m.before} → ${m.loadAverage1m.after}, node ${report.versions.node}, ${report.versions.openssl}\n` +
    lines.join('\n') +
    '\nratio: median baseline time / median custody time; paired: median of each run against the baseline run before it.\n'
  );
}

function progress(message) {
  process.stderr.write(`bench-hash: ${message}\n`);
}

function fail(message, status = 3) {
  process.stderr.write(`bench-hash: ${message}\n`);
  process.exit(status);
}
