import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import esl, { type ModeslEvent } from 'modesl';
import { describe, expect, it } from 'vitest';
import { type EslEvent, eslEventFrom, parsePlainEvent } from '../esl/esl-event.ts';
import { factToCallCommands } from './fact-to-call-commands.ts';
import { toSwitchFact } from './to-switch-fact.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const source = { switchId: 'fs1:8021', receivedAt: 1_700_000_000_000 };

/** Feeds raw frames through modesl's own parser, as the live client does, and returns the events as EslEvents. */
function throughModesl(frames: string): EslEvent[] {
  const socket = new EventEmitter();
  const parser = new esl.Parser(socket);
  const out: EslEvent[] = [];
  parser.on('esl::event', (event: ModeslEvent, headers: Record<string, unknown>) => {
    if (String(headers['Content-Type']).startsWith('text/event-')) out.push(eslEventFrom(event.headers.map((h) => [h.name, h.value] as const), event.getBody() ?? ''));
  });
  socket.emit('data', Buffer.from(frames, 'utf8'));
  return out;
}

describe('toSwitchFact on the real dumps of reference §2.8', () => {
  it('(a) CHANNEL_HANGUP_COMPLETE: cause, billsec, duration, other leg; the duplicate Hangup-Cause collapses to one value', () => {
    const fact = toSwitchFact(parsePlainEvent(fixture('a-channel-hangup-complete.plain.txt')), source);
    expect(fact).toMatchObject({
      kind: 'channel_hangup_complete',
      switchId: 'fs1:8021',
      coreUuid: '651a8db2-4f67-4cf8-b622-169e8a482e50',
      sequence: 1035,
      eventKey: 'seq:1035',
      timestampMicros: 1436280794030635,
      at: 1436280794030,
      cause: 'NORMAL_CLEARING',
      billsec: 66,
      durationSec: 66,
      channel: {
        uuid: 'e3133bf7-dcde-4daf-9663-9a79ffcef5ad',
        direction: 'inbound',
        callerIdNumber: '1001',
        destinationNumber: '1003',
        otherLegUuid: '0a30dd7c-c222-482f-a322-b1218a15f8cd',
        channelName: 'sofia/cgrtest/1001@127.0.0.1',
        ledgerline: { callId: undefined, role: undefined, offerId: undefined },
      },
    });
  });

  it('(c) DTMF: digit, duration in samples, source', () => {
    const fact = toSwitchFact(parsePlainEvent(fixture('c-dtmf.decoded.txt')), source);
    expect(fact).toMatchObject({ kind: 'dtmf', digit: '5', durationSamples: 1200, source: 'RTP', channel: { uuid: 'f40305c9-1b0f-4337-8fa1-01ca62a46293', direction: 'outbound' } });
  });

  it('(d) CHANNEL_BRIDGE: A and B from the Bridge-*-Unique-ID headers', () => {
    const fact = toSwitchFact(parsePlainEvent(fixture('d-channel-bridge.decoded.txt')), source);
    expect(fact).toMatchObject({ kind: 'channel_bridged', aLegUuid: '9c7e3d82-3c0d-4259-ad37-e534003f9ad9', bLegUuid: '88e739f2-0984-4c2c-af9d-7e8fe9a8398f', channel: { callerIdName: 'Igor' } });
  });

  it('(e) CHANNEL_CALLSTATE (JSON) is not a fact the engine needs: ignored, counted by the caller', () => {
    const json = JSON.parse(fixture('e-channel-callstate.json')) as Record<string, string>;
    const fact = toSwitchFact(eslEventFrom(Object.entries(json)), source);
    expect(fact).toMatchObject({ kind: 'ignored', reason: 'unknown_event', eventName: 'CHANNEL_CALLSTATE', sequence: 1653 });
  });

  it('(f) BACKGROUND_JOB byte-exact frames (plain and JSON) through modesl: the job uuid and the command output', () => {
    const plain = throughModesl(fixture('f-background-job.frames.txt'));
    expect(plain).toHaveLength(1);
    const p = toSwitchFact(plain[0]!, source);
    expect(p).toMatchObject({ kind: 'background_job', jobUuid: '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a', command: 'status' });
    expect(p.kind === 'background_job' && p.body.startsWith('UP 0 years, 3 days')).toBe(true);
    expect(p.kind === 'background_job' && p.body.endsWith('Current Stack Size/Max 240K/8192K\n')).toBe(true);

    const json = throughModesl(fixture('f-background-job.json-frame.txt'));
    expect(json).toHaveLength(1);
    expect(toSwitchFact(json[0]!, source)).toMatchObject({ kind: 'background_job', jobUuid: '7370aac1-93a2-4155-8c4a-2997edd4176b', sequence: 651 });
  });

  it('(g) HEARTBEAT: session count and uptime', () => {
    const fact = toSwitchFact(parsePlainEvent(fixture('g-heartbeat.plain.txt')), source);
    expect(fact).toMatchObject({ kind: 'heartbeat', sessionCount: 0, uptimeMsec: 147194552, coreUuid: 'cb2d5146-9a99-11e4-9291-092b1a87b375' });
  });

  it('(h) CHANNEL_CREATE: an inbound channel with its caller id', () => {
    const fact = toSwitchFact(parsePlainEvent(fixture('h-channel-create.decoded.txt')), source);
    expect(fact).toMatchObject({ kind: 'channel_created', channel: { uuid: 'd0b1da34-a727-11e4-9728-6f83a2e5e50a', callerIdName: 'edev - 100', direction: 'inbound', answerState: 'ringing' } });
  });

  it('(j) callcenter::info: action, queue, agent, member session', () => {
    const blocks = fixture('j-callcenter-info.decoded.txt').trim().split(/\n\s*\n/);
    const facts = blocks.map((b) => toSwitchFact(parsePlainEvent(b), source));
    expect(facts.map((f) => (f.kind === 'callcenter_info' ? f.action : f.kind))).toEqual(['agent-status-change', 'member-queue-start', 'bridge-agent-start', 'member-queue-end', 'members-count']);
    expect(facts[2]).toMatchObject({ queue: 'support@default', agent: 'AgentNameHere', agentUuid: '7acfecd3-ab50-470b-8875-d37aba0429ba', memberSessionUuid: 'c6360976-231c-43c6-bda7-7ac4c7d1c125' });
    expect(facts[3]).toMatchObject({ cause: 'Cancel', headers: { 'CC-Cancel-Reason': 'TIMEOUT' } });
  });
});

describe('toSwitchFact tolerance', () => {
  const base: Array<[string, string]> = [['Event-Name', 'CHANNEL_ANSWER'], ['Core-UUID', 'c0'], ['Unique-ID', 'u1']];

  it('treats _undef_ and empty values as absent', () => {
    const fact = toSwitchFact(eslEventFrom([...base, ['Caller-Caller-ID-Name', '_undef_'], ['Caller-Caller-ID-Number', ''], ['variable_ledgerline_call_id', '_undef_']]), source);
    expect(fact).toMatchObject({ kind: 'channel_answered', channel: { callerIdName: undefined, callerIdNumber: undefined, ledgerline: { callId: undefined } } });
  });

  it('falls back to the receive time and an event key without Event-Sequence or timestamp', () => {
    const fact = toSwitchFact(eslEventFrom(base), source);
    expect(fact).toMatchObject({ at: source.receivedAt, eventKey: `u1/CHANNEL_ANSWER/${source.receivedAt * 1000}`, sequence: undefined });
  });

  it('keeps the last of repeated JSON header values and ignores an unknown ledgerline_role', () => {
    const fact = toSwitchFact(eslEventFrom([...base, ['Hangup-Cause', ['USER_BUSY', 'NORMAL_CLEARING']], ['variable_ledgerline_role', 'wizard'], ['Event-Name', 'CHANNEL_HANGUP']]), source);
    expect(fact).toMatchObject({ kind: 'channel_hangup', cause: 'NORMAL_CLEARING', channel: { ledgerline: { role: undefined } } });
  });

  it('a channel event without Unique-ID, an unknown event and an event without Event-Name are ignored, never thrown', () => {
    expect(toSwitchFact(eslEventFrom([['Event-Name', 'CHANNEL_ANSWER']]), source)).toMatchObject({ kind: 'ignored', reason: 'missing_unique_id' });
    expect(toSwitchFact(eslEventFrom([['Event-Name', 'PRESENCE_IN'], ['Unique-ID', 'u']]), source)).toMatchObject({ kind: 'ignored', reason: 'unknown_event' });
    expect(toSwitchFact(eslEventFrom([]), source)).toMatchObject({ kind: 'ignored', eventName: 'UNKNOWN' });
    expect(toSwitchFact(eslEventFrom([['Event-Name', 'CUSTOM'], ['Event-Subclass', 'sofia::register']]), source)).toMatchObject({ kind: 'ignored' });
  });

  it('reads the digits of play_and_get_digits from the variable its arguments name', () => {
    const fact = toSwitchFact(eslEventFrom([
      ['Event-Name', 'CHANNEL_EXECUTE_COMPLETE'], ['Unique-ID', 'u'], ['Application', 'play_and_get_digits'],
      ['Application-Data', '1 4 3 5000 # a.wav b.wav ledgerline_digits \\d+ 5000'], ['Application-UUID', 'e1'], ['variable_ledgerline_digits', '1234'],
    ]), source);
    expect(fact).toMatchObject({ kind: 'execute_complete', applicationUuid: 'e1', digits: '1234' });
  });

  it('parsePlainEvent decodes invalid percent-encoding (a Latin-1 caller name) instead of throwing', () => {
    const e = parsePlainEvent('Event-Name: CHANNEL_CREATE\nUnique-ID: u\nCaller-Caller-ID-Name: M%FCller%20100%\n\n');
    expect(toSwitchFact(e, source)).toMatchObject({ channel: { callerIdName: 'Müller 100%' } });
  });
});

describe('toSwitchFact on arbitrary input', () => {
  it('property: any header bag (known event names, random values) gives a fact, never a throw; stage 2 never throws either', async () => {
    const names = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'DTMF', 'RECORD_STOP', 'PLAYBACK_STOP', 'CHANNEL_EXECUTE_COMPLETE', 'BACKGROUND_JOB', 'HEARTBEAT', 'CUSTOM', 'X'];
    const headerNames = ['Unique-ID', 'Core-UUID', 'Event-Sequence', 'Event-Date-Timestamp', 'Call-Direction', 'Caller-Caller-ID-Name', 'Caller-Caller-ID-Number', 'Caller-Destination-Number', 'Hangup-Cause', 'Job-UUID', 'Event-Subclass', 'CC-Action', 'Application', 'Application-Data', 'variable_ledgerline_role', 'variable_billsec', 'DTMF-Digit'];
    fc.assert(fc.property(
      fc.constantFrom(...names),
      fc.array(fc.tuple(fc.constantFrom(...headerNames), fc.oneof(fc.string(), fc.constant('_undef_'), fc.constant(''), fc.array(fc.string(), { maxLength: 3 }))), { maxLength: 20 }),
      fc.string({ maxLength: 50 }),
      (name, headers, body) => {
        const fact = toSwitchFact(eslEventFrom([['Event-Name', name], ...headers], body), source);
        expect(typeof fact.kind).toBe('string');
        factToCallCommands(fact, { channel: () => undefined });
      },
    ));
  });

  it('property: parsePlainEvent never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      parsePlainEvent(text);
    }));
  });
});
