import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVICE_LEVEL_FORMULAS } from '../shared/contact-center.ts';
import { contact } from './metric-fixtures.ts';
import { QUEUE_CONTACT_OUTCOMES, type QueueContact } from './queue-contact.ts';
import { serviceLevel, serviceLevels } from './service-level.ts';

const T = { thresholdMs: 20_000 };

describe('service level formulas (hand-computed)', () => {
  // 4 answered (2 within 20 s: 5 s and exactly 20 s; 2 after: 21 s, 60 s), 3 abandoned (2 s, 10 s, 45 s),
  // 1 callback after 30 s, 1 overflow after 90 s, 1 still waiting.
  const contacts: QueueContact[] = [
    contact('answered', 5),
    contact('answered', 20),
    contact('answered', 21),
    contact('answered', 60),
    contact('abandoned', 2),
    contact('abandoned', 10),
    contact('abandoned', 45),
    contact('callback', 30),
    contact('overflowed', 90),
    contact('waiting', 0),
  ];

  it('asterisk-sl = answered within T / answered (T inclusive)', () => {
    expect(serviceLevel('asterisk-sl', contacts, T)).toBe(2 / 4);
  });
  it('asterisk-sl2 = (answered within + abandoned within) / (answered + abandoned)', () => {
    expect(serviceLevel('asterisk-sl2', contacts, T)).toBe((2 + 2) / (4 + 3));
  });
  it('amazon = removed within T / removed (answered, abandoned, callback)', () => {
    expect(serviceLevel('amazon', contacts, T)).toBe((2 + 2 + 0) / (4 + 3 + 1));
  });
  it('genesys = (answered − answered after T) / (answered + abandoned), flow-outs and short abandons optional', () => {
    expect(serviceLevel('genesys', contacts, T)).toBe((4 - 2) / (4 + 3));
    expect(serviceLevel('genesys', contacts, { ...T, includeFlowOuts: true })).toBe(2 / (4 + 3 + 1));
    // Short abandons (< 5 s) leave the denominator: the 2 s abandon only.
    expect(serviceLevel('genesys', contacts, { ...T, shortAbandonMs: 5_000 })).toBe(2 / (4 + 2));
    // A 10 s threshold removes the 2 s abandon but not the 10 s one (short is strictly below).
    expect(serviceLevel('genesys', contacts, { ...T, shortAbandonMs: 10_000, includeFlowOuts: true })).toBe(2 / (4 + 2 + 1));
  });

  it('is null without a denominator: zero answered, nothing left the queue', () => {
    const allAbandoned = [contact('abandoned', 3), contact('abandoned', 40)];
    expect(serviceLevels(allAbandoned, T)).toEqual({ 'asterisk-sl': null, 'asterisk-sl2': 1 / 2, amazon: 1 / 2, genesys: 0 });
    expect(serviceLevels([contact('waiting', 0)], T)).toEqual({ 'asterisk-sl': null, 'asterisk-sl2': null, amazon: null, genesys: null });
    expect(serviceLevels([contact('abandoned', 1)], { ...T, shortAbandonMs: 5_000 }).genesys).toBeNull();
  });

  it('counts callbacks only in amazon, and never as abandons', () => {
    const withCallbacks = [contact('answered', 5), contact('callback', 10), contact('callback', 50)];
    expect(serviceLevels(withCallbacks, T)).toEqual({ 'asterisk-sl': 1, 'asterisk-sl2': 1, amazon: 2 / 3, genesys: 1 });
  });
});

const arbContact = fc
  .record({ outcome: fc.constantFrom(...QUEUE_CONTACT_OUTCOMES), waitS: fc.integer({ min: 0, max: 300 }) })
  .map(({ outcome, waitS }) => contact(outcome, waitS));

describe('service level properties', () => {
  it('every formula is within [0, 1] or null', () => {
    fc.assert(
      fc.property(fc.array(arbContact, { maxLength: 40 }), fc.integer({ min: 0, max: 120_000 }), fc.boolean(), fc.integer({ min: 0, max: 30_000 }), (cs, thresholdMs, includeFlowOuts, shortAbandonMs) => {
        for (const formula of SERVICE_LEVEL_FORMULAS) {
          const v = serviceLevel(formula, cs, { thresholdMs, includeFlowOuts, shortAbandonMs });
          if (v !== null) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('with only answered contacts the four formulas agree (their definitions coincide)', () => {
    const answeredOnly = fc.array(
      fc.integer({ min: 0, max: 300 }).map((w) => contact('answered', w)),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(answeredOnly, fc.integer({ min: 0, max: 120_000 }), (cs, thresholdMs) => {
        const v = serviceLevels(cs, { thresholdMs });
        expect(v['asterisk-sl2']).toBe(v['asterisk-sl']);
        expect(v.amazon).toBe(v['asterisk-sl']);
        expect(v.genesys).toBe(v['asterisk-sl']);
      }),
    );
  });

  it('with answered and abandoned only, amazon = asterisk-sl2, and genesys ≤ asterisk-sl', () => {
    const mixed = fc.array(
      fc.record({ outcome: fc.constantFrom('answered' as const, 'abandoned' as const), waitS: fc.integer({ min: 0, max: 300 }) }).map(({ outcome, waitS }) => contact(outcome, waitS)),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(mixed, fc.integer({ min: 0, max: 120_000 }), (cs, thresholdMs) => {
        const v = serviceLevels(cs, { thresholdMs });
        expect(v.amazon).toBe(v['asterisk-sl2']);
        if (v['asterisk-sl'] !== null) expect(v.genesys!).toBeLessThanOrEqual(v['asterisk-sl']);
      }),
    );
  });
});
