// At-most-once switch commands. Before the engine sends a command with an effect that must not happen twice
// (originate, bridge), it claims the command's key by appending SwitchCommandIssued to `switchcmd-<uuid(key)>` with
// expected revision no_stream. Only the writer whose append created the stream sends; anyone else (another engine
// instance, or this one after a restart) sees the claim and checks the switch's state instead. A crash between the
// claim and the send leaves a claimed, unsent command: its effect never happens, and the timer that guards it (the
// offer's ring timeout) resolves it. The claim's event id is unique per attempt on purpose: an idempotent replay of
// the same id would let a restarted writer believe it created the claim and send twice.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { WrongExpectedVersionError } from '../../adapters/event-store/errors.ts';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineEvent, upcast } from '../../domain/events/event-definition.ts';
import { uuidV5 } from '../../domain/ids/deterministic-id.ts';

export const SwitchCommandIssued = defineEvent({
  type: 'SwitchCommandIssued',
  category: 'switchcmd',
  schema: z.object({
    key: z.string().min(1).max(400),
    command: z.string().min(1).max(50),
    switchId: z.string().min(1),
    at: z.int().nonnegative(),
    /** The instance that claimed it (for operators reading the log). */
    issuer: z.string().min(1).max(200),
  }),
  description: 'The engine claimed a switch command with an effect that must happen at most once, and sent it.',
});

export const SwitchCommandRefused = defineEvent({
  type: 'SwitchCommandRefused',
  category: 'switchcmd',
  schema: z.object({
    key: z.string().min(1).max(400),
    at: z.int().nonnegative(),
    /** Why the switch refused it (its reply). */
    reason: z.string().min(1).max(400),
  }),
  description: 'The switch refused a claimed command (a leg it names is gone): it never took effect.',
});

/** The stream holding the claim of `key`. */
export const switchCommandStream = (key: string): string => `switchcmd-${uuidV5(`switchcmd|${key}`)}`;

/** True when this caller claimed `key` and must send the command; false when it was claimed before. */
export async function claimSwitchCommand(
  store: EventStore,
  claim: { readonly key: string; readonly command: string; readonly switchId: string; readonly at: number; readonly issuer: string },
): Promise<boolean> {
  try {
    await store.appendToStream(
      switchCommandStream(claim.key),
      [{ id: randomUUID(), type: SwitchCommandIssued.type, data: { ...claim }, metadata: { schemaVersion: 1, causationId: claim.key } }],
      { expectedRevision: 'no_stream' },
    );
    return true;
  } catch (e) {
    if (e instanceof WrongExpectedVersionError) return false;
    throw e;
  }
}

/** True when `key` was claimed (the command was, or may have been, sent). */
export async function isSwitchCommandClaimed(store: EventStore, key: string): Promise<boolean> {
  try {
    for await (const e of store.readStream(switchCommandStream(key), { maxCount: 1 })) return parseClaim(e) !== undefined;
  } catch (e) {
    if ((e as { code?: string }).code === 'STREAM_NOT_FOUND') return false;
    throw e;
  }
  return false;
}

/** Records that the switch refused the claimed command `key`: it is known not to have taken effect. */
export async function recordSwitchCommandRefused(store: EventStore, key: string, at: number, reason: string): Promise<void> {
  try {
    await store.appendToStream(
      switchCommandStream(key),
      [{ id: uuidV5(`switchcmd-refused|${key}`), type: SwitchCommandRefused.type, data: { key, at, reason: reason.slice(0, 400) || 'refused' }, metadata: { schemaVersion: 1, causationId: key } }],
      { expectedRevision: 0n },
    );
  } catch (e) {
    // Recorded already (a retry), or not claimed by anyone: nothing to add.
    if (!(e instanceof WrongExpectedVersionError)) throw e;
  }
}

/** True when `key` was claimed and the switch may have carried it out (not known to have refused it). */
export async function mayHaveTakenEffect(store: EventStore, key: string): Promise<boolean> {
  let claimed = false;
  try {
    for await (const e of store.readStream(switchCommandStream(key), { maxCount: 2 })) {
      if (e.type === SwitchCommandRefused.type) return false;
      if (parseClaim(e) !== undefined) claimed = true;
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'STREAM_NOT_FOUND') return false;
    throw e;
  }
  return claimed;
}

function parseClaim(e: RecordedEvent): z.infer<typeof SwitchCommandIssued.schema> | undefined {
  return e.type === SwitchCommandIssued.type ? upcast(SwitchCommandIssued, 1, e.data) : undefined;
}
