// The README's developer example runs as written, and prints what its `// →` comments say. Also:
// the README opens with the two commands for a fresh machine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('the README opens with the demo command and the test command, in one fenced block', () => {
  const lines = readme.split('\n');
  assert.is(lines[0], '# custody');
  assert.is(lines[2], '```sh');
  assert.match(lines[3]!, /^scripts\/setup\.sh && pnpm demo\s/);
  assert.match(lines[4]!, /^scripts\/setup\.sh && pnpm test\s/);
  assert.is(lines[5], '```');
});

test('the developer example runs and prints what its comments say', () => {
  const section = readme.slice(readme.indexOf('## For developers'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'a ts block under "For developers"');
  const expected = [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
  assert.ok(expected.length >= 3);
  // The script lives in cli/test so that @custody/* resolve as they do for a workspace member.
  const script = join(ROOT, 'cli', 'test', `.readme-example-${process.pid}.ts`);
  const { dir, cleanup } = tempDir();
  writeFileSync(script, code);
  try {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), script], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n'), expected);
  } finally {
    rmSync(script, { force: true });
    cleanup();
  }
});

test.run();
