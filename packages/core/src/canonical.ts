/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the serialisation of everything hashed or signed
 * (DESIGN §3).
 */
import { utf8 } from './codec.js';
import { CustodyError } from './errors.js';

/** A JSON value as this protocol carries it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * canonicalize returns the RFC 8785 serialisation of `value`: object members sorted by their names'
 * UTF-16 code units (§3.2.3), strings escaped as ECMAScript's JSON.stringify does (§3.2.2.2),
 * numbers in ECMAScript's shortest form (§3.2.2.3). Members whose value is `undefined` are left out,
 * as JSON.stringify does. Throws JSON_LONE_SURROGATE for a string with an unpaired surrogate (§3.2.2.2
 * requires well-formed strings) and JSON_NUMBER for NaN or an infinity. Signed data is further
 * restricted to safe integers; the parser and the schemas enforce that.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, 0);
}

/** canonicalBytes returns the UTF-8 bytes of canonicalize(value). */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

const MAX_DEPTH = 256;

function serialize(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CustodyError('JSON_TOO_DEEP', `Nested deeper than ${MAX_DEPTH} levels.`);
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CustodyError('JSON_NUMBER', 'NaN and infinities have no JSON form.');
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += serialize(value[i], depth + 1);
        }
        return out + ']';
      }
      if (value instanceof Uint8Array) throw new TypeError('canonicalize: bytes must be encoded as hex or base64 first');
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = obj[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += serializeString(key) + ':' + serialize(member, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalize: a ${typeof value} has no JSON form`);
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** What JSON.stringify escapes (a quote, a backslash, a control character), and surrogates. */
const NEEDS_CARE = /["\\\u0000-\u001f\uD800-\uDFFF]/;

function serializeString(s: string): string {
  // Most strings (ids, hashes, times, plain text) hold nothing JSON.stringify would escape, and
  // then its output is the string in quotes: one scan instead of a scan and a native call.
  if (!NEEDS_CARE.test(s)) return '"' + s + '"';
  if (SURROGATE.test(s)) checkWellFormed(s);
  return JSON.stringify(s);
}

/** checkWellFormed throws JSON_LONE_SURROGATE unless every surrogate in `s` is part of a pair. */
export function checkWellFormed(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    throw new CustodyError('JSON_LONE_SURROGATE', 'A string holds an unpaired UTF-16 surrogate.', { index: i });
  }
}
