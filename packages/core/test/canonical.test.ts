import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalBytes, canonicalize, checkWellFormed } from '../src/canonical.js';
import { isCustodyError } from '../src/errors.js';
import { parseCanonicalJson, parseJson } from '../src/json.js';
import { code } from './error-code.js';

const JCS = new URL('../../../test/vectors/jcs/', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, JCS), 'utf8');

type Verdict = 'ok' | 'JSON_NUMBER';

/**
 * What the strict parsers say about each RFC 8785 file: the protocol signs only integers, so inputs
 * that hold floats (56.0, 4.50, 1E30, …) are refused with JSON_NUMBER by parseJson, and so are
 * canonical outputs that still hold a non-integer (structures.json's 56.0 canonicalises to 56).
 */
const VERDICTS: Record<string, { input: Verdict; output: Verdict }> = {
  'arrays.json': { input: 'ok', output: 'ok' },
  'french.json': { input: 'ok', output: 'ok' },
  'structures.json': { input: 'JSON_NUMBER', output: 'ok' },
  'unicode.json': { input: 'ok', output: 'ok' },
  'values.json': { input: 'JSON_NUMBER', output: 'JSON_NUMBER' },
  'weird.json': { input: 'ok', output: 'ok' },
};

const vectors = suite('RFC 8785 test vectors (cyberphone/json-canonicalization)');

vectors('covers every input file, each with an output and an outhex file', () => {
  const inputs = readdirSync(new URL('input/', JCS)).sort();
  assert.equal(inputs, Object.keys(VERDICTS).sort());
  assert.equal(readdirSync(new URL('output/', JCS)).sort(), inputs);
  assert.equal(readdirSync(new URL('outhex/', JCS)).sort(), inputs.map((name) => name.replace(/\.json$/, '.txt')));
});

for (const [name, verdict] of Object.entries(VERDICTS)) {
  vectors(`canonicalises ${name} to exactly the published output and bytes`, () => {
    const input = read(`input/${name}`);
    const expected = read(`output/${name}`);
    const hex = read(`outhex/${name.replace(/\.json$/, '.txt')}`).trim().split(/\s+/).join('');
    const text = canonicalize(JSON.parse(input));
    assert.is(text, expected);
    assert.is(Buffer.from(canonicalBytes(JSON.parse(input))).toString('hex'), hex);
    assert.is(Buffer.from(text, 'utf8').toString('hex'), hex);
  });

  const accepts = (v: Verdict): string => (v === 'ok' ? 'accepts' : 'refuses with JSON_NUMBER');
  vectors(`${accepts(verdict.input)} ${name} in parseJson, and ${accepts(verdict.output)} its output in parseCanonicalJson`, () => {
    const input = read(`input/${name}`);
    const output = readFileSync(new URL(`output/${name}`, JCS));
    if (verdict.input === 'ok') assert.equal(parseJson(input), JSON.parse(input));
    else assert.is(code(() => parseJson(input)), 'JSON_NUMBER');
    if (verdict.output === 'ok') assert.equal(parseCanonicalJson(output), JSON.parse(output.toString('utf8')));
    else assert.is(code(() => parseCanonicalJson(output)), 'JSON_NUMBER');
    // The inputs are pretty-printed, so none is canonical as it stands.
    assert.ok(code(() => parseCanonicalJson(input)) !== undefined);
  });
}

vectors.run();

// ---------------------------------------------------------------------------------------------------
const numbers = suite('canonicalize numbers');

/** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical serialisation. */
const APPENDIX_B: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

const fromBits = (hex: string): number => new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0, false);

numbers('serialises every finite number of RFC 8785 Appendix B as published', () => {
  for (const [bits, expected] of APPENDIX_B) assert.is(canonicalize(fromBits(bits)), expected, bits);
});

numbers('serialises negative zero as 0, alone and inside structures', () => {
  assert.is(canonicalize(-0), '0');
  assert.is(canonicalize([-0, { a: -0 }]), '[0,{"a":0}]');
});

numbers('rejects NaN and the infinities with JSON_NUMBER', () => {
  for (const value of [Number.NaN, Infinity, -Infinity, fromBits('7fffffffffffffff'), fromBits('7ff0000000000000')]) {
    assert.is(code(() => canonicalize(value)), 'JSON_NUMBER', String(value));
    assert.is(code(() => canonicalize({ a: [value] })), 'JSON_NUMBER', String(value));
  }
});

numbers.run();

// ---------------------------------------------------------------------------------------------------
const strings = suite('canonicalize strings and members');

strings('sorts member names by UTF-16 code units, not by code points', () => {
  // By code point U+FB33 would come before U+1F600; by UTF-16 code unit 0xD83D comes before 0xFB33.
  const value = { '\ufb33': 3, '\ud83d\ude00': 2, '\u20ac': 1, '\u00f6': 0 };
  assert.is(canonicalize(value), '{"\u00f6":0,"\u20ac":1,"\ud83d\ude00":2,"\ufb33":3}');
  assert.is(canonicalize({ b: 1, a: 2, B: 3, '': 4, aa: 5 }), '{"":4,"B":3,"a":2,"aa":5,"b":1}');
  assert.is(canonicalize({ 10: 'x', 9: 'y', 1: 'z' }), '{"1":"z","10":"x","9":"y"}');
});

strings('escapes strings as RFC 8785 §3.2.2.2 prescribes', () => {
  assert.is(canonicalize('\u0000\u0008\t\n\u000b\f\r\u001f "\\/\u007f\u2028'), '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/\u007f\u2028"');
  assert.is(canonicalize('😀é'), '"😀é"');
});

strings('rejects lone surrogates in values and in member names', () => {
  for (const s of ['\ud800', '\udc00', 'a\udc00\ud800b', '\ud83d', 'x\ude00']) {
    assert.is(code(() => canonicalize(s)), 'JSON_LONE_SURROGATE', JSON.stringify(s));
    assert.is(code(() => canonicalize({ [s]: 1 })), 'JSON_LONE_SURROGATE', JSON.stringify(s));
    assert.is(code(() => canonicalize([{ a: s }])), 'JSON_LONE_SURROGATE', JSON.stringify(s));
    assert.is(code(() => checkWellFormed(s)), 'JSON_LONE_SURROGATE', JSON.stringify(s));
  }
  assert.is(code(() => checkWellFormed('a😀\u{10ffff}')), undefined);
});

strings('leaves out members whose value is undefined and refuses values with no JSON form', () => {
  assert.is(canonicalize({ a: undefined, b: 1 }), '{"b":1}');
  assert.throws(() => canonicalize(new Uint8Array(2)), (e: unknown) => e instanceof TypeError);
  assert.throws(() => canonicalize(() => 1), (e: unknown) => e instanceof TypeError);
  assert.throws(() => canonicalize(1n), (e: unknown) => e instanceof TypeError);
  assert.throws(() => canonicalize(undefined), (e: unknown) => e instanceof TypeError);
});

strings('returns the UTF-8 bytes of the canonical text from canonicalBytes', () => {
  assert.equal(canonicalBytes({ b: 'é', a: [1] }), new TextEncoder().encode('{"a":[1],"b":"é"}'));
});

strings('escapes every UTF-16 code unit as JSON.stringify does, alone and inside text, and refuses lone surrogates', () => {
  for (let unit = 0; unit <= 0xffff; unit++) {
    const c = String.fromCharCode(unit);
    for (const s of [c, `a${c}b`]) {
      if (unit >= 0xd800 && unit <= 0xdfff) assert.is(code(() => canonicalize(s)), 'JSON_LONE_SURROGATE');
      else assert.is(canonicalize(s), JSON.stringify(s), `U+${unit.toString(16)}`);
    }
  }
  assert.is(canonicalize('\ud83d\ude00 "q" \\ \n'), JSON.stringify('\ud83d\ude00 "q" \\ \n'));
});

strings.run();
