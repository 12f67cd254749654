/**
 * Showing a record's time to people (DESIGN §4: `time` is UTC, `zone` is the IANA zone where it
 * happened, for display). Indonesia's three zones have the labels its officers and courts write:
 * WIB (Asia/Jakarta, UTC+7), WITA (Asia/Makassar, UTC+8) and WIT (Asia/Jayapura, UTC+9).
 * Pure: uses only Intl, so it runs in a browser too.
 */

/** The Indonesian labels of the zones that have one. Other zones are shown by their IANA name. */
export const ZoneLabels: Readonly<Record<string, string>> = Object.freeze({
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
});

/** A time as people read it: in the record's zone and in UTC. */
export interface ZonedTime {
  /** "2026-11-28 09:03:05 WIB", or in UTC when the zone is absent or unknown to this runtime. */
  readonly local: string;
  /** "2026-11-28 02:03:05 UTC". */
  readonly utc: string;
  /** The zone the local time is in: an IANA name, or "UTC". */
  readonly zone: string;
  /** "WIB", "WITA", "WIT", the IANA name, or "UTC". */
  readonly label: string;
}

/** zoneLabel returns "WIB", "WITA" or "WIT" for Indonesia's zones, else the zone name itself. */
export function zoneLabel(zone: string): string {
  if (typeof zone !== 'string') throw new TypeError('zoneLabel: zone must be a string');
  return ZoneLabels[zone] ?? zone;
}

/** isKnownZone reports whether this runtime can show times in `zone`. Never throws. */
export function isKnownZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * formatZonedTime returns `time` (RFC 3339 UTC, as in records) shown in `zone` and in UTC, to the
 * second. A missing zone, or one this runtime does not know, shows the local time in UTC.
 * Throws RangeError if `time` is not a valid time.
 */
export function formatZonedTime(time: string, zone?: string | null): ZonedTime {
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) throw new RangeError(`formatZonedTime: not a time: ${String(time)}`);
  const date = new Date(ms);
  const utc = `${wallClock(date, 'UTC')} UTC`;
  if (zone === undefined || zone === null || zone === 'UTC' || !isKnownZone(zone)) {
    return { local: utc, utc, zone: 'UTC', label: 'UTC' };
  }
  const label = zoneLabel(zone);
  return { local: `${wallClock(date, zone)} ${label}`, utc, zone, label };
}

/** "YYYY-MM-DD hh:mm:ss" of `date` on the wall clock of `zone`. */
function wallClock(date: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}
