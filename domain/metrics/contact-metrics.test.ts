import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abandonmentRate, averageHandleTime, averageSpeedOfAnswer, longestWait } from './contact-metrics.ts';
import { contact } from './metric-fixtures.ts';
import { QUEUE_CONTACT_OUTCOMES } from './queue-contact.ts';

describe('ASA', () => {
  it('is the mean queue time of answered contacts only', () => {
    const cs = [contact('answered', 10), contact('answered', 30), contact('abandoned', 100), contact('callback', 200)];
    expect(averageSpeedOfAnswer(cs)).toBe(20_000);
    expect(averageSpeedOfAnswer([contact('abandoned', 5)])).toBeNull();
  });
});

describe('AHT', () => {
  it('is (talk + hold + after-call work) per handled contact', () => {
    const cs = [
      contact('answered', 10, { talkMs: 120_000, holdMs: 30_000, wrapMs: 15_000, handledAt: 2_000_000 }),
      contact('answered', 10, { talkMs: 200_000, holdMs: 0, wrapMs: 35_000, handledAt: 2_000_000 }),
      contact('answered', 10, { talkMs: 50_000 }), // still being handled: not counted
    ];
    expect(averageHandleTime(cs)).toBe((165_000 + 235_000) / 2);
    expect(averageHandleTime([contact('answered', 1)])).toBeNull();
  });
});

describe('abandonment rate', () => {
  const now = 10_000_000;
  it('is abandoned / entered; callbacks and overflows are not abandons; waiting contacts count as entered', () => {
    const cs = [contact('answered', 10), contact('abandoned', 50), contact('callback', 20), contact('overflowed', 90), contact('waiting', 0)];
    expect(abandonmentRate(cs, now)).toBe(1 / 5);
  });
  it('leaves short abandons out of both sides when configured', () => {
    const cs = [contact('answered', 10), contact('abandoned', 3), contact('abandoned', 8), contact('abandoned', 50)];
    expect(abandonmentRate(cs, now)).toBe(3 / 4);
    expect(abandonmentRate(cs, now, { shortAbandonMs: 5_000 })).toBe(2 / 3);
    expect(abandonmentRate(cs, now, { shortAbandonMs: 60_000 })).toBe(0);
    expect(abandonmentRate([contact('abandoned', 1)], now, { shortAbandonMs: 5_000 })).toBeNull();
  });
  it('counts an abandon only once it happened by now', () => {
    const c = contact('abandoned', 30, { enteredAt: 1_000_000 });
    expect(abandonmentRate([c], 1_000_000 + 29_999)).toBe(0);
    expect(abandonmentRate([c], 1_000_000 + 30_000)).toBe(1);
  });
  it('is within [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ o: fc.constantFrom(...QUEUE_CONTACT_OUTCOMES), w: fc.integer({ min: 0, max: 600 }) }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 60_000 }),
        (specs, shortAbandonMs) => {
          const v = abandonmentRate(specs.map((s) => contact(s.o, s.w)), now, { shortAbandonMs });
          if (v !== null) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('longest wait', () => {
  it('is the age at now of the oldest contact still waiting at now', () => {
    const now = 5_000_000;
    const cs = [
      contact('waiting', 0, { enteredAt: now - 90_000 }),
      contact('waiting', 0, { enteredAt: now - 30_000 }),
      contact('answered', 500, { enteredAt: now - 400_000 }), // left 100 s after now: still waiting at now
      contact('answered', 10, { enteredAt: now - 400_000 }), // left long before now
      contact('waiting', 0, { enteredAt: now + 1 }), // not yet entered
    ];
    expect(longestWait(cs, now)).toBe(400_000);
    expect(longestWait([contact('answered', 1)], now)).toBe(0);
  });
});
