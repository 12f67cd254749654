// safe-text.ts: which characters are made visible and how, that JSON keeps its values, and that no
// module of the CLI writes to stdout or stderr around it (the boundary cannot be bypassed by accident).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { escapeForTerminal, escapeJsonText, printJson, printLine } from '../src/safe-text.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every character the module must make visible (the set schemas/defs.schema.json refuses in text, but "\n"). */
const UNSAFE: string[] = [];
for (let c = 0x00; c <= 0x1f; c++) if (c !== 0x0a) UNSAFE.push(String.fromCharCode(c));
for (let c = 0x7f; c <= 0x9f; c++) UNSAFE.push(String.fromCharCode(c));
for (const c of [0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff]) UNSAFE.push(String.fromCharCode(c));
const UNSAFE_SET = new Set(UNSAFE);

/** Neighbours of the set and ordinary text, which must pass through unchanged. */
const SAFE = ['\n', ' ', '~', '\u00a0', '\u00e9', '\u061b', '\u061d', '\u200b', '\u200d', '\u2027', '\u202f', '\u2065', '\u206a', '\ufefe', '\u{1f600}', 'Barang bukti — Budi Santoso, AKP', 'C:\\bukti\\x1B'];

test('escapeForTerminal writes C0 and DEL as \\xHH and C1, bidi and separators as \\uHHHH', () => {
  assert.is(escapeForTerminal('\u001b[2J\u001b[H INTACT'), '\\x1B[2J\\x1B[H INTACT');
  assert.is(escapeForTerminal('\u0007\r\u0000\u007f'), '\\x07\\x0D\\x00\\x7F');
  assert.is(escapeForTerminal('\u009b2J'), '\\u009B2J');
  assert.is(escapeForTerminal('ab\u202edc'), 'ab\\u202Edc');
  assert.is(escapeForTerminal('\u2066x\u2069\u061c\u200e\u200f\u2028\u2029\ufeff'), '\\u2066x\\u2069\\u061C\\u200E\\u200F\\u2028\\u2029\\uFEFF');
});

test('escapeForTerminal leaves no character of the set and changes nothing else', () => {
  for (const c of UNSAFE) {
    const out = escapeForTerminal(`a${c}b`);
    assert.ok(/^a\\(x[0-9A-F]{2}|u[0-9A-F]{4})b$/.test(out), `U+${c.charCodeAt(0).toString(16)}: ${out}`);
  }
  for (let c = 0; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    const out = escapeForTerminal(ch);
    if (UNSAFE_SET.has(ch)) assert.ok([...out].every((x) => !UNSAFE_SET.has(x)), `U+${c.toString(16)} escaped`);
    else assert.is(out, ch, `U+${c.toString(16)} unchanged`);
  }
  for (const s of SAFE) assert.is(escapeForTerminal(s), s);
});

test('tabs are escaped unless the output is tab-separated', () => {
  assert.is(escapeForTerminal('#1\tBB-1'), '#1\\x09BB-1');
  assert.is(escapeForTerminal('#1\tBB-1\n#2\t\u001b', { keepTabs: true }), '#1\tBB-1\n#2\t\\x1B');
});

test('escapeJsonText keeps JSON valid and every value the same, with none of the characters raw', () => {
  const all = `${UNSAFE.join('')}\n\t Ponsel \u202egnp.exe \u{1f600}`;
  const values: unknown[] = [all, { [all]: [all, 1, null, true] }, ['\u009b2J', '\u2028', '\u2029'], 'plain'];
  for (const value of values) {
    for (const json of [JSON.stringify(value), JSON.stringify(value, null, '\t'), JSON.stringify(value, null, 2)]) {
      const out = escapeJsonText(json);
      assert.equal(JSON.parse(out), value);
      assert.ok([...out].every((x) => !UNSAFE_SET.has(x) || x === '\t'), out);
    }
  }
  assert.is(escapeJsonText(JSON.stringify('a\u202eb\u009b\u007f')), '"a\\u202eb\\u009b\\u007f"');
  assert.is(escapeJsonText('{"a":\t1}\n'), '{"a":\t1}\n', 'JSON whitespace between tokens stays');
  assert.is(escapeJsonText('not json \u001b'), 'not json \\u001b', 'even text that is not JSON stays inert');
});

test('a string of anything else is a TypeError naming the parameter', () => {
  assert.throws(() => escapeForTerminal(42 as unknown as string), (e: unknown) => e instanceof TypeError && /text/.test((e as Error).message));
  assert.throws(() => escapeJsonText(null as unknown as string), (e: unknown) => e instanceof TypeError && /json/.test((e as Error).message));
});

test('printLine and printJson write one escaped line to a stream', () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
  printLine(stream, 'a\u001b[2Jb\tc');
  printLine(stream, 'a\tb', { keepTabs: true });
  printJson(stream, { description: '\u202eINTACT\u009b' });
  assert.equal(chunks, ['a\\x1B[2Jb\\x09c\n', 'a\tb\n', '{"description":"\\u202eINTACT\\u009b"}\n']);
  assert.equal(JSON.parse(chunks[2]!), { description: '\u202eINTACT\u009b' });
});

/** The only modules allowed to write to a stream without safe-text.ts, and why. */
const RAW_WRITERS: Record<string, string> = {
  'cli/src/safe-text.ts': 'the boundary itself',
  'cli/src/terminal.ts': 'the passphrase prompt and progress bars draw with our own ANSI sequences on the terminal',
  'cli/src/commands/queries.ts': '`custody export` writes the byte-exact JSON Lines archive',
};

test('no module of the CLI writes to stdout or stderr except through safe-text.ts', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'verifier') walk(path); // the verifier page runs in a browser, where there is no terminal
      } else if (name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'cli', 'src'));
  assert.ok(files.length > 10, 'found the sources');
  const writers = files
    .filter((f) => /\.write\(|console\.|process\.(stdout|stderr)\.write/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f).split('\\').join('/'))
    .sort();
  assert.equal(writers, Object.keys(RAW_WRITERS).sort(), 'write through printLine, printJson or ctx.note');
  const queries = readFileSync(join(ROOT, 'cli', 'src', 'commands', 'queries.ts'), 'utf8');
  assert.is(queries.match(/\.write\(/g)?.length, 1, 'queries.ts writes only the export archive raw');
});

test.run();
