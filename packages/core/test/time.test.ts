import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTime, formatTime, timeMs } from '@custody/core';
import { code } from './error-code.js';

/** The definition timeMs stands for: the pattern, then Date.parse and a toISOString round trip. */
function reference(time: string): number {
  const ms = Date.parse(time);
  const ok = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time) && Number.isFinite(ms) && new Date(ms).toISOString() === time;
  return ok ? ms : NaN;
}

test('timeMs gives Date.parse for every day of leap, common and edge years', () => {
  for (const year of [0, 1, 4, 99, 100, 400, 1582, 1900, 1969, 1970, 2000, 2023, 2024, 2026, 2100, 9999]) {
    for (let month = 1; month <= 12; month++) {
      for (let day = 0; day <= 32; day++) {
        const time = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`;
        assert.equal(timeMs(time), reference(time), time);
      }
    }
  }
});

test('timeMs refuses what the reference refuses, field by field', () => {
  const base = '2026-11-28T14:03:05.123Z';
  const variants = [base, formatTime(new Date(0)), '2026-11-28T24:00:00.000Z', '2026-11-28T23:60:00.000Z', '2026-11-28T23:59:60.000Z',
    '2026-13-01T00:00:00.000Z', '2026-00-01T00:00:00.000Z', '2026-11-28T14:03:05.12Z', '2026-11-28T14:03:05.1234Z', '2026-11-28t14:03:05.123Z',
    '2026-11-28T14:03:05.123z', '2026-11-28T14:03:05,123Z', '+02026-11-28T14:03:05.123Z', '2026-11-28T14:03:05.123+00:00', '2026-11-28 14:03:05.123Z',
    '２026-11-28T14:03:05.123Z', '2026-11-28T14:03:05.123Z ', ''];
  // Every single-character change of the base, to each of a few characters.
  for (let i = 0; i < base.length; i++) for (const c of '0159-:.TZ /a') variants.push(base.slice(0, i) + c + base.slice(i + 1));
  for (const time of variants) assert.equal(timeMs(time), reference(time), JSON.stringify(time));
});

test('checkTime throws SCHEMA_INVALID naming the path, also for a value that is not a string', () => {
  assert.is(code(() => checkTime('2024-02-29T00:00:00.000Z')), undefined);
  assert.is(code(() => checkTime('2023-02-29T00:00:00.000Z')), 'SCHEMA_INVALID');
  assert.is(code(() => checkTime(12 as never, '/data/seizure/time')), 'SCHEMA_INVALID');
  assert.ok(Number.isNaN(timeMs({ toString: () => '2026-11-28T14:03:05.123Z' })));
  try {
    checkTime('2026-11-28T14:03:05Z', '/statement/time');
    assert.unreachable('checkTime accepted a time without milliseconds');
  } catch (e) {
    assert.equal((e as { details: unknown }).details, { path: '/statement/time' });
  }
});

test.run();
