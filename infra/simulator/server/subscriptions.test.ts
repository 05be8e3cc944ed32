import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../events/fs-event.ts';
import { Subscriptions } from './subscriptions.ts';

const ev = (name: string, headers: Array<[string, string]> = [], subclass?: string): FsEvent => ({
  name,
  subclass,
  headers: [['Event-Name', name], ...(subclass ? [['Event-Subclass', subclass] as [string, string]] : []), ...headers],
});

describe('Subscriptions.event', () => {
  it('is additive and keeps the format per connection', () => {
    const s = new Subscriptions();
    expect(s.event('plain CHANNEL_CREATE')).toBe('+OK event listener enabled plain');
    expect(s.event('json channel_answer')).toBe('+OK event listener enabled json');
    expect(s.wants(ev('CHANNEL_CREATE'))).toBe(true);
    expect(s.wants(ev('CHANNEL_ANSWER'))).toBe(true);
    expect(s.wants(ev('CHANNEL_HANGUP'))).toBe(false);
    expect(s.event('SWITCH_EVENT_DTMF')).toBe('+OK event listener enabled json');
    expect(s.wants(ev('DTMF'))).toBe(true);
  });
  it('rejects a command with no known keyword but still switches the format', () => {
    const s = new Subscriptions();
    expect(s.event('xml NOT_AN_EVENT')).toBe('-ERR no keywords supplied');
    expect(s.format).toBe('xml');
  });
  it('treats every token after CUSTOM as a subclass', () => {
    const s = new Subscriptions();
    s.event('plain CUSTOM callcenter::info CHANNEL_CREATE');
    expect(s.wants(ev('CUSTOM', [], 'callcenter::info'))).toBe(true);
    expect(s.wants(ev('CUSTOM', [], 'conference::maintenance'))).toBe(false);
    expect(s.wants(ev('CHANNEL_CREATE'))).toBe(false);
  });
  it('ALL includes every CUSTOM subclass; nixevent X turns it into all-but-X (and CUSTOM then needs subclasses)', () => {
    const s = new Subscriptions();
    s.event('plain ALL');
    expect(s.wants(ev('CUSTOM', [], 'a::b'))).toBe(true);
    expect(s.nixevent('CHANNEL_EXECUTE')).toBe('+OK events nixed');
    expect(s.wants(ev('CHANNEL_EXECUTE'))).toBe(false);
    expect(s.wants(ev('CHANNEL_CREATE'))).toBe(true);
    expect(s.wants(ev('CUSTOM', [], 'a::b'))).toBe(false);
  });
  it('noevents clears everything, and answers -ERR only if events were never enabled', () => {
    const s = new Subscriptions();
    expect(s.noevents()).toBe('-ERR not listening for events');
    s.event('plain ALL');
    expect(s.noevents()).toBe('+OK no longer listening for events');
    expect(s.wants(ev('HEARTBEAT'))).toBe(false);
    expect(s.noevents()).toBe('+OK no longer listening for events');
  });
});

describe('Subscriptions.filter', () => {
  it('ORs positive filters, compares case-insensitively, and drops events lacking the header', () => {
    const s = new Subscriptions();
    s.event('plain ALL');
    expect(s.filter('Unique-ID abc')).toBe('+OK filter added. [Unique-ID]=[abc]');
    expect(s.filter('add Event-Name HEARTBEAT')).toBe('+OK filter added. [Event-Name]=[HEARTBEAT]');
    expect(s.wants(ev('CHANNEL_CREATE', [['Unique-ID', 'ABC']]))).toBe(true);
    expect(s.wants(ev('HEARTBEAT'))).toBe(true);
    expect(s.wants(ev('CHANNEL_CREATE', [['Unique-ID', 'other']]))).toBe(false);
  });
  it('supports negative and regex filters, and deletion', () => {
    const s = new Subscriptions();
    s.event('plain ALL');
    s.filter('Event-Name /^CHANNEL_/');
    s.filter('Unique-ID -bad');
    expect(s.wants(ev('CHANNEL_CREATE', [['Unique-ID', 'good']]))).toBe(true);
    expect(s.wants(ev('CHANNEL_CREATE', [['Unique-ID', 'bad']]))).toBe(false);
    expect(s.wants(ev('HEARTBEAT'))).toBe(false);
    expect(s.filter('delete Event-Name')).toBe('+OK filter deleted. [Event-Name][]');
    expect(s.filter('delete all')).toBe('+OK filter deleted. [all][]');
    expect(s.wants(ev('HEARTBEAT'))).toBe(true);
    expect(s.filter('Unique-ID')).toBe('-ERR invalid syntax');
  });
});
