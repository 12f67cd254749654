// The error-code table of packages/core/README.md must list every code of ErrorCodes, each once,
// nothing else, with the CLI exit status it maps to (STYLE.md: 1 not intact, 2 bad input, 3 could
// not run), so the documentation cannot drift from the closed list.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ErrorCodes } from '@custody/core';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

interface Row {
  readonly code: string;
  readonly when: string;
  readonly exit: string;
}

/** tableRows returns the rows of the README table whose header is `| code | when it happens | exit status |`. */
function tableRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\|\s*code\s*\|\s*when it happens\s*\|\s*exit status\s*\|$/.test(l));
  assert.ok(header >= 0, 'the README has the error-code table');
  assert.match(lines[header + 1]!, /^\|(\s*-+\s*\|){3}$/);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    assert.is(cells.length, 3, `three cells in: ${line}`);
    const code = /^`([A-Z0-9_]+)`$/.exec(cells[0]!);
    assert.ok(code, `a code in backquotes in: ${line}`);
    rows.push({ code: code![1]!, when: cells[1]!, exit: cells[2]! });
  }
  return rows;
}

/** Codes that only mean "the data is not intact" (exit 1) and never bad input. */
const NOT_INTACT = ['CHAIN_BROKEN', 'LOG_MISMATCH', 'SEQ_MISMATCH', 'PROOF_INVALID', 'CHECKPOINT_MISMATCH'];
/** Codes that only mean "could not run" (exit 3). */
const COULD_NOT_RUN = ['LEDGER_LOCKED', 'IO_ERROR', 'LEDGER_READ_ONLY'];
/** Codes that mean malformed input or bad usage (exit 2 when handed to a command). */
const BAD_INPUT = ['JSON_SYNTAX', 'HEX_INVALID', 'SCHEMA_INVALID', 'NOTE_MALFORMED', 'POLICY_MALFORMED', 'BUNDLE_MALFORMED', 'KEY_FILE_INVALID', 'PASSPHRASE_WRONG', 'FILE_NOT_FOUND', 'ITEM_UNKNOWN'];
/** Codes raised both when verifying (1) and when an append is refused (2). */
const REFUSED_APPENDS = ['SIGNATURE_INVALID', 'COSIGNATURE_MISSING', 'CUSTODY_RULE', 'ITEM_CHAIN_BROKEN', 'IDENTITY_UNKNOWN', 'KEY_NOT_VALID'];

test('the README table lists every error code exactly once, and no code that does not exist', () => {
  const codes = tableRows(readme).map((r) => r.code);
  const missing = ErrorCodes.filter((c) => !codes.includes(c));
  const unknown = codes.filter((c) => !(ErrorCodes as readonly string[]).includes(c));
  const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
  assert.equal(missing, [], `not in the README: ${missing.join(', ')}`);
  assert.equal(unknown, [], `in the README but not in ErrorCodes: ${unknown.join(', ')}`);
  assert.equal(twice, [], `listed twice: ${twice.join(', ')}`);
});

test('every row says when the code happens and gives exit statuses from 1 to 3 only', () => {
  for (const row of tableRows(readme)) {
    assert.ok(row.when.length >= 20, `${row.code}: say when it happens`);
    const statuses = [...row.exit.matchAll(/\b(\d)\b/g)].map((m) => Number(m[1]));
    assert.ok(statuses.length >= 1 && statuses.length <= 2, `${row.code}: one or two exit statuses, got "${row.exit}"`);
    for (const s of statuses) assert.ok(s >= 1 && s <= 3, `${row.code}: exit status ${s}`);
  }
});

test('the exit statuses follow STYLE.md: not intact 1, bad input 2, could not run 3, refused append 2', () => {
  const exit = new Map(tableRows(readme).map((r) => [r.code, r.exit]));
  const first = (code: string) => Number(/\d/.exec(exit.get(code) ?? '')?.[0]);
  for (const code of NOT_INTACT) assert.is(exit.get(code), '1', code);
  for (const code of COULD_NOT_RUN) assert.is(exit.get(code), '3', code);
  for (const code of BAD_INPUT) assert.is(first(code), 2, code);
  for (const code of REFUSED_APPENDS) assert.is(exit.get(code), '1; 2 when an append is refused', code);
});

test.run();
