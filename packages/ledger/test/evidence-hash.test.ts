import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCustodyError, manifestBytes, parseManifest, type Digests } from '@custody/core';
import { type FileDigestAlgorithm, type HashOptions, FileDigestAlgorithms, hashDirectory, hashFile } from '../src/evidence-hash.js';

const root = mkdtempSync(join(tmpdir(), 'custody-hash-'));
chmodSync(root, 0o755); // the unprivileged child process below must reach its files
let count = 0;
const fresh = (name = 'f'): string => join(root, `${name}-${++count}`);

function write(path: string, bytes: Uint8Array | string): string {
  writeFileSync(path, bytes);
  return path;
}

/** The digests node:crypto computes directly over the whole of `bytes`. */
function expected(bytes: Uint8Array, algorithms: readonly FileDigestAlgorithm[] = FileDigestAlgorithms): Digests {
  const out: Record<string, string> = {};
  for (const a of FileDigestAlgorithms) {
    if (a === 'sha256' || algorithms.includes(a)) out[a] = createHash(a).update(bytes).digest('hex');
  }
  return out;
}

/** The code of the CustodyError `promise` rejects with, or a description of what happened instead. */
async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return isCustodyError(e) ? e.code : `not a CustodyError: ${String(e)}`;
  }
}

/**
 * Fails instead of hanging when `promise` does not settle in time. If it is stuck opening a FIFO
 * for reading, opening the FIFO for writing releases it, so the test process can still exit.
 */
async function within<T>(ms: number, promise: Promise<T>, fifos: string[] = []): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const f of fifos) {
        try {
          closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK));
        } catch {
          // not a FIFO with a reader waiting: nothing to release
        }
      }
      reject(new Error(`did not settle within ${ms} ms: a FIFO was opened and blocked`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const CHUNK = 64 * 1024;
/** Both ways of hashing, with small chunks so that files of a few chunks cross the ring several times. */
const MODES: Record<string, HashOptions> = {
  'this thread': { threads: 1, chunkBytes: CHUNK },
  'two workers, two slots': { threads: 2, chunkBytes: CHUNK, ringSlots: 2, parallelMinBytes: 0 },
  'three workers, three slots': { threads: 3, chunkBytes: CHUNK, ringSlots: 3, parallelMinBytes: 0 },
};

const ALL = FileDigestAlgorithms;
const isRoot = process.getuid?.() === 0;

// Published digests of the empty string and of "abc" (FIPS 180-2, FIPS 202, RFC 1321).
const EMPTY = {
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha512:
    'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  'sha3-256': 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
};
const ABC = {
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha512:
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  'sha3-256': '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532',
  sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d',
  md5: '900150983cd24fb0d6963f7d28e17f72',
};

test.after(() => {
  chmodRecursive(root);
  rmSync(root, { recursive: true, force: true });
});

test('the empty file and "abc" have their published digests in every mode', async () => {
  const empty = write(fresh(), '');
  const abc = write(fresh(), 'abc');
  for (const [mode, options] of Object.entries(MODES)) {
    assert.equal(await hashFile(empty, ALL, options), { digests: EMPTY, size: 0 }, mode);
    assert.equal(await hashFile(abc, ALL, options), { digests: ABC, size: 3 }, mode);
  }
  assert.equal(await hashFile(abc), { digests: { sha256: ABC.sha256 }, size: 3 });
});

test('a few MiB of random bytes hash as node:crypto computes them directly, with the default options too', async () => {
  const bytes = randomBytes(3 * 1024 * 1024 + 123);
  const path = write(fresh(), bytes);
  for (const [mode, options] of Object.entries({ ...MODES, defaults: {} })) {
    assert.equal(await hashFile(path, ALL, options), { digests: expected(bytes), size: bytes.length }, mode);
  }
});

test('the default options hash a file above the worker threshold in workers, correctly', async () => {
  const bytes = randomBytes(33 * 1024 * 1024 + 1);
  const path = write(fresh(), bytes);
  assert.equal(await hashFile(path, ['md5', 'sha1']), { digests: expected(bytes, ['md5', 'sha1']), size: bytes.length });
});

test('several algorithms at once give the same digests as each algorithm alone', async () => {
  const bytes = randomBytes(5 * CHUNK + 17);
  const path = write(fresh(), bytes);
  for (const [mode, options] of Object.entries(MODES)) {
    const together = await hashFile(path, ALL, options);
    for (const a of ALL) {
      const alone = await hashFile(path, [a], options);
      assert.is(alone.digests[a], together.digests[a], `${mode} ${a}`);
      assert.equal(Object.keys(alone.digests).sort(), [...new Set(['sha256', a])].sort(), `${mode} ${a}`);
    }
  }
});

test('files at chunk boundaries hash correctly: empty, one byte, a chunk less one, one chunk, a chunk plus one, many chunks', async () => {
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 7 * CHUNK + 5]) {
    const bytes = randomBytes(size);
    const path = write(fresh(), bytes);
    for (const [mode, options] of Object.entries(MODES)) {
      assert.equal(await hashFile(path, ['md5', 'sha1', 'sha512'], options), { digests: expected(bytes, ['md5', 'sha1', 'sha512']), size }, `${mode} ${size}`);
    }
  }
});

test('progress rises chunk by chunk to the file size', async () => {
  const size = 6 * CHUNK + 99;
  const path = write(fresh(), randomBytes(size));
  for (const [mode, options] of Object.entries(MODES)) {
    const seen: [number, number][] = [];
    await hashFile(path, ['md5'], { ...options, onProgress: (done, total) => seen.push([done, total]) });
    assert.is(seen.length, 7, mode);
    assert.equal(seen.at(-1), [size, size], mode);
    for (let i = 0; i < seen.length; i++) {
      assert.is(seen[i]![1], size, mode);
      assert.is(seen[i]![0], Math.min((i + 1) * CHUNK, size), mode);
    }
  }
});

test('an exception thrown by the progress callback rejects the hash with that exception', async () => {
  const path = write(fresh(), randomBytes(4 * CHUNK));
  for (const [mode, options] of Object.entries(MODES)) {
    const thrown = new Error('stop');
    const onProgress = (): void => {
      throw thrown;
    };
    let caught: unknown;
    await hashFile(path, ['md5', 'sha1'], { ...options, onProgress }).catch((e) => (caught = e));
    assert.is(caught, thrown, mode);
  }
});

test('a file that grows while it is read is an IO_ERROR', async () => {
  for (const [mode, options] of Object.entries(MODES)) {
    const path = write(fresh(), randomBytes(8 * CHUNK));
    let grown = false;
    const onProgress = (): void => {
      if (!grown) appendFileSync(path, randomBytes(10));
      grown = true;
    };
    assert.is(await code(hashFile(path, ['md5', 'sha1'], { ...options, onProgress })), 'IO_ERROR', mode);
  }
});

test('a file that shrinks while it is read is an IO_ERROR', async () => {
  for (const [mode, options] of Object.entries(MODES)) {
    const path = write(fresh(), randomBytes(8 * CHUNK));
    let cut = false;
    const onProgress = (): void => {
      if (!cut) writeFileSync(path, randomBytes(CHUNK));
      cut = true;
    };
    assert.is(await code(hashFile(path, ['md5', 'sha1'], { ...options, onProgress })), 'IO_ERROR', mode);
  }
});

test('a file rewritten in place, keeping its size, while it is read is an IO_ERROR', async () => {
  for (const [mode, options] of Object.entries(MODES)) {
    const path = write(fresh(), randomBytes(8 * CHUNK));
    utimesSync(path, new Date(2001, 0, 1), new Date(2001, 0, 1)); // so the rewrite surely moves the time
    let rewritten = false;
    const onProgress = (): void => {
      if (rewritten) return;
      rewritten = true;
      const fd = openSync(path, 'r+');
      writeSync(fd, randomBytes(16), 0, 16, 7 * CHUNK);
      closeSync(fd);
    };
    assert.is(await code(hashFile(path, ['md5', 'sha1'], { ...options, onProgress })), 'IO_ERROR', mode);
  }
});

test('a missing path is FILE_NOT_FOUND, for a file and for a directory', async () => {
  const file = write(fresh(), 'x');
  assert.is(await code(hashFile(join(root, 'no-such-file'))), 'FILE_NOT_FOUND');
  assert.is(await code(hashFile(join(file, 'below-a-file'))), 'FILE_NOT_FOUND');
  assert.is(await code(hashDirectory(join(root, 'no-such-dir'))), 'FILE_NOT_FOUND');
  assert.is(await code(hashDirectory(join(file, 'below-a-file'))), 'FILE_NOT_FOUND');
});

test('a directory given to hashFile, and a file given to hashDirectory, are FILE_UNREADABLE', async () => {
  const dir = fresh('dir');
  mkdirSync(dir);
  assert.is(await code(hashFile(dir)), 'FILE_UNREADABLE');
  assert.is(await code(hashDirectory(write(fresh(), 'x'))), 'FILE_UNREADABLE');
});

test('a FIFO given to hashFile is FILE_UNREADABLE and does not block', async () => {
  const fifo = fresh('fifo');
  execFileSync('mkfifo', [fifo]);
  assert.is(await within(5000, code(hashFile(fifo)), [fifo]), 'FILE_UNREADABLE');
  assert.is(await within(5000, code(hashDirectory(fifo)), [fifo]), 'FILE_UNREADABLE');
});

test('a socket given to hashFile or hashDirectory is FILE_UNREADABLE', async () => {
  const path = fresh('sock');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    assert.is(await within(5000, code(hashFile(path))), 'FILE_UNREADABLE');
    assert.is(await within(5000, code(hashDirectory(path))), 'FILE_UNREADABLE');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a character device given to hashFile is FILE_UNREADABLE', async () => {
  assert.is(await within(5000, code(hashFile('/dev/null'))), 'FILE_UNREADABLE');
});

test('a file replaced after the walk, by another file, a symlink or a FIFO, is an IO_ERROR, and nothing blocks', async () => {
  const replacements: Record<string, (path: string) => void> = {
    'another file': (path) => {
      writeFileSync(path + '.new', randomBytes(5));
      renameSync(path + '.new', path);
    },
    'a larger file in place': (path) => appendFileSync(path, 'x'),
    'a symlink': (path) => {
      rmSync(path);
      symlinkSync('a.bin', path);
    },
    'a FIFO': (path) => {
      rmSync(path);
      execFileSync('mkfifo', [path]);
    },
  };
  for (const [what, replace] of Object.entries(replacements)) {
    const dir = fresh('replaced');
    makeTree(dir, { 'a.bin': 10, 'b.bin': 5 });
    let replaced = false;
    const onProgress = (): void => {
      if (!replaced) replace(join(dir, 'b.bin'));
      replaced = true;
    };
    assert.is(await within(5000, code(hashDirectory(dir, [], { onProgress })), [join(dir, 'b.bin')]), 'IO_ERROR', what);
  }
});

test('blake3 and unknown algorithms are refused with a RangeError', async () => {
  const path = write(fresh(), 'x');
  for (const bad of ['blake3', 'sha224', 'SHA256']) {
    let error: unknown;
    await hashFile(path, [bad as FileDigestAlgorithm]).catch((e) => (error = e));
    assert.instance(error, RangeError, bad);
    error = undefined;
    await hashDirectory(root, [bad as FileDigestAlgorithm]).catch((e) => (error = e));
    assert.instance(error, RangeError, bad);
  }
});

/** Builds a tree of random files and returns their contents by manifest path. */
function makeTree(dir: string, files: Record<string, number>): Map<string, Uint8Array> {
  const contents = new Map<string, Uint8Array>();
  for (const [path, size] of Object.entries(files)) {
    const native = join(dir, ...path.split('/'));
    mkdirSync(dirname(native), { recursive: true });
    contents.set(path, randomBytes(size));
    writeFileSync(native, contents.get(path)!);
  }
  return contents;
}

/** Checks a hashDirectory result against the contents it should list, in sorted order. */
function checkListing(result: Awaited<ReturnType<typeof hashDirectory>>, contents: Map<string, Uint8Array>, order: string[], algorithms: readonly FileDigestAlgorithm[]): void {
  assert.equal(result.entries.map((e) => e.path), order);
  for (const entry of result.entries) {
    const bytes = contents.get(entry.path)!;
    assert.equal(entry, { path: entry.path, size: bytes.length, digests: expected(bytes, algorithms) }, entry.path);
  }
  assert.equal(result.manifest, manifestBytes(result.entries));
  assert.equal(parseManifest(result.manifest).entries, result.entries);
  assert.equal(result.digests, expected(result.manifest, algorithms));
  assert.is(result.size, [...contents.values()].reduce((n, b) => n + b.length, 0));
}

test('a directory with nested directories hashes to the manifest of its files, sorted by UTF-8 path', async () => {
  const dir = fresh('tree');
  const contents = makeTree(dir, {
    'b.bin': 100,
    'a/b': 1,
    'a-b': 2,
    'a0': 0,
    'sub/deeper/still/c.bin': 3 * CHUNK + 1,
    'with space.bin': 10,
    'ünïcødé/😀.bin': 20,
    '\uFFFD.bin': 5,
    '\u{1F600}.bin': 6,
    'Z.bin': 7,
  });
  mkdirSync(join(dir, 'empty', 'also-empty'), { recursive: true });
  const order = ['Z.bin', 'a-b', 'a/b', 'a0', 'b.bin', 'sub/deeper/still/c.bin', 'with space.bin', 'ünïcødé/😀.bin', '\uFFFD.bin', '\u{1F600}.bin'];
  for (const [mode, options] of Object.entries(MODES)) {
    const result = await hashDirectory(dir, ['md5'], options);
    checkListing(result, contents, order, ['md5']);
    assert.equal(result.skipped, [], mode);
  }
});

test('names are kept as stored: NFC and NFD spellings of a name are two entries', async () => {
  const dir = fresh('nfc');
  const contents = makeTree(dir, { '\u00e9.bin': 1, 'e\u0301.bin': 2 });
  const result = await hashDirectory(dir);
  checkListing(result, contents, ['e\u0301.bin', '\u00e9.bin'], []);
});

test('hashFile reads a file whose name has spaces and non-ASCII characters', async () => {
  const bytes = randomBytes(1000);
  const path = write(join(root, 'berkas bukti ünïcødé 😀.bin'), bytes);
  assert.equal(await hashFile(path, ['sha1']), { digests: expected(bytes, ['sha1']), size: 1000 });
});

test('the same workers hash many files of a directory in a row without mixing them up', async () => {
  const dir = fresh('many');
  const files: Record<string, number> = {};
  for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}`] = (i * 7919) % (3 * CHUNK + 3);
  const contents = makeTree(dir, files);
  const result = await hashDirectory(dir, ALL, MODES['two workers, two slots']);
  checkListing(result, contents, Object.keys(files).sort(), ALL);
});

test('directory progress counts the bytes of all files up to their total', async () => {
  const dir = fresh('progress');
  makeTree(dir, { a: 2 * CHUNK, b: 0, 'c/d': CHUNK + 1 });
  const seen: [number, number][] = [];
  await hashDirectory(dir, [], { chunkBytes: CHUNK, onProgress: (done, total) => seen.push([done, total]) });
  assert.equal(seen, [
    [CHUNK, 3 * CHUNK + 1],
    [2 * CHUNK, 3 * CHUNK + 1],
    [3 * CHUNK, 3 * CHUNK + 1],
    [3 * CHUNK + 1, 3 * CHUNK + 1],
  ]);
});

test('symlinks are reported and never followed, and a symlink given as the directory itself is followed', async () => {
  const dir = fresh('links');
  const contents = makeTree(dir, { 'real/file.bin': 50, 'top.bin': 3 });
  const outsideBytes = randomBytes(10);
  const outside = write(fresh('outside'), outsideBytes);
  symlinkSync(outside, join(dir, 'to-outside'));
  symlinkSync('real', join(dir, 'to-dir'));
  symlinkSync('real/file.bin', join(dir, 'real', 'to-file'));
  symlinkSync('nowhere', join(dir, 'dangling'));
  const result = await hashDirectory(dir);
  checkListing(result, contents, ['real/file.bin', 'top.bin'], []);
  assert.equal(result.skipped, [
    { path: 'dangling', kind: 'symlink' },
    { path: 'real/to-file', kind: 'symlink' },
    { path: 'to-dir', kind: 'symlink' },
    { path: 'to-outside', kind: 'symlink' },
  ]);
  const viaLink = fresh('link-to-tree');
  symlinkSync(dir, viaLink);
  assert.equal((await hashDirectory(viaLink)).manifest, result.manifest);
  const linkToFile = fresh('link-to-file');
  symlinkSync(outside, linkToFile);
  assert.equal(await hashFile(linkToFile), { digests: expected(outsideBytes, []), size: 10 });
});

test('symlink loops are reported, not followed, and the walk ends', async () => {
  const dir = fresh('loops');
  const contents = makeTree(dir, { 'sub/x.bin': 5 });
  symlinkSync('.', join(dir, 'self'));
  symlinkSync('..', join(dir, 'sub', 'up'));
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  const result = await within(10_000, hashDirectory(dir));
  checkListing(result, contents, ['sub/x.bin'], []);
  assert.equal(result.skipped.map((s) => `${s.path}:${s.kind}`), ['loop-a:symlink', 'loop-b:symlink', 'self:symlink', 'sub/up:symlink']);
  assert.is(await code(hashFile(join(dir, 'loop-a'))), 'FILE_UNREADABLE');
});

test('FIFOs and sockets in a directory are reported and not opened', async () => {
  const dir = fresh('special');
  const contents = makeTree(dir, { 'a.bin': 9 });
  const fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
  try {
    const result = await within(5000, hashDirectory(dir, ['sha1']), [fifo]);
    checkListing(result, contents, ['a.bin'], ['sha1']);
    assert.equal(result.skipped, [
      { path: 'pipe', kind: 'fifo' },
      { path: 'sock', kind: 'socket' },
    ]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('an empty directory has the manifest with no entries and size 0', async () => {
  const dir = fresh('empty');
  mkdirSync(dir);
  const result = await hashDirectory(dir, ['md5']);
  assert.is(new TextDecoder().decode(result.manifest), '{"entries":[],"format":"custody-manifest/v1"}');
  assert.equal(result.digests, expected(result.manifest, ['md5']));
  assert.equal([result.size, result.entries, result.skipped], [0, [], []]);
});

test('a file name that is not UTF-8 is FILE_UNREADABLE, not skipped or renamed', async () => {
  const dir = fresh('latin1');
  mkdirSync(dir);
  writeFileSync(Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.bin')]), 'x');
  assert.is(await code(hashDirectory(dir)), 'FILE_UNREADABLE');
});

test(`for this user (${isRoot ? 'root, who reads regardless of permission bits' : 'not root'}), files and directories without read permission behave as the kernel allows`, async () => {
  const bytes = randomBytes(100);
  const file = write(fresh('locked'), bytes);
  chmodSync(file, 0o000);
  const dir = fresh('locked-tree');
  makeTree(dir, { 'ok.bin': 1, 'inner/secret.bin': 2 });
  chmodSync(join(dir, 'inner'), 0o000);
  if (isRoot) {
    assert.equal(await hashFile(file), { digests: expected(bytes, []), size: 100 });
    assert.equal((await hashDirectory(dir)).entries.map((e) => e.path), ['inner/secret.bin', 'ok.bin']);
  } else {
    assert.is(await code(hashFile(file)), 'FILE_UNREADABLE');
    assert.is(await code(hashDirectory(dir)), 'FILE_UNREADABLE');
  }
});

test('for an unprivileged user, an unreadable file, directory or file inside a directory is FILE_UNREADABLE', () => {
  // Run as "nobody" when the tests run as root, so that permission bits are enforced either way.
  const file = write(fresh('locked'), randomBytes(10));
  chmodSync(file, 0o000);
  const lockedDir = fresh('locked-dir');
  makeTree(lockedDir, { 'x.bin': 1 });
  chmodSync(lockedDir, 0o000);
  const treeWithLockedFile = fresh('tree-locked-file');
  makeTree(treeWithLockedFile, { 'a.bin': 1, 'b/c.bin': 2 });
  chmodSync(join(treeWithLockedFile, 'b', 'c.bin'), 0o000);
  const treeWithUnsearchableDir = fresh('tree-unsearchable');
  makeTree(treeWithUnsearchableDir, { 'd/e.bin': 1 });
  chmodSync(join(treeWithUnsearchableDir, 'd'), 0o444); // names can be listed, entries not examined

  const script = write(
    join(root, 'child.mjs'),
    `const { hashFile, hashDirectory } = await import(process.argv[2]);
const [file, lockedDir, tree1, tree2] = process.argv.slice(3);
const out = [];
for (const run of [() => hashFile(file), () => hashDirectory(lockedDir), () => hashDirectory(tree1), () => hashDirectory(tree2)]) {
  out.push(await run().then(() => 'resolved', (e) => e.code ?? String(e)));
}
console.log(JSON.stringify({ uid: process.getuid(), out }));`,
  );
  const moduleUrl = pathToFileURL(fileURLToPath(new URL('../src/evidence-hash.ts', import.meta.url))).href;
  const repo = fileURLToPath(new URL('../../..', import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', script, moduleUrl, file, lockedDir, treeWithLockedFile, treeWithUnsearchableDir],
    { cwd: repo, encoding: 'utf8', timeout: 60_000, ...(isRoot ? { uid: 65534, gid: 65534 } : {}) },
  );
  assert.is(child.status, 0, child.stderr);
  const { uid, out } = JSON.parse(child.stdout);
  assert.ok(uid !== 0, 'the child must run unprivileged');
  assert.equal(out, ['FILE_UNREADABLE', 'FILE_UNREADABLE', 'FILE_UNREADABLE', 'FILE_UNREADABLE']);
});

function chmodRecursive(dir: string): void {
  try {
    execFileSync('chmod', ['-R', 'u+rwx', dir], { stdio: 'ignore' });
  } catch {
    // best effort: the directory is removed next
  }
}

test.run();
