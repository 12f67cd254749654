/**
 * Checkpoints (C2SP tlog-checkpoint, DESIGN §8): the note text `origin\nsize\nbase64(root)\n`, with
 * optional extension lines, signed by the ledger key with an Ed25519 (type 0x01) note signature whose
 * key name is the origin. Such a note opens with Go's golang.org/x/mod/sumdb/note.
 */
import { parseBase64, toBase64 } from './codec.js';
import { nobleCrypto, type Crypto, type Signer } from './crypto.js';
import { CustodyError } from './errors.js';
import {
  isValidKeyName,
  noteSigner,
  noteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
  type NoteSignature,
  type VerifierKey,
} from './note.js';

/** MAX_CHECKPOINT_LENGTH caps the length of a checkpoint's text (UTF-16 code units). */
export const MAX_CHECKPOINT_LENGTH = 1 << 16;

/** A signed tree head: the log's origin, its size in leaves and its RFC 9162 root hash. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** The 32-byte Merkle tree hash at `size`. */
  readonly rootHash: Uint8Array;
  /** Extension lines after the root hash (opaque, non-empty; NOT RECOMMENDED by the spec). */
  readonly extensions: readonly string[];
}

/** A checkpoint whose log signature openCheckpoint has verified. */
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint text exactly as signed: what cosignatures sign too. */
  readonly text: string;
  /** The log key that signed it, named for the origin. */
  readonly logKey: VerifierKey;
  readonly logSignature: NoteSignature;
  /** Every other signature line of the note (cosignatures among them), not checked. */
  readonly otherSignatures: readonly NoteSignature[];
}

/**
 * formatCheckpoint returns the checkpoint text `origin\nsize\nbase64(rootHash)\n` followed by one
 * line per extension. Throws CHECKPOINT_MALFORMED if parseCheckpoint would not read the same values back.
 */
export function formatCheckpoint(checkpoint: {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  if (typeof origin !== 'string') throw new TypeError('formatCheckpoint: origin must be a string');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('formatCheckpoint: size must be a safe integer ≥ 0');
  if (!(rootHash instanceof Uint8Array)) throw new TypeError('formatCheckpoint: rootHash must be a Uint8Array');
  if (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string')) {
    throw new TypeError('formatCheckpoint: extensions must be an array of strings');
  }
  const text = [origin, String(size), toBase64(rootHash), ...extensions].join('\n') + '\n';
  const parsed = parseCheckpoint(text);
  // A newline inside the origin or an extension would move the other lines: require the same lines back.
  if (parsed.origin !== origin || parsed.extensions.length !== extensions.length) {
    throw malformed('The origin and each extension must be a single line.');
  }
  return text;
}

/**
 * parseCheckpoint reads checkpoint text, accepting only the canonical form: at most
 * MAX_CHECKPOINT_LENGTH characters ending in a newline; an origin that is a valid note key name (it is
 * the log's key name, DESIGN §8: non-empty, no spaces, "+" or control characters); the size in
 * decimal without leading zeros, at most 2^53 − 1; the root hash as canonical base64 of 32 bytes; and
 * extension lines that are non-empty and free of control characters. Anything else is
 * CHECKPOINT_MALFORMED.
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string') throw new TypeError('parseCheckpoint: text must be a string');
  if (text.length > MAX_CHECKPOINT_LENGTH) throw malformed(`A checkpoint is at most ${MAX_CHECKPOINT_LENGTH} characters.`);
  if (!text.endsWith('\n')) throw malformed('A checkpoint must end in a newline.');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('A checkpoint has at least three lines.');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!isValidKeyName(origin)) throw malformed('The origin is empty or contains a space, "+" or a control character.', 1);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw malformed('The size is not a decimal integer below 2^53 without leading zeros.', 2);
  }
  let rootHash: Uint8Array;
  try {
    rootHash = parseBase64(rootText, 32);
  } catch (cause) {
    throw malformed('The root hash is not canonical base64 of 32 bytes.', 3, cause);
  }
  extensions.forEach((line, i) => {
    if (line.length === 0 || CONTROL_OR_LONE_SURROGATE.test(line)) {
      throw malformed('An extension line is empty or contains a control character.', 4 + i);
    }
  });
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/**
 * signCheckpoint returns the signed note of `checkpoint`: its text and one Ed25519 (type 0x01)
 * signature line by `signer` under the key name `checkpoint.origin`.
 */
export function signCheckpoint(
  checkpoint: Parameters<typeof formatCheckpoint>[0],
  signer: Signer,
  crypto: Crypto = nobleCrypto,
): string {
  const text = formatCheckpoint(checkpoint);
  return signNote(text, [noteSigner(checkpoint.origin, signer, crypto)]);
}

/**
 * openCheckpoint opens a signed checkpoint with the log's verifier key (or any of several, as a
 * policy lists them) and parses its text. The signature that counts is the one by a given key whose
 * name is the checkpoint's origin. Throws what openNote throws (NOTE_*), VERIFIER_KEY_INVALID for a
 * key that is not a type 0x01 Ed25519 key, CHECKPOINT_MALFORMED for the text, and CHECKPOINT_MISMATCH
 * when the keys that signed are not named for the checkpoint's origin.
 */
export function openCheckpoint(
  note: string | Uint8Array,
  logKeys: VerifierKey | string | readonly (VerifierKey | string)[],
  crypto: Crypto = nobleCrypto,
): OpenedCheckpoint {
  const list = Array.isArray(logKeys) ? (logKeys as readonly (VerifierKey | string)[]) : [logKeys as VerifierKey | string];
  const keys = list.map((k) => (typeof k === 'string' ? parseVerifierKey(k, crypto) : k));
  const opened = openNote(note, keys.map((k) => noteVerifier(k, crypto)));
  const checkpoint = parseCheckpoint(opened.text);
  const logSignature = opened.signatures.find((s) => s.name === checkpoint.origin);
  if (logSignature === undefined) {
    throw new CustodyError('CHECKPOINT_MISMATCH', `No log key named ${JSON.stringify(checkpoint.origin)} signed this checkpoint.`, {
      origin: checkpoint.origin,
      signedBy: opened.signatures.map((s) => s.name).join(' '),
    });
  }
  const logKey = keys.find((k) => k.name === logSignature.name && k.keyId === logSignature.keyId)!;
  return {
    checkpoint,
    text: opened.text,
    logKey,
    logSignature,
    otherSignatures: [...opened.signatures.filter((s) => s !== logSignature), ...opened.unknownSignatures],
  };
}

const CONTROL_OR_LONE_SURROGATE = /[\x00-\x1f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function malformed(message: string, line?: number, cause?: unknown): CustodyError {
  return new CustodyError('CHECKPOINT_MALFORMED', message, line === undefined ? {} : { line }, cause === undefined ? undefined : { cause });
}
