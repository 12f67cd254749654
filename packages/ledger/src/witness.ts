/**
 * An offline witness (DESIGN §8, C2SP tlog-witness): another agency's key that cosigns a ledger's
 * checkpoints only after checking that each one extends the last it cosigned for that log, so the
 * ledger can never show two histories. The state — for each known log, its verifier key and the
 * size and root last cosigned — lives in one small JSON file, replaced atomically on every cosign.
 * Requests and cosignatures travel as files, by hand if need be.
 *
 * Every change of the state (addWitnessLog, witnessCosign) reads, checks and writes it while holding
 * the state's exclusive lock across processes (state-lock.ts: a SQLite lock file `<state>.lock`,
 * released by the kernel if the process dies), and reads it again inside the lock: two cosigns at
 * the same moment, each for another fork of one log, cannot both pass the check against the same old
 * state. Creating a state file needs no lock: it is an exclusive create (O_EXCL).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import {
  canonicalize,
  cosignCheckpoint,
  createVerifierKey,
  CustodyError,
  equalBytes,
  formatVerifierKey,
  isCustodyError,
  openCheckpoint,
  parseBase64,
  parseJson,
  parseVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  toBase64,
  type Signer,
} from '@custody/core';
import { checkCheckpointConsistency } from './checkpoints.js';
import { nodeCrypto } from './node-crypto.js';
import { STATE_LOCK_TIMEOUT_MS, withStateLock } from './state-lock.js';

export const WITNESS_STATE_FORMAT = 'custody-witness/v1';

/** What a witness remembers of one log. */
export interface WitnessLogState {
  /** The log's verifier key (type 0x01, named for its origin). */
  readonly key: string;
  /** The size and root (base64) it last cosigned; 0 and null before the first. */
  readonly size: number;
  readonly root: string | null;
  readonly cosignedAt: string | null;
}

export interface WitnessState {
  readonly format: typeof WITNESS_STATE_FORMAT;
  readonly name: string;
  /** The witness's own verifier key (cosignature/v1, type 0x04). */
  readonly key: string;
  /** Known logs by origin. */
  readonly logs: { readonly [origin: string]: WitnessLogState };
}

/** How addWitnessLog and witnessCosign wait for the state's lock. */
export interface WitnessLockOptions {
  /** Milliseconds to wait while another process changes the same state file; 30 000 unless given. */
  readonly lockTimeoutMs?: number;
}

/** witnessVerifierKey returns the cosignature/v1 verifier key of a witness name and public key. */
export function witnessVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(createVerifierKey(name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey, nodeCrypto));
}

/** createWitnessState writes a new state file for witness `name` with key `publicKey` (FILE_EXISTS if one is there). */
export function createWitnessState(path: string, name: string, publicKey: Uint8Array): WitnessState {
  const state: WitnessState = { format: WITNESS_STATE_FORMAT, name, key: witnessVerifierKey(name, publicKey), logs: {} };
  writeStateFile(path, state, true);
  return state;
}

/** readWitnessState reads and checks a state file (FILE_NOT_FOUND, WITNESS_STATE_INVALID). */
export function readWitnessState(path: string): WitnessState {
  let text: Uint8Array;
  try {
    text = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no witness state file at ${path}.`, { path });
    throw new CustodyError('FILE_UNREADABLE', `${path} cannot be read.`, { path }, { cause: e });
  }
  try {
    return checkState(parseJson(text, { maxBytes: 1 << 20, maxDepth: 8 }));
  } catch (e) {
    if (isCustodyError(e) && e.code === 'WITNESS_STATE_INVALID') throw e;
    throw new CustodyError('WITNESS_STATE_INVALID', `${path} is not a valid witness state file.`, { path }, { cause: e });
  }
}

/**
 * addWitnessLog makes the witness know a log by its verifier key; a known origin is refused unless the
 * key is the same (CHECKPOINT_MISMATCH). Reads and writes the state under its lock: FILE_NOT_FOUND,
 * WITNESS_STATE_INVALID, WITNESS_STATE_LOCKED (another process held it longer than the timeout),
 * IO_ERROR.
 */
export function addWitnessLog(path: string, logKey: string, options: WitnessLockOptions = {}): WitnessState {
  const key = parseVerifierKey(logKey, nodeCrypto);
  if (key.type !== SIGNATURE_TYPE_ED25519) throw new CustodyError('VERIFIER_KEY_INVALID', 'A log key is an Ed25519 (type 0x01) verifier key.');
  readWitnessState(path); // FILE_NOT_FOUND before a lock file appears beside a state that is not there
  return withStateLock(path, options.lockTimeoutMs ?? STATE_LOCK_TIMEOUT_MS, () => {
    const state = readWitnessState(path);
    const known = state.logs[key.name];
    const formatted = formatVerifierKey(key);
    if (known !== undefined) {
      if (known.key === formatted) return state;
      throw new CustodyError('CHECKPOINT_MISMATCH', `The witness already knows the log ${key.name} under another key.`, { origin: key.name });
    }
    const next: WitnessState = { ...state, logs: { ...state.logs, [key.name]: { key: formatted, size: 0, root: null, cosignedAt: null } } };
    writeStateFile(path, next, false);
    return next;
  });
}

/**
 * witnessCosign answers a C2SP add-checkpoint request (`old N`, consistency proof lines, an empty
 * line, the signed checkpoint) as witness `signer`: the log must be known and its signature valid,
 * N must be the size this witness last cosigned for it, and the proof must show the checkpoint
 * extends what it cosigned. Then the state is updated atomically and the cosignature line returned.
 * The whole read–check–write holds the state's lock, so of two concurrent requests for two forks
 * one wins and the other is checked against the winner's state.
 * Refusals: NOTE_UNKNOWN_SIGNER (unknown log), CHECKPOINT_MISMATCH (request from another size),
 * CHECKPOINT_OLDER, CHECKPOINT_INCONSISTENT, and NOTE_* / CHECKPOINT_MALFORMED for a bad request;
 * FILE_NOT_FOUND, WITNESS_STATE_INVALID (damaged, or `signer` is not this witness's key),
 * WITNESS_STATE_LOCKED (another process held the lock longer than the timeout), IO_ERROR.
 */
export function witnessCosign(
  path: string,
  signer: Signer,
  request: string,
  now: Date = new Date(),
  options: WitnessLockOptions = {},
): { line: string; origin: string; size: number } {
  readWitnessState(path); // FILE_NOT_FOUND before a lock file appears beside a state that is not there
  return withStateLock(path, options.lockTimeoutMs ?? STATE_LOCK_TIMEOUT_MS, () => cosignLocked(path, signer, request, now));
}

/** cosignLocked is witnessCosign's read–check–write, run while the state's lock is held. */
function cosignLocked(path: string, signer: Signer, request: string, now: Date): { line: string; origin: string; size: number } {
  const state = readWitnessState(path);
  if (witnessVerifierKey(state.name, signer.publicKey) !== state.key) {
    throw new CustodyError('WITNESS_STATE_INVALID', `This key is not the key of witness ${state.name}.`, { witness: state.name });
  }
  const { oldSize, proof, note } = parseWitnessRequest(request);
  const opened = openCheckpoint(note, Object.values(state.logs).map((l) => l.key), nodeCrypto);
  const origin = opened.checkpoint.origin;
  const log = state.logs[origin]!;
  if (oldSize !== log.size) {
    throw new CustodyError('CHECKPOINT_MISMATCH', `This witness last cosigned ${log.size} records of ${origin}; the request proves from ${oldSize}.`, {
      origin,
      witnessSize: log.size,
      requestSize: oldSize,
    });
  }
  if (log.root !== null) {
    const seen = { origin, size: log.size, rootHash: parseBase64(log.root, 32), extensions: [] };
    checkCheckpointConsistency(seen, opened.checkpoint, proof, nodeCrypto);
  } else if (proof.length !== 0) {
    throw new CustodyError('CHECKPOINT_INCONSISTENT', 'A first cosignature takes no consistency proof.', { origin });
  }
  if (log.root !== null && opened.checkpoint.size === log.size && !equalBytes(parseBase64(log.root, 32), opened.checkpoint.rootHash)) {
    throw new CustodyError('CHECKPOINT_INCONSISTENT', `Two different roots for ${log.size} records of ${origin}: the log forked.`, { origin });
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  const line = cosignCheckpoint(opened.text, state.name, signer, timestamp, nodeCrypto);
  const next: WitnessState = {
    ...state,
    logs: {
      ...state.logs,
      [origin]: { key: log.key, size: opened.checkpoint.size, root: toBase64(opened.checkpoint.rootHash), cosignedAt: now.toISOString() },
    },
  };
  writeStateFile(path, next, false);
  return { line, origin, size: opened.checkpoint.size };
}

/** parseWitnessRequest reads a C2SP add-checkpoint body. */
export function parseWitnessRequest(request: string): { oldSize: number; proof: Uint8Array[]; note: string } {
  const malformed = (why: string): CustodyError => new CustodyError('CHECKPOINT_MALFORMED', `Not a witness request: ${why}.`);
  if (typeof request !== 'string' || request.length > 1 << 20) throw malformed('too large');
  const blank = request.indexOf('\n\n');
  if (blank < 0) throw malformed('no empty line before the checkpoint');
  const lines = request.slice(0, blank).split('\n');
  const first = /^old (0|[1-9][0-9]{0,15})$/.exec(lines[0] ?? '');
  if (first === null) throw malformed('the first line must be "old N"');
  const oldSize = Number(first[1]);
  if (!Number.isSafeInteger(oldSize)) throw malformed('the old size is too large');
  if (lines.length - 1 > 63) throw malformed('too many proof lines');
  const proof = lines.slice(1).map((line) => parseBase64(line, 32));
  return { oldSize, proof, note: request.slice(blank + 2) };
}

function checkState(value: unknown): WitnessState {
  const invalid = (why: string): CustodyError => new CustodyError('WITNESS_STATE_INVALID', `Not a witness state: ${why}.`);
  const v = value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid('not an object');
  if (Object.keys(v).sort().join() !== 'format,key,logs,name') throw invalid('unexpected fields');
  if (v['format'] !== WITNESS_STATE_FORMAT) throw invalid('unknown format');
  if (typeof v['name'] !== 'string') throw invalid('no name');
  const key = parseVerifierKey(v['key'] as string, nodeCrypto);
  if (key.type !== SIGNATURE_TYPE_COSIGNATURE_V1 || key.name !== v['name']) throw invalid('the key is not this witness’s cosignature key');
  const logs = v['logs'] as Record<string, Record<string, unknown>>;
  if (typeof logs !== 'object' || logs === null || Array.isArray(logs)) throw invalid('logs is not an object');
  for (const [origin, log] of Object.entries(logs)) {
    if (typeof log !== 'object' || log === null || Object.keys(log).sort().join() !== 'cosignedAt,key,root,size') throw invalid(`log ${origin}`);
    const logKey = parseVerifierKey(log['key'] as string, nodeCrypto);
    if (logKey.name !== origin || logKey.type !== SIGNATURE_TYPE_ED25519) throw invalid(`the key of log ${origin}`);
    if (!Number.isSafeInteger(log['size']) || (log['size'] as number) < 0) throw invalid(`the size of log ${origin}`);
    if (log['root'] !== null) parseBase64(log['root'] as string, 32);
    if ((log['root'] === null) !== (log['size'] === 0 && log['cosignedAt'] === null)) throw invalid(`log ${origin} is half-written`);
  }
  return v as unknown as WitnessState;
}

/**
 * writeStateFile replaces the state file atomically: write a temporary file beside it, flush it to
 * disk, rename it over the old one, flush the directory. A crash leaves the old state or the new.
 */
function writeStateFile(path: string, state: WitnessState, exclusive: boolean): void {
  const bytes = Buffer.from(`${canonicalize(state)}\n`);
  if (exclusive) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `${path} already exists.`, { path });
      throw new CustodyError('IO_ERROR', `${path} cannot be written.`, { path }, { cause: e });
    }
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never made
    }
    throw new CustodyError('IO_ERROR', `${path} cannot be written.`, { path }, { cause: e });
  }
}
