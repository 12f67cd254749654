/**
 * Schema checks of records against schemas/ (JSON Schema 2020-12), through validators compiled
 * ahead of time by scripts/gen-validators.mjs, so no schema compiler runs in Node or the browser.
 */
import { CustodyError } from './errors.js';
import { validateRecord } from './generated/validators.js';

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: null | Array<{ instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }>;
}

/**
 * checkSchema throws SCHEMA_INVALID, naming the JSON pointer of the first offending value, unless
 * `value` is valid under `validate`. `what` names the document in the message ("record", "bundle").
 */
export function checkSchema(validate: CompiledValidator, value: unknown, what: string): void {
  if (validate(value)) return;
  const error = validate.errors?.[0];
  const path = error?.instancePath || '/';
  let why = error?.message ?? 'is not valid';
  if (error?.keyword === 'additionalProperties') why = `has an unknown field "${String(error.params?.['additionalProperty'])}"`;
  throw new CustodyError('SCHEMA_INVALID', `The ${what} does not match its schema: ${path} ${why}.`, {
    path,
    keyword: error?.keyword ?? null,
  });
}

/** checkRecordSchema throws SCHEMA_INVALID unless `value` is a record of a known type with valid data. */
export function checkRecordSchema(value: unknown): void {
  checkSchema(validateRecord as CompiledValidator, value, 'record');
}
