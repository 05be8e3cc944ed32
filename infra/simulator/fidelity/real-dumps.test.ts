// The real dumps of reference §2.8, rebuilt by the simulator from their own data: same headers, order and encoding.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../clock/sim-clock.ts';
import { EventFactory } from '../core/event-factory.ts';
import { headerOf, type FsEvent } from '../events/fs-event.ts';
import { createTestSwitch } from '../testing/test-switch.ts';
import { eventFrame, commandReplyFrame } from '../wire/frames.ts';
import { serializeJson, serializePlain } from '../wire/serialize-event.ts';
import { fsUrlDecode, fsUrlEncode } from '../wire/url-encode.ts';
import { localOffsetOf, readDump, rebuildChannelEvent } from './dump-rebuild.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const decoded = (e: FsEvent): Array<[string, string]> => e.headers.map(([n, v]) => [n, v]);

describe('byte-exact BACKGROUND_JOB frames (§2.8f)', () => {
  it('reproduces the 908-byte plain frame and its command/reply', () => {
    const identity = { coreUuid: 'ab97dc06-9369-11ea-8aeb-65fa8de67664', hostname: 'localhost.localdomain', switchname: 'localhost.localdomain', ipv4: '192.168.135.134', ipv6: '::1', utcOffsetMinutes: 480, version: '' };
    const f = new EventFactory(identity, createVirtualClock(1589448930194500), 34613);
    const body = readDump(fixture('background-job-plain.frames').split('\n\n')[2]!, true).length > 0 ? fixture('background-job-plain.frames').split('Content-Length: 330\n\n')[1]! : '';
    const event = f.plain('BACKGROUND_JOB', {
      after: [['Job-UUID', '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a'], ['Job-Command', 'status']],
      body,
      origin: { file: 'mod_event_socket.c', func: 'api_exec', line: 1525 },
    });
    const wire = commandReplyFrame('+OK Job-UUID: 7d6594c1-42ba-4260-a4e1-a82a3d63bc4a', [['Job-UUID', '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a']]) + eventFrame(event, 'plain');
    expect(wire).toBe(fixture('background-job-plain.frames'));
  });

  it('reproduces the 949-byte JSON frame', () => {
    const identity = { coreUuid: 'ab97dc06-9369-11ea-8aeb-65fa8de67664', hostname: 'localhost.localdomain', switchname: 'localhost.localdomain', ipv4: '192.168.135.134', ipv6: '::1', utcOffsetMinutes: 480, version: '' };
    const f = new EventFactory(identity, createVirtualClock(1589190025953014), 651);
    const json = JSON.parse(fixture('background-job-json.frame').split('\n\n')[1]!) as Record<string, string>;
    const event = f.plain('BACKGROUND_JOB', {
      after: [['Job-UUID', '7370aac1-93a2-4155-8c4a-2997edd4176b'], ['Job-Command', 'status']],
      body: json._body,
      origin: { file: 'mod_event_socket.c', func: 'api_exec', line: 1525 },
    });
    expect(eventFrame(event, 'json')).toBe(fixture('background-job-json.frame'));
  });
});

describe('channel events rebuilt from their own channel data', () => {
  it('(a) cgrates CHANNEL_HANGUP_COMPLETE: all 310 lines byte for byte (duplicate Hangup-Cause, Other-Leg, variables)', () => {
    const text = fixture('cgrates-hangup-complete.plain');
    const dump = readDump(text, true);
    expect(dump).toHaveLength(310);
    const rebuilt = rebuildChannelEvent(dump, localOffsetOf(dump));
    expect(serializePlain(rebuilt)).toBe(text + '\n');
  });

  it('(a) every dump value survives decode → FreeSWITCH encode unchanged', () => {
    const mismatches = fixture('cgrates-hangup-complete.plain').split('\n').filter((l) => l !== '').filter((l) => {
      const v = l.slice(l.indexOf(': ') + 2);
      return fsUrlEncode(fsUrlDecode(v)) !== v;
    });
    expect(mismatches).toEqual([]);
  });

  it('(c) DTMF on a B leg: no variables, DTMF-* after the Other-Leg block', () => {
    const dump = readDump(fixture('webitel-dtmf.decoded.txt'), false);
    expect(decoded(rebuildChannelEvent(dump, localOffsetOf(dump)))).toEqual(dump);
  });

  it('(d) CHANNEL_BRIDGE head: Bridge-A/B before the channel data, Other-Type originatee', () => {
    const dump = readDump(fixture('webitel-bridge-head.decoded.txt'), false);
    expect(decoded(rebuildChannelEvent(dump, localOffsetOf(dump)))).toEqual(dump);
  });

  it('(e) CHANNEL_CALLSTATE JSON: byte-exact one-line JSON', () => {
    const text = fixture('webitel-callstate.json');
    const dump = Object.entries(JSON.parse(text) as Record<string, string>);
    expect(serializeJson(rebuildChannelEvent(dump, localOffsetOf(dump)))).toBe(text);
  });

  it('(h) CHANNEL_CREATE head: CS_INIT / 2, DOWN, ringing, no codec yet', () => {
    const dump = readDump(fixture('channel-create.decoded.txt'), false);
    expect(decoded(rebuildChannelEvent(dump, localOffsetOf(dump)))).toEqual(dump);
  });
});

describe('the simulator’s own events have the dumps’ shape', () => {
  const names = (e: FsEvent, drop: (n: string) => boolean = () => false): string[] => e.headers.map(([n]) => n).filter((n) => !n.startsWith('variable_') && !drop(n));

  it('A-leg HANGUP_COMPLETE after a bridge has the cgrates header skeleton (minus the transfer-only fields)', async () => {
    const t = createTestSwitch();
    const a = t.sw.inboundCall({ callerIdNumber: '1001', destinationNumber: '1003', context: 'default' });
    const r = t.api('originate', 'user/1003 &park()');
    await t.clock.advance(2500);
    const b = (await r).slice(4).trim();
    await t.api('uuid_bridge', `${a} ${b}`);
    await t.clock.advance(60_000);
    t.sw.hangup(t.sw.get(a)!);
    const ours = t.events.find((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && headerOf(e, 'Unique-ID') === a)!;
    const dump = readDump(fixture('cgrates-hangup-complete.plain'), true);
    const transferOnly = new Set(['Caller-Transfer-Source', 'Caller-RDNIS', 'Other-Leg-RDNIS']);
    expect(names(ours)).toEqual(dump.map(([n]) => n).filter((n) => !n.startsWith('variable_') && !transferOnly.has(n)));
    // The CDR variables come in FreeSWITCH's order.
    const cdr = ['hangup_cause', 'hangup_cause_q850', 'digits_dialed', 'start_stamp', 'profile_start_stamp', 'answer_stamp', 'bridge_stamp', 'end_stamp', 'start_epoch', 'start_uepoch', 'profile_start_epoch', 'profile_start_uepoch', 'answer_epoch', 'answer_uepoch', 'bridge_epoch', 'bridge_uepoch', 'last_hold_epoch', 'last_hold_uepoch', 'hold_accum_seconds', 'hold_accum_usec', 'hold_accum_ms', 'resurrect_epoch', 'resurrect_uepoch', 'progress_epoch', 'progress_uepoch', 'progress_media_epoch', 'progress_media_uepoch', 'end_epoch', 'end_uepoch', 'last_app', 'last_arg', 'caller_id', 'duration', 'billsec', 'progresssec', 'answersec', 'waitsec', 'progress_mediasec', 'flow_billsec', 'mduration', 'billmsec', 'progressmsec', 'answermsec', 'waitmsec', 'progress_mediamsec', 'flow_billmsec', 'uduration', 'billusec', 'progressusec', 'answerusec', 'waitusec', 'progress_mediausec', 'flow_billusec'];
    const ourVars = ours.headers.map(([n]) => n).filter((n) => n.startsWith('variable_')).map((n) => n.slice(9));
    const dumpVars = dump.map(([n]) => n).filter((n) => n.startsWith('variable_')).map((n) => n.slice(9));
    // Our last app (park) had no argument, and FreeSWITCH unsets a variable set to "": last_arg is absent.
    expect(ourVars.filter((v) => cdr.includes(v))).toEqual(cdr.filter((v) => v !== 'last_arg'));
    expect(dumpVars.filter((v) => cdr.includes(v))).toEqual(cdr);
  });

  it('B-leg DTMF has the webitel DTMF skeleton', async () => {
    const t = createTestSwitch();
    const a = t.sw.inboundCall({});
    const r = t.api('originate', 'user/1001 &park()');
    await t.clock.advance(2500);
    const b = (await r).slice(4).trim();
    await t.api('uuid_bridge', `${a} ${b}`);
    t.sw.sendDtmf(b, '5');
    const ours = t.events.find((e) => e.name === 'DTMF')!;
    const dump = readDump(fixture('webitel-dtmf.decoded.txt'), false);
    expect(names(ours)).toEqual(dump.map(([n]) => n));
  });

  it('CHANNEL_CREATE and HEARTBEAT have the dumps’ skeletons', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({});
    t.sw.heartbeat();
    const create = t.events.find((e) => e.name === 'CHANNEL_CREATE')!;
    const dump = readDump(fixture('channel-create.decoded.txt'), false);
    expect(names(create)).toEqual(dump.map(([n]) => n).filter((n) => !n.startsWith('variable_') && n !== 'Channel-Presence-ID'));
    const hb = t.events.find((e) => e.name === 'HEARTBEAT')!;
    const hbDump = readDump(fixture('heartbeat-1.5.plain'), false);
    // 1.5.15 predates Session-Per-Sec-Last (reference §2.3 lists it for current FreeSWITCH).
    expect(names(hb, (n) => n === 'Session-Per-Sec-Last')).toEqual(hbDump.map(([n]) => n));
  });
});

describe('outbound connect reply (§2.8b)', () => {
  it('is the dump byte for byte: Channel-* profile, channel data, variables, then the reply headers', async () => {
    const { channelFromDump, factoryFromDump } = await import('./dump-rebuild.ts');
    const { connectReplyFrame } = await import('../server/outbound-connect.ts');
    const text = fixture('outbound-connect-channel-data.plain');
    const dump = readDump(text, true);
    const ch = channelFromDump(dump.filter(([n]) => !['Content-Type', 'Reply-Text', 'Socket-Mode', 'Control'].includes(n)));
    expect(connectReplyFrame(factoryFromDump(dump, localOffsetOf(dump)), ch, { async: true, full: true })).toBe(text);
  });
});
