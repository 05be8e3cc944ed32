import type { ServiceLevelFormula } from '../shared/contact-center.ts';
import { waitOf, type QueueContact } from './queue-contact.ts';

/** Options of the service-level formulas. */
export interface ServiceLevelOptions {
  /** T: a contact is "within" when it left the queue after at most this wait (wait ≤ T, inclusive). */
  readonly thresholdMs: number;
  /** genesys only: count overflowed (flowed-out) contacts in the denominator. Default false. */
  readonly includeFlowOuts?: boolean;
  /** genesys only: abandons with wait < this are short abandons, left out of the denominator. Default 0 (none). */
  readonly shortAbandonMs?: number;
}

interface Tally {
  answered: number;
  answeredWithin: number;
  abandoned: number;
  abandonedWithin: number;
  shortAbandoned: number;
  callback: number;
  callbackWithin: number;
  overflowed: number;
}

function tally(contacts: Iterable<QueueContact>, options: ServiceLevelOptions): Tally {
  const t: Tally = { answered: 0, answeredWithin: 0, abandoned: 0, abandonedWithin: 0, shortAbandoned: 0, callback: 0, callbackWithin: 0, overflowed: 0 };
  const short = options.shortAbandonMs ?? 0;
  for (const c of contacts) {
    if (c.leftAt === null) continue;
    const wait = waitOf(c);
    const within = wait <= options.thresholdMs ? 1 : 0;
    switch (c.outcome) {
      case 'answered':
        t.answered += 1;
        t.answeredWithin += within;
        break;
      case 'abandoned':
        t.abandoned += 1;
        t.abandonedWithin += within;
        if (wait < short) t.shortAbandoned += 1;
        break;
      case 'callback':
        t.callback += 1;
        t.callbackWithin += within;
        break;
      case 'overflowed':
        t.overflowed += 1;
        break;
      case 'waiting':
        break;
    }
  }
  return t;
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/**
 * Service level of contacts that have left the queue (the caller picks them, usually by `leftAt` in a window),
 * by one of the four published formulas; null when the denominator is zero.
 * - asterisk-sl: answered within T / answered.
 * - asterisk-sl2: (answered within T + abandoned within T) / (answered + abandoned).
 * - amazon: left within T (answered, abandoned or callback) / left (answered + abandoned + callback).
 * - genesys: (answered − answered after T) / (answered + abandoned − short abandons [+ overflowed]).
 */
export function serviceLevel(formula: ServiceLevelFormula, contacts: Iterable<QueueContact>, options: ServiceLevelOptions): number | null {
  return serviceLevelFromTally(formula, tally(contacts, options), options);
}

/** All four formulas at once, over one pass. */
export function serviceLevels(contacts: Iterable<QueueContact>, options: ServiceLevelOptions): Record<ServiceLevelFormula, number | null> {
  const t = tally(contacts, options);
  return {
    'asterisk-sl': serviceLevelFromTally('asterisk-sl', t, options),
    'asterisk-sl2': serviceLevelFromTally('asterisk-sl2', t, options),
    amazon: serviceLevelFromTally('amazon', t, options),
    genesys: serviceLevelFromTally('genesys', t, options),
  };
}

function serviceLevelFromTally(formula: ServiceLevelFormula, t: Tally, options: ServiceLevelOptions): number | null {
  switch (formula) {
    case 'asterisk-sl':
      return ratio(t.answeredWithin, t.answered);
    case 'asterisk-sl2':
      return ratio(t.answeredWithin + t.abandonedWithin, t.answered + t.abandoned);
    case 'amazon':
      return ratio(t.answeredWithin + t.abandonedWithin + t.callbackWithin, t.answered + t.abandoned + t.callback);
    case 'genesys': {
      const answeredAfter = t.answered - t.answeredWithin;
      const flowOuts = options.includeFlowOuts ? t.overflowed : 0;
      return ratio(t.answered - answeredAfter, t.answered + t.abandoned - t.shortAbandoned + flowOuts);
    }
  }
}
