// How a finished call ended, read from its own stream: exactly one terminal outcome, or an error naming what is
// wrong (no CallEnded, two of them, or a history that fits no outcome). Used by the end-to-end checks.
import type { RecordedEvent } from '../../adapters/event-store/port.ts';

/** The terminal outcomes of an inbound call. */
export const CALL_OUTCOMES = ['handled', 'abandoned_in_ivr', 'abandoned_in_queue', 'overflowed', 'callback_completed', 'callback_failed', 'self_served_in_ivr', 'ended_otherwise'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The outcome of one call's events, or a reason why it has none. */
export function outcomeOf(events: readonly RecordedEvent[]): { outcome: CallOutcome } | { problem: string } {
  const types = events.map((e) => e.type);
  const ended = types.filter((t) => t === 'CallEnded').length;
  if (ended === 0) return { problem: 'no CallEnded' };
  if (ended > 1) return { problem: `${ended} CallEnded` };
  const end = events.find((e) => e.type === 'CallEnded')!;
  const afterEnd = types.slice(types.indexOf('CallEnded') + 1).filter((t) => t !== 'CallDispositioned');
  if (afterEnd.length > 0) return { problem: `events after CallEnded: ${afterEnd.join(', ')}` };
  // A callback is completed when its customer leg answered and was connected to the agent.
  if (types.includes('CallbackCompleted') && types.includes('CallConnected')) return { outcome: 'callback_completed' };
  // Every attempt to call the customer back failed (no answer, busy) and no retry is left.
  const lastFailed = events.filter((e) => e.type === 'CallbackFailed').at(-1);
  if (lastFailed && (lastFailed.data as { willRetry?: boolean }).willRetry === false && !types.includes('CallConnected')) return { outcome: 'callback_failed' };
  if ((end.data as { answered?: boolean }).answered === true) return { outcome: 'handled' };
  const abandoned = events.filter((e) => e.type === 'CallAbandoned');
  if (abandoned.length > 1) return { problem: 'abandoned twice' };
  if (abandoned.length === 1) return { outcome: (abandoned[0]!.data as { where: string }).where === 'ivr' ? 'abandoned_in_ivr' : 'abandoned_in_queue' };
  const ivr = events.find((e) => e.type === 'IvrCompleted');
  if (ivr && (ivr.data as { outcome?: string }).outcome === 'self_served' && !types.includes('CallQueued')) return { outcome: 'self_served_in_ivr' };
  const lastOverflow = events.filter((e) => e.type === 'CallOverflowed').at(-1);
  if (lastOverflow && (lastOverflow.data as { exit?: { kind?: string } }).exit?.kind !== 'queue') return { outcome: 'overflowed' };
  return { outcome: 'ended_otherwise' };
}
