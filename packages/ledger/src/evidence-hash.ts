/**
 * Hashing evidence: files, and directories as custody-manifest/v1 manifests (DESIGN §6).
 *
 * A file is read once, in large aligned chunks, and every requested algorithm runs over the same
 * bytes. A single algorithm, or a small file, is hashed on this thread while the next chunk is read
 * in the background. Several algorithms over a large file run in worker threads ("lanes", at most
 * one per core, algorithms balanced between them by measured cost; see hash-worker.ts) that hash
 * chunks the main thread reads into a small ring of shared buffers, so reading and every lane
 * proceed at once and memory stays bounded (4 slots × 4 MiB by default).
 *
 * BLAKE3 is not offered: Node's OpenSSL has none, and the pure-JavaScript one in @noble/hashes
 * runs at about 75 MB/s here (four hours for a 1 TB image). Core's computeDigests still has it.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  type DigestAlgorithm,
  type Digests,
  type ErrorDetails,
  type ManifestEntry,
  CustodyError,
  DigestAlgorithms,
  compareManifestPaths,
  manifestBytes,
  manifestSize,
} from '@custody/core';
import { HashLanes, planLanes } from './hash-worker.js';

/** The algorithms hashFile and hashDirectory compute: those node:crypto has. SHA-256 is always included. */
export const FileDigestAlgorithms = ['sha256', 'sha512', 'sha3-256', 'sha1', 'md5'] as const;
export type FileDigestAlgorithm = (typeof FileDigestAlgorithms)[number];

export interface HashOptions {
  /** Called after each chunk is hashed by every algorithm, with the bytes done and the total expected. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Most worker threads to use; 1 hashes on this thread only. Default: os.availableParallelism(). */
  threads?: number;
  /** Bytes per read, a multiple of 4096. Default 4 MiB. */
  chunkBytes?: number;
  /** Chunks in the shared ring when workers are used (≥ 2). Default 4. */
  ringSlots?: number;
  /** Files smaller than this are hashed on this thread even with several algorithms (starting workers costs ~30 ms). Default 32 MiB. */
  parallelMinBytes?: number;
}

/** The digests and size of one file. */
export interface FileDigests {
  readonly digests: Digests;
  readonly size: number;
}

/** Why a directory entry is not in the manifest: it is not a regular file, and was not opened. */
export type SkippedKind = 'symlink' | 'fifo' | 'socket' | 'block-device' | 'character-device' | 'other';

export interface SkippedEntry {
  readonly path: string;
  readonly kind: SkippedKind;
}

/** A hashed directory: its manifest's bytes and entries, the manifest's digests, and the total size. */
export interface DirectoryDigests {
  readonly manifest: Uint8Array;
  readonly entries: ManifestEntry[];
  readonly digests: Digests;
  readonly size: number;
  /** Entries that are not regular files (symlinks, FIFOs, sockets, devices), sorted by path. */
  readonly skipped: SkippedEntry[];
}

/**
 * hashFile returns the SHA-256 digest of the file at `path`, plus one digest for each other of
 * `algorithms`, and its size. A symlink named by `path` is followed. Throws FILE_NOT_FOUND,
 * FILE_UNREADABLE (no permission, or not a regular file: a FIFO, device or directory is never read),
 * or IO_ERROR (a read failed, or the file changed size or modification time while being read).
 */
export async function hashFile(path: string, algorithms: readonly FileDigestAlgorithm[] = [], options: HashOptions = {}): Promise<FileDigests> {
  if (typeof path !== 'string') throw new TypeError('hashFile: path must be a string');
  const hasher = new FileHasher(checkAlgorithms(algorithms, 'hashFile'), options);
  try {
    return await hasher.hashPath(path, { followSymlink: true }, (done, size) => options.onProgress?.(done, size));
  } finally {
    await hasher.close();
  }
}

/**
 * hashDirectory walks the directory at `path` (a symlink named by `path` is followed; none inside
 * it is), hashes every regular file with SHA-256 and `algorithms`, and returns the
 * custody-manifest/v1 manifest with its digests under the same algorithms. Symlinks, FIFOs, sockets
 * and devices are listed in `skipped`, never opened or followed. Empty directories leave no trace in
 * the manifest. Throws FILE_NOT_FOUND when `path` does not exist, FILE_UNREADABLE when it is not a
 * directory or when any directory or file in it cannot be read (nothing is skipped silently), and
 * IO_ERROR when a read fails or the tree changes while it is hashed.
 */
export async function hashDirectory(
  path: string,
  algorithms: readonly FileDigestAlgorithm[] = [],
  options: HashOptions = {},
): Promise<DirectoryDigests> {
  if (typeof path !== 'string') throw new TypeError('hashDirectory: path must be a string');
  const chosen = checkAlgorithms(algorithms, 'hashDirectory');
  const hasher = new FileHasher(chosen, options);
  const entries: ManifestEntry[] = [];
  let skipped: SkippedEntry[];
  try {
    const walked = await walk(path);
    skipped = walked.skipped;
    const total = walked.files.reduce((sum, f) => sum + f.size, 0);
    let done = 0;
    for (const file of walked.files) {
      const before = done;
      const { digests, size } = await hasher.hashPath(file.native, { followSymlink: false, entry: file.path, expect: file }, (n) => {
        done = before + n;
        options.onProgress?.(done, total);
      });
      entries.push({ path: file.path, size, digests });
    }
  } finally {
    await hasher.close();
  }
  const manifest = manifestBytes(entries);
  return { manifest, entries, digests: digestBytes(manifest, chosen), size: manifestSize(entries), skipped };
}

// ---------------------------------------------------------------------------------------------------

const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_RING_SLOTS = 4;
const DEFAULT_PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
// O_NONBLOCK: opening a FIFO that appeared where a regular file was must not wait for a writer.
// It has no effect on reads of regular files.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function checkAlgorithms(algorithms: readonly FileDigestAlgorithm[], fn: string): FileDigestAlgorithm[] {
  if (!Array.isArray(algorithms)) throw new TypeError(`${fn}: algorithms must be an array`);
  for (const a of algorithms) {
    if (a === ('blake3' as string)) {
      throw new RangeError(`${fn}: blake3 is not available for files (no fast implementation in Node); use sha256, sha512 or sha3-256`);
    }
    if (!(FileDigestAlgorithms as readonly string[]).includes(a)) throw new RangeError(`${fn}: unknown algorithm ${String(a)}`);
  }
  return FileDigestAlgorithms.filter((a) => a === 'sha256' || algorithms.includes(a));
}

function checkOptions(options: HashOptions): Required<Omit<HashOptions, 'onProgress'>> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 4096 || chunkBytes % 4096 !== 0 || chunkBytes > 2 ** 30) {
    throw new RangeError('HashOptions.chunkBytes must be a multiple of 4096 between 4 KiB and 1 GiB');
  }
  const ringSlots = options.ringSlots ?? DEFAULT_RING_SLOTS;
  if (!Number.isSafeInteger(ringSlots) || ringSlots < 2 || ringSlots > 64) throw new RangeError('HashOptions.ringSlots must be 2–64');
  const threads = options.threads ?? availableParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError('HashOptions.threads must be an integer ≥ 1');
  const parallelMinBytes = options.parallelMinBytes ?? DEFAULT_PARALLEL_MIN_BYTES;
  if (!Number.isSafeInteger(parallelMinBytes) || parallelMinBytes < 0) throw new RangeError('HashOptions.parallelMinBytes must be ≥ 0');
  return { chunkBytes, ringSlots, threads, parallelMinBytes };
}

/** What a directory walk saw of a file, checked again when the file is opened. */
interface Expected {
  readonly size: number;
  readonly dev: bigint;
  readonly ino: bigint;
}

/** Hashes files one after another with one set of algorithms, reusing buffers and workers. */
class FileHasher {
  readonly #algorithms: FileDigestAlgorithm[];
  readonly #options: Required<Omit<HashOptions, 'onProgress'>>;
  #buffers: [Uint8Array, Uint8Array] | undefined;
  #lanes: HashLanes | undefined;

  constructor(algorithms: FileDigestAlgorithm[], options: HashOptions) {
    this.#algorithms = algorithms;
    this.#options = checkOptions(options);
  }

  /** Opens, checks and hashes one file; `onBytes` gets the bytes done so far and the size. */
  async hashPath(
    path: string,
    how: { followSymlink: boolean; entry?: string; expect?: Expected },
    onBytes: (done: number, size: number) => void,
  ): Promise<FileDigests> {
    const where: ErrorDetails = how.entry === undefined ? { path } : { path, entry: how.entry };
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | O_NONBLOCK | (how.followSymlink ? 0 : O_NOFOLLOW));
    } catch (cause) {
      throw fileError(cause, where, how.expect !== undefined);
    }
    try {
      const before = await handle.stat({ bigint: true });
      if (!before.isFile()) {
        if (how.expect !== undefined) throw changed(where, 'replaced by something that is not a regular file');
        throw new CustodyError('FILE_UNREADABLE', 'Not a regular file.', { ...where, kind: before.isDirectory() ? 'directory' : kindOf(before) });
      }
      const size = Number(before.size);
      const expect = how.expect;
      if (expect !== undefined && (before.dev !== expect.dev || before.ino !== expect.ino || size !== expect.size)) {
        throw changed(where, 'replaced or resized after the directory was read');
      }
      const progress = (done: number): void => onBytes(done, size);
      const useLanes = this.#algorithms.length > 1 && this.#options.threads > 1 && size >= this.#options.parallelMinBytes;
      const { digests, bytesRead } = useLanes ? await this.#getLanes().hash(handle, progress) : await this.#hashHere(handle, progress);
      const after = await handle.stat({ bigint: true });
      if (after.size !== before.size || after.mtimeNs !== before.mtimeNs || bytesRead !== size) {
        throw new CustodyError('IO_ERROR', 'The file changed while it was being hashed.', {
          ...where,
          reason: 'changed',
          sizeBefore: size,
          sizeAfter: Number(after.size),
          bytesRead,
        });
      }
      return { digests, size };
    } catch (cause) {
      throw fileError(cause, where, true);
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {
    await this.#lanes?.close();
    this.#lanes = undefined;
  }

  #getLanes(): HashLanes {
    if (this.#lanes?.broken) throw new Error('FileHasher: a previous failure left the workers unusable');
    this.#lanes ??= new HashLanes(planLanes(this.#algorithms, this.#options.threads), this.#options.chunkBytes, this.#options.ringSlots);
    return this.#lanes;
  }

  /** Hashes on this thread, reading the next chunk while the current one is hashed. */
  async #hashHere(handle: FileHandle, onBytes: (done: number) => void): Promise<{ digests: Digests; bytesRead: number }> {
    const chunk = this.#options.chunkBytes;
    const buffers = (this.#buffers ??= [new Uint8Array(chunk), new Uint8Array(chunk)]);
    const hashes = this.#algorithms.map((a) => createHash(a));
    let position = 0;
    let which = 0;
    let pending = handle.read(buffers[0], 0, chunk, 0);
    try {
      for (;;) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) break;
        const current = buffers[which]!.subarray(0, bytesRead);
        position += bytesRead;
        which ^= 1;
        pending = handle.read(buffers[which]!, 0, chunk, position);
        for (const hash of hashes) hash.update(current);
        onBytes(position);
      }
    } finally {
      pending.catch(() => {}); // settled or abandoned after an error thrown above
    }
    const digests: { [A in DigestAlgorithm]?: string } = {};
    this.#algorithms.forEach((a, i) => (digests[a] = hashes[i]!.digest('hex')));
    return { digests, bytesRead: position };
  }
}

function digestBytes(bytes: Uint8Array, algorithms: readonly FileDigestAlgorithm[]): Digests {
  const out: { [A in DigestAlgorithm]?: string } = {};
  for (const a of algorithms) out[a] = createHash(a).update(bytes).digest('hex');
  return out;
}

/** A regular file found by the walk: its manifest path, its native path and what lstat saw. */
interface WalkedFile extends Expected {
  readonly path: string;
  readonly native: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * walk lists the tree under `root` with lstat, never following a symlink, with an explicit stack
 * (no recursion, so depth is bounded by memory only), and sorts by manifest path.
 */
async function walk(root: string): Promise<{ files: WalkedFile[]; skipped: SkippedEntry[] }> {
  let top;
  try {
    top = await stat(root);
  } catch (cause) {
    throw fileError(cause, { path: root }, false);
  }
  if (!top.isDirectory()) throw new CustodyError('FILE_UNREADABLE', 'Not a directory.', { path: root, kind: top.isFile() ? 'file' : kindOf(top) });
  const files: WalkedFile[] = [];
  const skipped: SkippedEntry[] = [];
  const stack: { path: string; native: string }[] = [{ path: '', native: root }];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    let names: Buffer[];
    try {
      names = await readdir(dir.native, { encoding: 'buffer' });
    } catch (cause) {
      throw fileError(cause, dir.path === '' ? { path: dir.native } : { path: dir.native, entry: dir.path }, dir.path !== '');
    }
    for (const raw of names) {
      const name = decodeName(raw, dir.native);
      const path = dir.path === '' ? name : `${dir.path}/${name}`;
      const native = join(dir.native, name);
      let info;
      try {
        info = await lstat(native, { bigint: true });
      } catch (cause) {
        throw fileError(cause, { path: native, entry: path }, true);
      }
      if (info.isDirectory()) stack.push({ path, native });
      else if (info.isFile()) files.push({ path, native, size: Number(info.size), dev: info.dev, ino: info.ino });
      else skipped.push({ path, kind: kindOf(info) });
    }
  }
  files.sort((a, b) => compareManifestPaths(a.path, b.path));
  skipped.sort((a, b) => compareManifestPaths(a.path, b.path));
  return { files, skipped };
}

/** A name that is not UTF-8 cannot be written in a manifest faithfully: an error, not a guess. */
function decodeName(raw: Buffer, dir: string): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    throw new CustodyError('FILE_UNREADABLE', 'A file name is not valid UTF-8 and cannot be listed in a manifest.', {
      path: join(dir, raw.toString('latin1')),
      nameHex: raw.toString('hex'),
    });
  }
}

type StatLike = { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean };

function kindOf(info: StatLike): SkippedKind {
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isBlockDevice()) return 'block-device';
  if (info.isCharacterDevice()) return 'character-device';
  return 'other';
}

function changed(where: ErrorDetails, what: string): CustodyError {
  return new CustodyError('IO_ERROR', `The file was ${what}.`, { ...where, reason: 'changed' });
}

/**
 * fileError translates a Node file-system error at the boundary. `inside` marks a path the walk
 * had already seen: its disappearing is a change to the tree (IO_ERROR), not a wrong argument.
 */
function fileError(cause: unknown, where: ErrorDetails, inside: boolean): unknown {
  if (cause instanceof CustodyError) return cause;
  const errno = (cause as { code?: unknown } | null)?.code;
  if (typeof errno !== 'string') return cause; // not a file-system error: a bug or a worker crash
  const details = { ...where, errno };
  switch (errno) {
    case 'ENOENT':
    case 'ENOTDIR':
      if (!inside) return new CustodyError('FILE_NOT_FOUND', 'No such file or directory.', details, { cause });
      return new CustodyError('IO_ERROR', 'A file or directory disappeared while it was being hashed.', { ...details, reason: 'changed' }, { cause });
    case 'EACCES':
    case 'EPERM':
      return new CustodyError('FILE_UNREADABLE', 'Permission denied.', details, { cause });
    case 'ENXIO': // opening a socket, or a device with nothing behind it
      return new CustodyError('FILE_UNREADABLE', 'Not a regular file.', details, { cause });
    case 'ELOOP':
      if (inside) return new CustodyError('IO_ERROR', 'A file was replaced by a symlink while it was being hashed.', { ...details, reason: 'changed' }, { cause });
      return new CustodyError('FILE_UNREADABLE', 'Too many levels of symbolic links.', details, { cause });
    default:
      return new CustodyError('IO_ERROR', `Could not read: ${errno}.`, details, { cause });
  }
}
