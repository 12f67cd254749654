/**
 * Translation of SQLite's errors at the boundary (STYLE.md): what a user can act on becomes a
 * CustodyError with a code; anything else is an I/O error that says which file.
 */
import { CustodyError, isCustodyError } from '@custody/core';

/** translateSqliteError returns `e` as a CustodyError (unchanged if it already is one). */
export function translateSqliteError(e: unknown, path: string): unknown {
  if (isCustodyError(e) || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new CustodyError('LEDGER_LOCKED', `${path} is locked by another process; try again when it is done.`, { path }, { cause: e });
  }
  if (code === 'SQLITE_NOTADB') {
    return new CustodyError('LEDGER_NOT_A_LEDGER', `${path} is not a custody ledger (not a SQLite database).`, { path }, { cause: e });
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return new CustodyError('LEDGER_READ_ONLY', `${path} is read-only here; nothing was written.`, { path }, { cause: e });
  }
  if (code === 'SQLITE_CONSTRAINT_TRIGGER' || (code.startsWith('SQLITE_CONSTRAINT') && /append-only/.test(e.message))) {
    return new CustodyError('IO_ERROR', `${path}: ${e.message}.`, { path }, { cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_')) {
    return new CustodyError('IO_ERROR', `${path} cannot be opened (check the path and its permissions).`, { path }, { cause: e });
  }
  if (code === 'SQLITE_ERROR' && /no such (table|column)/.test(e.message)) {
    return new CustodyError('LEDGER_NOT_A_LEDGER', `${path} is damaged or not a custody ledger: ${e.message}.`, { path }, { cause: e });
  }
  if (/malformed database schema/.test(e.message)) {
    return new CustodyError('LEDGER_SCHEMA_TAMPERED', `${path} has been altered outside custody: SQLite cannot read its schema.`, { path, object: 'sqlite_schema' }, { cause: e });
  }
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_')) {
    return new CustodyError('LEDGER_NOT_A_LEDGER', `${path} is damaged: SQLite reports a corrupt database.`, { path }, { cause: e });
  }
  return new CustodyError('IO_ERROR', `${path}: ${e.message}`, { path, sqlite: code }, { cause: e });
}
