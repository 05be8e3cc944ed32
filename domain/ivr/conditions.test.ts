import { describe, expect, it } from 'vitest';
import { isOpenAt, testHolds } from './conditions.ts';
import type { BusinessHoursTest, VariableValue } from './flow-schema.ts';
import { localTimeAt } from './time-zone.ts';

const utc = (iso: string) => Date.parse(iso);
const everyDay = (from: string, to: string): BusinessHoursTest['weekly'] => ({
  mon: [{ from, to }],
  tue: [{ from, to }],
  wed: [{ from, to }],
  thu: [{ from, to }],
  fri: [{ from, to }],
  sat: [{ from, to }],
  sun: [{ from, to }],
});
const schedule = (timeZone: string, weekly: BusinessHoursTest['weekly'], holidays: string[] = []): BusinessHoursTest => ({
  kind: 'business_hours',
  timeZone,
  weekly,
  holidays,
});

describe('localTimeAt', () => {
  it.each([
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08', 'sun', '01:59'], // last EST minute
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08', 'sun', '03:00'], // first EDT minute: 02:xx skipped
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01', 'sun', '01:30'], // first 01:30 (EDT)
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01', 'sun', '01:30'], // second 01:30 (EST)
    ['2026-11-22T23:30:00Z', 'Asia/Tokyo', '2026-11-23', 'mon', '08:30'],
    ['2026-11-23T03:30:00Z', 'Asia/Kolkata', '2026-11-23', 'mon', '09:00'],
    ['2026-11-23T00:00:00Z', 'Pacific/Chatham', '2026-11-23', 'mon', '13:45'],
    ['2026-11-23T12:00:00Z', 'UTC', '2026-11-23', 'mon', '12:00'],
  ])('%s in %s is %s %s %s', (iso, tz, date, weekday, time) => {
    expect(localTimeAt(utc(iso), tz)).toEqual({ date, weekday, time });
  });
});

describe('business hours across time zones and DST', () => {
  const ny = schedule('America/New_York', everyDay('09:00', '17:00'));
  const paris = schedule('Europe/Paris', { mon: [{ from: '08:00', to: '18:00' }], fri: [{ from: '08:00', to: '18:00' }] });
  const sydney = schedule('Australia/Sydney', { mon: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '17:00' }] });

  it.each([
    // New York, spring forward on Sunday 2026-03-08: the same UTC instant is an hour later in local time afterwards.
    ['NY Sat before DST, 08:30 EST', ny, '2026-03-07T13:30:00Z', false],
    ['NY Sat before DST, 09:00 EST', ny, '2026-03-07T14:00:00Z', true],
    ['NY Mon after DST, 09:30 EDT (13:30Z, closed the week before)', ny, '2026-03-09T13:30:00Z', true],
    ['NY Mon after DST, 08:59 EDT', ny, '2026-03-09T12:59:00Z', false],
    ['NY Mon after DST, 16:59 EDT', ny, '2026-03-09T20:59:00Z', true],
    ['NY Mon after DST, 17:00 EDT (closing is exclusive)', ny, '2026-03-09T21:00:00Z', false],
    // New York, fall back on Sunday 2026-11-01.
    ['NY Sat before fall-back, 09:00 EDT', ny, '2026-10-31T13:00:00Z', true],
    ['NY Mon after fall-back, 08:00 EST (13:00Z)', ny, '2026-11-02T13:00:00Z', false],
    ['NY Mon after fall-back, 09:00 EST', ny, '2026-11-02T14:00:00Z', true],
    // Paris, summer time from Sunday 2026-03-29 and back on Sunday 2026-10-25.
    ['Paris Fri before, 08:00 CET (07:00Z)', paris, '2026-03-27T07:00:00Z', true],
    ['Paris Fri before, 07:59 CET', paris, '2026-03-27T06:59:00Z', false],
    ['Paris Mon after, 08:00 CEST (06:00Z)', paris, '2026-03-30T06:00:00Z', true],
    ['Paris Mon after, 07:59 CEST', paris, '2026-03-30T05:59:00Z', false],
    ['Paris Mon after autumn change, 07:00 CET (06:00Z)', paris, '2026-10-26T06:00:00Z', false],
    ['Paris Mon after autumn change, 17:59 CET (16:59Z)', paris, '2026-10-26T16:59:00Z', true],
    ['Paris Sunday is closed', paris, '2026-10-25T10:00:00Z', false],
    // Sydney, southern hemisphere: daylight time ends Sunday 2026-04-05.
    ['Sydney Fri before, 09:00 AEDT (Thu 22:00Z)', sydney, '2026-04-02T22:00:00Z', true],
    ['Sydney Mon after, 08:00 AEST (Sun 22:00Z)', sydney, '2026-04-05T22:00:00Z', false],
    ['Sydney Mon after, 09:00 AEST (Sun 23:00Z)', sydney, '2026-04-05T23:00:00Z', true],
  ])('%s', (_name, test, iso, open) => {
    expect(isOpenAt(test, utc(iso))).toBe(open);
  });

  it('never opens inside the skipped hour of a spring-forward night', () => {
    const night = schedule('America/New_York', { sun: [{ from: '02:00', to: '03:00' }] });
    const dayStart = utc('2026-03-08T05:00:00Z'); // 00:00 EST
    const open = Array.from({ length: 23 * 60 }, (_, m) => dayStart + m * 60_000).filter((t) => isOpenAt(night, t));
    expect(open).toEqual([]);
  });

  it('is open during both passes of the repeated hour of a fall-back night', () => {
    const night = schedule('America/New_York', { sun: [{ from: '01:00', to: '02:00' }] });
    const dayStart = utc('2026-11-01T04:00:00Z'); // 00:00 EDT
    const openMinutes = Array.from({ length: 25 * 60 }, (_, m) => dayStart + m * 60_000).filter((t) => isOpenAt(night, t)).length;
    expect(openMinutes).toBe(120);
  });

  it('uses the local date for weekdays and holidays, not the UTC date', () => {
    const tokyo = schedule('Asia/Tokyo', { mon: [{ from: '08:00', to: '09:00' }] });
    expect(isOpenAt(tokyo, utc('2026-11-22T23:30:00Z'))).toBe(true); // Sunday in UTC, Monday in Tokyo
    const auckland = schedule('Pacific/Auckland', everyDay('00:00', '24:00'), ['2026-12-25']);
    expect(isOpenAt(auckland, utc('2026-12-24T11:30:00Z'))).toBe(false); // 25 Dec 00:30 NZDT (UTC+13)
    expect(isOpenAt(auckland, utc('2026-12-24T11:00:00Z'))).toBe(false); // 25 Dec 00:00 NZDT
    expect(isOpenAt(auckland, utc('2026-12-24T10:59:00Z'))).toBe(true); // 24 Dec 23:59 NZDT
  });

  it('treats 24:00 as the end of the day and a missing weekday as closed', () => {
    const late = schedule('UTC', { fri: [{ from: '20:00', to: '24:00' }] });
    expect(isOpenAt(late, utc('2026-11-27T23:59:59Z'))).toBe(true);
    expect(isOpenAt(late, utc('2026-11-28T00:00:00Z'))).toBe(false);
  });

  it('supports split shifts (lunch break)', () => {
    const split = schedule('Europe/Paris', { mon: [{ from: '08:00', to: '12:30' }, { from: '13:30', to: '18:00' }] });
    expect(isOpenAt(split, utc('2026-11-23T11:00:00Z'))).toBe(true); // 12:00 CET
    expect(isOpenAt(split, utc('2026-11-23T12:00:00Z'))).toBe(false); // 13:00 CET
    expect(isOpenAt(split, utc('2026-11-23T12:30:00Z'))).toBe(true); // 13:30 CET
  });
});

describe('variable and tier tests', () => {
  const vars: Record<string, VariableValue> = { 'caller.tier': 'gold', balance: '12.50', count: 3, flag: false, none: null };
  it.each([
    [{ kind: 'caller_tier', in: ['gold', 'platinum'] }, true],
    [{ kind: 'caller_tier', in: ['silver'] }, false],
    [{ kind: 'variable', variable: 'count', op: 'eq', value: 3 }, true],
    [{ kind: 'variable', variable: 'count', op: 'eq', value: '3' }, false],
    [{ kind: 'variable', variable: 'missing', op: 'eq', value: null }, false],
    [{ kind: 'variable', variable: 'missing', op: 'neq', value: 1 }, true],
    [{ kind: 'variable', variable: 'flag', op: 'neq', value: true }, true],
    [{ kind: 'variable', variable: 'balance', op: 'gt', value: 0 }, true],
    [{ kind: 'variable', variable: 'balance', op: 'lte', value: 12.5 }, true],
    [{ kind: 'variable', variable: 'count', op: 'lt', value: 3 }, false],
    [{ kind: 'variable', variable: 'count', op: 'gte', value: 3 }, true],
    [{ kind: 'variable', variable: 'flag', op: 'gt', value: -1 }, false],
    [{ kind: 'variable', variable: 'caller.tier', op: 'in', value: ['bronze', 'gold'] }, true],
    [{ kind: 'variable', variable: 'none', op: 'exists' }, false],
    [{ kind: 'variable', variable: 'none', op: 'absent' }, true],
    [{ kind: 'variable', variable: 'flag', op: 'exists' }, true],
    [{ kind: 'variable', variable: 'constructor', op: 'exists' }, false],
    [{ kind: 'variable', variable: 'toString', op: 'absent' }, true],
  ] as const)('%j → %s', (test, expected) => {
    expect(testHolds(test as Parameters<typeof testHolds>[0], vars, 0)).toBe(expected);
  });
});
