// modesl 1.2.1 (what the adapter uses) parses the simulator's frames exactly as it parses real FreeSWITCH dumps,
// and drives the simulator end to end over TCP.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { EventFactory } from '../core/event-factory.ts';
import { type Simulator, startSimulator } from '../server/start-simulator.ts';
import { type EslConnection, type EslEvent, modesl } from '../testing/modesl.ts';
import { RawEslClient } from '../testing/raw-esl-client.ts';
import { eventually } from '../testing/eventually.ts';
import { commandReplyFrame, eventFrame } from '../wire/frames.ts';
import { readDump, rebuildChannelEvent, localOffsetOf } from './dump-rebuild.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** Feeds bytes to a modesl Parser in chunks; returns what it emitted. */
function parseWithModesl(bytes: string, chunk = 97): Array<{ headers: Array<{ name: string; value: unknown }>; body: string }> {
  const socket = new EventEmitter();
  const parser = new modesl.Parser(socket);
  const out: Array<{ headers: Array<{ name: string; value: unknown }>; body: string }> = [];
  parser.on('esl::event', (e: EslEvent) => out.push({ headers: e.headers.map((h) => ({ ...h })), body: e.getBody() }));
  const buf = Buffer.from(bytes, 'utf8');
  for (let i = 0; i < buf.length; i += chunk) socket.emit('data', buf.subarray(i, i + chunk));
  return out;
}

describe('modesl Parser: simulator frames vs real dumps', () => {
  it('parses the rebuilt BACKGROUND_JOB frames exactly like the captured ones', () => {
    const captured = fixture('background-job-plain.frames');
    const identity = { coreUuid: 'ab97dc06-9369-11ea-8aeb-65fa8de67664', hostname: 'localhost.localdomain', switchname: 'localhost.localdomain', ipv4: '192.168.135.134', ipv6: '::1', utcOffsetMinutes: 480, version: '' };
    const f = new EventFactory(identity, createVirtualClock(1589448930194500), 34613);
    const event = f.plain('BACKGROUND_JOB', { after: [['Job-UUID', '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a'], ['Job-Command', 'status']], body: captured.split('Content-Length: 330\n\n')[1]!, origin: { file: 'mod_event_socket.c', func: 'api_exec', line: 1525 } });
    const ours = commandReplyFrame('+OK Job-UUID: 7d6594c1-42ba-4260-a4e1-a82a3d63bc4a', [['Job-UUID', '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a']]) + eventFrame(event, 'plain');
    const a = parseWithModesl(captured);
    const b = parseWithModesl(ours, 13);
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
    expect(a[1]!.body).toMatch(/^UP 0 years/);
  });

  it('parses the rebuilt cgrates HANGUP_COMPLETE (plain and json frames) exactly like the dump', () => {
    const text = fixture('cgrates-hangup-complete.plain');
    const dump = readDump(text, true);
    const rebuilt = rebuildChannelEvent(dump, localOffsetOf(dump));
    const real = `Content-Length: ${Buffer.byteLength(text + '\n')}\nContent-Type: text/event-plain\n\n${text}\n`;
    const fromDump = parseWithModesl(real);
    const fromSim = parseWithModesl(eventFrame(rebuilt, 'plain'), 1500);
    expect(fromSim).toEqual(fromDump);
    // modesl keeps the last of the duplicate Hangup-Cause headers (reference §5.4).
    const json = parseWithModesl(eventFrame(rebuilt, 'json'))[0]!;
    const get = (e: typeof json, n: string): unknown => e.headers.find((h) => h.name === n)?.value;
    expect(get(json, 'variable_ringback')).toBe('%(2000,4000,440,480)');
    expect(get(json, 'Caller-Channel-Name')).toBe(get(fromDump[0]!, 'Caller-Channel-Name'));
  });
});

describe('modesl Connection against the simulator over TCP', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  let conn: EslConnection | undefined;

  beforeEach(async () => {
    clock = createVirtualClock(Date.UTC(2026, 0, 2) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'modesl' });
  });
  afterEach(async () => {
    conn?.socket.destroy();
    await sim.close();
  });

  const connect = async (): Promise<EslConnection> => {
    const c = await new Promise<EslConnection>((resolve, reject) => {
      const x: EslConnection = new modesl.Connection('127.0.0.1', sim.port, 'ClueCon', () => resolve(x));
      x.on('error', reject);
    });
    conn = c;
    return c;
  };

  it('authenticates (esl::ready), runs api and bgapi (callback on BACKGROUND_JOB)', async () => {
    const c = await connect();
    const status = await new Promise<EslEvent>((resolve) => c.api('status', '', resolve));
    expect(status.getBody()).toMatch(/^UP /);
    const B = 'b0000000-0000-4000-8000-00000000000b';
    const job = new Promise<EslEvent>((resolve) => c.bgapi('originate', `{origination_uuid=${B}}user/1001 &park()`, resolve));
    await eventually(() => sim.core.get(B), 5000, 'the B leg');
    await clock.advance(3000);
    const done = await job;
    expect(done.getBody()).toBe(`+OK ${B}\n`);
    expect(done.getHeader('Job-Command')).toBe('originate');
    expect(done.getHeader('Job-Command-Arg')).toBe(`{origination_uuid=${B}}user/1001 &park()`);
  });

  it('delivers subscribed channel events (json and plain) and fires execute() callbacks on EXECUTE_COMPLETE', async () => {
    const c = await connect();
    const answers: string[] = [];
    c.on('esl::event::CHANNEL_ANSWER::*', (...args: unknown[]) => answers.push((args[0] as EslEvent).getHeader('Unique-ID') ?? ''));
    await new Promise<void>((resolve) => c.events('json', ['CHANNEL_ANSWER', 'CHANNEL_PARK'], () => resolve()));
    const a = sim.originateInbound({ callerIdName: 'Müller 100%' });
    await eventually(() => answers.length === 1, 5000, 'CHANNEL_ANSWER');
    expect(answers).toEqual([a]);

    const completed = new Promise<EslEvent>((resolve) => c.execute('playback', '/sounds/welcome.wav', a, resolve));
    await eventually(() => [...(sim.core.get(a)?.activeApps ?? [])].some((x) => x.name === 'playback'), 5000, 'playback to start');
    await clock.advance(3500);
    const ev = await completed;
    expect(ev.getHeader('Application')).toBe('playback');
    expect(ev.getHeader('Application-Response')).toBe('FILE PLAYED');
    expect(ev.getHeader('Caller-Caller-ID-Name')).toBe('Müller 100%');

    await new Promise<void>((resolve) => c.events('plain', ['CHANNEL_HANGUP_COMPLETE'], () => resolve()));
    const hung = new Promise<EslEvent>((resolve) => c.on('esl::event::CHANNEL_HANGUP_COMPLETE::*', (...args: unknown[]) => resolve(args[0] as EslEvent)));
    sim.hangup(a);
    const hc = await hung;
    expect(hc.getHeader('Caller-Caller-ID-Name')).toBe('Müller 100%');
    expect(hc.getHeader('variable_billsec')).toBe('3');
  });

  it('a raw client and modesl see the same event stream', async () => {
    const raw = await RawEslClient.authed(sim.port);
    raw.send('event plain ALL');
    await raw.next();
    sim.originateInbound({});
    await raw.until((f) => f.body.includes('Event-Name: CHANNEL_PARK'));
    const frames = raw.frames.slice(2).map((f) => f.raw).join('');
    const parsed = parseWithModesl(frames, 7);
    expect(parsed.length).toBe(raw.frames.length - 2);
    expect(parsed.map((e) => e.headers.find((h) => h.name === 'Event-Name')?.value)).toContain('CHANNEL_PARK');
    raw.close();
  });
});
