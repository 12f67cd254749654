import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatZonedTime, isKnownZone, zoneLabel } from '@custody/core';

const T = '2026-11-28T02:03:05.123Z';

test('Indonesia\'s three zones are shown with the labels WIB, WITA and WIT, and UTC beside them', () => {
  assert.equal(formatZonedTime(T, 'Asia/Jakarta'), { local: '2026-11-28 09:03:05 WIB', utc: '2026-11-28 02:03:05 UTC', zone: 'Asia/Jakarta', label: 'WIB' });
  assert.is(formatZonedTime(T, 'Asia/Makassar').local, '2026-11-28 10:03:05 WITA');
  assert.is(formatZonedTime(T, 'Asia/Jayapura').local, '2026-11-28 11:03:05 WIT');
});

test('a time that crosses midnight in the zone shows the zone\'s date', () => {
  assert.is(formatZonedTime('2026-11-28T20:30:00.000Z', 'Asia/Jayapura').local, '2026-11-29 05:30:00 WIT');
});

test('other zones show their IANA name; a missing or unknown zone shows UTC', () => {
  assert.is(formatZonedTime(T, 'Europe/Amsterdam').local, '2026-11-28 03:03:05 Europe/Amsterdam');
  assert.is(formatZonedTime(T).local, '2026-11-28 02:03:05 UTC');
  assert.is(formatZonedTime(T, 'Mars/Olympus_Mons').label, 'UTC');
  assert.is(zoneLabel('Asia/Makassar'), 'WITA');
  assert.is(zoneLabel('America/New_York'), 'America/New_York');
});

test('isKnownZone never throws and a bad time is a RangeError', () => {
  assert.is(isKnownZone('Asia/Jakarta'), true);
  assert.is(isKnownZone('No/Where'), false);
  assert.is(isKnownZone(7), false);
  assert.throws(() => formatZonedTime('yesterday', 'Asia/Jakarta'), (e: unknown) => e instanceof RangeError);
});

test.run();
