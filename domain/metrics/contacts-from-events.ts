import type { AgentEvent } from '../agent/agent-events.ts';
import type { CallEvent } from '../call/call-events.ts';
import type { MetricRecords } from './metrics-snapshot.ts';
import type { AgentActivity, AgentInterval, QueueContact, QueueContactOutcome } from './queue-contact.ts';

// The fold from domain events to metric records. Every time comes from the event's own `data.at` (the command's
// time), never from the store's clock, so replaying the log gives the same records.
//
// Which event sets which field:
//   enteredAt  CallQueued.at (a new entry each time: routed, transferred, overflowed). A callback is agent first:
//              CallbackCompleted (the customer answered the dial-back of an agent already on the line) opens no new
//              entry; the conversation that follows is the handling of the entry that ended in `callback`.
//   leftAt     CallConnected.at → answered; CallAbandoned.at (where 'queue') → abandoned; CallbackRequested.at →
//              callback; CallOverflowed.at → overflowed (callback when its exit is a callback). A call still in queue
//              at CallEnded (the call decider should have said why first) is closed as abandoned when the caller hung
//              up, otherwise as overflowed.
//   talk/hold  AgentWrapUpStarted.talkMs/holdMs of each offer answered from (or transferred on after) this entry.
//   wrap       AgentWrapUpEnded.wrapUpMs of the same offers; handledAt = the latest AgentWrapUpEnded.at.
// Agent intervals follow the agent events' `at`: ready → available; offered/ringing → reserved; talking (with hold)
// → on-contact; wrap-up → after-call-work; not ready and break_out → not-productive; logged out → no interval.

/** The events the fold reads; any other `type` is ignored. */
export type MetricsEvent = CallEvent | AgentEvent;

/** Any stored event (`queue-…`, `ivrflow-…` too): the fold skips types it does not read. */
export interface AnyEvent {
  readonly type: string;
  readonly data: unknown;
}

const READ_TYPES: ReadonlySet<string> = new Set([
  'CallQueued',
  'CallbackCompleted',
  'CallConnected',
  'CallAbandoned',
  'CallbackRequested',
  'CallOverflowed',
  'CallEnded',
  'AgentLoggedIn',
  'AgentNotReady',
  'AgentBrokeOut',
  'AgentReady',
  'AgentOfferMissed',
  'AgentOfferCancelled',
  'AgentOffered',
  'AgentRinging',
  'AgentTalking',
  'AgentCallHeld',
  'AgentCallRetrieved',
  'AgentWrapUpStarted',
  'AgentWrapUpExtended',
  'AgentWrapUpEnded',
  'AgentLoggedOut',
  'AgentStateForced',
]);

/** True for the call and agent event types metrics read (their data is trusted: it was validated when written). */
export function isMetricsEvent(e: AnyEvent): e is MetricsEvent {
  return READ_TYPES.has(e.type);
}

type MutableContact = { -readonly [K in keyof QueueContact]: QueueContact[K] };

interface CallTrack {
  entries: number;
  open: MutableContact | null;
  lastAnswered: MutableContact | null;
  /** The entry that ended in a callback: the dial-back conversation is its handling. */
  owedCallback: MutableContact | null;
  lastSeenAt: number;
}

interface Handling {
  readonly offerId: string;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  endedAt: number | null;
  contact: MutableContact | null;
}

interface OpenInterval {
  readonly activity: AgentActivity;
  readonly start: number;
}

/** Folds call and agent events into contact records and agent intervals, one event at a time. */
export class MetricRecordsFolder {
  private readonly contacts = new Map<string, MutableContact>();
  private readonly calls = new Map<string, CallTrack>();
  private readonly offerContact = new Map<string, MutableContact>();
  private readonly handlings = new Map<string, Handling>();
  private readonly closedIntervals: AgentInterval[] = [];
  private readonly openIntervals = new Map<string, OpenInterval>();
  private readonly contactHandlings = new Map<string, Set<Handling>>();

  /** Applies one event; types metrics do not read are ignored. */
  apply(anyEvent: MetricsEvent | AnyEvent): void {
    if (!isMetricsEvent(anyEvent)) return;
    const event = anyEvent;
    switch (event.type) {
      case 'CallQueued':
        return this.enter(event.data.callId, event.data.queueId, event.data.at);
      case 'CallbackCompleted':
        return this.callbackAnswered(event.data.callId, event.data.at);
      case 'CallConnected':
        return this.connected(event.data.callId, event.data.offerId, event.data.at);
      case 'CallAbandoned':
        if (event.data.where === 'queue') this.leave(event.data.callId, 'abandoned', event.data.at);
        return;
      case 'CallbackRequested':
        return this.leave(event.data.callId, 'callback', event.data.at, true);
      case 'CallOverflowed':
        return this.leave(event.data.callId, event.data.exit.kind === 'callback' ? 'callback' : 'overflowed', event.data.at, event.data.exit.kind === 'callback');
      case 'CallEnded':
        return this.leave(event.data.callId, event.data.hungUpBy === 'caller' ? 'abandoned' : 'overflowed', event.data.at);
      case 'AgentLoggedIn':
      case 'AgentNotReady':
      case 'AgentBrokeOut':
        return this.agentIs(event.data.agentId, 'not-productive', event.data.at);
      case 'AgentReady':
      case 'AgentOfferMissed':
      case 'AgentOfferCancelled':
        return this.agentIs(event.data.agentId, 'available', event.data.at);
      case 'AgentOffered':
      case 'AgentRinging':
        return this.agentIs(event.data.agentId, 'reserved', event.data.at);
      case 'AgentTalking':
      case 'AgentCallHeld':
      case 'AgentCallRetrieved':
        return this.agentIs(event.data.agentId, 'on-contact', event.data.at);
      case 'AgentWrapUpStarted': {
        this.agentIs(event.data.agentId, 'after-call-work', event.data.at);
        const h = this.handling(event.data.offerId);
        h.talkMs += event.data.talkMs;
        h.holdMs += event.data.holdMs;
        return this.refresh(h);
      }
      case 'AgentWrapUpExtended':
        return this.agentIs(event.data.agentId, 'after-call-work', event.data.at);
      case 'AgentWrapUpEnded': {
        this.agentIs(event.data.agentId, 'available', event.data.at);
        const h = this.handling(event.data.offerId);
        h.wrapMs += event.data.wrapUpMs;
        h.endedAt = event.data.at;
        return this.refresh(h);
      }
      case 'AgentLoggedOut':
        return this.agentIs(event.data.agentId, null, event.data.at);
      case 'AgentStateForced': {
        const to = event.data.to;
        return this.agentIs(event.data.agentId, to === 'ready' ? 'available' : to === 'not_ready' ? 'not-productive' : null, event.data.at);
      }
      default:
        return;
    }
  }

  /** The records folded so far (open intervals are returned with `end: null`). */
  records(): MetricRecords {
    const open: AgentInterval[] = [];
    for (const [agentId, i] of this.openIntervals) open.push({ agentId, activity: i.activity, start: i.start, end: null });
    return { contacts: [...this.contacts.values()], intervals: [...this.closedIntervals, ...open] };
  }

  /**
   * Forgets closed contacts, finished calls and closed intervals whose every time is before `cutoff`, so a live
   * accumulator keeps bounded memory. Metrics over windows starting at or after `cutoff` are unchanged.
   */
  prune(cutoff: number): void {
    for (const [id, c] of this.contacts) {
      if (c.leftAt !== null && c.leftAt < cutoff && c.enteredAt < cutoff && (c.handledAt ?? -Infinity) < cutoff) {
        this.contacts.delete(id);
        this.contactHandlings.delete(id);
      }
    }
    for (const [callId, call] of this.calls) {
      if (call.open === null && call.lastSeenAt < cutoff) this.calls.delete(callId);
    }
    for (const [offerId, h] of this.handlings) {
      if (h.endedAt !== null && h.endedAt < cutoff) {
        this.handlings.delete(offerId);
        this.offerContact.delete(offerId);
      }
    }
    for (const [offerId, c] of this.offerContact) {
      if (!this.contacts.has(c.contactId) && !this.handlings.has(offerId)) this.offerContact.delete(offerId);
    }
    let keep = 0;
    for (const i of this.closedIntervals) if ((i.end ?? Infinity) >= cutoff) this.closedIntervals[keep++] = i;
    this.closedIntervals.length = keep;
  }

  private call(callId: string, at: number): CallTrack {
    let c = this.calls.get(callId);
    if (!c) this.calls.set(callId, (c = { entries: 0, open: null, lastAnswered: null, owedCallback: null, lastSeenAt: at }));
    c.lastSeenAt = Math.max(c.lastSeenAt, at);
    return c;
  }

  private enter(callId: string, queueId: string, at: number): void {
    const call = this.call(callId, at);
    // A new entry while one is open means the decider skipped the exit event: close it as a flow-out.
    if (call.open) this.close(call, 'overflowed', at);
    call.entries += 1;
    const contact: MutableContact = {
      contactId: `${callId}#${call.entries}`,
      callId,
      queueId,
      enteredAt: at,
      leftAt: null,
      outcome: 'waiting',
      talkMs: 0,
      holdMs: 0,
      wrapMs: 0,
      handledAt: null,
    };
    this.contacts.set(contact.contactId, contact);
    call.open = contact;
  }

  private leave(callId: string, outcome: QueueContactOutcome, at: number, owesCallback = false): void {
    const call = this.call(callId, at);
    if (owesCallback && call.open) call.owedCallback = call.open;
    if (call.open) this.close(call, outcome, at);
  }

  /** The customer answered the dial-back: the connect that follows is handled for the entry that owed it. */
  private callbackAnswered(callId: string, at: number): void {
    const call = this.call(callId, at);
    if (call.owedCallback) call.lastAnswered = call.owedCallback;
  }

  private close(call: CallTrack, outcome: QueueContactOutcome, at: number): void {
    const c = call.open!;
    c.outcome = outcome;
    c.leftAt = at;
    call.open = null;
  }

  private connected(callId: string, offerId: string | null, at: number): void {
    const call = this.call(callId, at);
    let contact: MutableContact | null;
    if (call.open) {
      contact = call.open;
      this.close(call, 'answered', at);
      call.lastAnswered = contact;
    } else {
      // Connected again without a queue (direct transfer, consult hand-over): the handling belongs to the entry
      // the call was last answered from.
      contact = call.lastAnswered;
    }
    if (offerId === null || contact === null) return;
    this.offerContact.set(offerId, contact);
    const h = this.handlings.get(offerId);
    if (h) this.refresh(h);
  }

  private handling(offerId: string): Handling {
    let h = this.handlings.get(offerId);
    if (!h) this.handlings.set(offerId, (h = { offerId, talkMs: 0, holdMs: 0, wrapMs: 0, endedAt: null, contact: null }));
    return h;
  }

  /** Re-attaches a handling to the contact its offer was answered from, and recomputes the contacts touched. */
  private refresh(h: Handling): void {
    const target = this.offerContact.get(h.offerId) ?? null;
    const previous = h.contact;
    if (previous && previous !== target) {
      this.contactHandlings.get(previous.contactId)?.delete(h);
      this.total(previous);
    }
    h.contact = target;
    if (target) {
      let set = this.contactHandlings.get(target.contactId);
      if (!set) this.contactHandlings.set(target.contactId, (set = new Set()));
      set.add(h);
      this.total(target);
    }
  }

  private total(c: MutableContact): void {
    let talkMs = 0;
    let holdMs = 0;
    let wrapMs = 0;
    let handledAt: number | null = null;
    for (const h of this.contactHandlings.get(c.contactId) ?? []) {
      talkMs += h.talkMs;
      holdMs += h.holdMs;
      wrapMs += h.wrapMs;
      if (h.endedAt !== null) handledAt = Math.max(handledAt ?? -Infinity, h.endedAt);
    }
    c.talkMs = talkMs;
    c.holdMs = holdMs;
    c.wrapMs = wrapMs;
    c.handledAt = handledAt;
  }

  private agentIs(agentId: string, activity: AgentActivity | null, at: number): void {
    const current = this.openIntervals.get(agentId);
    if (current && current.activity === activity) return;
    if (current) {
      this.closedIntervals.push({ agentId, activity: current.activity, start: current.start, end: at });
      this.openIntervals.delete(agentId);
    }
    if (activity !== null) this.openIntervals.set(agentId, { activity, start: at });
  }
}

/** Batch form: the records of a whole event sequence. */
export function recordsFromEvents(events: Iterable<MetricsEvent | AnyEvent>): MetricRecords {
  const folder = new MetricRecordsFolder();
  for (const e of events) folder.apply(e);
  return folder.records();
}
