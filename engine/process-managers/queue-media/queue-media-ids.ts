// Deterministic ids of the queue media manager. Commands that go into the log derive from the call stream and a
// count folded from that stream (the n-th announcement, the n-th callback request), so two instances, a restart or
// a repeated switch fact all produce the same id and the decider's duplicate check makes them land once.
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';

/** Command id of the `n`-th wait-estimate announcement of a call (1-based, over the call's whole life). */
export const announceCommandId = (callStream: string, n: number): string => uuidV5(`queue-media|${callStream}|announce|${n}`);

/** Command id of the `n`-th callback request of a call (1-based). */
export const callbackRequestCommandId = (callStream: string, n: number): string => uuidV5(`queue-media|${callStream}|callback|${n}`);

/** Playback id of the `n`-th announcement (the same number as its command). */
export const announcePlaybackId = (callStream: string, n: number): string => `queue-media|${callStream}|announce|${n}`;

/**
 * Playback id of the confirmation played after the `n`-th callback request: its `playback_done` fact is what the
 * routing manager should wait for before it releases the caller leg (see README.md).
 */
export const callbackConfirmationPlaybackId = (callStream: string, n: number): string => `queue-media|${callStream}|callback-confirmed|${n}`;

/**
 * Playback id of hold music, a callback offer or a comfort prompt: not recorded in the log, so it carries the
 * instance and its start (`epoch`) to stay unique across restarts, and a per-call sequence number.
 */
export const mediaPlaybackId = (callStream: string, what: string, epoch: string, seq: number): string => `queue-media|${callStream}|${what}|${epoch}|${seq}`;

/** The switch command id of a play: from its playback id (a retried play reuses it). */
export const playCommandId = (playbackId: string): string => uuidV5(`queue-media|play|${playbackId}`);

/** The switch command id of a media stop, from the call revision that made the caller leave the queue. */
export const stopCommandId = (callStream: string, revision: bigint): string => uuidV5(`queue-media|${callStream}|stop|${revision}`);
