// Builds events the way switch_event_create does: the common block (with a process-wide Event-Sequence), then
// event-specific headers placed before or after the channel data.
import type { SimClock } from '../clock/sim-clock.ts';
import type { Channel } from '../channels/channel.ts';
import { channelDataHeaders } from '../channels/channel-data.ts';
import { EVENTS_WITH_VARIABLES } from '../events/event-types.ts';
import { originOf, type EventOrigin } from '../events/event-origins.ts';
import type { FsEvent, FsHeader } from '../events/fs-event.ts';
import { gmtStamp, localStamp } from '../events/fs-dates.ts';
import type { SwitchIdentity } from './switch-identity.ts';

/** Options of one event. */
export interface EventSpec {
  subclass?: string;
  /** Headers added before the channel data (Bridge-A-Unique-ID, Original-Channel-Call-State, …). */
  before?: FsHeader[];
  /** Headers added after the channel data and variables (Application, DTMF-Digit, Record-File-Path, …). */
  after?: FsHeader[];
  body?: string;
  /** Overrides the per-event variables rule (verbose_events). */
  withVariables?: boolean;
  origin?: EventOrigin;
}

/** Stamps common headers and channel data; owns the sequence counter. */
export class EventFactory {
  private sequence: number;
  private readonly identity: SwitchIdentity;
  private readonly clock: SimClock;
  /** Global verbose_events (a channel's own `verbose_events=true` does the same for it): every channel event carries variables. */
  verboseEvents = false;

  constructor(identity: SwitchIdentity, clock: SimClock, firstSequence = 1) {
    this.identity = identity;
    this.clock = clock;
    this.sequence = firstSequence;
  }

  /** The next Event-Sequence without consuming it. */
  peekSequence(): number {
    return this.sequence;
  }

  /** Common block: Event-Name … Event-Sequence [, Event-Subclass]. Consumes one sequence number. */
  common(name: string, subclass?: string, origin: EventOrigin = originOf(name, subclass)): FsHeader[] {
    const now = this.clock.nowMicros();
    const id = this.identity;
    const headers: FsHeader[] = [
      ['Event-Name', name],
      ['Core-UUID', id.coreUuid],
      ['FreeSWITCH-Hostname', id.hostname],
      ['FreeSWITCH-Switchname', id.switchname],
      ['FreeSWITCH-IPv4', id.ipv4],
      ['FreeSWITCH-IPv6', id.ipv6],
      ['Event-Date-Local', localStamp(now, id.utcOffsetMinutes)],
      ['Event-Date-GMT', gmtStamp(now)],
      ['Event-Date-Timestamp', String(now)],
      ['Event-Calling-File', origin.file],
      ['Event-Calling-Function', origin.func],
      ['Event-Calling-Line-Number', String(origin.line)],
      ['Event-Sequence', String(this.sequence++)],
    ];
    if (subclass !== undefined) headers.push(['Event-Subclass', subclass]);
    return headers;
  }

  /** A system event without channel data. */
  plain(name: string, spec: EventSpec = {}): FsEvent {
    const headers = [...this.common(name, spec.subclass, spec.origin), ...(spec.before ?? []), ...(spec.after ?? [])];
    return { name, subclass: spec.subclass, headers, body: spec.body };
  }

  /** A channel event: common block, `before`, channel data (+ variables per the event rule), `after`. */
  channel(ch: Channel, name: string, spec: EventSpec = {}): FsEvent {
    const verbose = this.verboseEvents || ch.variables.get('verbose_events') === 'true';
    const withVars = spec.withVariables ?? (verbose || EVENTS_WITH_VARIABLES.has(name));
    const headers = [
      ...this.common(name, spec.subclass, spec.origin),
      ...(spec.before ?? []),
      ...channelDataHeaders(ch, withVars),
      ...(spec.after ?? []),
    ];
    return { name, subclass: spec.subclass, headers, body: spec.body };
  }
}
