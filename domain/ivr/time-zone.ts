import type { Weekday } from './flow-schema.ts';

// Wall-clock arithmetic through Intl only: deterministic for a given runtime's tz data, no clock read, no IO.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * True when the runtime knows `timeZone` as an IANA zone (Intl throws RangeError otherwise). Bare UTC offsets
 * (`+01:00`), which recent Intl accepts, are refused: a schedule pinned to an offset silently ignores DST.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (/^[+-]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch (_e) {
    return false;
  }
}

/** Local calendar date and wall-clock time of an instant in a zone. */
export interface LocalTime {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly weekday: Weekday;
  /** HH:MM, 00:00 to 23:59 */
  readonly time: string;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The local date, weekday and time at epoch milliseconds `at` in `timeZone`; throws RangeError for unknown zones. */
export function localTimeAt(at: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAY_BY_SHORT[parts.weekday ?? ''] ?? 'mon',
    time: `${parts.hour}:${parts.minute}`,
  };
}
