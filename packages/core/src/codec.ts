/**
 * Strict codecs. DESIGN §3: digests are lowercase hex; keys and signatures are standard base64 with
 * padding, and a decoder accepts only the canonical encoding (re-encoding gives the same string).
 */
import { CustodyError } from './errors.js';

const HEX_DIGITS = '0123456789abcdef';
const HEX_CODES = Uint8Array.from(HEX_DIGITS, (c) => c.charCodeAt(0));
/** Scratch for the hex of a hash: the digits are written as bytes and decoded once, natively. */
const hexScratch = new Uint8Array(64);

/** toHex returns the lowercase hex encoding of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  // One native decode of the ASCII digits builds a flat string; appending two characters per byte
  // would build a rope of bytes.length pieces (this runs for every leaf hash).
  const out = bytes.length <= 32 ? hexScratch : new Uint8Array(2 * bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = HEX_CODES[bytes[i]! >> 4]!;
    out[2 * i + 1] = HEX_CODES[bytes[i]! & 15]!;
  }
  return decoder.decode(out.length === 2 * bytes.length ? out : out.subarray(0, 2 * bytes.length));
}

/**
 * parseHex decodes lowercase hex. Upper case, odd length, or any other character is HEX_INVALID.
 * With `byteLength`, the decoded length must match exactly.
 */
export function parseHex(text: string, byteLength?: number): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('parseHex: text must be a string');
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw new CustodyError('HEX_INVALID', 'Not lowercase hexadecimal.', { length: text.length });
  }
  if (byteLength !== undefined && text.length !== byteLength * 2) {
    throw new CustodyError('HEX_INVALID', `Expected ${byteLength} bytes of hex, got ${text.length / 2}.`, {
      expected: byteLength,
      actual: text.length / 2,
    });
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** isHex reports whether `text` is lowercase hex of `byteLength` bytes. Never throws. */
export function isHex(text: unknown, byteLength: number): text is string {
  return typeof text === 'string' && text.length === byteLength * 2 && /^[0-9a-f]*$/.test(text);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** toBase64 returns standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * parseBase64 decodes standard padded base64, accepting only the canonical encoding: no whitespace,
 * no URL alphabet, no missing or extra padding, and zero unused bits in the last group.
 * With `byteLength`, the decoded length must match exactly.
 */
export function parseBase64(text: string, byteLength?: number): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('parseBase64: text must be a string');
  if (text.length % 4 !== 0) throw invalidBase64('length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const body = text.length - pad;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      if (i + j >= body) {
        if (c !== 61) throw invalidBase64('misplaced padding');
        n <<= 6;
        continue;
      }
      const v = c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) throw invalidBase64(`character ${JSON.stringify(text[i + j])} at ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
    if (i + 4 === text.length && ((pad === 1 && (n & 0xff) !== 0) || (pad === 2 && (n & 0xffff) !== 0))) {
      throw invalidBase64('non-zero unused bits');
    }
  }
  if (byteLength !== undefined && out.length !== byteLength) {
    throw new CustodyError('BASE64_INVALID', `Expected ${byteLength} bytes of base64, got ${out.length}.`, {
      expected: byteLength,
      actual: out.length,
    });
  }
  return out;
}

function invalidBase64(why: string): CustodyError {
  return new CustodyError('BASE64_INVALID', `Not canonical base64: ${why}.`);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** utf8 encodes a string as UTF-8. Lone surrogates become U+FFFD: check strings before encoding. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** parseUtf8 decodes strict UTF-8 (invalid sequences throw JSON_SYNTAX); a BOM is kept, not skipped. */
export function parseUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new CustodyError('JSON_SYNTAX', 'Not valid UTF-8.', {}, { cause });
  }
}

/** concatBytes joins byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** equalBytes compares two byte arrays (not constant time: only for public data). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
