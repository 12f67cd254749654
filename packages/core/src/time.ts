/**
 * Protocol times (DESIGN §3): RFC 3339 UTC with milliseconds, `2026-11-28T14:03:05.123Z`, and
 * nothing else: no offsets, no lower-case letters, no leap seconds, no 24:00.
 */
import { CustodyError } from './errors.js';

/** checkTime throws SCHEMA_INVALID unless `time` is a real instant in RFC 3339 UTC with milliseconds. */
export function checkTime(time: string, path = '/time'): void {
  if (Number.isNaN(timeMs(time))) {
    throw new CustodyError('SCHEMA_INVALID', `"${time}" is not a time in RFC 3339 UTC with milliseconds.`, { path });
  }
}

/**
 * timeMs returns the instant `time` names, in milliseconds since 1970 (as Date.parse), or NaN unless
 * it is a protocol time naming a real instant: `YYYY-MM-DDTHH:mm:ss.sssZ` with ASCII digits, month
 * 1–12, a day the month has (proleptic Gregorian, as Date), hour 0–23, minute and second 0–59. That
 * is exactly what `new Date(Date.parse(time)).toISOString() === time` accepts for this pattern,
 * computed without a Date: verification reads a time from every record.
 */
export function timeMs(time: unknown): number {
  if (typeof time !== 'string' || time.length !== 24) return NaN;
  if (
    time.charCodeAt(4) !== 0x2d || // -
    time.charCodeAt(7) !== 0x2d ||
    time.charCodeAt(10) !== 0x54 || // T
    time.charCodeAt(13) !== 0x3a || // :
    time.charCodeAt(16) !== 0x3a ||
    time.charCodeAt(19) !== 0x2e || // .
    time.charCodeAt(23) !== 0x5a // Z
  ) {
    return NaN;
  }
  const year = decimal(time, 0, 4);
  const month = decimal(time, 5, 2);
  const day = decimal(time, 8, 2);
  const hour = decimal(time, 11, 2);
  const minute = decimal(time, 14, 2);
  const second = decimal(time, 17, 2);
  const ms = decimal(time, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return NaN;
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** formatTime returns `date` in the protocol's time format (RFC 3339 UTC with milliseconds). */
export function formatTime(date: Date): string {
  return date.toISOString();
}

/** decimal returns the value of the `length` ASCII digits at `at`, or -1 if any is not a digit. */
function decimal(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** daysFromCivil returns the number of days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
