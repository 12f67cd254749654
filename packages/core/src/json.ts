/**
 * Strict JSON for outside input (DESIGN §3). Bundles, records and CLI JSON come from people and
 * tools we do not control, so this parser accepts only RFC 8259 JSON restricted to what the
 * protocol can sign: no duplicate keys, no lone surrogates, only integers in ±(2^53−1), and a
 * stated size and depth. Every rejection is a CustodyError with its own code and `details.offset`
 * (in bytes for byte input, in UTF-16 code units for string input).
 */
import { canonicalize } from './canonical.js';
import type { JsonObject, JsonValue } from './canonical.js';
import { parseUtf8 } from './codec.js';
import { CustodyError } from './errors.js';
import type { ErrorCode, ErrorDetails } from './errors.js';

export interface JsonLimits {
  /** Largest accepted input, in UTF-8 bytes. */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays and objects: a scalar has depth 0, `[]` and `{"a":1}` depth 1. */
  maxDepth?: number;
}

/** DEFAULT_JSON_LIMITS are the limits used for any field a caller leaves out: 16 MiB and 64 levels. */
export const DEFAULT_JSON_LIMITS: Required<JsonLimits> = Object.freeze({ maxBytes: 16 * 1024 * 1024, maxDepth: 64 });

/**
 * parseJson parses untrusted JSON text or UTF-8 bytes into a JsonValue, or throws a CustodyError:
 * JSON_TOO_LARGE (checked before parsing), JSON_SYNTAX (RFC 8259 grammar, invalid UTF-8, a BOM),
 * JSON_DUPLICATE_KEY (details: `key` and the JSON pointer `path` of the repeated member),
 * JSON_LONE_SURROGATE (escaped or raw), JSON_NUMBER (anything but an integer in ±(2^53−1), written
 * without fraction or exponent, and not `-0`) or JSON_TOO_DEEP. Objects are plain `{}` objects whose
 * members are own data properties, so a `"__proto__"` key is an ordinary member.
 */
export function parseJson(input: string | Uint8Array, limits?: JsonLimits): JsonValue {
  const { maxBytes, maxDepth } = resolveLimits('parseJson', limits);
  const text = decodeInput('parseJson', input, maxBytes);
  return new Parser(text, maxDepth, input instanceof Uint8Array).parse();
}

/**
 * parseCanonicalJson parses bytes that must be exactly the RFC 8785 serialisation of their value, as
 * leaf bytes are (DESIGN §4). It throws what parseJson throws, and JSON_NOT_CANONICAL (details:
 * `offset` of the first difference) for valid JSON written any other way.
 *
 * The fast path runs in native code as far as it can: JSON.parse, then JSON.stringify of the result
 * must give the text back, then a walk checks member order, numbers and depth. It accepts only
 * what the strict path accepts, written canonically:
 * - JSON.parse implements the RFC 8259 grammar (ECMA-262 §25.5.1: JSON whitespace only; no comments,
 *   trailing commas, leading zeros, NaN or BOM; no raw control characters in strings).
 * - JSON.stringify writes no whitespace, escapes strings exactly as RFC 8785 §3.2.2.2 prescribes (JCS
 *   borrows that rule from it), writes numbers as JCS does (§3.2.2.3), and writes members in the
 *   object's property order. So `JSON.stringify(value) === text` rules out non-canonical whitespace,
 *   escapes and numbers (`1.0`, `1e2`, `-0`). It rules out duplicate keys: JSON.parse keeps one member
 *   per name and the output, having no duplicates, cannot equal a text that has them. And it shows
 *   that each object's property order is its member order in the text.
 * - The walk then checks that every object's keys ascend in UTF-16 code-unit order (JCS §3.2.3, which
 *   also excludes duplicates), that every number is a safe integer (`1.5`, `1e+21` and 2^53 survive
 *   the round trip) and that nesting stays within maxDepth.
 * - Well-formed JSON.stringify (ES2019) escapes a lone surrogate as `\udXXX` and writes pairs raw, so
 *   a text equal to its output holds a lone surrogate only if it holds such an escape; any text with
 *   one goes to the strict path (a false alarm, `\\ud800` as literal text, only costs time).
 * When all of that holds, the text is exactly RFC 8785 of a value the strict parser accepts. The
 * fast path is not complete: JavaScript lists integer-like keys ("9", "10") first in numeric order,
 * so an object with such keys in canonical order ("10" before "9") fails the round trip. Whenever the
 * fast path declines, the strict parser runs to report the precise error, and canonicalize decides.
 * (canonicalize refuses nesting deeper than 256 levels, so a larger maxDepth does not raise that.)
 */
export function parseCanonicalJson(input: Uint8Array | string, limits?: JsonLimits): JsonValue {
  const { maxBytes, maxDepth } = resolveLimits('parseCanonicalJson', limits);
  const text = decodeInput('parseCanonicalJson', input, maxBytes);
  const fast = parseCanonicalFast(text, maxDepth);
  if (fast !== undefined) return fast;

  const isBytes = input instanceof Uint8Array;
  const value = new Parser(text, maxDepth, isBytes).parse();
  const canonical = canonicalize(value);
  if (canonical === text) return value;
  let at = 0;
  while (text.charCodeAt(at) === canonical.charCodeAt(at)) at++;
  throw new CustodyError('JSON_NOT_CANONICAL', 'The JSON is valid but not in RFC 8785 canonical form.', {
    offset: isBytes ? utf8Length(text, at) : at,
  });
}

/** A `\u` escape of a surrogate, as JSON.stringify writes a lone one. */
const ESCAPED_SURROGATE = /\\ud[89a-f]/;

function parseCanonicalFast(text: string, maxDepth: number): JsonValue | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (JSON.stringify(value) !== text || ESCAPED_SURROGATE.test(text)) return undefined;
    return isCanonicalShape(value, maxDepth) ? (value as JsonValue) : undefined;
  } catch {
    return undefined; // a syntax error, or a stack overflow under a huge maxDepth
  }
}

/**
 * isCanonicalShape reports whether, in a JSON.parse result, every object's keys ascend in UTF-16
 * code-unit order, every number is a safe integer, and nesting is at most `depthLeft` deep.
 */
function isCanonicalShape(value: unknown, depthLeft: number): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return true;
  if (depthLeft === 0) return false;
  if (Array.isArray(value)) {
    for (const member of value) if (!isCanonicalShape(member, depthLeft - 1)) return false;
    return true;
  }
  const object = value as Record<string, unknown>;
  let previous: string | undefined;
  for (const key of Object.keys(object)) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!isCanonicalShape(object[key], depthLeft - 1)) return false;
    previous = key;
  }
  return true;
}

function resolveLimits(fn: string, limits: JsonLimits | undefined): Required<JsonLimits> {
  const maxBytes = limits?.maxBytes ?? DEFAULT_JSON_LIMITS.maxBytes;
  const maxDepth = limits?.maxDepth ?? DEFAULT_JSON_LIMITS.maxDepth;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`${fn}: limits.maxBytes must be a non-negative integer`);
  }
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`${fn}: limits.maxDepth must be a non-negative integer`);
  }
  return { maxBytes, maxDepth };
}

/** decodeInput enforces the size limit on the UTF-8 length, then decodes bytes strictly. */
function decodeInput(fn: string, input: string | Uint8Array, maxBytes: number): string {
  if (input instanceof Uint8Array) {
    if (input.length > maxBytes) throw tooLarge(input.length, maxBytes);
    try {
      return parseUtf8(input);
    } catch (cause) {
      throw new CustodyError('JSON_SYNTAX', 'Not valid UTF-8.', { offset: firstInvalidUtf8(input) }, { cause });
    }
  }
  if (typeof input !== 'string') throw new TypeError(`${fn}: input must be a string or a Uint8Array`);
  // Each UTF-16 code unit takes one to three UTF-8 bytes: count only when the bounds do not decide.
  if (input.length > maxBytes) throw tooLarge(utf8Length(input, input.length), maxBytes);
  if (input.length * 3 > maxBytes) {
    const sizeBytes = utf8Length(input, input.length);
    if (sizeBytes > maxBytes) throw tooLarge(sizeBytes, maxBytes);
  }
  return input;
}

function tooLarge(sizeBytes: number, maxBytes: number): CustodyError {
  return new CustodyError('JSON_TOO_LARGE', `The JSON is ${sizeBytes} bytes, over the limit of ${maxBytes}.`, {
    sizeBytes,
    maxBytes,
  });
}

/** utf8Length returns the UTF-8 length of text.slice(0, end); a lone surrogate counts as U+FFFD. */
function utf8Length(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** firstInvalidUtf8 returns the offset of the first byte that starts no valid UTF-8 sequence (RFC 3629 §4). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0; // no overlong forms
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let j = 2; j < length; j++) {
      const next = bytes[i + j];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}

// Character codes of the JSON grammar.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** A container being filled: its members so far and, for an object, the key of the member being read. */
interface Frame {
  readonly container: JsonValue[] | JsonObject;
  readonly isArray: boolean;
  key: string;
}

/**
 * Parser is an iterative RFC 8259 parser: nesting lives in an explicit stack, so no input can
 * overflow the JavaScript call stack, whatever maxDepth is.
 */
class Parser {
  private pos = 0;
  private readonly stack: Frame[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly offsetsInBytes: boolean,
  ) {}

  parse(): JsonValue {
    const { text, stack } = this;
    for (;;) {
      // Read one value at pos: a scalar, an empty container, or the opening of a container.
      this.skipWhitespace();
      let value: JsonValue;
      const c = text.charCodeAt(this.pos);
      if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        if (stack.length >= this.maxDepth) {
          throw this.error('JSON_TOO_DEEP', `Nested deeper than ${this.maxDepth} levels.`, this.pos, {
            maxDepth: this.maxDepth,
          });
        }
        const isArray = c === OPEN_ARRAY;
        this.pos++;
        this.skipWhitespace();
        const container: JsonValue[] | JsonObject = isArray ? [] : {};
        if (text.charCodeAt(this.pos) === (isArray ? CLOSE_ARRAY : CLOSE_OBJECT)) {
          this.pos++;
          value = container;
        } else {
          const frame: Frame = { container, isArray, key: '' };
          stack.push(frame);
          if (!isArray) this.readKey(frame);
          continue;
        }
      } else {
        value = this.parseScalar(c);
      }

      // Store the value in its container; close every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.skipWhitespace();
          if (this.pos !== text.length) throw this.syntax('Unexpected text after the JSON value.');
          return value;
        }
        if (top.isArray) (top.container as JsonValue[]).push(value);
        else Object.defineProperty(top.container, top.key, { value, writable: true, enumerable: true, configurable: true });
        this.skipWhitespace();
        const next = text.charCodeAt(this.pos);
        if (next === COMMA) {
          this.pos++;
          if (!top.isArray) this.readKey(top);
          break;
        }
        if (next !== (top.isArray ? CLOSE_ARRAY : CLOSE_OBJECT)) {
          throw this.syntax(top.isArray ? 'Expected "," or "]".' : 'Expected "," or "}".');
        }
        this.pos++;
        stack.pop();
        value = top.container;
      }
    }
  }

  /** readKey reads `"key" :` into the frame, refusing a key the object already has. */
  private readKey(frame: Frame): void {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== QUOTE) throw this.syntax('Expected a member name in double quotes.');
    const at = this.pos;
    const key = this.parseString();
    frame.key = key;
    if (Object.hasOwn(frame.container, key)) {
      throw this.error('JSON_DUPLICATE_KEY', `The member name ${JSON.stringify(key)} appears twice.`, at, {
        key,
        path: this.pointer(),
      });
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== COLON) throw this.syntax('Expected ":".');
    this.pos++;
  }

  /** pointer returns the RFC 6901 JSON pointer of the member being read. */
  private pointer(): string {
    let out = '';
    for (const frame of this.stack) {
      const token = frame.isArray ? String((frame.container as JsonValue[]).length) : frame.key;
      out += '/' + token.replace(/~/g, '~0').replace(/\//g, '~1');
    }
    return out;
  }

  private parseScalar(c: number): JsonValue {
    if (c === QUOTE) return this.parseString();
    if (c === MINUS || isDigit(c)) return this.parseNumber();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw this.syntax(this.pos === this.text.length ? 'Unexpected end of input.' : 'Expected a JSON value.');
  }

  /** parseNumber reads an RFC 8259 §6 number and accepts it only as a safe integer in its plain form. */
  private parseNumber(): number {
    const { text } = this;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === MINUS) i++;
    if (text.charCodeAt(i) === 0x30) {
      i++;
      if (isDigit(text.charCodeAt(i))) throw this.syntax('Leading zeros are not allowed.', i);
    } else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else throw this.syntax('Expected a digit.', i);
    let integer = true;
    if (text.charCodeAt(i) === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(text.charCodeAt(i))) throw this.syntax('Expected a digit after the decimal point.', i);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if ((text.charCodeAt(i) | 0x20) === 0x65) {
      integer = false;
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) throw this.syntax('Expected a digit in the exponent.', i);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    this.pos = i;
    if (!integer) throw this.error('JSON_NUMBER', 'Only integers are allowed: no fraction or exponent.', start);
    const token = text.slice(start, i);
    if (token === '-0') throw this.error('JSON_NUMBER', 'Negative zero is not allowed.', start);
    // Number() rounds to nearest, which is monotonic: every safe integer parses exactly and every
    // larger magnitude lands at 2^53 or beyond.
    const value = Number(token);
    if (!Number.isSafeInteger(value)) {
      throw this.error('JSON_NUMBER', 'Integers must lie within ±(2^53−1).', start);
    }
    return value;
  }

  /** parseString reads a string at pos (on its opening quote), checking escapes and surrogates. */
  private parseString(): string {
    const { text } = this;
    let i = this.pos + 1;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= text.length) throw this.syntax('Unterminated string.', text.length);
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return out + text.slice(runStart, i);
      }
      if (c === BACKSLASH) {
        out += text.slice(runStart, i);
        const escape = this.parseEscape(i);
        out += escape.text;
        i = runStart = escape.end;
      } else if (c < 0x20) {
        throw this.syntax('Control characters must be escaped in strings.', i);
      } else if ((c & 0xf800) === 0xd800) {
        // A raw surrogate (only possible in string input): it must be a high one followed by a low one.
        if (c > 0xdbff || (text.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) throw this.loneSurrogate(i);
        i += 2;
      } else {
        i++;
      }
    }
  }

  /** parseEscape decodes the escape sequence at `at` (a backslash); \u surrogates must come in pairs. */
  private parseEscape(at: number): { text: string; end: number } {
    const simple = ESCAPES[this.text.charCodeAt(at + 1)];
    if (simple !== undefined) return { text: simple, end: at + 2 };
    if (this.text.charCodeAt(at + 1) !== 0x75) throw this.syntax('Invalid escape sequence.', at);
    const unit = this.hex4(at + 2);
    if ((unit & 0xf800) !== 0xd800) return { text: String.fromCharCode(unit), end: at + 6 };
    if (unit > 0xdbff) throw this.loneSurrogate(at);
    if (this.text.charCodeAt(at + 6) !== BACKSLASH || this.text.charCodeAt(at + 7) !== 0x75) throw this.loneSurrogate(at);
    const low = this.hex4(at + 8);
    if ((low & 0xfc00) !== 0xdc00) throw this.loneSurrogate(at);
    return { text: String.fromCharCode(unit, low), end: at + 12 };
  }

  private hex4(at: number): number {
    let n = 0;
    for (let i = at; i < at + 4; i++) {
      const c = this.text.charCodeAt(i);
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
      if (d < 0) throw this.syntax('Expected four hex digits after \\u.', i);
      n = (n << 4) | d;
    }
    return n;
  }

  private skipWhitespace(): void {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++this.pos);
  }

  private loneSurrogate(at: number): CustodyError {
    return this.error('JSON_LONE_SURROGATE', 'A string holds an unpaired UTF-16 surrogate.', at);
  }

  private syntax(message: string, at: number = this.pos): CustodyError {
    return this.error('JSON_SYNTAX', message, at);
  }

  private error(code: ErrorCode, message: string, at: number, details: ErrorDetails = {}): CustodyError {
    const offset = this.offsetsInBytes ? utf8Length(this.text, at) : at;
    return new CustodyError(code, `${message} (at ${this.offsetsInBytes ? 'byte' : 'index'} ${offset})`, {
      offset,
      ...details,
    });
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonValue]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

const ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
