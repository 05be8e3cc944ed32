import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { RawEslClient, frameHeader, parsePlainEvent } from '../testing/raw-esl-client.ts';
import { type Simulator, startSimulator } from './start-simulator.ts';

const GOODBYE = 'Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

describe('ESL wire protocol', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  const clients: RawEslClient[] = [];
  const open = async (authed = true): Promise<RawEslClient> => {
    const c = authed ? await RawEslClient.authed(sim.port) : await RawEslClient.connect(sim.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    clock = createVirtualClock(Date.UTC(2026, 4, 14, 9, 35, 30) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'wire' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('greets with auth/request and accepts the password byte for byte', async () => {
    const c = await open(false);
    expect((await c.next()).raw).toBe('Content-Type: auth/request\n\n');
    c.send('auth ClueCon');
    expect((await c.next()).raw).toBe('Content-Type: command/reply\nReply-Text: +OK accepted\n\n');
  });

  it('rejects a wrong password with -ERR invalid, the 67-byte goodbye, and closes', async () => {
    const c = await open(false);
    await c.next();
    c.send('auth nope');
    expect((await c.next()).raw).toBe('Content-Type: command/reply\nReply-Text: -ERR invalid\n\n');
    expect((await c.next()).raw).toBe(GOODBYE);
    await c.closedPromise();
  });

  it('answers other commands before auth with -ERR command not found, and still accepts auth after', async () => {
    const c = await open(false);
    await c.next();
    c.send('api status');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('-ERR command not found');
    c.send('auth ClueCon');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK accepted');
  });

  it('disconnects a client that does not authenticate within 25 s of simulator time', async () => {
    const c = await open(false);
    await c.next();
    await clock.advance(24_000);
    expect(c.closed).toBe(false);
    await clock.advance(1_500);
    expect((await c.next()).raw).toBe(GOODBYE);
    await c.closedPromise();
  });

  it('exit → +OK bye, goodbye notice, close', async () => {
    const c = await open();
    c.send('exit');
    expect((await c.next()).raw).toBe('Content-Type: command/reply\nReply-Text: +OK bye\n\n');
    expect((await c.next()).raw).toBe(GOODBYE);
    await c.closedPromise();
  });

  it('api → api/response with Content-Type first and a byte Content-Length; unknown commands and channels', async () => {
    const c = await open();
    c.send('api create_uuid');
    const r = await c.next();
    expect(r.raw.startsWith('Content-Type: api/response\nContent-Length: 36\n\n')).toBe(true);
    expect(r.body).toMatch(/^[0-9a-f-]{36}$/);
    c.send('api nosuchthing now');
    expect((await c.next()).body).toBe('-ERR nosuchthing Command not found!\n');
    c.send('api uuid_kill 00000000-0000-4000-8000-000000000000');
    expect((await c.next()).body).toBe('-ERR No such channel!\n');
    c.send('api uuid_exists 00000000-0000-4000-8000-000000000000');
    expect((await c.next()).body).toBe('false');
    c.send('api status');
    expect((await c.next()).body).toMatch(/^UP 0 years, 0 days, 0 hours, 0 minutes, 0 seconds, 0 milliseconds, 0 microseconds\nFreeSWITCH \(Version .*\) is ready\n0 session\(s\) since startup\n/);
  });

  it('bgapi replies with the client Job-UUID, then a BACKGROUND_JOB event carrying the output as body', async () => {
    const c = await open();
    c.send('event plain BACKGROUND_JOB');
    await c.next();
    c.send('bgapi uuid_exists x', { 'Job-UUID': '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a' });
    expect((await c.next()).raw).toBe(
      'Content-Type: command/reply\nReply-Text: +OK Job-UUID: 7d6594c1-42ba-4260-a4e1-a82a3d63bc4a\nJob-UUID: 7d6594c1-42ba-4260-a4e1-a82a3d63bc4a\n\n',
    );
    const ev = await c.next();
    expect(ev.raw.startsWith(`Content-Length: ${Buffer.byteLength(ev.body)}\nContent-Type: text/event-plain\n\n`)).toBe(true);
    const parsed = parsePlainEvent(ev.body);
    const names = parsed.headers.map(([n]) => n);
    expect(names.slice(0, 13)).toEqual([
      'Event-Name', 'Core-UUID', 'FreeSWITCH-Hostname', 'FreeSWITCH-Switchname', 'FreeSWITCH-IPv4', 'FreeSWITCH-IPv6',
      'Event-Date-Local', 'Event-Date-GMT', 'Event-Date-Timestamp', 'Event-Calling-File', 'Event-Calling-Function',
      'Event-Calling-Line-Number', 'Event-Sequence',
    ]);
    expect(parsed.headers.slice(13)).toEqual([
      ['Job-UUID', '7d6594c1-42ba-4260-a4e1-a82a3d63bc4a'], ['Job-Owner-UUID', '_undef_'], ['Job-Command', 'uuid_exists'], ['Job-Command-Arg', 'x'],
    ]);
    expect(parsed.headers.find(([n]) => n === 'Event-Date-Local')?.[1]).toBe('2026-05-14%2009%3A35%3A30');
    expect(parsed.headers.find(([n]) => n === 'Event-Date-GMT')?.[1]).toBe('Thu,%2014%20May%202026%2009%3A35%3A30%20GMT');
    expect(parsed.body).toBe('false');
  });

  it('bgapi generates a Job-UUID when none is given; BACKGROUND_JOB is broadcast to every subscriber', async () => {
    const a = await open();
    const b = await open();
    b.send('event json BACKGROUND_JOB');
    await b.next();
    a.send('bgapi create_uuid');
    const reply = await a.next();
    const job = frameHeader(reply, 'Job-UUID')!;
    expect(frameHeader(reply, 'Reply-Text')).toBe(`+OK Job-UUID: ${job}`);
    const ev = await b.next();
    expect(frameHeader(ev, 'Content-Type')).toBe('text/event-json');
    const json = JSON.parse(ev.body) as Record<string, string>;
    expect(json['Job-UUID']).toBe(job);
    expect(json['Job-Owner-UUID']).toBe('');
    expect(json['Content-Length']).toBe('36');
    expect(json._body).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.unread()).toHaveLength(0);
  });

  it('event/nixevent/noevents/filter reply strings', async () => {
    const c = await open();
    const reply = async (line: string): Promise<string | undefined> => {
      c.send(line);
      return frameHeader(await c.next(), 'Reply-Text');
    };
    expect(await reply('event plain')).toBe('-ERR no keywords supplied');
    expect(await reply('event json CHANNEL_CREATE')).toBe('+OK event listener enabled json');
    expect(await reply('event CUSTOM callcenter::info')).toBe('+OK event listener enabled json');
    expect(await reply('nixevent CHANNEL_CREATE')).toBe('+OK events nixed');
    expect(await reply('filter Unique-ID abc')).toBe('+OK filter added. [Unique-ID]=[abc]');
    expect(await reply('filter delete Unique-ID abc')).toBe('+OK filter deleted. [Unique-ID][abc]');
    expect(await reply('noevents')).toBe('+OK no longer listening for events');
    expect(await reply('linger')).toBe('-ERR not controlling a session');
    expect(await reply('bogus')).toBe('-ERR command not found');
    expect(await reply('sendmsg 00000000-0000-4000-8000-000000000000')).toBe('-ERR invalid session id [00000000-0000-4000-8000-000000000000]');
  });

  it('sends HEARTBEAT every 20 s of simulator time with increasing Event-Sequence', async () => {
    const c = await open();
    c.send('event plain HEARTBEAT');
    await c.next();
    await clock.advance(40_000);
    const h1 = parsePlainEvent((await c.next()).body);
    const h2 = parsePlainEvent((await c.next()).body);
    const get = (e: typeof h1, n: string): string | undefined => e.headers.find(([k]) => k === n)?.[1];
    expect(get(h1, 'Event-Name')).toBe('HEARTBEAT');
    expect(get(h1, 'Event-Info')).toBe('System%20Ready');
    expect(Number(get(h2, 'Event-Sequence'))).toBeGreaterThan(Number(get(h1, 'Event-Sequence')));
    expect(Number(get(h2, 'Event-Date-Timestamp')) - Number(get(h1, 'Event-Date-Timestamp'))).toBe(20_000_000);
    expect(get(h1, 'Up-Time')).toBe('0%20years,%200%20days,%200%20hours,%200%20minutes,%2020%20seconds,%200%20milliseconds,%200%20microseconds');
  });

  it('accepts CRLF commands and commands split across TCP writes', async () => {
    const c = await open();
    c.socket.write('api echo ');
    await new Promise((r) => setTimeout(r, 20));
    c.socket.write('hi\r\n\r\n');
    expect((await c.next()).body).toBe('hi');
  });
});
