import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isCustodyError, parseManifest } from '@custody/core';
import { hashDirectory, hashFiles } from '@custody/ledger';

const root = mkdtempSync(join(tmpdir(), 'custody-fileset-'));

test('a file set is identified exactly as a directory holding the same files', async () => {
  const dir = join(root, 'export');
  mkdirSync(dir);
  const a = join(dir, 'image.E01');
  const b = join(dir, 'image.E02');
  writeFileSync(a, randomBytes(5000));
  writeFileSync(b, randomBytes(300));
  let progress = 0;
  const set = await hashFiles([b, a], ['md5'], { onProgress: (done, total) => { progress = done; assert.is(total, 5300); } });
  const tree = await hashDirectory(dir, ['md5']);
  assert.equal(set.digests, tree.digests);
  assert.is(set.size, 5300);
  assert.is(progress, 5300);
  assert.equal(parseManifest(set.manifest).entries.map((e) => e.path), ['image.E01', 'image.E02']);
});

test('two files with one name, or a missing file, are refused with their codes', async () => {
  mkdirSync(join(root, 'x'));
  mkdirSync(join(root, 'y'));
  writeFileSync(join(root, 'x', 'same.bin'), 'a');
  writeFileSync(join(root, 'y', 'same.bin'), 'b');
  for (const [paths, code] of [
    [[join(root, 'x', 'same.bin'), join(root, 'y', 'same.bin')], 'SCHEMA_INVALID'],
    [[join(root, 'x', 'same.bin'), join(root, 'nope.bin')], 'FILE_NOT_FOUND'],
  ] as const) {
    try {
      await hashFiles(paths);
      assert.unreachable('should throw');
    } catch (e) {
      assert.ok(isCustodyError(e, code), String(e));
    }
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
