// Runs the reliability suites (test/reliability) and prints their figures: kills survived, records
// acknowledged, concurrent processes, tamper cases, fuzz cases. By default the bounded runs of
// `pnpm test`; --long multiplies every bounded count by 8 (hundreds of kills, thousands of fuzz runs
// per property), --scale N by N. --seed N repeats a run (RELIABILITY_SEED).
//
//   node --conditions=source --import tsx scripts/reliability.ts --long
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = args.includes('--long') ? 8 : Number(option('--scale') ?? 1);
if (!Number.isSafeInteger(scale) || scale < 1) throw new RangeError('--scale must be a whole number ≥ 1');
const seed = option('--seed');
const only = args.filter((a, i) => !a.startsWith('--') && !['--scale', '--seed'].includes(args[i - 1] ?? ''));

const suiteDir = join(root, 'test', 'reliability');
const files = readdirSync(suiteDir)
  .filter((f) => f.endsWith('.test.ts') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'custody-reliability-'));
const figures = join(work, 'figures.jsonl');

function run(file: string): Promise<{ file: string; code: number | null; ms: number; output: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(suiteDir, file)], {
      cwd: root,
      env: { ...process.env, RELIABILITY_SCALE: String(scale), RELIABILITY_FIGURES: figures, ...(seed === undefined ? {} : { RELIABILITY_SEED: seed }), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('close', (code) => resolve({ file, code, ms: Date.now() - started, output }));
  });
}

process.stdout.write(`reliability suites, scale ${scale}${seed === undefined ? '' : `, seed ${seed}`}: ${files.join(', ')}\n`);
let failed = 0;
// One file at a time: the crash and concurrency suites time their own processes.
for (const file of files) {
  const r = await run(file);
  const ok = r.code === 0;
  if (!ok) failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${file} (${(r.ms / 1000).toFixed(1)} s)\n`);
  if (!ok) process.stdout.write(r.output.replace(/^/gm, '     | ') + '\n');
}
let lines: string[] = [];
try {
  lines = readFileSync(figures, 'utf8').split('\n').filter((l) => l !== '');
} catch {
  // no suite reported figures
}
process.stdout.write('figures:\n');
for (const line of lines) process.stdout.write(`  ${line}\n`);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${files.length - failed} suites passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
