/**
 * File sets: several files that together are one evidence item (the parts of a split image, the
 * files an examiner exported), identified like a directory (DESIGN §6) by a custody-manifest/v1
 * whose paths are the files' base names.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CustodyError, computeDigests, manifestBytes, manifestSize, type ManifestEntry } from '@custody/core';
import { hashFile, type DirectoryDigests, type FileDigestAlgorithm, type HashOptions } from './evidence-hash.js';
import { nodeCrypto } from './node-crypto.js';

/**
 * hashFiles hashes each file at `paths` with SHA-256 and `algorithms` and returns the manifest that
 * lists them by base name, its digests under the same algorithms, and the total size — what
 * identifies the set as one item, the same way hashDirectory identifies a directory holding exactly
 * these files. Two files with one base name are SCHEMA_INVALID; otherwise it throws what hashFile
 * throws. Progress counts bytes over all the files.
 */
export async function hashFiles(
  paths: readonly string[],
  algorithms: readonly FileDigestAlgorithm[] = [],
  options: HashOptions = {},
): Promise<Omit<DirectoryDigests, 'skipped'>> {
  if (!Array.isArray(paths) || paths.length === 0) throw new TypeError('hashFiles: paths must be a non-empty array');
  const names = new Map<string, string>();
  for (const path of paths) {
    const name = basename(path);
    const other = names.get(name);
    if (other !== undefined) {
      throw new CustodyError('SCHEMA_INVALID', `Two files of the set have the name "${name}": ${other} and ${path}.`, { path, name });
    }
    names.set(name, path);
  }
  const sizes = await Promise.all(paths.map((p) => stat(p).then((s) => s.size).catch(() => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const entries: ManifestEntry[] = [];
  let done = 0;
  for (const path of paths) {
    const before = done;
    const { digests, size } = await hashFile(path, algorithms, {
      ...options,
      onProgress: (n) => options.onProgress?.(before + n, total),
    });
    done = before + size;
    entries.push({ path: basename(path), size, digests });
  }
  const manifest = manifestBytes(entries);
  const chosen = ['sha256', ...algorithms.filter((a) => a !== 'sha256')] as FileDigestAlgorithm[];
  return { manifest, entries, digests: computeDigests(manifest, chosen, nodeCrypto), size: manifestSize(entries) };
}
