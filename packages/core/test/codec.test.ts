import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBase64, parseHex, toBase64, toHex, isCustodyError } from '@custody/core';
import { code } from './error-code.js';

test('hex round-trips every byte value', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(parseHex(toHex(all)), all);
  assert.is(toHex(new Uint8Array([0, 15, 255])), '000fff');
});

test('hex rejects upper case, odd length, non-hex and wrong lengths', () => {
  assert.is(code(() => parseHex('AB')), 'HEX_INVALID');
  assert.is(code(() => parseHex('abc')), 'HEX_INVALID');
  assert.is(code(() => parseHex('zz')), 'HEX_INVALID');
  assert.is(code(() => parseHex(' ab')), 'HEX_INVALID');
  assert.is(code(() => parseHex('abcd', 3)), 'HEX_INVALID');
  assert.is(code(() => parseHex('abcdef', 3)), undefined);
});

test('base64 round-trips every length from 0 to 70', () => {
  for (let n = 0; n <= 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
    const text = toBase64(bytes);
    assert.equal(parseBase64(text), bytes, `length ${n}`);
    assert.is(text, btoa(String.fromCharCode(...bytes)));
  }
});

test('base64 accepts only the canonical encoding', () => {
  for (const bad of ['AQ', 'AQ=', 'AR==', 'AQI=A', 'AQ==AQ==', 'A===', '====', 'AQ-_', 'AQ_/', ' AQ==', 'AQ==\n', 'AQI', 'AQJ=']) {
    assert.is(code(() => parseBase64(bad)), 'BASE64_INVALID', JSON.stringify(bad));
  }
  assert.is(code(() => parseBase64('AQI=')), undefined);
  assert.is(code(() => parseBase64('AQID', 2)), 'BASE64_INVALID');
});

test.run();
