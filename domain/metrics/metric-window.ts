import { LedgerlineError } from '../errors/ledgerline-error.ts';

/** A metric window ending at `now`: a rolling duration, or since local midnight in an IANA time zone. */
export type MetricWindow =
  | { readonly kind: 'rolling'; readonly durationMs: number }
  | { readonly kind: 'since-midnight'; readonly timeZone: string };

/** The rolling 15 minutes supervisors watch. */
export const ROLLING_15_MINUTES: MetricWindow = { kind: 'rolling', durationMs: 15 * 60_000 };

/**
 * The instants a window covers at `now`: rolling windows are (now − duration, now] (a fact exactly one duration old
 * has left the window); since-midnight is [local midnight, now] (a fact at 00:00:00.000 local belongs to the new day).
 */
export interface WindowBounds {
  readonly from: number;
  readonly to: number;
  readonly fromInclusive: boolean;
}

/** The bounds of `window` at `now` (epoch ms). */
export function windowBounds(window: MetricWindow, now: number): WindowBounds {
  if (!Number.isFinite(now)) throw new LedgerlineError('METRICS_INPUT_INVALID', 'now must be epoch milliseconds', { now });
  if (window.kind === 'rolling') {
    if (!(window.durationMs > 0) || !Number.isFinite(window.durationMs)) {
      throw new LedgerlineError('METRICS_INPUT_INVALID', 'a rolling window needs a positive duration', { durationMs: window.durationMs });
    }
    return { from: now - window.durationMs, to: now, fromInclusive: false };
  }
  return { from: startOfLocalDay(now, window.timeZone), to: now, fromInclusive: true };
}

/** True when instant `t` lies in the window. */
export function inWindow(bounds: WindowBounds, t: number | null): boolean {
  if (t === null || t > bounds.to) return false;
  return bounds.fromInclusive ? t >= bounds.from : t > bounds.from;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new LedgerlineError('METRICS_TIME_ZONE_INVALID', `unknown time zone ${JSON.stringify(timeZone)}`, { timeZone }, { cause });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localParts(t: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! };
}

/** Offset of the zone from UTC at instant t, in ms (local wall clock − UTC), to the second. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

function sameDay(a: LocalParts, b: LocalParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The first instant of the local calendar day containing `now` in `timeZone` (IANA), by Intl: 00:00 local, or,
 * in zones whose DST jump skips midnight, the first instant that exists on that day.
 */
export function startOfLocalDay(now: number, timeZone: string): number {
  const today = localParts(now, timeZone);
  const wallMidnight = Date.UTC(today.year, today.month - 1, today.day);
  // Two fixed-point steps settle the offset that applies at local midnight.
  let guess = wallMidnight - offsetAt(wallMidnight, timeZone);
  guess = wallMidnight - offsetAt(guess, timeZone);
  const at = localParts(guess, timeZone);
  if (sameDay(at, today) && at.hour === 0 && at.minute === 0 && at.second === 0) {
    const before = localParts(guess - 1, timeZone);
    if (!sameDay(before, today)) return guess;
  }
  // Midnight does not exist (or is ambiguous): search for the first instant of today.
  let lo = wallMidnight - 36 * 3_600_000; // surely yesterday
  let hi = now; // surely today
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (sameDay(localParts(mid, timeZone), today) || isAfterDay(localParts(mid, timeZone), today)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isAfterDay(a: LocalParts, b: LocalParts): boolean {
  return a.year !== b.year ? a.year > b.year : a.month !== b.month ? a.month > b.month : a.day > b.day;
}
