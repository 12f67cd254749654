/**
 * Statement files: the position-free part of a record (DESIGN §4), written to a file so that a
 * counterparty can cosign it on their own device — the second signature of a handover made
 * elsewhere — and the record can then be appended exactly as it was signed.
 *
 * A statement file is the RFC 8785 serialisation of
 * `{ "format": "custody-statement/v1", "statement": { v, log, time, zone?, type, item, actor, data } }`
 * followed by one "\n". parseStatementFile reads one given by someone else: untrusted input.
 */
import { canonicalize } from './canonical.js';
import { CustodyError } from './errors.js';
import { parseJson } from './json.js';
import { statementOf, ZERO_HASH_HEX, type Statement } from './record.js';
import { checkTime } from './time.js';
import { checkRecordSchema } from './schema.js';

export const STATEMENT_FILE_FORMAT = 'custody-statement/v1';

/** Statement files larger than this are refused (a record's data is small). */
export const MAX_STATEMENT_FILE_BYTES = 1024 * 1024;

/** formatStatementFile returns the text of the statement file of `statement`. */
export function formatStatementFile(statement: Statement): string {
  return `${canonicalize({ format: STATEMENT_FILE_FORMAT, statement: statementOf(statement) })}\n`;
}

/**
 * parseStatementFile turns a statement file into a Statement: strict JSON (JSON_*), at most
 * MAX_STATEMENT_FILE_BYTES (JSON_TOO_LARGE), exactly the fields `format` and `statement`, and a
 * statement whose fields, type and data match the record schema with a valid time (SCHEMA_INVALID).
 * Signatures and custody rules are checked when the record is appended.
 */
export function parseStatementFile(input: Uint8Array | string): Statement {
  const value = parseJson(input, { maxBytes: MAX_STATEMENT_FILE_BYTES });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('/', 'is not an object');
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== 'format,statement') throw invalid('/', 'must have exactly the fields "format" and "statement"');
  if (value['format'] !== STATEMENT_FILE_FORMAT) throw invalid('/format', `must be "${STATEMENT_FILE_FORMAT}"`);
  const statement = value['statement'];
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw invalid('/statement', 'is not an object');
  for (const field of ['seq', 'prev', 'itemPrev', 'cosigs', 'sig']) {
    if (field in statement) throw invalid(`/statement/${field}`, 'is a position or signature field, not part of a statement');
  }
  // The record schema decides the statement's fields and data; the position and signature are placeholders.
  const placeholder = { ...statement, seq: 0, prev: ZERO_HASH_HEX, itemPrev: null, sig: `${'A'.repeat(86)}==` };
  try {
    checkRecordSchema(placeholder);
  } catch (e) {
    if (e instanceof CustodyError) {
      const path = typeof e.details['path'] === 'string' ? `/statement${e.details['path'] === '/' ? '' : e.details['path']}` : '/statement';
      throw new CustodyError('SCHEMA_INVALID', e.message.replace('The record', 'The statement'), { ...e.details, path }, { cause: e });
    }
    throw e;
  }
  const parsed = statement as unknown as Statement;
  checkTime(parsed.time, '/statement/time');
  return statementOf(parsed);
}

function invalid(path: string, why: string): CustodyError {
  return new CustodyError('SCHEMA_INVALID', `The statement file ${path === '/' ? '' : `${path} `}${why}.`, { path });
}
