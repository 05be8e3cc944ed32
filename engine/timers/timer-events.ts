// Engine events (not contact-center domain): durable timers. A timer lives in stream `timer-<timerId>`:
// TimerScheduled first, then at most one of TimerFired / TimerCancelled. The domain registry does not know these
// types; the timer service reads them through parseTimerEvent.
import { z } from 'zod';
import { defineEvent, upcast } from '../../domain/events/event-definition.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { tenantSchema } from '../../domain/shared/tenant-stream.ts';

const category = 'timer';
const epochMs = z.int().nonnegative();
const timerId = z.string().min(1).max(300);

/**
 * The command a timer dispatches: a complete domain command (type, commandId, at, …) for a stream category, in a
 * tenant (absent: the default tenant's bare streams). The target stream is `<category>-<tenant>.<id>`.
 */
export const timerCommandSchema = z.object({
  category: z.enum(['agent', 'call', 'queue']),
  tenant: tenantSchema.optional(),
  command: z.looseObject({ type: z.string().min(1), commandId: z.string().min(1), at: epochMs }),
});
export type TimerCommand = z.infer<typeof timerCommandSchema>;

export const TimerScheduled = defineEvent({
  type: 'TimerScheduled',
  category,
  schema: z.object({ timerId, at: epochMs, dueAt: epochMs, purpose: z.string().min(1).max(100), dispatch: timerCommandSchema }),
  description: 'A timer was set: at `dueAt` the engine dispatches `dispatch.command` (idempotent by its commandId).',
});

export const TimerFired = defineEvent({
  type: 'TimerFired',
  category,
  schema: z.object({
    timerId,
    at: epochMs,
    outcome: z.enum(['applied', 'duplicate', 'refused']),
    /** The decider's error code when the command was refused (e.g. the offer was already answered). */
    code: z.string().nullable(),
  }),
  description: 'The timer was due and its command was dispatched: applied, already applied, or refused by the decider.',
});

export const TimerCancelled = defineEvent({
  type: 'TimerCancelled',
  category,
  schema: z.object({ timerId, at: epochMs, reason: z.string().min(1).max(200) }),
  description: 'The timer was cancelled before it fired.',
});

export const timerEvents = [TimerScheduled, TimerFired, TimerCancelled] as const;

export type TimerEvent =
  | { readonly type: 'TimerScheduled'; readonly data: z.infer<typeof TimerScheduled.schema> }
  | { readonly type: 'TimerFired'; readonly data: z.infer<typeof TimerFired.schema> }
  | { readonly type: 'TimerCancelled'; readonly data: z.infer<typeof TimerCancelled.schema> };

/** The stream of a timer. */
export const timerStream = (id: string): string => `timer-${id}`;

/** A stored timer event, upcast and validated; EVENT_TYPE_UNKNOWN for anything else. */
export function parseTimerEvent(recorded: RecordedEvent): TimerEvent {
  const def = timerEvents.find((d) => d.type === recorded.type);
  if (!def) throw new LedgerlineError('EVENT_TYPE_UNKNOWN', `Not a timer event: ${recorded.type}`, { type: recorded.type });
  const version = typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1;
  return { type: def.type, data: upcast(def as typeof TimerScheduled, version, recorded.data) } as TimerEvent;
}
