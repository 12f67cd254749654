/**
 * Digests of evidence items and the manifests that identify directories (DESIGN §6).
 *
 * An item's `digests` is an object keyed by algorithm, each value the lowercase hex digest of the
 * item's bytes; `size` (bytes) sits beside it. A directory is hashed as a `custody-manifest/v1`
 * document listing its files; the directory's digests are the digests of the manifest's bytes, and
 * its size is the sum of the files' sizes.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { canonicalize, checkWellFormed } from './canonical.js';
import { equalBytes, isHex, parseUtf8, toHex, utf8 } from './codec.js';
import { type Crypto, nobleCrypto } from './crypto.js';
import { CustodyError } from './errors.js';

/** The digest algorithms of DESIGN §6: the strong ones, then the weak ones kept for older tools. */
export const DigestAlgorithms = ['sha256', 'sha512', 'sha3-256', 'blake3', 'sha1', 'md5'] as const;
export type DigestAlgorithm = (typeof DigestAlgorithms)[number];

/** Algorithms an item may be identified by. MD5 and SHA-1 have practical collisions: never alone. */
export const StrongDigestAlgorithms: readonly DigestAlgorithm[] = ['sha256', 'sha512', 'sha3-256', 'blake3'];

/** Digest length in bytes of each algorithm (BLAKE3 at its default 32-byte output). */
export const DigestByteLengths: Readonly<Record<DigestAlgorithm, number>> = {
  sha256: 32,
  sha512: 64,
  'sha3-256': 32,
  blake3: 32,
  sha1: 20,
  md5: 16,
};

/** Lowercase hex digests keyed by algorithm. */
export type Digests = { readonly [A in DigestAlgorithm]?: string };

/** isDigestAlgorithm reports whether `value` names a known algorithm (exact, lowercase). Never throws. */
export function isDigestAlgorithm(value: unknown): value is DigestAlgorithm {
  return typeof value === 'string' && (DigestAlgorithms as readonly string[]).includes(value);
}

/** isStrongDigestAlgorithm reports whether `algorithm` may identify an item on its own. Never throws. */
export function isStrongDigestAlgorithm(algorithm: unknown): boolean {
  return StrongDigestAlgorithms.includes(algorithm as DigestAlgorithm);
}

/**
 * parseDigestArg reads the CLI's `--digest ALG:HEX`. It is lenient in exactly one way, because
 * common tools print upper case (PowerShell's Get-FileHash prints `SHA256` and upper-case hex, as
 * do EnCase and FTK reports): the algorithm name and the hex digits are accepted in any case and
 * returned in lowercase. Nothing else is: no whitespace, no separators inside the hex, no aliases
 * such as `sha-256`, and the hex must have the algorithm's exact length.
 * An unknown algorithm or a missing `:` is SCHEMA_INVALID; bad hex is HEX_INVALID.
 */
export function parseDigestArg(text: string): { algorithm: DigestAlgorithm; hex: string } {
  if (typeof text !== 'string') throw new TypeError('parseDigestArg: text must be a string');
  const colon = text.indexOf(':');
  if (colon < 0) throw new CustodyError('SCHEMA_INVALID', 'A digest is written ALG:HEX, e.g. sha256:9f86…', {});
  const algorithm = text.slice(0, colon).toLowerCase();
  if (!isDigestAlgorithm(algorithm)) {
    throw new CustodyError('SCHEMA_INVALID', `Unknown digest algorithm ${JSON.stringify(text.slice(0, colon))}.`, {
      algorithm: text.slice(0, colon),
    });
  }
  const hex = text.slice(colon + 1);
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== DigestByteLengths[algorithm] * 2) {
    throw new CustodyError('HEX_INVALID', `A ${algorithm} digest is ${DigestByteLengths[algorithm] * 2} hex digits.`, {
      algorithm,
      length: hex.length,
    });
  }
  return { algorithm, hex: hex.toLowerCase() };
}

/**
 * parseDigestArgs reads several `--digest` values (see parseDigestArg) into one Digests object.
 * Naming an algorithm twice is SCHEMA_INVALID, even with the same value.
 */
export function parseDigestArgs(texts: readonly string[]): Digests {
  const out: { [A in DigestAlgorithm]?: string } = {};
  for (const text of texts) {
    const { algorithm, hex } = parseDigestArg(text);
    if (out[algorithm] !== undefined) {
      throw new CustodyError('SCHEMA_INVALID', `The ${algorithm} digest is given twice.`, { algorithm });
    }
    out[algorithm] = hex;
  }
  return out;
}

/**
 * parseDigests checks untrusted input as a Digests object and returns a copy: a non-empty plain
 * object whose keys are known algorithms (SCHEMA_INVALID otherwise) and whose values are lowercase
 * hex of the algorithm's length (HEX_INVALID otherwise). It does not require a strong algorithm.
 */
export function parseDigests(value: unknown): Digests {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CustodyError('SCHEMA_INVALID', 'Digests must be an object keyed by algorithm.');
  }
  const keys = Object.keys(value);
  if (keys.length === 0) throw new CustodyError('SCHEMA_INVALID', 'Digests must name at least one algorithm.');
  const out: { [A in DigestAlgorithm]?: string } = {};
  for (const key of keys) {
    if (!isDigestAlgorithm(key)) {
      throw new CustodyError('SCHEMA_INVALID', `Unknown digest algorithm ${JSON.stringify(key)}.`, { algorithm: key });
    }
    const hex = (value as Record<string, unknown>)[key];
    if (!isHex(hex, DigestByteLengths[key])) {
      throw new CustodyError('HEX_INVALID', `The ${key} digest must be ${DigestByteLengths[key] * 2} lowercase hex digits.`, {
        algorithm: key,
      });
    }
    out[key] = hex;
  }
  return out;
}

/**
 * checkDigests throws unless `digests` is well formed (see parseDigests) and includes at least one
 * strong algorithm (SCHEMA_INVALID): what an item needs to be identified by (DESIGN §6).
 */
export function checkDigests(digests: unknown): asserts digests is Digests {
  const parsed = parseDigests(digests);
  if (!StrongDigestAlgorithms.some((a) => parsed[a] !== undefined)) {
    throw new CustodyError('SCHEMA_INVALID', `Digests need at least one of ${StrongDigestAlgorithms.join(', ')}.`);
  }
}

/** The answer of compareDigests. */
export interface DigestComparison {
  /** True only when at least one algorithm was compared and every compared digest is equal. */
  readonly match: boolean;
  /** `no-common-algorithm` when the two sides share no algorithm: nothing was compared, not a match. */
  readonly outcome: 'match' | 'mismatch' | 'no-common-algorithm';
  /** The algorithms both sides have, in DigestAlgorithms order. */
  readonly compared: DigestAlgorithm[];
  /** The compared algorithms whose digests differ. */
  readonly mismatched: DigestAlgorithm[];
  /** Whether a strong algorithm was compared. A match on MD5 or SHA-1 alone proves little. */
  readonly strong: boolean;
}

/**
 * compareDigests compares a re-measurement with the expected digests over the algorithms both
 * have. Both are checked first with parseDigests, so a malformed side throws rather than mismatches.
 */
export function compareDigests(expected: Digests, measured: Digests): DigestComparison {
  const a = parseDigests(expected);
  const b = parseDigests(measured);
  const compared = DigestAlgorithms.filter((alg) => a[alg] !== undefined && b[alg] !== undefined);
  const mismatched = compared.filter((alg) => a[alg] !== b[alg]);
  const outcome = compared.length === 0 ? 'no-common-algorithm' : mismatched.length > 0 ? 'mismatch' : 'match';
  return { match: outcome === 'match', outcome, compared, mismatched, strong: compared.some(isStrongDigestAlgorithm) };
}

/**
 * computeDigests returns the digests of `data` under each of `algorithms`: SHA-256 through `crypto`
 * (so Node callers can inject node:crypto), the others through @noble/hashes. Meant for data held
 * in memory, such as manifests; files are hashed by @custody/ledger.
 */
export function computeDigests(data: Uint8Array, algorithms: readonly DigestAlgorithm[], crypto: Crypto = nobleCrypto): Digests {
  if (!(data instanceof Uint8Array)) throw new TypeError('computeDigests: data must be a Uint8Array');
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new RangeError('computeDigests: algorithms must name at least one algorithm');
  }
  for (const algorithm of algorithms) {
    if (!isDigestAlgorithm(algorithm)) throw new RangeError(`computeDigests: unknown algorithm ${String(algorithm)}`);
  }
  const out: { [A in DigestAlgorithm]?: string } = {};
  for (const algorithm of DigestAlgorithms) {
    if (algorithms.includes(algorithm)) out[algorithm] = toHex(digestWith(algorithm, data, crypto));
  }
  return out;
}

function digestWith(algorithm: DigestAlgorithm, data: Uint8Array, crypto: Crypto): Uint8Array {
  switch (algorithm) {
    case 'sha256':
      return crypto.sha256(data);
    case 'sha512':
      return sha512(data);
    case 'sha3-256':
      return sha3_256(data);
    case 'blake3':
      return blake3(data);
    case 'sha1':
      return sha1(data);
    case 'md5':
      return md5(data);
  }
}

// ---------------------------------------------------------------------------------------------------
// Directory manifests: custody-manifest/v1
// ---------------------------------------------------------------------------------------------------

export const ManifestFormat = 'custody-manifest/v1';

/** One regular file of a directory: its relative path, size in bytes, and digests. */
export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly digests: Digests;
}

/** A parsed manifest: `{ "format": "custody-manifest/v1", "entries": [...] }`. */
export interface Manifest {
  readonly format: typeof ManifestFormat;
  readonly entries: ManifestEntry[];
}

/** Manifests larger than this are refused by parseManifest unless the caller raises the cap. */
export const MANIFEST_MAX_BYTES = 256 * 1024 * 1024;

/**
 * manifestBytes returns the manifest of `entries`: the UTF-8 bytes of the JCS (RFC 8785)
 * serialisation of `{ "format": "custody-manifest/v1", "entries": [...] }`, the entries sorted by
 * path. The rules, which parseManifest enforces on manifests it is given:
 *
 * - Only regular files are listed. Empty directories, symlinks and special files are not.
 * - A path is relative with `/` separators. Every segment is non-empty and neither `.` nor `..`, so
 *   there is no leading, trailing or doubled `/`; no NUL; no unpaired surrogate. `\` is an ordinary
 *   character. Paths are kept exactly as the filesystem stores them: no Unicode normalisation
 *   (NFC and NFD spellings are different paths) and no case folding.
 * - Entries are sorted by the UTF-8 bytes of the path (Unicode code point order, not JavaScript's
 *   UTF-16 order), strictly increasing: no duplicates. No path is a directory of another path
 *   (`a` and `a/b` cannot both be files).
 * - `size` is a safe integer ≥ 0. Every entry has the same set of algorithms, including a strong one.
 *
 * Throws SCHEMA_INVALID (or HEX_INVALID for a malformed digest) when an entry breaks a rule.
 */
export function manifestBytes(entries: readonly ManifestEntry[]): Uint8Array {
  if (!Array.isArray(entries)) throw new TypeError('manifestBytes: entries must be an array');
  const sorted = [...entries].sort((x, y) => compareManifestPaths(String(x?.path), String(y?.path)));
  const copies = checkEntries(sorted);
  return utf8(canonicalize({ format: ManifestFormat, entries: copies }));
}

/** manifestSize returns the sum of the entries' sizes: a directory item's `size`. */
export function manifestSize(entries: readonly ManifestEntry[]): number {
  let total = 0;
  for (const entry of entries) total += entry.size;
  if (!Number.isSafeInteger(total)) throw new CustodyError('SCHEMA_INVALID', 'The total size is not a safe integer.');
  return total;
}

/**
 * directoryDigests returns what identifies a directory of `entries` as an item: the manifest's
 * bytes, the digests of those bytes under `algorithms` (SHA-256 through `crypto`), and the total size.
 */
export function directoryDigests(
  entries: readonly ManifestEntry[],
  algorithms: readonly DigestAlgorithm[],
  crypto: Crypto = nobleCrypto,
): { manifest: Uint8Array; digests: Digests; size: number } {
  const manifest = manifestBytes(entries);
  return { manifest, digests: computeDigests(manifest, algorithms, crypto), size: manifestSize(entries) };
}

/**
 * parseManifest reads a manifest file someone was given, so its digest can be re-checked. It
 * accepts only the exact bytes manifestBytes would produce: at most `maxBytes` (JSON_TOO_LARGE),
 * strict UTF-8 and JSON (JSON_SYNTAX), exactly the fields `format` and `entries` and, per entry,
 * `path`, `size` and `digests` (SCHEMA_INVALID), the rules of manifestBytes, and the canonical
 * serialisation byte for byte (JSON_NOT_CANONICAL: whitespace, escapes, number forms, key order,
 * and duplicate keys, which JSON.parse would otherwise silently resolve).
 */
export function parseManifest(bytes: Uint8Array, options: { maxBytes?: number } = {}): Manifest {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseManifest: bytes must be a Uint8Array');
  const maxBytes = options.maxBytes ?? MANIFEST_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new CustodyError('JSON_TOO_LARGE', `The manifest is larger than ${maxBytes} bytes.`, { size: bytes.length, maxBytes });
  }
  let value: unknown;
  try {
    value = JSON.parse(parseUtf8(bytes));
  } catch (cause) {
    if (cause instanceof CustodyError) throw cause;
    throw new CustodyError('JSON_SYNTAX', 'The manifest is not JSON.', {}, { cause });
  }
  if (!isPlainObject(value) || !hasExactly(value, ['entries', 'format'])) {
    throw new CustodyError('SCHEMA_INVALID', 'A manifest has exactly the fields "format" and "entries".');
  }
  if (value.format !== ManifestFormat) {
    throw new CustodyError('SCHEMA_INVALID', `The manifest format must be ${ManifestFormat}.`);
  }
  if (!Array.isArray(value.entries)) throw new CustodyError('SCHEMA_INVALID', 'The manifest entries must be an array.');
  const entries = checkEntries(value.entries);
  if (!equalBytes(utf8(canonicalize({ format: ManifestFormat, entries })), bytes)) {
    throw new CustodyError('JSON_NOT_CANONICAL', 'The manifest is not in its canonical (RFC 8785) form.');
  }
  return { format: ManifestFormat, entries };
}

/** checkManifestPath throws SCHEMA_INVALID unless `path` follows the path rule of manifestBytes. */
export function checkManifestPath(path: string): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new CustodyError('SCHEMA_INVALID', 'A manifest path must be a non-empty string.');
  }
  checkWellFormed(path);
  if (path.includes('\0')) throw new CustodyError('SCHEMA_INVALID', 'A manifest path holds a NUL.', { path: '' });
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new CustodyError('SCHEMA_INVALID', 'A manifest path has an empty, "." or ".." segment or is absolute.', { path });
    }
  }
}

/**
 * compareManifestPaths orders two paths by their UTF-8 bytes, which is Unicode code point order,
 * without encoding them. JavaScript's default sort compares UTF-16 code units and would put
 * U+10000 and above before U+E000–U+FFFF.
 */
export function compareManifestPaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Lift surrogates (code points ≥ U+10000) above U+E000–U+FFFF; keeps order within each range.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** Checks sorted entries against every rule of manifestBytes; returns plain copies. */
function checkEntries(entries: readonly unknown[]): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const files = new Set<string>();
  let algorithms: string | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!isPlainObject(entry) || !hasExactly(entry, ['digests', 'path', 'size'])) {
      throw new CustodyError('SCHEMA_INVALID', 'A manifest entry has exactly the fields "path", "size" and "digests".', { index: i });
    }
    const { path, size, digests } = entry;
    checkManifestPath(path as string);
    const p = path as string;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new CustodyError('SCHEMA_INVALID', 'A manifest entry size must be a safe integer ≥ 0.', { index: i, path: p });
    }
    checkDigests(digests);
    const names = Object.keys(digests).sort().join(',');
    if (algorithms !== undefined && names !== algorithms) {
      throw new CustodyError('SCHEMA_INVALID', 'Every manifest entry must have the same digest algorithms.', { index: i, path: p });
    }
    algorithms = names;
    const previous = out[i - 1];
    if (previous !== undefined && compareManifestPaths(previous.path, p) >= 0) {
      const duplicate = previous.path === p;
      throw new CustodyError('SCHEMA_INVALID', duplicate ? 'A manifest path is listed twice.' : 'Manifest entries are not sorted by path.', {
        index: i,
        path: p,
      });
    }
    for (let slash = p.indexOf('/'); slash >= 0; slash = p.indexOf('/', slash + 1)) {
      if (files.has(p.slice(0, slash))) {
        throw new CustodyError('SCHEMA_INVALID', 'A manifest path lies under another path that is a file.', { index: i, path: p });
      }
    }
    files.add(p);
    out.push({ path: p, size, digests: parseDigests(digests) });
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value).sort();
  return own.length === keys.length && own.every((k, i) => k === keys[i]);
}
