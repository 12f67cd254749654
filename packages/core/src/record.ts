/**
 * Records (DESIGN §4, normative): the record object, its statement, the DSSE pre-authentication
 * encoding that is signed, and the leaf bytes that are hashed into the log.
 */
import { canonicalBytes, type JsonObject } from './canonical.js';
import { concatBytes, parseBase64, toBase64, utf8 } from './codec.js';
import { nobleCrypto, type Crypto, type Signer } from './crypto.js';
import { CustodyError } from './errors.js';
import { parseCanonicalJson, type JsonLimits } from './json.js';
import { checkRecordSchema } from './schema.js';
import { checkTime, timeMs } from './time.js';

export const PROTOCOL_VERSION = 1;

/** Every record type of DESIGN §6. */
export const RECORD_TYPES = [
  'ledger.genesis',
  'identity.enrol',
  'identity.rotate',
  'identity.revoke',
  'item.register',
  'item.derive',
  'item.import',
  'custody.transfer',
  'custody.offer',
  'custody.accept',
  'custody.reject',
  'custody.cancel',
  'item.seal',
  'item.unseal',
  'item.check',
  'item.examine',
  'item.move',
  'item.dispose',
  'item.note',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** createsItem reports whether a record of this type brings a new item into the ledger (its itemPrev is null). */
export function createsItem(type: RecordType): boolean {
  return type === 'item.register' || type === 'item.derive' || type === 'item.import';
}

/** The DSSE payload types of the two kinds of signature (DESIGN §4). */
export const RECORD_PAYLOAD_TYPE = 'application/vnd.custody.record.v1+json';
export const STATEMENT_PAYLOAD_TYPE = 'application/vnd.custody.statement.v1+json';

/** The reserved actor id of the ledger key. */
export const LEDGER_ACTOR = 'ledger';

/** A hash of 32 zero bytes: `prev` of record 0. */
export const ZERO_HASH_HEX = '0'.repeat(64);

export interface Cosignature {
  readonly id: string;
  readonly sig: string;
}

/**
 * The marker of a late entry (docs/PROTOCOL.md §4.5): the record is written after the fact, dated
 * `time` (when the event happened, as now), with the reason and the time it was actually recorded
 * by the appender's clock. Part of the statement: cosigners sign it too.
 */
export interface LateEntry {
  readonly reason: string;
  readonly recorded: string;
}

/** One signed custody event: one leaf of the log. */
export interface LedgerRecord {
  readonly v: 1;
  readonly log: string;
  readonly seq: number;
  readonly prev: string;
  readonly time: string;
  readonly zone?: string;
  /** Present on a late entry only. */
  readonly late?: LateEntry;
  readonly type: RecordType;
  readonly item: string | null;
  readonly itemPrev: string | null;
  readonly actor: string;
  readonly data: JsonObject;
  readonly cosigs?: readonly Cosignature[];
  readonly sig: string;
}

/** A record before the actor signs it. */
export type UnsignedRecord = Omit<LedgerRecord, 'sig'>;

/** The position-free part of a record: what cosigners sign (DESIGN §4). */
export interface Statement {
  readonly v: 1;
  readonly log: string;
  readonly time: string;
  readonly zone?: string;
  readonly late?: LateEntry;
  readonly type: RecordType;
  readonly item: string | null;
  readonly actor: string;
  readonly data: JsonObject;
}

/**
 * pae returns DSSE's pre-authentication encoding:
 * "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in ASCII decimal bytes.
 */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concatBytes(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${body.length} `), body);
}

/**
 * statementOf returns the statement of a record: the record without seq, prev, itemPrev, cosigs and
 * sig. A late entry's marker stays in it (docs/PROTOCOL.md §4.2).
 */
export function statementOf(record: UnsignedRecord | LedgerRecord | Statement): Statement {
  const { v, log, time, zone, late, type, item, actor, data } = record;
  return {
    v,
    log,
    time,
    ...(zone === undefined ? {} : { zone }),
    ...(late === undefined ? {} : { late }),
    type,
    item,
    actor,
    data,
  };
}

/** statementSigningBytes returns the bytes a cosigner signs: PAE(statement type, JCS(statement)). */
export function statementSigningBytes(statement: Statement): Uint8Array {
  return pae(STATEMENT_PAYLOAD_TYPE, canonicalBytes(statementOf(statement)));
}

/** recordSigningBytes returns the bytes the actor signs: PAE(record type, JCS(record without sig)). */
export function recordSigningBytes(record: UnsignedRecord | LedgerRecord): Uint8Array {
  const { sig: _sig, ...unsigned } = record as LedgerRecord;
  return pae(RECORD_PAYLOAD_TYPE, canonicalBytes(unsigned));
}

/** signStatement returns a cosignature by `id` over the record's statement. */
export function signStatement(statement: Statement, id: string, signer: Signer): Cosignature {
  return { id, sig: toBase64(signer.sign(statementSigningBytes(statement))) };
}

/**
 * withCosignatures returns the record with `cosigs` set to the given cosignatures sorted by id, as
 * DESIGN §4 requires. Throws CUSTODY_RULE on two cosignatures by one id.
 */
export function withCosignatures<R extends UnsignedRecord>(record: R, cosigs: readonly Cosignature[]): R {
  if (cosigs.length === 0) {
    const { cosigs: _none, ...rest } = record;
    return rest as R;
  }
  const sorted = [...cosigs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id) {
      throw new CustodyError('CUSTODY_RULE', `Two cosignatures by "${sorted[i]!.id}".`, { id: sorted[i]!.id });
    }
  }
  return { ...record, cosigs: sorted };
}

/** signRecord returns the record signed by the actor's key. */
export function signRecord(record: UnsignedRecord, signer: Signer): LedgerRecord {
  return sealRecord(record, signer).record;
}

/**
 * sealRecord signs `unsigned` with the actor's key and returns the record with its leaf bytes,
 * serialising and encoding it once: the actor signs PAE of those bytes, and the leaf is the same
 * bytes with the "sig" member spliced in.
 */
export function sealRecord(unsigned: UnsignedRecord, signer: Signer): { record: LedgerRecord; leafBytes: Uint8Array } {
  const unsignedBytes = canonicalBytes(unsigned);
  const sig = toBase64(signer.sign(paeOfRuns(RECORD_PAE_PREFIX, unsignedBytes, [0, unsignedBytes.length])));
  // JCS sorts members by name, and "sig" sorts directly before "time", which every record has.
  // Only "type", "v" and "zone" follow "time", and none of their values can hold a quote, so the
  // last `,"time":"` in the text is the top-level member (a quote inside any string is escaped).
  // (Without one the splice lands before the closing brace; the schema check refuses such a record.)
  const found = lastIndexOf(unsignedBytes, TIME_STRING_MEMBER, unsignedBytes.length);
  const at = found >= 0 ? found : unsignedBytes.length - 1;
  const sigMember = `,"sig":"${sig}"`;
  const leafBytes = new Uint8Array(unsignedBytes.length + sigMember.length);
  leafBytes.set(unsignedBytes.subarray(0, at), 0);
  for (let i = 0; i < sigMember.length; i++) leafBytes[at + i] = sigMember.charCodeAt(i); // base64: ASCII
  leafBytes.set(unsignedBytes.subarray(at), at + sigMember.length);
  return { record: { ...unsigned, sig } as LedgerRecord, leafBytes };
}

const TIME_STRING_MEMBER = utf8(',"time":"');
const SIG_MEMBER = utf8(',"sig":"');
/** The "sig" member's length: `,"sig":"`, 88 base64 characters, `"`. */
const SIG_MEMBER_LENGTH = SIG_MEMBER.length + 88 + 1;

/**
 * recordSigningBytesFromLeaf returns the bytes the actor signed, cut from the leaf bytes of a record
 * that parseRecord accepted: PAE of the leaf without its top-level "sig" member. Equal to
 * recordSigningBytes(record) without serialising the record again. Only "time", "type", "v" and
 * "zone" follow "sig" in canonical order, so the last `,"sig":"` in the leaf is the top-level one
 * (cosignatures, which also have "sig" members, come before it).
 */
export function recordSigningBytesFromLeaf(leafBytes: Uint8Array): Uint8Array {
  const at = lastIndexOf(leafBytes, SIG_MEMBER, leafBytes.length);
  if (at < 0) throw new CustodyError('SCHEMA_INVALID', 'The record has no signature.', { path: '/sig' });
  return paeOfRuns(RECORD_PAE_PREFIX, leafBytes, [0, at, at + SIG_MEMBER_LENGTH, leafBytes.length]);
}

const COSIGS_MEMBER = utf8(',"cosigs":');
const DATA_MEMBER = utf8(',"data":');
const ITEM_PREV_MEMBER = utf8(',"itemPrev":');
const LATE_MEMBER = utf8(',"late":');
const LOG_MEMBER = utf8(',"log":');
const PREV_MEMBER = utf8(',"prev":');
const TIME_MEMBER = utf8(',"time":');

/**
 * statementSigningBytesFromLeaf returns the bytes a cosigner signed, cut from the leaf bytes of a
 * record that parseRecord accepted, or undefined if the leaf does not have the expected layout.
 * Equal to statementSigningBytes(statementOf(record)) without building and serialising the statement.
 *
 * JCS writes a member's value the same whatever its siblings are, and sorts members by name, so the
 * leaf is laid out as
 *   {"actor":…[,"cosigs":[…]],"data":{…},"item":…,"itemPrev":…[,"late":{…}],"log":…,"prev":…,"seq":…,"sig":…,"time":…,"type":…,"v":1[,"zone":…]}
 * and the statement's JCS is the leaf without the members cosigs, itemPrev, prev, seq and sig: the
 * runs [start, cosigs or data), [data, itemPrev), [late or log, prev) and [time, end).
 * Canonical JSON escapes every quote inside a string, so `,"name":` occurs only where a member
 * begins (at some depth). Before "data" come only "actor" (a string) and "cosigs" (objects with "id"
 * and "sig" only, by the schema), so the first `,"data":` is the top-level one; after data's value
 * only scalars and "late" (an object of two strings, "reason" and "recorded") follow, so the last
 * `,"itemPrev":`, `,"log":`, `,"prev":` and `,"time":` are top-level, and so is the first `,"late":`
 * after "itemPrev" (whose value is null or a hash).
 */
export function statementSigningBytesFromLeaf(leafBytes: Uint8Array): Uint8Array | undefined {
  const data = indexOf(leafBytes, DATA_MEMBER, 0);
  const time = lastIndexOf(leafBytes, TIME_MEMBER, leafBytes.length);
  const prev = lastIndexOf(leafBytes, PREV_MEMBER, time);
  const log = lastIndexOf(leafBytes, LOG_MEMBER, prev);
  const itemPrev = lastIndexOf(leafBytes, ITEM_PREV_MEMBER, log);
  if (data < 0 || itemPrev <= data) return undefined; // not a parsed record's leaf: let the caller serialise
  const cosigs = indexOf(leafBytes, COSIGS_MEMBER, 0, data);
  const late = indexOf(leafBytes, LATE_MEMBER, itemPrev, log);
  return paeOfRuns(STATEMENT_PAE_PREFIX, leafBytes, [0, cosigs < 0 ? data : cosigs, data, itemPrev, late < 0 ? log : late, prev, time, leafBytes.length]);
}

/** PAE up to the body length, for each payload type (all ASCII). */
const RECORD_PAE_PREFIX = `DSSEv1 ${RECORD_PAYLOAD_TYPE.length} ${RECORD_PAYLOAD_TYPE} `;
const STATEMENT_PAE_PREFIX = `DSSEv1 ${STATEMENT_PAYLOAD_TYPE.length} ${STATEMENT_PAYLOAD_TYPE} `;

/** paeOfRuns returns PAE(type, body) where `prefix` is PAE up to the body length and the body is the concatenation of the [start, end) runs of `bytes`. */
function paeOfRuns(prefix: string, bytes: Uint8Array, runs: readonly number[]): Uint8Array {
  let bodyLength = 0;
  for (let i = 0; i < runs.length; i += 2) bodyLength += runs[i + 1]! - runs[i]!;
  const head = `${prefix}${bodyLength} `;
  const out = new Uint8Array(head.length + bodyLength);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i); // ASCII: one byte per character
  let o = head.length;
  for (let i = 0; i < runs.length; i += 2) {
    out.set(bytes.subarray(runs[i]!, runs[i + 1]!), o);
    o += runs[i + 1]! - runs[i]!;
  }
  return out;
}

/** indexOf returns the first position of `needle` in haystack[from, to), or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to = haystack.length): number {
  const last = to - needle.length;
  // The native indexOf finds candidates for the first byte; the rest is compared here.
  for (let i = haystack.indexOf(needle[0]!, from); i >= 0 && i <= last; i = haystack.indexOf(needle[0]!, i + 1)) {
    if (startsWith(haystack, needle, i)) return i;
  }
  return -1;
}

/** lastIndexOf returns the last position of `needle` in haystack[0, before), or -1. */
function lastIndexOf(haystack: Uint8Array, needle: Uint8Array, before: number): number {
  const start = before - needle.length;
  if (start < 0) return -1;
  for (let i = haystack.lastIndexOf(needle[0]!, start); i >= 0; i = i === 0 ? -1 : haystack.lastIndexOf(needle[0]!, i - 1)) {
    if (startsWith(haystack, needle, i)) return i;
  }
  return -1;
}

function startsWith(haystack: Uint8Array, needle: Uint8Array, at: number): boolean {
  for (let j = 1; j < needle.length; j++) if (haystack[at + j] !== needle[j]) return false;
  return true;
}

/** leafBytesOf returns the leaf bytes of a record: UTF-8 of JCS(record), stored verbatim. */
export function leafBytesOf(record: LedgerRecord): Uint8Array {
  return canonicalBytes(record);
}

/**
 * parseRecord turns untrusted leaf bytes into a record: they must be canonical JSON (RFC 8785, the
 * integer-only domain), match schemas/record.schema.json, and carry a valid time. Throws a
 * CustodyError (JSON_*, SCHEMA_INVALID). Signatures and rules are checked elsewhere.
 */
export function parseRecord(leafBytes: Uint8Array, limits?: JsonLimits): LedgerRecord {
  const value = parseCanonicalJson(leafBytes, limits);
  checkRecordValue(value);
  return value;
}

/**
 * checkRecordValue throws SCHEMA_INVALID unless `value` matches schemas/record.schema.json with
 * real times, and a late entry's `recorded` is not before its `time` (docs/PROTOCOL.md §4.5). For
 * records built in memory (whose canonical form comes from canonicalize itself).
 */
export function checkRecordValue(value: unknown): asserts value is LedgerRecord {
  checkRecordSchema(value);
  const record = value as LedgerRecord;
  checkTime(record.time);
  const seizure = record.data['seizure'] as { time?: string } | undefined;
  if (seizure?.time !== undefined) checkTime(seizure.time, '/data/seizure/time');
  if (record.late !== undefined) {
    checkTime(record.late.recorded, '/late/recorded');
    if (timeMs(record.late.recorded) < timeMs(record.time)) {
      throw new CustodyError('SCHEMA_INVALID', `The late entry says it was recorded at ${record.late.recorded}, before the time it is dated (${record.time}).`, {
        path: '/late/recorded',
      });
    }
  }
}

/** verifyRecordSignature reports whether `sig` on the record is the actor's signature under `publicKey`. */
export function verifyRecordSignature(record: LedgerRecord, publicKey: Uint8Array, crypto: Crypto = nobleCrypto): boolean {
  return crypto.verify(decodeSignature(record.sig), recordSigningBytes(record), publicKey);
}

/** verifyCosignature reports whether `cosig` is a signature of the record's statement under `publicKey`. */
export function verifyStatementSignature(
  statement: Statement,
  cosig: Cosignature,
  publicKey: Uint8Array,
  crypto: Crypto = nobleCrypto,
): boolean {
  return crypto.verify(decodeSignature(cosig.sig), statementSigningBytes(statement), publicKey);
}

/** decodeSignature returns the 64 signature bytes of `sig`, or no bytes (which never verify) if it is not one. */
export function decodeSignature(sig: string): Uint8Array {
  try {
    return parseBase64(sig, 64);
  } catch {
    return new Uint8Array(0); // not a signature: verify answers false
  }
}
