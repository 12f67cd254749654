#!/usr/bin/env node
// Runs every uvu test file of every package and of test/, each in its own Node process (from
// TypeScript source through tsx, resolving workspace packages to their sources), two at a time,
// and ends with one plain line "N passed, N failed". Skipped tests count as failed: none may be left
// behind. Usage: node scripts/test.mjs [substring-of-path ...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['packages', 'cli', 'test'];
const filters = process.argv.slice(2);

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((r) => findTests(join(root, r), []))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => {
      const num = (label) => {
        const m = output.match(new RegExp(`${label}:\\s+(\\d+)`));
        return m ? Number(m[1]) : undefined;
      };
      const total = num('Total');
      const passed = num('Passed') ?? 0;
      const skipped = num('Skipped') ?? 0;
      let failed = total === undefined ? 1 : total - passed;
      if (code !== 0 && failed === 0) failed = 1; // crashed after its summary
      resolve({ file, passed, failed, skipped, code, signal, output, ms: Date.now() - started });
    });
  });
}

const width = Math.max(1, Math.min(Number(process.env.TEST_JOBS) || cpus().length, 4));
const queue = [...files];
const results = [];
await Promise.all(
  Array.from({ length: width }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const r = await runFile(file);
      results.push(r);
      const status = r.failed + r.skipped > 0 ? 'FAIL' : 'ok  ';
      process.stdout.write(`${status} ${file}  (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${(r.ms / 1000).toFixed(1)}s)\n`);
      if (r.failed + r.skipped > 0) process.stdout.write(r.output.replace(/^/gm, '     | ') + '\n');
    }
  }),
);

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed + r.skipped, 0);
if (files.length === 0) {
  process.stdout.write('no test files matched\n');
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;
