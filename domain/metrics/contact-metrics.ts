import { waitOf, type QueueContact } from './queue-contact.ts';

/** ASA: mean queue time (leftAt − enteredAt) of the answered contacts given; null when none was answered. */
export function averageSpeedOfAnswer(contacts: Iterable<QueueContact>): number | null {
  let n = 0;
  let sum = 0;
  for (const c of contacts) {
    if (c.outcome !== 'answered' || c.leftAt === null) continue;
    n += 1;
    sum += waitOf(c);
  }
  return n === 0 ? null : sum / n;
}

/** AHT: (talk + hold + after-call work) / handled contacts, over contacts whose handling ended (handledAt set). */
export function averageHandleTime(contacts: Iterable<QueueContact>): number | null {
  let n = 0;
  let sum = 0;
  for (const c of contacts) {
    if (c.handledAt === null) continue;
    n += 1;
    sum += c.talkMs + c.holdMs + c.wrapMs;
  }
  return n === 0 ? null : sum / n;
}

/** Options of the abandonment rate. */
export interface AbandonmentOptions {
  /** Abandons with a wait < this are short abandons: left out of numerator and denominator. Default 0 (none). */
  readonly shortAbandonMs?: number;
}

/**
 * Abandonment rate: abandoned / entered queue, over the contacts given (the caller picks them by `enteredAt`),
 * counting only abandons that happened by `now`. Callbacks and overflows are not abandons; null when none entered.
 */
export function abandonmentRate(contacts: Iterable<QueueContact>, now: number, options: AbandonmentOptions = {}): number | null {
  const short = options.shortAbandonMs ?? 0;
  let entered = 0;
  let abandoned = 0;
  for (const c of contacts) {
    const abandonedByNow = c.outcome === 'abandoned' && c.leftAt !== null && c.leftAt <= now;
    if (abandonedByNow && waitOf(c) < short) continue;
    entered += 1;
    if (abandonedByNow) abandoned += 1;
  }
  return entered === 0 ? null : abandoned / entered;
}

/** Age at `now` of the oldest contact still waiting at `now` (entered by now, not left by now); 0 when none. */
export function longestWait(contacts: Iterable<QueueContact>, now: number): number {
  let oldest = 0;
  for (const c of contacts) {
    if (c.enteredAt > now) continue;
    if (c.leftAt !== null && c.leftAt <= now) continue;
    oldest = Math.max(oldest, now - c.enteredAt);
  }
  return oldest;
}
