// The queue media process manager: what a caller hears, and can do, while waiting in a queue.
//   - Hold music (the queue's `announcements.musicOnHold`, else the switch default) plays on the caller leg, again
//     each time it ends, from the moment the call is queued until it leaves the queue.
//   - The wait estimate is announced every `announcements.estimatedWait.everySeconds` (and on entry when its
//     `onEntry` is set): computed with the domain's estimateWait from the fold of the log (callers ahead, the
//     queue's serving and free agents, its recent handle times), recorded first (AnnounceWaitEstimate, command id from
//     the call stream and the announcement number), played only when this manager's command wrote it.
//   - When the queue offers callbacks, the caller is told which key to press once `offerAfterSeconds` have passed;
//     that key on the caller leg records RequestCallback (command id from the call stream and the request number, so a
//     repeated fact lands once), media stops and a confirmation plays. The routing manager schedules the callback and
//     releases the leg.
//   - When the call leaves the queue for an agent (offered) or a callback, playing media is stopped (uuid_break)
//     before the routing manager's bridge; a port without `stopMedia` leaves it to the bridge (see README.md).
//
// Timers: the next announcement is NOT a durable timer: it is recomputed from the log on start (the last
// WaitEstimateAnnounced of the wait, or the wait's start, plus the interval). A durable timer would dispatch a command
// fixed when it was scheduled, while an announcement's estimate must be computed when it is due, from the queue as it
// is then; and the log already holds everything the due time derives from, so nothing is lost by not storing it.
// An announcement that fell due while no manager ran is made once, at start; recorded ones are never repeated.
//
// All work (log events, switch facts, timers) runs one task at a time through a mailbox.
import type { EventStore, Position, RecordedEvent, StreamSubscription } from '../../../adapters/event-store/port.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { QueueConfig } from '../../../domain/queue/queue-config.ts';
import { estimateWait } from '../../../domain/routing/wait-estimate.ts';
import type { Clock, ClockTimer } from '../../clock.ts';
import { handleCommand, toDomainEvent } from '../../command-handling/handle-command.ts';
import type { SwitchCommandBase, SwitchFact, SwitchPort } from '../../ports/switch-port.ts';
import {
  announceCommandId,
  announcePlaybackId,
  callbackConfirmationPlaybackId,
  callbackRequestCommandId,
  mediaPlaybackId,
  playCommandId,
  stopCommandId,
} from './queue-media-ids.ts';
import { nextAnnouncementAt, QueueMediaModel, type MediaCall } from './queue-media-model.ts';
import { defaultQueuePromptPath, type QueuePrompt } from './queue-prompts.ts';

export interface QueueMediaManagerOptions {
  readonly store: EventStore;
  /** The switch: `stopMedia` (uuid_break all) stops media before announcements and bridges. */
  readonly switchPort: SwitchPort;
  readonly clock: Clock;
  /** This instance's name (the actor of its commands, and part of its playback ids). */
  readonly instanceId: string;
  /** Errors the manager survived (a failed switch command, an unreadable event). */
  readonly onError?: (error: unknown, context: string) => void;
  /** Where a prompt is found (default: the queue's music on hold, TTS `say:` text for spoken prompts). */
  readonly promptPath?: (p: QueuePrompt) => string;
  /** How many recent handle times per queue feed the estimate (default 50). */
  readonly handleTimeSamples?: number;
  /**
   * Which calls this instance plays to (default: all). Several instances must split the calls between them (e.g. by
   * a hash of the stream name): each plays hold music to the calls it owns. Announcements and callback requests are
   * idempotent by command id anyway, but music and offers would be heard twice.
   */
  readonly ownsCall?: (callStream: string) => boolean;
}

/** The optional port command this manager uses when present: stop what a leg is playing (`uuid_break <uuid> all`). */
export interface MediaStopper {
  stopMedia(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
}

interface PlayItem {
  readonly prompt: QueuePrompt;
  readonly playbackId: string;
}

/** What the manager is doing on one waiting caller's leg (in memory only: media is not part of the log). */
interface LegMedia {
  readonly queueStream: string;
  readonly switchId: string;
  readonly legUuid: string;
  playing: { readonly playbackId: string; readonly kind: QueuePrompt['kind'] } | null;
  readonly playlist: PlayItem[];
  seq: number;
  announceTimer: { readonly at: number; readonly timer: ClockTimer } | undefined;
  offerTimer: ClockTimer | undefined;
  /** The callback key was told during this wait (by an announcement or on its own). */
  callbackOffered: boolean;
  /** The last due announcement that recorded nothing (no estimate possible, or refused): the interval counts from it. */
  lastUnrecordedAt: number | null;
}

/**
 * Statuses in which media left playing is stopped: an agent is being rung, the caller asked for a callback, or the
 * call still waits but is no longer ours to play to (its queue was deleted).
 */
const STOP_ON = new Set(['offered', 'ringing', 'callback_requested', 'queued']);

type Outcome = 'applied' | 'duplicate' | 'refused';

/** See the module comment. `start()` catches up from the log, then serves; `stop()` ends it. */
export class QueueMediaManager {
  readonly model: QueueMediaModel;
  readonly #o: QueueMediaManagerOptions;
  readonly #promptPath: (p: QueuePrompt) => string;
  readonly #stopper: MediaStopper | undefined;
  readonly #media = new Map<string, LegMedia>();
  #epoch = '';
  #subscription: StreamSubscription | undefined;
  #facts: AsyncIterator<SwitchFact> | undefined;
  #loops: Promise<void>[] = [];
  #mailbox: Promise<void> = Promise.resolve();
  #live = false;
  #stopped = false;
  /** Counters for tests. */
  readonly stats = { announced: 0, comforted: 0, callbacksRequested: 0, stops: 0, legsGone: 0 };

  constructor(options: QueueMediaManagerOptions) {
    this.#o = options;
    this.model = new QueueMediaModel(options.handleTimeSamples !== undefined ? { handleTimeSamples: options.handleTimeSamples } : {});
    this.#promptPath = options.promptPath ?? defaultQueuePromptPath;
    this.#stopper = { stopMedia: (r) => options.switchPort.stopMedia(r) };
  }

  /** Catches up from the start of the log, puts every waiting caller's media in place, then follows the log and the switch. */
  async start(): Promise<void> {
    this.#epoch = `${this.#o.instanceId}@${this.#o.clock.now()}`;
    const head = await this.#o.store.headPosition();
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    const reached = (p: Position): boolean => head === undefined || p.commit > head.commit || (p.commit === head.commit && p.prepare >= head.prepare);
    if (head === undefined) caughtUp();
    const sub = this.#o.store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamNamePrefixes: ['call-', 'agent-', 'queue-'] },
      onCheckpoint: (p) => {
        if (reached(p)) caughtUp();
      },
    });
    this.#subscription = sub;
    this.#loops.push(
      (async () => {
        try {
          for await (const recorded of sub) {
            if (this.#stopped) break;
            await this.#enqueue(() => this.#onRecorded(recorded), 'event');
            if (reached(recorded.position)) caughtUp();
          }
        } catch (error) {
          if (!this.#stopped) this.#o.onError?.(error, 'subscription');
        }
      })(),
    );
    await ready;
    await this.#enqueue(async () => {
      this.#live = true;
      for (const stream of [...this.model.calls.keys()]) await this.#refresh(stream, true);
    }, 'resume');
    const facts = this.#o.switchPort.facts()[Symbol.asyncIterator]();
    this.#facts = facts;
    this.#loops.push(
      (async () => {
        while (!this.#stopped) {
          const r = await facts.next();
          if (r.done || this.#stopped) break;
          const f = r.value;
          if (f.kind === 'dtmf' || f.kind === 'playback_done') void this.#enqueue(() => this.#onFact(f), `fact ${f.kind}`);
        }
      })(),
    );
  }

  /** Stops following the log and the switch; waits for the task in hand. Media already playing is left alone. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const m of this.#media.values()) this.#cancelTimers(m);
    await this.#subscription?.unsubscribe();
    await this.#facts?.return?.();
    await this.#mailbox.catch(() => undefined);
  }

  /** Resolves when no task is queued (tests). */
  async idle(): Promise<void> {
    for (;;) {
      const before = this.#mailbox;
      await before;
      await new Promise((r) => setImmediate(r));
      if (before === this.#mailbox) return;
    }
  }

  #enqueue(task: () => Promise<void>, what: string): Promise<void> {
    const next = this.#mailbox.then(async () => {
      if (this.#stopped) return;
      try {
        await task();
      } catch (error) {
        this.#o.onError?.(error, what);
      }
    });
    this.#mailbox = next;
    return next;
  }

  // ---- the log ---------------------------------------------------------------------------------------------------

  async #onRecorded(r: RecordedEvent): Promise<void> {
    const known = this.model.revisionOf(r.streamId);
    if (known !== undefined && r.revision <= known) return;
    if (r.revision > (known ?? -1n) + 1n) {
      // The model misses earlier events of this stream (only possible after a bounded forget): read them.
      await this.#sync(r.streamId);
      return;
    }
    try {
      if (!this.model.apply(r.streamId, r.revision, toDomainEvent(r))) return;
    } catch (error) {
      this.#o.onError?.(error, `unreadable event ${r.type} in ${r.streamId}`);
      return;
    }
    await this.#changed(r.streamId);
  }

  /** Reads the stream's events the model lacks and applies them (our own commands' events arrive here first). */
  async #sync(stream: string): Promise<void> {
    const known = this.model.revisionOf(stream);
    let applied = false;
    try {
      for await (const r of this.#o.store.readStream(stream, { fromRevision: known === undefined ? 0n : known + 1n })) {
        if (this.model.apply(stream, r.revision, toDomainEvent(r))) applied = true;
      }
    } catch (error) {
      if (!isLedgerlineError(error, 'STREAM_NOT_FOUND')) throw error;
    }
    if (applied) await this.#changed(stream);
  }

  async #changed(stream: string): Promise<void> {
    if (!this.#live) return;
    if (stream.startsWith('call-')) {
      await this.#refresh(stream);
    } else if (stream.startsWith('queue-')) {
      // Announcement or callback settings may have changed: re-arm every caller waiting in this queue.
      for (const [callStream, m] of [...this.#media]) if (m.queueStream === stream) await this.#refresh(callStream);
    }
  }

  // ---- a caller's media ------------------------------------------------------------------------------------------

  /**
   * Puts the caller's media in line with the call's state: starts it on entering a queue, stops it on leaving.
   * `resuming`: the call was waiting before this instance started, so what a previous instance left playing on the leg
   * is stopped first (a `sendmsg` playback would otherwise queue behind endless music).
   */
  async #refresh(stream: string, resuming = false): Promise<void> {
    if (this.#o.ownsCall && !this.#o.ownsCall(stream)) return;
    const call = this.model.calls.get(stream);
    let media = this.#media.get(stream);
    const config = call ? this.model.queueConfigOf(call) : undefined;
    const queueStream = call ? this.model.queueStreamOf(call) : undefined;
    if (!call || call.state.status !== 'queued' || !config || !queueStream || !call.legUuid || !call.switchId) {
      if (media) await this.#leave(stream, media, call);
      return;
    }
    if (media && (media.queueStream !== queueStream || media.legUuid !== call.legUuid)) {
      // Moved to another queue (overflow) on the same leg: its own music and rules from now on.
      await this.#leave(stream, media, media.legUuid === call.legUuid ? call : undefined, true);
      media = undefined;
    }
    if (!media) {
      media = {
        queueStream,
        switchId: call.switchId,
        legUuid: call.legUuid,
        playing: null,
        playlist: [],
        seq: 0,
        announceTimer: undefined,
        offerTimer: undefined,
        callbackOffered: false,
        lastUnrecordedAt: null,
      };
      this.#media.set(stream, media);
      if (resuming) await this.#stopMedia(media, call.revision, `${stream}|resume|${this.#epoch}`);
      await this.#playNext(stream, media, call);
    }
    this.#armAnnouncement(stream, media, call, config);
    this.#armCallbackOffer(stream, media, call, config);
  }

  /** The caller left the queue: timers cancelled, and what plays stopped when an agent or a callback comes next. */
  async #leave(stream: string, media: LegMedia, call: MediaCall | undefined, force = false): Promise<void> {
    this.#cancelTimers(media);
    this.#media.delete(stream);
    const wasPlaying = media.playing !== null;
    media.playing = null;
    media.playlist.length = 0;
    // Not after an answer (the bridge takes the leg over), nor on a transfer or hangup exit (they replace the media),
    // nor once the call ended (the leg is gone).
    if (!wasPlaying || !call || (!force && !STOP_ON.has(call.state.status))) return;
    await this.#stopMedia(media, call.revision, call.stream);
  }

  async #stopMedia(media: LegMedia, revision: bigint, stream: string): Promise<void> {
    if (!this.#stopper) return;
    this.stats.stops++;
    try {
      await this.#stopper.stopMedia({ switchId: media.switchId, commandId: stopCommandId(stream, revision), legUuid: media.legUuid });
    } catch (error) {
      this.#mediaFailed(error, `stop media on ${media.legUuid}`);
    }
  }

  /**
   * A media command on a leg the switch no longer has is the ordinary race with the caller's hangup or the agent's
   * bridge (their facts settle the call): counted, not reported. Anything else is an error.
   */
  #mediaFailed(error: unknown, what: string): void {
    if (isLedgerlineError(error, 'ESL_NO_SUCH_CHANNEL')) this.stats.legsGone++;
    else this.#o.onError?.(error, what);
  }

  #cancelTimers(m: LegMedia): void {
    m.announceTimer?.timer.cancel();
    m.announceTimer = undefined;
    m.offerTimer?.cancel();
    m.offerTimer = undefined;
  }

  /** Plays the next prompt waiting, else the hold music again. */
  async #playNext(stream: string, media: LegMedia, call: MediaCall): Promise<void> {
    const config = this.model.queueConfigOf(call);
    const queueId = call.state.queue?.queueId;
    if (!config || queueId === undefined) return;
    const item: PlayItem = media.playlist.shift() ?? {
      prompt: { kind: 'hold-music', queueId, musicOnHold: config.announcements.musicOnHold },
      playbackId: mediaPlaybackId(stream, 'music', this.#epoch, ++media.seq),
    };
    media.playing = { playbackId: item.playbackId, kind: item.prompt.kind };
    try {
      await this.#o.switchPort.play({ switchId: media.switchId, commandId: playCommandId(item.playbackId), legUuid: media.legUuid, path: this.#promptPath(item.prompt), playbackId: item.playbackId });
    } catch (error) {
      // Nothing plays now; the next prompt (an announcement, a callback offer) starts media again.
      media.playing = null;
      this.#mediaFailed(error, `play ${item.prompt.kind} on ${media.legUuid}`);
    }
  }

  /** Plays prompts now: hold music is interrupted when the port can stop it, anything else finishes first. */
  async #say(stream: string, media: LegMedia, call: MediaCall, items: readonly PlayItem[]): Promise<void> {
    media.playlist.push(...items);
    if (media.playing?.kind === 'hold-music' && this.#stopper) {
      media.playing = null; // its playback_done (status break) is now stale
      await this.#stopMedia(media, call.revision, `${stream}|${items[0]?.playbackId ?? ''}`);
    }
    if (media.playing === null) await this.#playNext(stream, media, call);
  }

  #armAnnouncement(stream: string, media: LegMedia, call: MediaCall, config: QueueConfig): void {
    const due = this.#announcementDue(media, call, config);
    if (due === undefined) {
      media.announceTimer?.timer.cancel();
      media.announceTimer = undefined;
      return;
    }
    if (media.announceTimer?.at === due) return;
    media.announceTimer?.timer.cancel();
    // The instant the timer fired is the announcement's time (the task itself may run a little later).
    const timer = this.#o.clock.at(due, () => {
      const firedAt = this.#o.clock.now();
      void this.#enqueue(() => this.#announce(stream, firedAt), `announce ${stream}`);
    });
    media.announceTimer = { at: due, timer };
  }

  #announcementDue(media: LegMedia, call: MediaCall, config: QueueConfig): number | undefined {
    const due = nextAnnouncementAt(call, config);
    if (due === undefined || media.lastUnrecordedAt === null) return due;
    return Math.max(due, media.lastUnrecordedAt + config.announcements.estimatedWait.everySeconds * 1000);
  }

  #armCallbackOffer(stream: string, media: LegMedia, call: MediaCall, config: QueueConfig): void {
    const rules = config.callback;
    if (!rules || media.callbackOffered || media.offerTimer || call.waitStartedAt === null) return;
    const due = call.waitStartedAt + rules.offerAfterSeconds * 1000;
    media.offerTimer = this.#o.clock.at(due, () => void this.#enqueue(() => this.#offerCallback(stream), `callback offer ${stream}`));
  }

  /** The announcement timer fired: estimate, record, play (or a comfort prompt when no estimate can be made). */
  async #announce(stream: string, now: number): Promise<void> {
    await this.#sync(stream);
    const call = this.model.calls.get(stream);
    const media = this.#media.get(stream);
    const config = call ? this.model.queueConfigOf(call) : undefined;
    if (!call || !media || !config || call.state.status !== 'queued') return;
    media.announceTimer = undefined;
    const due = this.#announcementDue(media, call, config);
    if (due === undefined || due > now) return this.#armAnnouncement(stream, media, call, config);
    const input = this.model.waitEstimateInput(call);
    const estimate = input ? estimateWait(input) : undefined;
    const items: PlayItem[] = [];
    const queueId = call.state.queue!.queueId;
    if (input && estimate?.kind === 'estimate') {
      const n = call.announcements + 1;
      const estimatedWaitSeconds = Math.round(estimate.expectedSeconds);
      const position = (input.position ?? 0) + 1;
      const outcome = await this.#callCommand(call, {
        type: 'AnnounceWaitEstimate',
        commandId: announceCommandId(stream, n),
        at: now,
        callId: call.callId,
        estimatedWaitSeconds,
        positionInQueue: position,
        method: estimate.method,
      });
      await this.#sync(stream);
      // A duplicate was recorded before (by us before a restart, or by another instance): it is not played twice.
      // A refusal the log does not explain (the call is still queued here): try again an interval later, not at once.
      if (outcome !== 'applied') {
        const after = this.model.calls.get(stream);
        if (outcome === 'refused' && after?.state.status === 'queued' && this.#media.get(stream) === media) {
          media.lastUnrecordedAt = now;
          this.#armAnnouncement(stream, media, after, config);
        }
        return;
      }
      this.stats.announced++;
      items.push({ prompt: { kind: 'wait-estimate', queueId, estimatedWaitSeconds, position }, playbackId: announcePlaybackId(stream, n) });
    } else {
      this.stats.comforted++;
      media.lastUnrecordedAt = now;
      items.push({ prompt: { kind: 'comfort', queueId }, playbackId: mediaPlaybackId(stream, 'comfort', this.#epoch, ++media.seq) });
    }
    const fresh = this.model.calls.get(stream);
    if (!fresh || fresh.state.status !== 'queued' || this.#media.get(stream) !== media) return;
    const rules = config.callback;
    if (rules && fresh.waitStartedAt !== null && now >= fresh.waitStartedAt + rules.offerAfterSeconds * 1000) {
      media.callbackOffered = true;
      items.push({ prompt: { kind: 'callback-offer', queueId, key: rules.key }, playbackId: mediaPlaybackId(stream, 'callback-offer', this.#epoch, ++media.seq) });
    }
    await this.#say(stream, media, fresh, items);
    this.#armAnnouncement(stream, media, fresh, config);
  }

  async #offerCallback(stream: string): Promise<void> {
    const call = this.model.calls.get(stream);
    const media = this.#media.get(stream);
    const rules = call ? this.model.queueConfigOf(call)?.callback : undefined;
    if (!call || !media || !rules || media.callbackOffered || call.state.status !== 'queued') return;
    media.offerTimer = undefined;
    media.callbackOffered = true;
    const item: PlayItem = { prompt: { kind: 'callback-offer', queueId: call.state.queue!.queueId, key: rules.key }, playbackId: mediaPlaybackId(stream, 'callback-offer', this.#epoch, ++media.seq) };
    await this.#say(stream, media, call, [item]);
  }

  // ---- switch facts ----------------------------------------------------------------------------------------------

  async #onFact(f: SwitchFact): Promise<void> {
    if (f.role !== undefined && f.role !== 'caller' && f.role !== 'outbound') return;
    const stream = f.callId !== undefined ? `call-${f.callId}` : this.model.callByLeg.get(f.legUuid);
    if (stream === undefined || (this.#o.ownsCall && !this.#o.ownsCall(stream))) return;
    if (f.kind === 'playback_done') {
      const media = this.#media.get(stream);
      const call = this.model.calls.get(stream);
      if (!media || !call || media.playing?.playbackId !== f.playbackId) return;
      media.playing = null;
      await this.#playNext(stream, media, call);
      return;
    }
    if (f.kind === 'dtmf') await this.#onDigit(stream, f);
  }

  /** The callback key on a queued caller's leg, once callbacks were offered: RequestCallback, media stopped, confirmation. */
  async #onDigit(stream: string, f: Extract<SwitchFact, { kind: 'dtmf' }>): Promise<void> {
    await this.#sync(stream);
    const call = this.model.calls.get(stream);
    const rules = call ? this.model.queueConfigOf(call)?.callback : undefined;
    if (!call || !rules || call.legUuid !== f.legUuid || call.state.status !== 'queued' || call.waitStartedAt === null) return;
    if (f.digit !== rules.key || f.at < call.waitStartedAt + rules.offerAfterSeconds * 1000) return;
    const n = call.callbackRequests + 1;
    const media = this.#media.get(stream);
    const outcome = await this.#callCommand(call, { type: 'RequestCallback', commandId: callbackRequestCommandId(stream, n), at: f.at, callId: call.callId });
    // Leaving the queue for a callback stops the hold music (refresh → leave).
    await this.#sync(stream);
    if (outcome !== 'applied' || !call.switchId || !call.legUuid) return;
    this.stats.callbacksRequested++;
    if (media && this.#media.has(stream)) await this.#leave(stream, media, this.model.calls.get(stream), true);
    const playbackId = callbackConfirmationPlaybackId(stream, n);
    const queueId = call.state.queue!.queueId;
    try {
      await this.#o.switchPort.play({ switchId: call.switchId, commandId: playCommandId(playbackId), legUuid: call.legUuid, path: this.#promptPath({ kind: 'callback-confirmed', queueId }), playbackId });
    } catch (error) {
      this.#mediaFailed(error, `play callback confirmation on ${call.legUuid}`);
    }
  }

  // ---- commands --------------------------------------------------------------------------------------------------

  /** Runs a call command on the call's own stream; a refusal by the decider is an outcome, not an error. */
  async #callCommand(call: MediaCall, input: CallCommandInput): Promise<Outcome> {
    const command = parseCallCommand({ actor: `system:queue-media:${this.#o.instanceId}`, ...input });
    try {
      const out = await handleCommand(this.#o.store, callDecider, call.stream, command, call.tenant !== undefined ? { tenant: call.tenant } : {});
      return out.duplicate ? 'duplicate' : 'applied';
    } catch (error) {
      if (isLedgerlineError(error) && error.code !== 'WRONG_EXPECTED_VERSION' && error.code !== 'STORE_UNAVAILABLE' && error.code !== 'INTERNAL') return 'refused';
      throw error;
    }
  }
}
