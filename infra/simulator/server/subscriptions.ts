// A connection's event subscriptions and filters, with mod_event_socket's exact rules (reference §1.5, §1.7):
// additive `event`, ALL, the CUSTOM subclass tail, `nixevent` (turning ALL into "all but"), `noevents`, OR-ed filters.
import { type EventTypeName, EVENT_TYPES, MYEVENTS_TYPES, nameEvent } from '../events/event-types.ts';
import { type FsEvent, headerOf } from '../events/fs-event.ts';
import type { EventFormat } from '../wire/serialize-event.ts';

const ALL_BUT_ALL = EVENT_TYPES.filter((t) => t !== 'ALL');

/** Subscription state of one listener. */
export class Subscriptions {
  format: EventFormat = 'plain';
  /** LFLAG_EVENTS: set by a successful `event`; noevents does not clear it (as in the C code). */
  eventsFlag = false;
  private readonly list = new Set<EventTypeName>();
  private readonly subclasses = new Set<string>();
  /** Filters are an ordered header list: name, value (value may start with +, -, or be /regex/). */
  private filters: Array<[string, string]> = [];
  /** myevents: only this channel's events (null: the uuid was unknown, every channel's). */
  myEvents?: { uuid: string | null };

  /** `event [plain|json|xml] <names…>` → Reply-Text. */
  event(args: string): string {
    const tokens = args.split(' ');
    let custom = false;
    let keys = 0;
    tokens.forEach((cur, i) => {
      if (cur === '') return;
      if (i === 0) {
        const f = cur.toLowerCase();
        if (f === 'plain' || f === 'json' || f === 'xml') {
          this.format = f;
          return;
        }
      }
      if (custom) {
        this.subclasses.add(cur);
        return;
      }
      const type = nameEvent(cur);
      if (!type) return;
      keys++;
      if (type === 'ALL') for (const t of ALL_BUT_ALL) this.list.add(t);
      this.list.add(type);
      if (type === 'CUSTOM') custom = true;
    });
    if (keys === 0) return '-ERR no keywords supplied';
    this.eventsFlag = true;
    return `+OK event listener enabled ${this.format}`;
  }

  /** `nixevent <names…>` → Reply-Text. */
  nixevent(args: string): string {
    let custom = false;
    let keys = 0;
    for (const cur of args.split(' ')) {
      if (cur === '') continue;
      if (custom) {
        this.subclasses.delete(cur);
        continue;
      }
      const type = nameEvent(cur);
      if (!type) continue;
      keys++;
      if (type === 'CUSTOM') custom = true;
      else if (type === 'ALL') this.list.clear();
      else {
        if (this.list.has('ALL')) {
          this.list.delete('ALL');
          for (const t of ALL_BUT_ALL) this.list.add(t);
        }
        this.list.delete(type);
      }
    }
    return keys === 0 ? '-ERR no keywords supplied' : '+OK events nixed';
  }

  /** `noevents` → Reply-Text. */
  noevents(): string {
    if (!this.eventsFlag) return '-ERR not listening for events';
    this.list.clear();
    this.subclasses.clear();
    return '+OK no longer listening for events';
  }

  /** `myevents <uuid>` subscriptions (the caller has checked the uuid rules). */
  enableMyEvents(uuid: string | null): void {
    for (const t of MYEVENTS_TYPES) this.list.add(t);
    this.myEvents = { uuid };
    this.eventsFlag = true;
  }

  /** `filter …` → Reply-Text (MES:1961-2006). */
  filter(args: string): string {
    let rest = args.replace(/^ +/, '');
    const split = (s: string): [string, string | undefined] => {
      const sp = s.indexOf(' ');
      return sp < 0 ? [s, undefined] : [s.slice(0, sp), s.slice(sp + 1)];
    };
    let [name, value] = split(rest);
    if (name.toLowerCase() === 'delete' && value !== undefined) {
      rest = value;
      [name, value] = split(rest);
      if (name.toLowerCase() === 'all') this.filters = [];
      else {
        const lower = name.toLowerCase();
        this.filters = this.filters.filter(([n, v]) => !(n.toLowerCase() === lower && (value === undefined || v === value)));
      }
      return `+OK filter deleted. [${name}][${value ?? ''}]`;
    }
    if (value !== undefined) {
      if (name.toLowerCase() === 'add') {
        [name, value] = split(value);
        if (value === undefined) return '-ERR invalid syntax';
      }
      this.filters.push([name, value]);
      return `+OK filter added. [${name}]=[${value}]`;
    }
    return '-ERR invalid syntax';
  }

  /** Would this connection receive the event? Subscription first, then myevents, then filters. */
  wants(event: FsEvent): boolean {
    if (!this.subscribed(event)) return false;
    if (this.myEvents && this.myEvents.uuid !== null) {
      const own = event.name === 'BACKGROUND_JOB' ? headerOf(event, 'Job-Owner-UUID') : headerOf(event, 'Unique-ID');
      if (own !== this.myEvents.uuid) return false;
    }
    return this.passesFilters(event);
  }

  private subscribed(event: FsEvent): boolean {
    if (this.list.has('ALL')) return true;
    const type = nameEvent(event.name);
    if (!type || !this.list.has(type)) return false;
    return type !== 'CUSTOM' || !event.subclass || this.subclasses.has(event.subclass);
  }

  private passesFilters(event: FsEvent): boolean {
    if (this.filters.length === 0) return true;
    let send = false;
    for (const [name, raw] of this.filters) {
      const value = headerOf(event, name);
      if (value === undefined) continue;
      let pos = true;
      let comp = raw;
      while (comp.length > 0 && (comp[0] === '+' || comp[0] === '-' || comp[0] === ' ')) {
        if (comp[0] === '+') pos = true;
        else if (comp[0] === '-') pos = false;
        comp = comp.slice(1);
      }
      if (send && pos) continue;
      let match: boolean;
      if (raw.startsWith('/')) {
        const body = comp.replace(/^\//, '').replace(/\/$/, '');
        try {
          match = new RegExp(body).test(value);
        } catch {
          match = false;
        }
      } else match = value.toLowerCase() === comp.toLowerCase();
      if (match) {
        if (pos) send = true;
        else return false;
      }
    }
    return send;
  }
}
