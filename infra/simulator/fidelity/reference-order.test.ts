// The order checker can fail: hand-made sequences that break one rule each, the reference's own §3 sequences that
// must pass, the real dumps of §2.8, and a simulator run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../events/fs-event.ts';
import { createTestSwitch } from '../testing/test-switch.ts';
import { type EventHeaders, checkCall, checkConnection, checkEvent, checkLeg, checkOriginateJob } from './reference-order.ts';

type Ev = Record<string, string>;
const CORE = 'c0000000-0000-4000-8000-00000000c0de';
const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const NUMBER: Record<string, number> = { CS_NEW: 0, CS_INIT: 1, CS_ROUTING: 2, CS_SOFT_EXECUTE: 3, CS_EXECUTE: 4, CS_EXCHANGE_MEDIA: 5, CS_PARK: 6, CS_HIBERNATE: 8, CS_RESET: 9, CS_HANGUP: 10, CS_REPORTING: 11 };

/** Builds one leg's events by hand, as the reference describes them (not with the simulator). */
class Leg {
  running = 'CS_NEW';
  target = 0;
  call = 'DOWN';
  answerState = 'ringing';
  answeredAt = '0';
  private readonly uuid: string;
  private readonly seq: { n: number };
  constructor(uuid: string, seq: { n: number }) {
    this.uuid = uuid;
    this.seq = seq;
  }
  ev(name: string, extra: Ev = {}): Ev {
    return {
      'Event-Name': name, 'Core-UUID': CORE, 'Event-Sequence': String(++this.seq.n), 'Channel-State': this.running,
      'Channel-Call-State': this.call, 'Channel-State-Number': String(this.target), 'Unique-ID': this.uuid,
      'Answer-State': this.answerState, 'Caller-Channel-Answered-Time': this.answeredAt, ...extra,
    };
  }
  state(s: string): Ev {
    this.running = s;
    this.target = NUMBER[s]!;
    return this.ev('CHANNEL_STATE');
  }
  callstate(to: string): Ev {
    const from = this.call;
    this.call = to;
    return this.ev('CHANNEL_CALLSTATE', { 'Original-Channel-Call-State': from });
  }
  create(): Ev {
    this.running = 'CS_INIT';
    this.target = 2;
    return this.ev('CHANNEL_CREATE', { variable_direction: 'inbound' });
  }
  answer(): Ev {
    this.answerState = 'answered';
    this.answeredAt = '1767268800000000';
    return this.ev('CHANNEL_ANSWER');
  }
  exec(app: string, id: string): Ev {
    return this.ev('CHANNEL_EXECUTE', { Application: app, 'Application-UUID': id });
  }
  done(app: string, id: string): Ev {
    return this.ev('CHANNEL_EXECUTE_COMPLETE', { Application: app, 'Application-UUID': id, 'Application-Response': '_none_' });
  }
  hangup(cause = 'NORMAL_CLEARING'): Ev {
    this.answerState = 'hangup';
    this.target = 10;
    return this.ev('CHANNEL_HANGUP', { 'Hangup-Cause': cause });
  }
  /** §3.2 per-leg tail: [CS_HANGUP] [CALLSTATE HANGUP] [CS_REPORTING] HANGUP_COMPLETE DESTROY. */
  tail(billsec: number, duration: number, extra: () => Ev[] = () => []): Ev[] {
    return [
      this.state('CS_HANGUP'), ...extra(), this.callstate('HANGUP'), this.state('CS_REPORTING'),
      this.ev('CHANNEL_HANGUP_COMPLETE', { 'Hangup-Cause': 'NORMAL_CLEARING', variable_billsec: String(billsec), variable_duration: String(duration) }),
      (() => {
        this.target = 12;
        return this.ev('CHANNEL_DESTROY');
      })(),
    ];
  }
}

/** §3.1 + §3.2: caller parks, agent leg originated and bridged, caller hangs up; hold and a recording in between. */
function referenceCall(): { events: Ev[]; a: Leg; b: Leg } {
  const seq = { n: 1000 };
  const a = new Leg(A, seq);
  const b = new Leg(B, seq);
  const events: Ev[] = [
    a.state('CS_INIT'), a.create(), a.callstate('RINGING'), a.state('CS_ROUTING'), a.state('CS_EXECUTE'),
    a.exec('answer', 'u1'), a.answer(), a.callstate('ACTIVE'), a.done('answer', 'u1'), a.exec('park', 'u2'), a.ev('CHANNEL_PARK'),
    b.ev('CHANNEL_OUTGOING'), b.state('CS_INIT'), b.create(), b.ev('CHANNEL_ORIGINATE'), b.state('CS_ROUTING'),
    b.ev('CHANNEL_PROGRESS'), b.callstate('RINGING'), b.answer(), b.callstate('ACTIVE'), b.state('CS_EXECUTE'),
    b.exec('park', 'u3'), b.ev('CHANNEL_PARK'),
    a.ev('CHANNEL_UNPARK'), a.done('park', 'u2'), b.ev('CHANNEL_UNPARK'), b.done('park', 'u3'),
    a.state('CS_HIBERNATE'), b.state('CS_HIBERNATE'), a.state('CS_RESET'), b.state('CS_RESET'), a.state('CS_SOFT_EXECUTE'), b.state('CS_SOFT_EXECUTE'),
    a.exec('uuid_bridge', 'u4'), b.exec('uuid_bridge', 'u5'),
    a.ev('CHANNEL_BRIDGE', { 'Bridge-A-Unique-ID': A, 'Bridge-B-Unique-ID': B, 'Other-Leg-Unique-ID': B }), b.state('CS_EXCHANGE_MEDIA'),
    b.ev('CHANNEL_HOLD'), a.ev('PLAYBACK_START', { 'Playback-File-Path': 'local_stream://moh' }),
    a.ev('PLAYBACK_STOP', { 'Playback-File-Path': 'local_stream://moh', 'Playback-Status': 'break' }), b.ev('CHANNEL_UNHOLD'),
    a.ev('RECORD_START', { 'Record-File-Path': '/tmp/a.wav' }),
    a.hangup(), a.ev('CHANNEL_UNBRIDGE', { 'Bridge-A-Unique-ID': A, 'Bridge-B-Unique-ID': B }), b.hangup(),
  ];
  events.push(...a.tail(44, 47, () => [a.ev('RECORD_STOP', { 'Record-File-Path': '/tmp/a.wav' })]), ...b.tail(42, 45));
  return { events, a, b };
}

const rules = (v: Array<{ rule: string }>): string[] => [...new Set(v.map((x) => x.rule))];
const without = (events: Ev[], pred: (e: Ev) => boolean): Ev[] => events.filter((e) => !pred(e));
const is = (name: string, uuid?: string) => (e: Ev): boolean => e['Event-Name'] === name && (uuid === undefined || e['Unique-ID'] === uuid);

describe('reference order checker: the reference’s own sequences pass', () => {
  it('§3.1 + §3.2 (+ §3.6 hold, recording) as written in the reference', () => {
    const { events } = referenceCall();
    expect(checkCall(events)).toEqual([]);
    expect(checkConnection(events)).toEqual([]);
  });

  it('§3.3 agent leg not answered: NO_ANSWER, billsec 0', () => {
    const b = new Leg(B, { n: 1 });
    const events = [b.ev('CHANNEL_OUTGOING'), b.state('CS_INIT'), b.create(), b.ev('CHANNEL_ORIGINATE'), b.ev('CHANNEL_PROGRESS'), b.callstate('RINGING'), b.hangup('NO_ANSWER'), ...b.tail(0, 20)];
    expect(checkLeg(events)).toEqual([]);
  });

  it('§3.0: cross-leg delivery out of Event-Sequence (B’s ANSWER after A’s BRIDGE) passes the call check, not the strict connection check', () => {
    const { events } = referenceCall();
    const answerB = events.findIndex(is('CHANNEL_ANSWER', B));
    const bridge = events.findIndex(is('CHANNEL_BRIDGE'));
    const moved = [...events];
    const [ans] = moved.splice(answerB, 1);
    moved.splice(bridge, 0, ans!);
    // B's own order is kept by moving every B event between them after the bridge would break it; only cross-leg order changes here.
    const reordered = [...moved.slice(0, answerB), ...moved.slice(answerB).filter((e) => e['Unique-ID'] !== B || e === ans), ...moved.slice(answerB).filter((e) => e['Unique-ID'] === B && e !== ans)];
    const call = checkCall(reordered);
    expect(rules(call)).not.toContain('partner-answered-before-bridge');
    expect(rules(checkConnection(reordered))).toEqual(['sequence-increasing']);
    expect(checkConnection(reordered, { strict: false })).toEqual([]);
  });
});

describe('reference order checker: one broken rule each is caught', () => {
  const broken: Array<[string, (events: Ev[], legs: { a: Leg; b: Leg }) => Ev[], string]> = [
    ['no CHANNEL_CREATE', (ev) => without(ev, is('CHANNEL_CREATE', A)), 'create-first'],
    ['CHANNEL_CREATE shows its running state number', (ev) => ev.map((e) => (is('CHANNEL_CREATE', A)(e) ? { ...e, 'Channel-State-Number': '1' } : e)), 'create-state'],
    ['CHANNEL_DESTROY in CS_DESTROY', (ev) => ev.map((e) => (is('CHANNEL_DESTROY', A)(e) ? { ...e, 'Channel-State': 'CS_DESTROY' } : e)), 'destroy-state'],
    ['DESTROY before HANGUP_COMPLETE', (ev) => {
      const i = ev.findIndex(is('CHANNEL_HANGUP_COMPLETE', A));
      const j = ev.findIndex(is('CHANNEL_DESTROY', A));
      const out = [...ev];
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }, 'hangup-order'],
    ['an event after DESTROY', (ev) => [...ev, { ...ev.find(is('CHANNEL_PARK', A))!, 'Event-Sequence': '99999' }], 'destroy-last'],
    ['ANSWER after HANGUP', (ev) => {
      const i = ev.findIndex(is('CHANNEL_HANGUP', B));
      const ans = ev.find(is('CHANNEL_ANSWER', B))!;
      const out = without(ev, (e) => e === ans);
      out.splice(i, 0, { ...ans, 'Event-Sequence': String(Number(ev[i]!['Event-Sequence']) + 0.5) });
      return out;
    }, 'after-hangup'],
    ['BRIDGE on the B leg', (ev) => ev.map((e) => (is('CHANNEL_BRIDGE')(e) ? { ...e, 'Unique-ID': B } : e)), 'bridge-on-a-leg'],
    ['A leg BRIDGE before B answered (by Event-Sequence)', (ev) => ev.map((e) => (is('CHANNEL_ANSWER', B)(e) ? { ...e, 'Event-Sequence': '99990' } : e)), 'partner-answered-before-bridge'],
    ['UNBRIDGE missing before HANGUP_COMPLETE', (ev) => without(ev, is('CHANNEL_UNBRIDGE')), 'bridge-pairing'],
    ['UNHOLD without HOLD', (ev) => without(ev, is('CHANNEL_HOLD')), 'hold-pairing'],
    ['RECORD_STOP missing', (ev) => without(ev, is('RECORD_STOP')), 'record-pairing'],
    ['RECORD_STOP without START', (ev) => without(ev, is('RECORD_START')), 'record-pairing'],
    ['EXECUTE_COMPLETE with another Application-UUID', (ev) => ev.map((e) => (is('CHANNEL_EXECUTE_COMPLETE', A)(e) && e.Application === 'answer' ? { ...e, 'Application-UUID': 'zz' } : e)), 'execute-pairing'],
    ['EXECUTE_COMPLETE before its EXECUTE', (ev) => without(ev, (e) => is('CHANNEL_EXECUTE', A)(e) && e.Application === 'park'), 'execute-pairing'],
    ['UNPARK without PARK', (ev) => without(ev, is('CHANNEL_PARK', B)), 'park-pairing'],
    ['PLAYBACK_STOP without START', (ev) => without(ev, is('PLAYBACK_START')), 'playback-pairing'],
    ['billsec greater than duration', (ev) => ev.map((e) => (is('CHANNEL_HANGUP_COMPLETE', A)(e) ? { ...e, variable_billsec: '48' } : e)), 'billsec-le-duration'],
    ['billsec on CHANNEL_HANGUP', (ev) => ev.map((e) => (is('CHANNEL_HANGUP', A)(e) ? { ...e, variable_billsec: '1', variable_duration: '2' } : e)), 'hangup-no-cdr'],
    ['variables on CHANNEL_STATE', (ev) => ev.map((e) => (is('CHANNEL_STATE', A)(e) ? { ...e, variable_uuid: A } : e)), 'no-variables'],
    ['CALLSTATE chain broken', (ev) => without(ev, (e) => is('CHANNEL_CALLSTATE', A)(e) && e['Channel-Call-State'] === 'ACTIVE'), 'callstate-chain'],
    ['CHANNEL_STATE repeated', (ev) => {
      const i = ev.findIndex(is('CHANNEL_STATE', A));
      const out = [...ev];
      out.splice(i + 1, 0, { ...ev[i]!, 'Event-Sequence': String(Number(ev[i]!['Event-Sequence']) + 0.5) });
      return out;
    }, 'state-change'],
    ['a leg that never ends', (ev) => without(ev, (e) => e['Unique-ID'] === B && ['CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY'].includes(e['Event-Name']!)), 'terminal'],
    ['same leg delivered out of Event-Sequence', (ev) => ev.map((e) => (is('CHANNEL_PARK', A)(e) ? { ...e, 'Event-Sequence': '1' } : e)), 'leg-sequence'],
    ['CHANNEL_OUTGOING after CHANNEL_CREATE', (ev) => {
      const out = without(ev, is('CHANNEL_OUTGOING', B));
      const i = out.findIndex(is('CHANNEL_ORIGINATE', B));
      out.splice(i, 0, { ...ev.find(is('CHANNEL_OUTGOING', B))!, 'Event-Sequence': String(Number(out[i]!['Event-Sequence']) - 0.5) });
      return out;
    }, 'outgoing-first'],
    ['CHANNEL_PROGRESS after CHANNEL_ANSWER', (ev) => {
      const progress = ev.find(is('CHANNEL_PROGRESS', B))!;
      const out = without(ev, (e) => e === progress);
      const i = out.findIndex(is('CHANNEL_ANSWER', B));
      out.splice(i + 1, 0, { ...progress, 'Event-Sequence': String(Number(out[i]!['Event-Sequence']) + 0.5) });
      return out;
    }, 'progress-before-answer'],
    ['CHANNEL_BRIDGE without EXECUTE uuid_bridge', (ev) => without(ev, (e) => is('CHANNEL_EXECUTE', A)(e) && e.Application === 'uuid_bridge'), 'bridge-after-execute'],
    ['EXECUTE_COMPLETE(answer) before CHANNEL_ANSWER', (ev) => {
      const done = ev.find((e) => is('CHANNEL_EXECUTE_COMPLETE', A)(e) && e.Application === 'answer')!;
      const out = without(ev, (e) => e === done);
      const i = out.findIndex(is('CHANNEL_ANSWER', A));
      out.splice(i, 0, { ...done, 'Event-Sequence': String(Number(out[i]!['Event-Sequence']) - 0.5) });
      return out;
    }, 'answer-inside-app'],
    ['EXECUTE_COMPLETE(park) before CHANNEL_UNPARK', (ev) => {
      const i = ev.findIndex(is('CHANNEL_UNPARK', A));
      const out = [...ev];
      const [unpark, done] = [out[i]!, out[i + 1]!];
      out[i] = { ...done, 'Event-Sequence': unpark['Event-Sequence']! };
      out[i + 1] = { ...unpark, 'Event-Sequence': done['Event-Sequence']! };
      return out;
    }, 'unpark-before-complete'],
    ['EXECUTE_COMPLETE(play_and_get_digits) with its prompt still playing', (ev) => {
      const seq = { n: 5000 };
      const c = new Leg('cccccccc-0000-4000-8000-00000000000c', seq);
      const extra = [c.state('CS_INIT'), c.create(), c.exec('play_and_get_digits', 'p1'), c.ev('PLAYBACK_START', { 'Playback-File-Path': 'ivr.wav' }), c.done('play_and_get_digits', 'p1'), c.ev('PLAYBACK_STOP', { 'Playback-File-Path': 'ivr.wav' }), c.hangup(), ...c.tail(0, 1)];
      return [...ev, ...extra];
    }, 'playback-inside-app'],
    ['CHANNEL_HANGUP already in CS_HANGUP', (ev) => ev.map((e) => (is('CHANNEL_HANGUP', A)(e) ? { ...e, 'Channel-State': 'CS_HANGUP' } : e)), 'hangup-running-state'],
  ];
  it.each(broken)('%s', (_title, breakIt, rule) => {
    const { events, a, b } = referenceCall();
    const bad = breakIt(events, { a, b });
    expect(rules(checkCall(bad))).toContain(rule);
  });

  it('the connection check catches a repeated or decreasing Event-Sequence and a changed Core-UUID', () => {
    const { events } = referenceCall();
    expect(rules(checkConnection([...events, events[3]!]))).toContain('sequence-unique');
    expect(rules(checkConnection([events[3]!, events[1]!]))).toEqual(['sequence-increasing']);
    expect(rules(checkConnection([events[0]!, { ...events[1]!, 'Core-UUID': 'other' }]))).toEqual(['core-uuid-constant']);
  });
});

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
/** `Name: value` lines up to the first blank line; `.plain` values are URL-decoded. */
function parseDump(text: string, encoded: boolean): EventHeaders {
  const out: Record<string, string> = {};
  for (const line of text.split('\n\n')[0]!.split('\n')) {
    const i = line.indexOf(': ');
    if (i <= 0) continue;
    const name = line.slice(0, i);
    if (!(name in out)) out[name] = encoded ? decodeURIComponent(line.slice(i + 2)) : line.slice(i + 2);
  }
  return out;
}

describe('reference order checker on real dumps (§2.8) and on the simulator', () => {
  it('every real dump passes the per-event rules', () => {
    const dumps: EventHeaders[] = [
      parseDump(fixture('channel-create.decoded.txt'), false),
      parseDump(fixture('cgrates-hangup-complete.plain'), true),
      parseDump(fixture('webitel-dtmf.decoded.txt'), false),
      parseDump(fixture('webitel-bridge-head.decoded.txt'), false),
      JSON.parse(fixture('webitel-callstate.json')) as EventHeaders,
    ];
    expect(dumps.map((d) => d['Event-Name'])).toEqual(['CHANNEL_CREATE', 'CHANNEL_HANGUP_COMPLETE', 'DTMF', 'CHANNEL_BRIDGE', 'CHANNEL_CALLSTATE']);
    for (const d of dumps) expect(checkEvent(d)).toEqual([]);
  });

  it('a real dump with one value changed fails', () => {
    const complete = parseDump(fixture('cgrates-hangup-complete.plain'), true);
    expect(rules(checkEvent({ ...complete, variable_billsec: String(Number(complete.variable_duration) + 1) }))).toEqual(['billsec-le-duration']);
    const create = parseDump(fixture('channel-create.decoded.txt'), false);
    expect(rules(checkEvent({ ...create, 'Channel-State': 'CS_ROUTING' }))).toEqual(['create-state']);
  });

  it('a simulated ACD call (park, originate, bridge, hold, record, hangup) passes', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    expect(await t.api('uuid_record', `${A} start /tmp/a.wav`)).toBe('+OK Success\n');
    const job = t.api('originate', `{origination_uuid=${B}}user/1001 &park()`);
    await t.clock.advance(2500);
    expect(await job).toBe(`+OK ${B}\n`);
    expect(await t.api('uuid_bridge', `${A} ${B}`)).toBe(`+OK ${B}\n`);
    await t.clock.advance(1000);
    expect(await t.api('uuid_hold', B)).toBe('+OK Success\n');
    await t.clock.advance(1000);
    expect(await t.api('uuid_hold', `off ${B}`)).toBe('+OK Success\n');
    await t.clock.advance(1000);
    t.sw.hangup(t.sw.get(A)!);
    const asHeaders = (e: FsEvent): EventHeaders => {
      const out: Record<string, string> = {};
      for (const [n, v] of e.headers) if (!(n in out)) out[n] = v;
      return out;
    };
    const events = t.events.map(asHeaders);
    expect(checkCall(events.filter((e) => e['Unique-ID'] === A || e['Unique-ID'] === B))).toEqual([]);
    expect(checkConnection(events)).toEqual([]);
  });
});

describe('reference order checker: originate jobs (§3.2, §3.3)', () => {
  const job = (body: string, seq: number): EventHeaders => ({ 'Event-Name': 'BACKGROUND_JOB', 'Event-Sequence': String(seq), _body: body });

  it('+OK after the leg answered passes; +OK before it, or for another uuid, fails', () => {
    const { events } = referenceCall();
    const legB = events.filter((e) => e['Unique-ID'] === B);
    const answered = Number(legB.find(is('CHANNEL_ANSWER'))!['Event-Sequence']);
    expect(checkOriginateJob(job(`+OK ${B}\n`, answered + 1), B, legB)).toEqual([]);
    expect(rules(checkOriginateJob(job(`+OK ${B}\n`, answered - 1), B, legB))).toEqual(['job-after-answer']);
    expect(rules(checkOriginateJob(job(`+OK ${A}\n`, answered + 1), B, legB))).toEqual(['job-body']);
  });

  it('-ERR names the leg’s hangup cause; a mismatch or an answered leg fails', () => {
    const b = new Leg(B, { n: 1 });
    const legB = [b.ev('CHANNEL_OUTGOING'), b.state('CS_INIT'), b.create(), b.ev('CHANNEL_PROGRESS'), b.hangup('NO_ANSWER'), ...b.tail(0, 20)];
    expect(checkOriginateJob(job('-ERR NO_ANSWER\n', 100), B, legB)).toEqual([]);
    expect(rules(checkOriginateJob(job('-ERR USER_BUSY\n', 100), B, legB))).toEqual(['job-cause']);
    const { events } = referenceCall();
    expect(rules(checkOriginateJob(job('-ERR NORMAL_CLEARING\n', 99999), B, events.filter((e) => e['Unique-ID'] === B)))).toEqual(['job-failed-after-answer']);
  });
});
