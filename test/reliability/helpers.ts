// Shared pieces of the reliability suites: a seeded random source (every suite prints its seed and
// takes RELIABILITY_SEED to repeat a run), how much work a run does (RELIABILITY_SCALE, set by
// scripts/reliability.ts --long), and spawning TypeScript child scripts the way the test runner runs
// test files (from source through tsx).
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const CHILDREN = join(HERE, 'children');

/** scale multiplies the bounded CI counts; scripts/reliability.ts --long sets it. */
export const SCALE = Math.max(1, Number(process.env['RELIABILITY_SCALE'] ?? 1) || 1);

/** seedFor returns RELIABILITY_SEED if set, else `fallback`, and prints it so a run can be repeated. */
export function seedFor(suite: string, fallback: number): number {
  const env = Number(process.env['RELIABILITY_SEED']);
  const seed = Number.isSafeInteger(env) && env > 0 ? env : fallback;
  process.stderr.write(`${suite}: seed ${seed} (repeat with RELIABILITY_SEED=${seed})\n`);
  return seed;
}

/** random returns a seeded generator of floats in [0, 1) (mulberry32). */
export { mulberry32 as random } from '../../packages/core/test/prng.js';

/** spawnChild starts `children/<script>` under Node with tsx, resolving workspace packages to source. */
export function spawnChild(script: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(CHILDREN, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** figure appends a line of figures to RELIABILITY_FIGURES (a file) when set; scripts/reliability.ts reads them. */
export async function figure(suite: string, values: Record<string, number | string>): Promise<void> {
  const path = process.env['RELIABILITY_FIGURES'];
  process.stderr.write(`${suite}: ${JSON.stringify(values)}\n`);
  if (path === undefined || path === '') return;
  const { appendFileSync } = await import('node:fs');
  appendFileSync(path, `${JSON.stringify({ suite, ...values })}\n`);
}
