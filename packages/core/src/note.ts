/**
 * Signed notes (C2SP signed-note, as implemented by Go's golang.org/x/mod/sumdb/note): a text ending
 * in a newline, a blank line, then one or more signature lines `— <key name> base64(keyID ‖ sig)`.
 * Keys are written as verifier keys, `<name>+<hex8(keyID)>+base64(type ‖ public key)`, with
 * keyID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4].
 *
 * The paired verbs are signNote and openNote. Parsing accepts only the canonical form and caps the
 * input size: a note is attacker-controlled until a trusted key has verified it.
 */
import { concatBytes, parseBase64, parseUtf8, toBase64, utf8 } from './codec.js';
import { checkPublicKey, nobleCrypto, type Crypto, type Signer } from './crypto.js';
import { CustodyError } from './errors.js';

/** Signature type 0x01: Ed25519 over the note text (signed-note §Ed25519 signatures). */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type 0x04: timestamped Ed25519 witness cosignatures (C2SP tlog-cosignature, cosignature/v1). */
export const SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIGNATURE_TYPE_ED25519 | typeof SIGNATURE_TYPE_COSIGNATURE_V1;

/** MAX_NOTE_BYTES caps the size of a note that openNote reads (UTF-8 bytes). */
export const MAX_NOTE_BYTES = 1 << 20;
/** MAX_NOTE_SIGNATURES caps the signature lines of a note, as Go's note.Open does (the spec asks for at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
/** MAX_VERIFIER_KEY_LENGTH caps the length of a verifier key string. */
export const MAX_VERIFIER_KEY_LENGTH = 1024;

/** A verifier key: a named public key of one signature type. */
export interface VerifierKey {
  readonly name: string;
  /** The 32-bit key ID, SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[:4] read big-endian. */
  readonly keyId: number;
  readonly type: SignatureType;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** Something that checks the signatures of one key in a note (Go's note.Verifier). */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** verify reports whether `signature` (the bytes after the key ID) signs `text`. Never throws. */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Something that signs a note's text with one key (Go's note.Signer). */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** sign returns the signature bytes that follow the key ID in the signature line. */
  sign(text: Uint8Array): Uint8Array;
}

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array;
  /** The line as it appears in the note, without its final newline. */
  readonly line: string;
}

/** A note whose signatures openNote has checked. */
export interface OpenedNote {
  /** The signed text, ending in a newline. */
  readonly text: string;
  /** Signatures verified by a known key, one per key, in note order. */
  readonly signatures: readonly NoteSignature[];
  /** Signatures by keys that were not given, identical lines once, in note order. Not checked. */
  readonly unknownSignatures: readonly NoteSignature[];
}

/**
 * createVerifierKey returns the verifier key of `publicKey` under `name`, computing its key ID.
 * Throws VERIFIER_KEY_INVALID for an invalid key name, an unknown type, or a public key that fails
 * checkPublicKey.
 */
export function createVerifierKey(
  name: string,
  type: SignatureType,
  publicKey: Uint8Array,
  crypto: Crypto = nobleCrypto,
): VerifierKey {
  if (typeof name !== 'string') throw new TypeError('createVerifierKey: name must be a string');
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('createVerifierKey: publicKey must be a Uint8Array');
  if (!isValidKeyName(name)) throw keyError('The key name is empty or contains a space, "+" or a control character.');
  if (type !== SIGNATURE_TYPE_ED25519 && type !== SIGNATURE_TYPE_COSIGNATURE_V1) {
    throw keyError(`Unknown signature type ${String(type)}.`);
  }
  try {
    checkPublicKey(publicKey);
  } catch (cause) {
    throw keyError('The public key is not a valid Ed25519 key.', cause);
  }
  return { name, keyId: computeKeyId(name, type, publicKey, crypto), type, publicKey: publicKey.slice() };
}

/** formatVerifierKey returns `key` as a verifier key string, `name+hex8(keyID)+base64(type ‖ publicKey)`. */
export function formatVerifierKey(key: VerifierKey): string {
  return `${key.name}+${hex8(key.keyId)}+${toBase64(concatBytes(Uint8Array.of(key.type), key.publicKey))}`;
}

/**
 * parseVerifierKey reads a verifier key string. It accepts only the canonical form: a valid key name,
 * eight lowercase hex digits, canonical base64 of a type byte (0x01 Ed25519 or 0x04 cosignature/v1)
 * and a 32-byte public key that passes checkPublicKey, and a key ID that matches. Anything else is
 * VERIFIER_KEY_INVALID.
 */
export function parseVerifierKey(text: string, crypto: Crypto = nobleCrypto): VerifierKey {
  if (typeof text !== 'string') throw new TypeError('parseVerifierKey: text must be a string');
  if (text.length > MAX_VERIFIER_KEY_LENGTH) throw keyError(`A verifier key is at most ${MAX_VERIFIER_KEY_LENGTH} characters.`);
  // As Go's NewVerifier: the name ends at the first "+", the key ID at the second; base64 may hold "+".
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  const name = text.slice(0, first);
  const keyIdHex = text.slice(first + 1, second);
  const keyBase64 = text.slice(second + 1);
  if (second < 0 || !/^[0-9a-f]{8}$/.test(keyIdHex)) throw keyError('Not of the form name+hex8(keyID)+base64.');
  let keyBytes: Uint8Array;
  try {
    keyBytes = parseBase64(keyBase64, 33);
  } catch (cause) {
    throw keyError('The key is not canonical base64 of 33 bytes.', cause);
  }
  const key = createVerifierKey(name, keyBytes[0] as SignatureType, keyBytes.subarray(1), crypto);
  if (key.keyId !== parseInt(keyIdHex, 16)) throw keyError('The key ID does not match the name and key.');
  return key;
}

/** computeKeyId returns SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[:4] as a big-endian uint32. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array, crypto: Crypto = nobleCrypto): number {
  const digest = crypto.sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return readUint32(digest, 0);
}

/** noteSigner returns a NoteSigner that makes type 0x01 Ed25519 signatures under `name`. */
export function noteSigner(name: string, signer: Signer, crypto: Crypto = nobleCrypto): NoteSigner {
  const key = createVerifierKey(name, SIGNATURE_TYPE_ED25519, signer.publicKey, crypto);
  return { name, keyId: key.keyId, sign: (text) => signer.sign(text) };
}

/**
 * noteVerifier returns the NoteVerifier of a type 0x01 Ed25519 key. A cosignature/v1 key (type 0x04)
 * signs a different message: use cosignatureVerifier for it. Throws VERIFIER_KEY_INVALID otherwise.
 */
export function noteVerifier(key: VerifierKey | string, crypto: Crypto = nobleCrypto): NoteVerifier {
  const k = typeof key === 'string' ? parseVerifierKey(key, crypto) : key;
  if (k.type !== SIGNATURE_TYPE_ED25519) throw keyError(`Key ${k.name} is not an Ed25519 (type 0x01) note key.`);
  const publicKey = k.publicKey.slice();
  return { name: k.name, keyId: k.keyId, verify: (text, signature) => crypto.verify(signature, text, publicKey) };
}

/**
 * signNote returns the signed note of `text` (which must end in a newline) with one signature line
 * per signer, in the order given. Throws NOTE_MALFORMED if the text cannot be the text of a note.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  if (typeof text !== 'string') throw new TypeError('signNote: text must be a string');
  if (!Array.isArray(signers) || signers.length === 0) throw new TypeError('signNote: signers must be a non-empty array');
  if (signers.length > MAX_NOTE_SIGNATURES) throw new RangeError(`signNote: at most ${MAX_NOTE_SIGNATURES} signers`);
  checkNoteCharacters(text);
  if (!text.endsWith('\n')) throw malformed('The text of a note must end in a newline.');
  const textBytes = utf8(text);
  if (textBytes.length > MAX_NOTE_BYTES) throw malformed(`A note is at most ${MAX_NOTE_BYTES} bytes.`);
  const seen = new Set<string>();
  let out = text + '\n';
  for (const s of signers) {
    if (!isValidKeyName(s.name)) throw new RangeError(`signNote: invalid key name ${JSON.stringify(s.name)}`);
    const id = `${s.name}+${hex8(s.keyId)}`;
    if (seen.has(id)) throw new RangeError(`signNote: key ${id} given twice`);
    seen.add(id);
    out += formatSignatureLine(s.name, s.keyId, s.sign(textBytes)) + '\n';
  }
  return out;
}

/**
 * openNote parses a signed note and checks its signatures against the known `verifiers`, as Go's
 * note.Open does: signatures by unknown keys (name and key ID not both matching) are kept aside
 * unchecked; every signature by a known key must verify. Throws
 * - NOTE_MALFORMED for a note over MAX_NOTE_BYTES, invalid UTF-8, a control character other than
 *   newline, no blank line before the signatures, a signature line not `— name base64` with a valid
 *   key name and canonical base64 of at least 5 bytes, or more than MAX_NOTE_SIGNATURES lines;
 * - NOTE_SIGNATURE_INVALID when a signature by a known key does not verify;
 * - NOTE_UNKNOWN_SIGNER when no known key signed the note;
 * - VERIFIER_KEY_INVALID when a signature names a key for which two different verifiers were given.
 *
 * Stricter than Go in one respect the spec asks for: Go checks only the first signature line of each
 * known key; this checks every distinct one.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const known = indexVerifiers(verifiers);
  const { text, signatures } = splitNote(note);
  const textBytes = utf8(text);
  const verified = new Map<string, NoteSignature>();
  const unknown = new Map<string, NoteSignature>();
  const checkedLines = new Set<string>();
  for (const sig of signatures) {
    const id = `${sig.name}+${hex8(sig.keyId)}`;
    const candidates = known.get(id);
    if (candidates === undefined) {
      if (!unknown.has(sig.line)) unknown.set(sig.line, sig);
      continue;
    }
    // As Go's VerifierList: two verifiers for one name and key ID are an error once a signature needs them.
    if (candidates.length > 1) throw keyError(`Two verifiers share the name and key ID ${id}.`);
    const verifier = candidates[0]!;
    if (checkedLines.has(sig.line)) continue;
    checkedLines.add(sig.line);
    if (!verifier.verify(textBytes, sig.signature)) {
      throw new CustodyError('NOTE_SIGNATURE_INVALID', `The signature by key ${id} does not verify.`, {
        name: sig.name,
        keyId: hex8(sig.keyId),
      });
    }
    if (!verified.has(id)) verified.set(id, sig);
  }
  if (verified.size === 0) {
    throw new CustodyError('NOTE_UNKNOWN_SIGNER', 'No known key signed the note.', { signatures: signatures.length });
  }
  return { text, signatures: [...verified.values()], unknownSignatures: [...unknown.values()] };
}

/**
 * splitNote separates a note into its text and its signature lines, with every syntax check of
 * openNote (NOTE_MALFORMED) but no signature checked: the text must not be trusted.
 */
export function splitNote(note: string | Uint8Array): { text: string; signatures: NoteSignature[] } {
  const message = readNote(note);
  // The text is separated from the signatures by the last empty line (signed-note §Format).
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('There is no blank line before the signatures.');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('The signatures must end in a newline.');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`A note has at most ${MAX_NOTE_SIGNATURES} signatures.`);
  return { text, signatures: lines.map((line) => readSignatureLine(line)) };
}

/**
 * parseSignatureLine reads one signature line, `— <key name> base64(keyID ‖ signature)`, without its
 * newline. Throws NOTE_MALFORMED unless the name is a valid key name and the base64 is canonical and
 * holds at least 5 bytes.
 */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string') throw new TypeError('parseSignatureLine: line must be a string');
  if (line.length > MAX_NOTE_BYTES) throw malformed('The signature line is too long.');
  checkNoteCharacters(line);
  if (line.includes('\n')) throw malformed('A signature line has no newline inside.');
  return readSignatureLine(line);
}

/** formatSignatureLine returns `— <name> base64(keyID ‖ signature)`, without a newline. */
export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const id = new Uint8Array(4);
  writeUint32(id, 0, keyId);
  return `— ${name} ${toBase64(concatBytes(id, signature))}`;
}

/**
 * isValidKeyName reports whether `name` can name a key: non-empty, well-formed, without Unicode
 * white space (Go's unicode.IsSpace), "+" or ASCII control characters. Never throws.
 */
export function isValidKeyName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !name.includes('+') &&
    !UNICODE_SPACE.test(name) &&
    !CONTROL.test(name) &&
    !LONE_SURROGATE.test(name)
  );
}

/** hex8 returns a key ID as eight lowercase hex digits. */
export function hex8(keyId: number): string {
  return (keyId >>> 0).toString(16).padStart(8, '0');
}

// --- helpers ---

// Go's unicode.IsSpace: the Unicode White_Space property (JavaScript's \s adds U+FEFF and lacks U+0085).
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const CONTROL = /[\x00-\x1f]/;
const CONTROL_EXCEPT_NEWLINE = /[\x00-\x09\x0b-\x1f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SIGNATURE_PREFIX = '— ';

function readNote(note: string | Uint8Array): string {
  let message: string;
  if (note instanceof Uint8Array) {
    if (note.length > MAX_NOTE_BYTES) throw malformed(`A note is at most ${MAX_NOTE_BYTES} bytes.`);
    try {
      message = parseUtf8(note);
    } catch (cause) {
      throw malformed('The note is not valid UTF-8.', cause);
    }
  } else if (typeof note === 'string') {
    // A UTF-16 code unit encodes to at least one byte, so this bounds the encoding cheaply.
    if (note.length > MAX_NOTE_BYTES || utf8(note).length > MAX_NOTE_BYTES) {
      throw malformed(`A note is at most ${MAX_NOTE_BYTES} bytes.`);
    }
    message = note;
  } else {
    throw new TypeError('openNote: note must be a string or a Uint8Array');
  }
  checkNoteCharacters(message);
  return message;
}

/** checkNoteCharacters: valid UTF-8 (no lone surrogates) without ASCII controls other than newline. */
function checkNoteCharacters(text: string): void {
  if (LONE_SURROGATE.test(text)) throw malformed('The note is not valid Unicode (lone surrogate).');
  const control = CONTROL_EXCEPT_NEWLINE.exec(text);
  if (control) throw malformed('The note contains a control character.', undefined, { offset: control.index });
}

function readSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('A signature line must start with "— ".');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const b64 = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed('The key name of a signature line is not valid.');
  let bytes: Uint8Array;
  try {
    bytes = parseBase64(b64);
  } catch {
    throw malformed(`The signature of ${name} is not canonical base64.`);
  }
  if (bytes.length < 5) throw malformed(`The signature of ${name} is too short.`);
  return { name, keyId: readUint32(bytes, 0), signature: bytes.slice(4), line };
}

function indexVerifiers(verifiers: readonly NoteVerifier[]): Map<string, NoteVerifier[]> {
  if (!Array.isArray(verifiers)) throw new TypeError('openNote: verifiers must be an array');
  const known = new Map<string, NoteVerifier[]>();
  for (const v of verifiers) {
    const id = `${v.name}+${hex8(v.keyId)}`;
    const list = known.get(id) ?? [];
    if (!list.includes(v)) list.push(v);
    known.set(id, list);
  }
  return known;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError('keyId must be a uint32');
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 255;
  bytes[offset + 2] = (value >>> 8) & 255;
  bytes[offset + 3] = value & 255;
}

function malformed(message: string, cause?: unknown, details: Record<string, number> = {}): CustodyError {
  return new CustodyError('NOTE_MALFORMED', message, details, cause === undefined ? undefined : { cause });
}

function keyError(message: string, cause?: unknown): CustodyError {
  return new CustodyError('VERIFIER_KEY_INVALID', message, {}, cause === undefined ? undefined : { cause });
}
