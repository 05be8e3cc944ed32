import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { inWindow, ROLLING_15_MINUTES, startOfLocalDay, windowBounds } from './metric-window.ts';

describe('rolling 15 minutes', () => {
  it('covers (now − 15 min, now]: a fact exactly 15 minutes old is out, one at now is in', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const b = windowBounds(ROLLING_15_MINUTES, now);
    expect(inWindow(b, now - 15 * 60_000)).toBe(false);
    expect(inWindow(b, now - 15 * 60_000 + 1)).toBe(true);
    expect(inWindow(b, now)).toBe(true);
    expect(inWindow(b, now + 1)).toBe(false);
    expect(inWindow(b, null)).toBe(false);
  });
});

describe('since midnight in Europe/Paris', () => {
  const zone = { kind: 'since-midnight', timeZone: 'Europe/Paris' } as const;
  it('starts at local midnight in winter (UTC+1) and summer (UTC+2), and includes midnight itself', () => {
    const winterNow = Date.UTC(2026, 0, 15, 10, 0, 0);
    expect(windowBounds(zone, winterNow).from).toBe(Date.UTC(2026, 0, 14, 23, 0, 0));
    const summerNow = Date.UTC(2026, 6, 15, 10, 0, 0);
    const b = windowBounds(zone, summerNow);
    expect(b.from).toBe(Date.UTC(2026, 6, 14, 22, 0, 0));
    expect(inWindow(b, b.from)).toBe(true);
    expect(inWindow(b, b.from - 1)).toBe(false);
  });
  it('crosses the spring-forward day (29 March 2026, 02:00 → 03:00): midnight is still UTC+1', () => {
    const now = Date.UTC(2026, 2, 29, 20, 0, 0); // 22:00 local, UTC+2 by then
    expect(startOfLocalDay(now, 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 23, 0, 0));
    // That day lasts 23 hours: the next midnight is UTC+2.
    expect(startOfLocalDay(Date.UTC(2026, 2, 29, 22, 0, 0), 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 22, 0, 0));
    expect(startOfLocalDay(Date.UTC(2026, 2, 29, 21, 59, 59, 999), 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 23, 0, 0));
  });
  it('crosses the fall-back day (25 October 2026, 03:00 → 02:00): a 25-hour day', () => {
    const start = startOfLocalDay(Date.UTC(2026, 9, 25, 12, 0, 0), 'Europe/Paris');
    expect(start).toBe(Date.UTC(2026, 9, 24, 22, 0, 0));
    expect(startOfLocalDay(Date.UTC(2026, 9, 25, 23, 0, 0), 'Europe/Paris')).toBe(Date.UTC(2026, 9, 25, 23, 0, 0));
    expect(Date.UTC(2026, 9, 25, 23, 0, 0) - start).toBe(25 * 3_600_000);
  });
  it('finds the first instant of a day whose midnight does not exist (America/Santiago, 6 September 2026)', () => {
    // Chile springs forward at 24:00 on Saturday: 00:00 Sunday does not exist, the day starts at 01:00 (UTC−3).
    const start = startOfLocalDay(Date.UTC(2026, 8, 6, 15, 0, 0), 'America/Santiago');
    expect(start).toBe(Date.UTC(2026, 8, 6, 4, 0, 0));
  });
  it('rejects an unknown zone with a coded error', () => {
    try {
      windowBounds({ kind: 'since-midnight', timeZone: 'Mars/Olympus' }, 0);
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'METRICS_TIME_ZONE_INVALID')).toBe(true);
    }
  });
});
