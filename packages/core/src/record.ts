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

/** One signed custody event: one leaf of the log. */
export interface LedgerRecord {
  readonly v: 1;
  readonly log: string;
  readonly seq: number;
  readonly prev: string;
  readonly time: string;
  readonly zone?: string;
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

/** statementOf returns the statement of a record: the record without seq, prev, itemPrev, cosigs and sig. */
export function statementOf(record: UnsignedRecord | LedgerRecord | Statement): Statement {
  const { v, log, time, zone, type, item, actor, data } = record;
  return zone === undefined ? { v, log, time, type, item, actor, data } : { v, log, time, zone, type, item, actor, data };
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
  return { ...record, sig: toBase64(signer.sign(recordSigningBytes(record))) } as LedgerRecord;
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
  checkRecordSchema(value);
  const record = value as unknown as LedgerRecord;
  checkTime(record.time);
  const seizure = record.data['seizure'] as { time?: string } | undefined;
  if (seizure?.time !== undefined) checkTime(seizure.time, '/data/seizure/time');
  return record;
}

/** checkTime throws SCHEMA_INVALID unless `time` is a real instant in RFC 3339 UTC with milliseconds. */
export function checkTime(time: string, path = '/time'): void {
  const ms = Date.parse(time);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time) || !Number.isFinite(ms) || new Date(ms).toISOString() !== time) {
    throw new CustodyError('SCHEMA_INVALID', `"${time}" is not a time in RFC 3339 UTC with milliseconds.`, { path });
  }
}

/** formatTime returns `date` in the protocol's time format (RFC 3339 UTC with milliseconds). */
export function formatTime(date: Date): string {
  return date.toISOString();
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
