import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalize, type JsonValue } from '../src/canonical.js';
import { isCustodyError } from '../src/errors.js';
import { DEFAULT_JSON_LIMITS, parseCanonicalJson, parseJson } from '../src/json.js';
import { mulberry32 } from './prng.js';

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);

/** failure returns the CustodyError code and details `fn` throws, or undefined if it returns. */
function failure(fn: () => unknown): { code: string; details: Record<string, unknown> } | undefined {
  try {
    fn();
  } catch (e) {
    if (isCustodyError(e)) return { code: e.code, details: { ...e.details } };
    return { code: `not a CustodyError: ${String(e)}`, details: {} };
  }
  return undefined;
}

const code = (fn: () => unknown): string | undefined => failure(fn)?.code;

// ---------------------------------------------------------------------------------------------------
const grammar = suite('parseJson grammar');

grammar('accepts every kind of RFC 8259 value, at the top level and nested', () => {
  assert.equal(parseJson('null'), null);
  assert.equal(parseJson('true'), true);
  assert.equal(parseJson('false'), false);
  assert.equal(parseJson('0'), 0);
  assert.equal(parseJson('-17'), -17);
  assert.equal(parseJson('"text"'), 'text');
  assert.equal(parseJson('[]'), []);
  assert.equal(parseJson('{}'), {});
  assert.equal(parseJson('{"a":[1,{"b":null,"c":[true,false]}],"d":"e"}'), {
    a: [1, { b: null, c: [true, false] }],
    d: 'e',
  });
});

grammar('accepts the four JSON whitespace characters around every token', () => {
  assert.equal(parseJson(' \t\n\r{ "a" :\t[ 1 ,\n2 ] ,\r"b" : { } }\n'), { a: [1, 2], b: {} });
  assert.equal(parseJson('[ ]'), []);
  assert.equal(parseJson('{\n}'), {});
});

grammar('rejects whitespace outside the JSON set, such as NBSP, line separator, form feed and vertical tab', () => {
  for (const ws of ['\u00a0', '\u2028', '\u2029', '\f', '\v', '\u3000']) {
    assert.is(code(() => parseJson(`[1,${ws}2]`)), 'JSON_SYNTAX', JSON.stringify(ws));
    assert.is(code(() => parseJson(`${ws}1`)), 'JSON_SYNTAX', JSON.stringify(ws));
  }
});

grammar('rejects comments, trailing commas, single quotes, bare words and missing punctuation', () => {
  const bad = [
    '/* c */ 1', '1 // c', '[1,]', '{"a":1,}', '[,1]', '[1,,2]', "'a'", "{'a':1}", '{a:1}', '{"a" 1}',
    '{"a":}', '{"a"}', '{,}', '[1 2]', '{"a":1 "b":2}', 'NaN', 'Infinity', '-Infinity', 'undefined',
    'True', 'nul', 'tru', 'falsey', '[', ']', '{', '}', '{"a":1', '[1', '"abc', ':', '',
  ];
  for (const text of bad) assert.is(code(() => parseJson(text)), 'JSON_SYNTAX', text);
});

grammar('rejects numbers outside the RFC 8259 grammar as syntax errors', () => {
  for (const text of ['01', '-01', '00', '+1', '.5', '1.', '-', '1e', '1e+', '1.e2', '0x10', '- 1', '1_000']) {
    assert.is(code(() => parseJson(text)), 'JSON_SYNTAX', text);
  }
});

grammar('rejects trailing garbage after the value', () => {
  for (const text of ['{} {}', '1 2', 'null x', '"a""b"', '[1]]', '{"a":1}}', 'true false', '0 ,']) {
    assert.is(code(() => parseJson(text)), 'JSON_SYNTAX', text);
  }
});

grammar('reports the offset of a syntax error, in bytes for byte input and in code units for a string', () => {
  assert.equal(failure(() => parseJson('[1,]'))?.details.offset, 3);
  assert.equal(failure(() => parseJson('["é",]'))?.details.offset, 5);
  assert.equal(failure(() => parseJson(bytes('["é",]')))?.details.offset, 6);
  assert.equal(failure(() => parseJson('"abc'))?.details.offset, 4);
  assert.equal(failure(() => parseJson('[01]')), { code: 'JSON_SYNTAX', details: { offset: 2 } });
  assert.equal(failure(() => parseJson('-01')), { code: 'JSON_SYNTAX', details: { offset: 2 } });
});

grammar('rejects a byte order mark, as string or bytes', () => {
  assert.equal(failure(() => parseJson('\ufeff{}')), { code: 'JSON_SYNTAX', details: { offset: 0 } });
  assert.equal(failure(() => parseJson(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))), {
    code: 'JSON_SYNTAX',
    details: { offset: 0 },
  });
});

grammar('rejects invalid UTF-8 byte input with the offset of the bad sequence', () => {
  const cases: Array<[number[], number]> = [
    [[0x22, 0x80, 0x22], 1], // lone continuation byte
    [[0x22, 0xc0, 0xaf, 0x22], 1], // overlong "/"
    [[0x22, 0xe0, 0x80, 0xaf, 0x22], 1], // overlong three-byte form
    [[0x22, 0xed, 0xa0, 0x80, 0x22], 1], // UTF-8 encoded surrogate U+D800
    [[0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], 1], // above U+10FFFF
    [[0x22, 0xc3, 0xa9, 0xe2, 0x82, 0x22], 3], // truncated three-byte sequence after a valid "é"
    [[0x22, 0xff, 0x22], 1],
    [[0x5b, 0x31, 0x5d, 0xfe], 3],
  ];
  for (const [input, offset] of cases) {
    assert.equal(failure(() => parseJson(Uint8Array.from(input))), { code: 'JSON_SYNTAX', details: { offset } }, String(input));
  }
  assert.equal(parseJson(Uint8Array.from([0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22])), '😀');
});

grammar('rejects input that is neither a string nor bytes, and limits that are not non-negative integers', () => {
  assert.throws(() => parseJson(42 as unknown as string), (e: unknown) => e instanceof TypeError);
  assert.throws(() => parseJson('1', { maxDepth: -1 }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => parseJson('1', { maxDepth: 1.5 }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => parseJson('1', { maxBytes: Number.NaN }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => parseCanonicalJson('1', { maxBytes: -1 }), (e: unknown) => e instanceof RangeError);
});

grammar.run();

// ---------------------------------------------------------------------------------------------------
const strings = suite('parseJson strings');

strings('decodes every escape sequence, with upper- or lower-case hex', () => {
  assert.is(parseJson('"\\" \\\\ \\/ \\b \\f \\n \\r \\t"'), '" \\ / \b \f \n \r \t');
  assert.is(parseJson('"\\u0000\\u001F\\u00e9\\u20AC"'), '\u0000\u001f\u00e9\u20ac');
});

strings('rejects unknown escapes and short \\u escapes', () => {
  for (const text of ['"\\x41"', '"\\a"', '"\\U0041"', '"\\u41"', '"\\u00g1"', '"\\', '"\\u00"', '"\\\'"']) {
    assert.is(code(() => parseJson(text)), 'JSON_SYNTAX', text);
  }
});

strings('rejects every raw control character in a string and accepts DEL', () => {
  for (let c = 0; c < 0x20; c++) {
    assert.equal(failure(() => parseJson(`"a${String.fromCharCode(c)}"`)), { code: 'JSON_SYNTAX', details: { offset: 2 } }, `U+${c}`);
  }
  assert.is(parseJson('"\u007f"'), '\u007f');
});

strings('rejects escaped lone surrogates', () => {
  const cases: Array<[string, number]> = [
    ['"\\ud800"', 1],
    ['"\\udc00\\ud800"', 1],
    ['"\\udc00\\udc00"', 1],
    ['"ab\\udfff"', 3],
    ['"\\ud800x"', 1],
    ['"\\ud800\\u0041"', 1],
    ['"\\ud800\\ud800"', 1],
    ['"\\ud83d\\n"', 1],
    ['{"\\ud800":1}', 2],
  ];
  for (const [text, offset] of cases) {
    assert.equal(failure(() => parseJson(text)), { code: 'JSON_LONE_SURROGATE', details: { offset } }, text);
  }
});

strings('rejects raw lone surrogates in string input, and an escaped high half before a raw low half', () => {
  assert.is(code(() => parseJson('"\ud800"')), 'JSON_LONE_SURROGATE');
  assert.is(code(() => parseJson('"\udc00"')), 'JSON_LONE_SURROGATE');
  assert.is(code(() => parseJson('"\ude00\ud83d"')), 'JSON_LONE_SURROGATE');
  assert.is(code(() => parseJson('"x\ud800')), 'JSON_LONE_SURROGATE');
  assert.is(code(() => parseJson('"\\ud83d\ude00"')), 'JSON_LONE_SURROGATE');
});

strings('accepts surrogate pairs, escaped or raw', () => {
  assert.is(parseJson('"\\ud83d\\ude00"'), '😀');
  assert.is(parseJson('"\\uD83D\\uDE00"'), '😀');
  assert.is(parseJson('"😀"'), '😀');
  assert.is(parseJson(bytes('"a😀b"')), 'a😀b');
  assert.equal(parseJson('{"\\udbff\\udfff":"\\ud800\\udc00"}'), { '\u{10ffff}': '\u{10000}' });
});

strings.run();

// ---------------------------------------------------------------------------------------------------
const numbers = suite('parseJson numbers');

numbers('accepts integers up to ±(2^53−1)', () => {
  assert.is(parseJson('9007199254740991'), 9007199254740991);
  assert.is(parseJson('-9007199254740991'), -9007199254740991);
  assert.is(parseJson('0'), 0);
  assert.ok(Object.is(parseJson('0'), 0));
  assert.equal(parseJson('[1234567890,-1]'), [1234567890, -1]);
});

numbers('rejects fractions, exponents, negative zero and integers beyond ±(2^53−1)', () => {
  const bad = [
    '1.0', '1.5', '0.0', '-0.0', '1e2', '1E2', '1e+2', '1e-2', '0e0', '-0', '9007199254740992', '-9007199254740992',
    '9007199254740993', '18014398509481984', '123456789012345678901234567890', '100000000000000000000000',
  ];
  for (const text of bad) {
    assert.equal(failure(() => parseJson(text)), { code: 'JSON_NUMBER', details: { offset: 0 } }, text);
    assert.equal(failure(() => parseJson(`{"n":[${text}]}`)), { code: 'JSON_NUMBER', details: { offset: 6 } }, text);
  }
});

numbers.run();

// ---------------------------------------------------------------------------------------------------
const objects = suite('parseJson objects');

objects('rejects a duplicate key with the key and its JSON pointer', () => {
  assert.equal(failure(() => parseJson('{"a":1,"a":2}')), {
    code: 'JSON_DUPLICATE_KEY',
    details: { offset: 7, key: 'a', path: '/a' },
  });
  assert.equal(failure(() => parseJson('{"x":[0,{"y":{"b":1,"c":2,"b":3}}]}')), {
    code: 'JSON_DUPLICATE_KEY',
    details: { offset: 26, key: 'b', path: '/x/1/y/b' },
  });
  assert.equal(failure(() => parseJson('{"a/b":{"~":{},"~":{}}}')), {
    code: 'JSON_DUPLICATE_KEY',
    details: { offset: 15, key: '~', path: '/a~1b/~0' },
  });
});

objects('treats keys that are equal after unescaping as duplicates', () => {
  assert.is(code(() => parseJson('{"a":1,"\\u0061":2}')), 'JSON_DUPLICATE_KEY');
  assert.is(code(() => parseJson('{"😀":1,"\\ud83d\\ude00":2}')), 'JSON_DUPLICATE_KEY');
  assert.is(code(() => parseJson('{"__proto__":1,"__proto__":2}')), 'JSON_DUPLICATE_KEY');
});

objects('accepts the same key in different objects', () => {
  assert.equal(parseJson('[{"a":1},{"a":2,"b":{"a":3}}]'), [{ a: 1 }, { a: 2, b: { a: 3 } }]);
});

objects('keeps a "__proto__" key as an ordinary own member and never changes a prototype', () => {
  const value = parseJson('{"__proto__":{"polluted":true},"a":{"__proto__":[1]}}') as Record<string, any>;
  assert.is(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(Object.keys(value), ['__proto__', 'a']);
  assert.ok(Object.hasOwn(value, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(value, '__proto__')?.value, { polluted: true });
  assert.is(value['polluted'], undefined);
  assert.is(Object.getPrototypeOf(value['a']), Object.prototype);
  assert.ok(Array.isArray(Object.getOwnPropertyDescriptor(value['a'], '__proto__')?.value));
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
  assert.is(canonicalize(value), '{"__proto__":{"polluted":true},"a":{"__proto__":[1]}}');
});

objects('returns plain objects whose members are writable, enumerable own properties', () => {
  const value = parseJson('{"constructor":1,"hasOwnProperty":2,"toString":3}') as Record<string, unknown>;
  assert.is(Object.getPrototypeOf(value), Object.prototype);
  assert.equal({ ...value }, { constructor: 1, hasOwnProperty: 2, toString: 3 });
  assert.equal(Object.getOwnPropertyDescriptor(value, 'toString'), {
    value: 3,
    writable: true,
    enumerable: true,
    configurable: true,
  });
});

objects.run();

// ---------------------------------------------------------------------------------------------------
const limits = suite('parseJson limits');

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

limits('uses 16 MiB and 64 levels by default', () => {
  assert.equal(DEFAULT_JSON_LIMITS, { maxBytes: 16 * 1024 * 1024, maxDepth: 64 });
  assert.ok(Object.isFrozen(DEFAULT_JSON_LIMITS));
});

limits('accepts nesting 64 deep and rejects 65 by default, for arrays and objects', () => {
  assert.not.throws(() => parseJson(nested(64)));
  assert.not.throws(() => parseJson(nestedObjects(64)));
  assert.equal(failure(() => parseJson(nested(65))), { code: 'JSON_TOO_DEEP', details: { offset: 64, maxDepth: 64 } });
  assert.is(code(() => parseJson(nestedObjects(65))), 'JSON_TOO_DEEP');
  assert.is(code(() => parseJson('[1,' + nested(64) + ']')), 'JSON_TOO_DEEP');
});

limits('applies a stated depth, where 0 allows only scalars', () => {
  assert.is(parseJson('7', { maxDepth: 0 }), 7);
  assert.is(code(() => parseJson('[]', { maxDepth: 0 })), 'JSON_TOO_DEEP');
  assert.not.throws(() => parseJson(nested(3), { maxDepth: 3 }));
  assert.is(code(() => parseJson(nested(4), { maxDepth: 3 })), 'JSON_TOO_DEEP');
});

limits('rejects a 100,000-deep unclosed array with JSON_TOO_DEEP, not a stack overflow', () => {
  assert.is(code(() => parseJson('['.repeat(100_000))), 'JSON_TOO_DEEP');
  assert.is(code(() => parseJson('{"a":'.repeat(100_000))), 'JSON_TOO_DEEP');
  assert.is(code(() => parseCanonicalJson('['.repeat(100_000))), 'JSON_TOO_DEEP');
});

limits('parses a million-deep array without overflowing the stack when the depth limit allows it', () => {
  const depth = 1_000_000;
  let value = parseJson(nested(depth), { maxDepth: depth });
  let levels = 0;
  while (Array.isArray(value)) {
    levels++;
    value = value[0] as JsonValue;
  }
  assert.is(levels, depth);
  assert.is(code(() => parseJson(nested(depth), { maxDepth: depth - 1 })), 'JSON_TOO_DEEP');
});

limits('rejects input over the size limit by its UTF-8 length, before parsing', () => {
  assert.is(parseJson('"abcdefgh"', { maxBytes: 10 }), 'abcdefgh');
  assert.equal(failure(() => parseJson('"abcdefghi"', { maxBytes: 10 })), {
    code: 'JSON_TOO_LARGE',
    details: { sizeBytes: 11, maxBytes: 10 },
  });
  // Three UTF-16 code units, four UTF-8 bytes.
  assert.is(parseJson('"é"', { maxBytes: 4 }), 'é');
  assert.equal(failure(() => parseJson('"é"', { maxBytes: 3 }))?.details, { sizeBytes: 4, maxBytes: 3 });
  assert.equal(failure(() => parseJson('"😀"', { maxBytes: 5 }))?.details, { sizeBytes: 6, maxBytes: 5 });
  // The size is checked before anything else: invalid content over the limit is still JSON_TOO_LARGE.
  assert.is(code(() => parseJson('{{{{{{', { maxBytes: 5 })), 'JSON_TOO_LARGE');
  assert.is(code(() => parseJson(new Uint8Array([0xff, 0xff, 0xff]), { maxBytes: 2 })), 'JSON_TOO_LARGE');
  assert.is(code(() => parseCanonicalJson('[1.5,"\\ud800"]', { maxBytes: 5 })), 'JSON_TOO_LARGE');
});

limits('rejects input one byte over the default 16 MiB limit', () => {
  const max = DEFAULT_JSON_LIMITS.maxBytes;
  const big = '"' + 'a'.repeat(max - 2) + '"';
  assert.is((parseJson(big) as string).length, max - 2);
  assert.is(code(() => parseJson(big + ' ')), 'JSON_TOO_LARGE');
  assert.is(code(() => parseJson(new Uint8Array(max + 1).fill(0x20))), 'JSON_TOO_LARGE');
  assert.is(code(() => parseCanonicalJson(big + ' ')), 'JSON_TOO_LARGE');
});

limits.run();

// ---------------------------------------------------------------------------------------------------
const canonical = suite('parseCanonicalJson');

// Leaf bytes of records 0, 3 and 4 of the protocol's worked examples (shared/vectors/custody/protocol-v1.json).
const LEAVES = [
  '{"actor":"ledger","data":{"agency":"Polri","key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=","name":"Contoh"},"item":null,"itemPrev":null,"log":"ledger.example.polri.go.id/2026","prev":"0000000000000000000000000000000000000000000000000000000000000000","seq":0,"sig":"QOKypTr0CO7xwd9puyIsvj4DlXX4aq9hwfMvkdzmQwO7IZplTKfPAhoYdLk51CoxCFEFUW7GTFnJB2QJz5lJAw==","time":"2026-11-28T01:00:00.000Z","type":"ledger.genesis","v":1,"zone":"Asia/Jakarta"}',
  '{"actor":"budi","data":{"description":"Ponsel, layar retak","digests":{"sha256":"af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf"},"kind":"phone","size":6},"item":"BB-2026-0001","itemPrev":null,"log":"ledger.example.polri.go.id/2026","prev":"3f3c7f299b5fc58c8f1986a43e2626e1f73bde8d2951c9b1a86b35c99f3b4627","seq":3,"sig":"gZqb2u5cAtz63NezswO0n5lsR0fiurEpatICrjOfgnSQRpdoZsraAn9FgZLOt5sQSZ3b/SxMm9+BEhGZD8lXBQ==","time":"2026-11-28T02:00:00.000Z","type":"item.register","v":1,"zone":"Asia/Jakarta"}',
  '{"actor":"budi","cosigs":[{"id":"fbi.doe","sig":"IGpj308U+9oxgM+Y+nhcxCmknTw0RFKAGOW118uaIZZxYF6g+ig7K8X6xRWytVJVYkj/rjHglGRGmAPzqwTwAw=="}],"data":{"from":"budi","purpose":"MLA","to":"fbi.doe"},"item":"BB-2026-0001","itemPrev":"45af7d36a49c399707405f848f8e72d28ab3cde3beb21067fa5503e2f51f0a00","log":"ledger.example.polri.go.id/2026","prev":"45af7d36a49c399707405f848f8e72d28ab3cde3beb21067fa5503e2f51f0a00","seq":4,"sig":"Sh/RithCw78Ruy6vaY3PZTiulSwQbBod9XsEmcjI7joNL9defvNQfqusDWmCnOmXNM2ZrwaNYJ9BdA76zSdMAA==","time":"2026-11-28T03:00:00.000Z","type":"custody.transfer","v":1,"zone":"Asia/Jakarta"}',
];

canonical('accepts the leaf bytes of the protocol worked examples, as bytes and as text', () => {
  for (const leaf of LEAVES) {
    assert.equal(parseCanonicalJson(bytes(leaf)), JSON.parse(leaf));
    assert.equal(parseCanonicalJson(leaf), JSON.parse(leaf));
  }
});

canonical('rejects a leaf with one member moved, one space added or one number written as a float', () => {
  const leaf = LEAVES[1]!;
  assert.is(code(() => parseCanonicalJson(leaf.replace('"actor":"budi",', '').replace('"v":1', '"actor":"budi","v":1'))), 'JSON_NOT_CANONICAL');
  assert.is(code(() => parseCanonicalJson(leaf.replace('"seq":3', '"seq": 3'))), 'JSON_NOT_CANONICAL');
  assert.is(code(() => parseCanonicalJson(leaf.replace('"seq":3', '"seq":3.0'))), 'JSON_NUMBER');
  assert.is(code(() => parseCanonicalJson(leaf.replace('"seq":3', '"seq":3,"seq":3'))), 'JSON_DUPLICATE_KEY');
});

canonical('accepts canonical scalars, empty containers and escaped control characters', () => {
  for (const text of ['null', 'true', '0', '-5', '9007199254740991', '""', '[]', '{}', '"\\u001f\\n\\"\\\\"', '"\u007f😀"']) {
    assert.equal(parseCanonicalJson(text), JSON.parse(text), text);
  }
});

canonical('rejects valid JSON with other whitespace, member order or escaping as JSON_NOT_CANONICAL', () => {
  const cases: Array<[string, number]> = [
    [' {}', 0],
    ['{} ', 2],
    ['{}\n', 2],
    ['{"a":1, "b":2}', 7],
    ['{"b":1,"a":2}', 2],
    ['{"a":{"d":1,"c":2}}', 7],
    ['"\\u0041"', 1],
    ['"\\/"', 1],
    ['"\\u00e9"', 1],
    ['"\\u001F"', 6],
    ['"\\u000a"', 2],
    ['"\\ud83d\\ude00"', 1],
  ];
  for (const [text, offset] of cases) {
    assert.equal(parseJson(text), JSON.parse(text), text);
    assert.equal(failure(() => parseCanonicalJson(text)), { code: 'JSON_NOT_CANONICAL', details: { offset } }, text);
  }
  // JSON.stringify writes U+2028 raw, so its escaped form is not canonical.
  assert.is(code(() => parseCanonicalJson('"\\u2028"')), 'JSON_NOT_CANONICAL');
});

canonical('accepts integer-like keys in code-unit order, which JavaScript enumerates differently', () => {
  // JavaScript lists "9" before "10"; RFC 8785 sorts "10" before "9". The answer must follow RFC 8785.
  assert.equal(parseCanonicalJson('{"10":1,"9":2,"a":3}'), { 10: 1, 9: 2, a: 3 });
  assert.equal(parseCanonicalJson(bytes('[{"1":0,"10":0,"2":0}]')), [{ 1: 0, 10: 0, 2: 0 }]);
  assert.is(code(() => parseCanonicalJson('{"9":2,"10":1}')), 'JSON_NOT_CANONICAL');
  assert.is(code(() => parseCanonicalJson('{"a":1,"1":2}')), 'JSON_NOT_CANONICAL');
});

canonical('accepts strings whose canonical form is raw or that merely look like a surrogate escape', () => {
  assert.is(parseCanonicalJson('"\u2028\u2029\u007f"'), '\u2028\u2029\u007f');
  assert.is(parseCanonicalJson('"\\\\ud800"'), '\\ud800');
  assert.equal(parseCanonicalJson('{"\\\\udfff":"\\\\udbff"}'), { '\\udfff': '\\udbff' });
});

canonical('reports the offset of the first difference in bytes for byte input', () => {
  assert.equal(failure(() => parseCanonicalJson('["é", 1]'))?.details, { offset: 5 });
  assert.equal(failure(() => parseCanonicalJson(bytes('["é", 1]')))?.details, { offset: 6 });
});

canonical('reports the precise code for input the strict parser rejects', () => {
  const cases: Array<[string, string]> = [
    ['{"a":1,"a":1}', 'JSON_DUPLICATE_KEY'],
    ['{"a":1,"a":2}', 'JSON_DUPLICATE_KEY'],
    ['["\\ud800"]', 'JSON_LONE_SURROGATE'],
    ['["\ud800"]', 'JSON_LONE_SURROGATE'],
    ['1.0', 'JSON_NUMBER'],
    ['1.5', 'JSON_NUMBER'],
    ['1e+21', 'JSON_NUMBER'],
    ['-0', 'JSON_NUMBER'],
    ['9007199254740992', 'JSON_NUMBER'],
    ['[9007199254740993]', 'JSON_NUMBER'],
    ['[1,]', 'JSON_SYNTAX'],
    ['', 'JSON_SYNTAX'],
    ['\ufeff{}', 'JSON_SYNTAX'],
    [nested(65), 'JSON_TOO_DEEP'],
  ];
  for (const [text, expected] of cases) assert.is(code(() => parseCanonicalJson(text)), expected, text);
  assert.is(code(() => parseCanonicalJson(new Uint8Array([0x22, 0xc3, 0x28, 0x22]))), 'JSON_SYNTAX');
  assert.is(code(() => parseCanonicalJson(nested(3), { maxDepth: 2 })), 'JSON_TOO_DEEP');
  assert.not.throws(() => parseCanonicalJson(nested(64)));
});

canonical('keeps a "__proto__" member as an own property on the fast path too', () => {
  const value = parseCanonicalJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
  assert.is(Object.getPrototypeOf(value), Object.prototype);
  assert.ok(Object.hasOwn(value, '__proto__'));
  assert.is(value['polluted'], undefined);
});

canonical.run();

// ---------------------------------------------------------------------------------------------------
const generated = suite('generated values');

const ALPHABET = ['a', 'b', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\ufeff', '😀', '\u{10ffff}', '~'];

function randomString(next: () => number, maxLength: number): string {
  let s = '';
  const length = Math.floor(next() * (maxLength + 1));
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
  return s;
}

function randomInteger(next: () => number): number {
  const pick = next();
  if (pick < 0.1) return Number.MAX_SAFE_INTEGER * (next() < 0.5 ? 1 : -1);
  if (pick < 0.5) return Math.floor(next() * 200) - 100;
  return Math.floor((next() * 2 - 1) * Number.MAX_SAFE_INTEGER);
}

function randomValue(next: () => number, depth: number): JsonValue {
  const kind = Math.floor(next() * (depth > 0 ? 7 : 5));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
    case 3:
      return randomInteger(next);
    case 4:
      return randomString(next, 8);
    case 5:
      return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth - 1));
    default: {
      const object: Record<string, JsonValue> = {};
      const size = Math.floor(next() * 6);
      for (let i = 0; i < size; i++) object[randomString(next, 4)] = randomValue(next, depth - 1);
      return object;
    }
  }
}

/** writeLoosely serialises `value` as valid, usually non-canonical JSON: random whitespace, member order and escapes. */
function writeLoosely(value: JsonValue, next: () => number): string {
  const ws = (): string => (next() < 0.15 ? [' ', '\n', '\t', '\r', '  '][Math.floor(next() * 5)]! : '');
  const str = (s: string): string => {
    let out = '"';
    for (const ch of s) {
      if (next() < 0.2) {
        for (let i = 0; i < ch.length; i++) {
          const hex = ch.charCodeAt(i).toString(16).padStart(4, '0');
          out += '\\u' + (next() < 0.5 ? hex : hex.toUpperCase());
        }
      } else {
        out += ch === '/' && next() < 0.5 ? '\\/' : JSON.stringify(ch).slice(1, -1);
      }
    }
    return out + '"';
  };
  const write = (v: JsonValue): string => {
    if (typeof v === 'string') return str(v);
    if (v === null || typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return '[' + ws() + v.map((m) => ws() + write(m) + ws()).join(',') + ws() + ']';
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return '{' + ws() + keys.map((k) => ws() + str(k) + ws() + ':' + ws() + write(v[k]!) + ws()).join(',') + '}';
  };
  return ws() + write(value) + ws();
}

generated('parses the canonical form of 3,000 random integer-only values back to the same value', () => {
  const next = mulberry32(8785);
  for (let i = 0; i < 3000; i++) {
    const value = randomValue(next, 4);
    const text = canonicalize(value);
    assert.equal(parseJson(text), value, text);
    assert.equal(parseJson(bytes(text)), value, text);
    assert.equal(parseCanonicalJson(text), value, text);
    assert.equal(parseCanonicalJson(bytes(text)), value, text);
  }
});

generated('rejects 3,000 random non-canonical writings as JSON_NOT_CANONICAL while parseJson accepts them', () => {
  const next = mulberry32(8259);
  let reordered = 0;
  for (let i = 0; i < 3000; i++) {
    const value = randomValue(next, 4);
    const canonicalText = canonicalize(value);
    let text = writeLoosely(value, next);
    if (text === canonicalText) text = (next() < 0.5 ? ' ' : '\n') + text;
    else if (text.replace(/\s/g, '') !== canonicalText.replace(/\s/g, '')) reordered++;
    assert.equal(parseJson(text), value, text);
    assert.equal(parseJson(bytes(text)), value, text);
    assert.is(code(() => parseCanonicalJson(text)), 'JSON_NOT_CANONICAL', text);
    assert.is(code(() => parseCanonicalJson(bytes(text))), 'JSON_NOT_CANONICAL', text);
  }
  assert.ok(reordered > 500, `only ${reordered} cases changed more than whitespace`);
});

generated('agrees with JSON.parse on every value it accepts', () => {
  const next = mulberry32(404);
  for (let i = 0; i < 1000; i++) {
    const text = writeLoosely(randomValue(next, 5), next);
    assert.equal(parseJson(text), JSON.parse(text), text);
  }
});

generated.run();
