/**
 * The one error class for data and verification failures. Every failure carries a stable `code`
 * from the closed list below; tests and callers branch on the code, never on the message text.
 * `details` is JSON-safe (which record, which field) so it can be printed by `--json`.
 */

/** Closed list of error codes. Documented in packages/core/README.md with their CLI exit status. */
export const ErrorCodes = [
  // Encoding of outside input (RFC 8785, strict codecs)
  'JSON_SYNTAX',
  'JSON_DUPLICATE_KEY',
  'JSON_LONE_SURROGATE',
  'JSON_NUMBER',
  'JSON_TOO_LARGE',
  'JSON_TOO_DEEP',
  'JSON_NOT_CANONICAL',
  'HEX_INVALID',
  'BASE64_INVALID',
  'SCHEMA_INVALID',
  // Keys and signatures
  'KEY_INVALID',
  'SIGNATURE_INVALID',
  'COSIGNATURE_INVALID',
  'COSIGNATURE_MISSING',
  // Records and the chain
  'LOG_MISMATCH',
  'SEQ_MISMATCH',
  'CHAIN_BROKEN',
  'ITEM_CHAIN_BROKEN',
  'IDENTITY_UNKNOWN',
  'KEY_NOT_VALID',
  'CUSTODY_RULE',
  'TIME_REGRESSION',
  'TIME_IN_FUTURE',
  'TIME_BEFORE_GENESIS',
  'TEXT_MIXED_SCRIPT',
  // Merkle proofs
  'PROOF_INVALID',
  'ROOT_MISMATCH',
  // Signed notes, checkpoints, cosignatures, policies
  'NOTE_MALFORMED',
  'NOTE_SIGNATURE_INVALID',
  'NOTE_UNKNOWN_SIGNER',
  'VERIFIER_KEY_INVALID',
  'CHECKPOINT_MALFORMED',
  'CHECKPOINT_MISMATCH',
  'STATE_MISMATCH',
  'CHECKPOINT_INCONSISTENT',
  'CHECKPOINT_OLDER',
  'COSIGNATURE_MALFORMED',
  'POLICY_MALFORMED',
  'POLICY_NOT_MET',
  'WITNESS_STATE_INVALID',
  // Bundles (custody-bundle/v1)
  'BUNDLE_MALFORMED',
  'BUNDLE_INCOMPLETE',
  'BUNDLE_UPSTREAM_MISMATCH',
  // Files, key files and the SQLite store (raised by @custody/ledger, listed here so the list is one)
  'FILE_NOT_FOUND',
  'FILE_EXISTS',
  'FILE_UNREADABLE',
  'KEY_FILE_INVALID',
  'PASSPHRASE_WRONG',
  'PASSPHRASE_WEAK',
  'LEDGER_NOT_FOUND',
  'LEDGER_NOT_A_LEDGER',
  'LEDGER_SCHEMA_TAMPERED',
  'LEDGER_DAMAGED',
  'LEDGER_SCHEMA_NEWER',
  'LEDGER_LOCKED',
  'WITNESS_STATE_LOCKED',
  'LEDGER_READ_ONLY',
  'LEDGER_EXISTS',
  'ITEM_UNKNOWN',
  'RECORD_UNKNOWN',
  'ITEM_EXISTS',
  'IO_ERROR',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export type ErrorDetails = { readonly [key: string]: string | number | boolean | null };

/** A data or verification failure with a stable code. */
export class CustodyError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CustodyError';
    this.code = code;
    this.details = details;
  }

  /** The JSON-safe form printed by `--json` outputs. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** isCustodyError reports whether `e` is a CustodyError, optionally with the given code. */
export function isCustodyError(e: unknown, code?: ErrorCode): e is CustodyError {
  return e instanceof CustodyError && (code === undefined || e.code === code);
}
