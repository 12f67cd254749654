/**
 * Witness cosignatures (C2SP tlog-cosignature, `cosignature/v1`, signature type 0x04; DESIGN §8).
 * A cosignature is a note signature line on a checkpoint whose bytes are
 * keyID(4) ‖ timestamp(8, big-endian) ‖ Ed25519 signature(64), the signature being over
 * `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint text.
 */
import { concatBytes, utf8 } from './codec.js';
import { nobleCrypto, type Crypto, type Signer } from './crypto.js';
import { CustodyError, isCustodyError } from './errors.js';
import { parseCheckpoint } from './checkpoint.js';
import {
  MAX_NOTE_SIGNATURES,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  createVerifierKey,
  formatSignatureLine,
  hex8,
  parseSignatureLine,
  parseVerifierKey,
  splitNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type VerifierKey,
} from './note.js';

/** COSIGNATURE_V1_LENGTH is the length of a cosignature/v1 signature after the key ID: timestamp and Ed25519. */
export const COSIGNATURE_V1_LENGTH = 8 + 64;

/** cosignatureMessage returns the bytes a cosignature/v1 signs: `cosignature/v1\ntime <timestamp>\n` ‖ checkpoint text. */
export function cosignatureMessage(checkpointText: string, timestamp: number): Uint8Array {
  checkTimestamp('cosignatureMessage', timestamp);
  return signedMessage(timestamp, utf8(checkpointText));
}

/** cosigner returns a NoteSigner that makes cosignature/v1 signatures dated `timestamp` (POSIX seconds). */
export function cosigner(name: string, signer: Signer, timestamp: number, crypto: Crypto = nobleCrypto): NoteSigner {
  checkTimestamp('cosigner', timestamp);
  const key = createVerifierKey(name, SIGNATURE_TYPE_COSIGNATURE_V1, signer.publicKey, crypto);
  return {
    name,
    keyId: key.keyId,
    sign: (text) => concatBytes(uint64(timestamp), signer.sign(signedMessage(timestamp, text))),
  };
}

/**
 * cosignatureVerifier returns the NoteVerifier of a cosignature/v1 (type 0x04) witness key, so that
 * openNote can check cosignatures. Throws VERIFIER_KEY_INVALID for a key of another type.
 */
export function cosignatureVerifier(key: VerifierKey | string, crypto: Crypto = nobleCrypto): NoteVerifier {
  const k = witnessKey(key, crypto);
  const publicKey = k.publicKey.slice();
  return {
    name: k.name,
    keyId: k.keyId,
    verify(text, signature) {
      const parts = readCosignature(signature);
      if (parts === undefined) return false;
      return crypto.verify(parts.ed25519, signedMessage(parts.timestamp, text), publicKey);
    },
  };
}

/**
 * cosignCheckpoint returns the signature line (without newline) by which witness `witnessName`
 * cosigns `checkpointText` at `timestamp`. The text must be a checkpoint (CHECKPOINT_MALFORMED).
 * Checking that the checkpoint is consistent with the last one cosigned is the witness's job.
 */
export function cosignCheckpoint(
  checkpointText: string,
  witnessName: string,
  signer: Signer,
  timestamp: number,
  crypto: Crypto = nobleCrypto,
): string {
  parseCheckpoint(checkpointText);
  const s = cosigner(witnessName, signer, timestamp, crypto);
  return formatSignatureLine(s.name, s.keyId, s.sign(utf8(checkpointText)));
}

/**
 * checkCosignature checks that `signatureLine` is a cosignature/v1 of `checkpointText` by
 * `witnessKey` and returns its timestamp. Throws COSIGNATURE_MALFORMED for a line that is not a
 * signature line or not 72 bytes with a timestamp below 2^53, COSIGNATURE_INVALID for a line by
 * another key or a signature that does not verify, CHECKPOINT_MALFORMED for the text and
 * VERIFIER_KEY_INVALID for a key that is not of type 0x04.
 */
export function checkCosignature(
  checkpointText: string,
  signatureLine: string,
  witnessKey: VerifierKey | string,
  crypto: Crypto = nobleCrypto,
): { timestamp: number } {
  const verifier = cosignatureVerifier(witnessKey, crypto);
  parseCheckpoint(checkpointText);
  const sig = readLine(signatureLine);
  if (sig.name !== verifier.name || sig.keyId !== verifier.keyId) {
    throw new CustodyError('COSIGNATURE_INVALID', `The cosignature is not by ${verifier.name}+${hex8(verifier.keyId)}.`, {
      name: sig.name,
      keyId: hex8(sig.keyId),
    });
  }
  const timestamp = cosignatureTimestamp(sig.signature);
  if (!verifier.verify(utf8(checkpointText), sig.signature)) {
    throw new CustodyError('COSIGNATURE_INVALID', `The cosignature of ${sig.name} does not verify.`, {
      name: sig.name,
      keyId: hex8(sig.keyId),
    });
  }
  return { timestamp };
}

/**
 * cosignatureTimestamp returns the timestamp of cosignature/v1 signature bytes (after the key ID).
 * Throws COSIGNATURE_MALFORMED unless they are 72 bytes with a timestamp at most 2^53 − 1.
 */
export function cosignatureTimestamp(signature: Uint8Array): number {
  const parts = readCosignature(signature);
  if (parts === undefined) {
    throw new CustodyError('COSIGNATURE_MALFORMED', 'Not a cosignature/v1: 8-byte timestamp below 2^53 and 64-byte signature.', {
      length: signature.length,
    });
  }
  return parts.timestamp;
}

/**
 * addCosignatures returns `note` with the given signature lines appended after its own, which stay
 * first and unchanged (the log's signature leads). A line by a key (name and key ID) that already
 * signed the note, or that appears earlier in `lines`, is left out: a note carries one signature per
 * key. Nothing is verified. Throws NOTE_MALFORMED for the note and COSIGNATURE_MALFORMED for a line.
 */
export function addCosignatures(note: string, lines: readonly string[]): string {
  if (!Array.isArray(lines)) throw new TypeError('addCosignatures: lines must be an array');
  const { text, signatures } = splitNote(note);
  const keys = new Set(signatures.map((s) => `${s.name}+${hex8(s.keyId)}`));
  const out = signatures.map((s) => s.line);
  for (const line of lines) {
    const sig = readLine(line);
    const id = `${sig.name}+${hex8(sig.keyId)}`;
    if (keys.has(id)) continue;
    keys.add(id);
    out.push(sig.line);
  }
  if (out.length > MAX_NOTE_SIGNATURES) {
    throw new CustodyError('NOTE_MALFORMED', `A note has at most ${MAX_NOTE_SIGNATURES} signatures.`, { signatures: out.length });
  }
  return `${text}\n${out.join('\n')}\n`;
}

// --- helpers ---

/** signedMessage is the Ed25519 signed message of tlog-cosignature §Ed25519 signed message. */
function signedMessage(timestamp: number, text: Uint8Array): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp}\n`), text);
}

/** readCosignature splits timestamp ‖ Ed25519 signature; undefined unless 72 bytes with a timestamp ≤ 2^53 − 1. */
function readCosignature(signature: Uint8Array): { timestamp: number; ed25519: Uint8Array } | undefined {
  if (signature.length !== COSIGNATURE_V1_LENGTH) return undefined;
  let timestamp = 0n;
  for (let i = 0; i < 8; i++) timestamp = (timestamp << 8n) | BigInt(signature[i]!);
  // The spec allows up to 2^63 − 1; this protocol keeps every integer safe (DESIGN §3).
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { timestamp: Number(timestamp), ed25519: signature.subarray(8) };
}

function readLine(line: string): NoteSignature {
  try {
    return parseSignatureLine(line);
  } catch (e) {
    if (isCustodyError(e, 'NOTE_MALFORMED')) {
      throw new CustodyError('COSIGNATURE_MALFORMED', 'Not a signature line `— name base64`.', {}, { cause: e });
    }
    throw e;
  }
}

function witnessKey(key: VerifierKey | string, crypto: Crypto): VerifierKey {
  const k = typeof key === 'string' ? parseVerifierKey(key, crypto) : key;
  if (k.type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw new CustodyError('VERIFIER_KEY_INVALID', `Key ${k.name} is not a cosignature/v1 (type 0x04) witness key.`);
  }
  return k;
}

function checkTimestamp(fn: string, timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError(`${fn}: timestamp must be a safe integer ≥ 0`);
}

function uint64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  let v = BigInt(value);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 255n);
    v >>= 8n;
  }
  return out;
}
