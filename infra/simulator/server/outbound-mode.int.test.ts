// Outbound mode: the `socket` app connects to the application, which drives the channel (reference §1.10).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { type EslConnection, type EslEvent, modesl } from '../testing/modesl.ts';
import { RawEslClient, frameHeader, parsePlainEvent } from '../testing/raw-esl-client.ts';
import { type Simulator, startSimulator } from './start-simulator.ts';
import { eventually } from '../testing/eventually.ts';

const A = 'aaaaaaaa-0000-4000-8000-0000000000aa';
const eventName = (body: string): string | undefined => parsePlainEvent(body).headers.find(([n]) => n === 'Event-Name')?.[1];

describe('outbound mode (socket app)', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  let app: Server;
  let appPort = 0;
  let accepted: Promise<Socket>;

  beforeEach(async () => {
    clock = createVirtualClock(Date.UTC(2026, 0, 4) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'outbound' });
    let resolveAccepted: (s: Socket) => void = () => undefined;
    accepted = new Promise((r) => (resolveAccepted = r));
    app = createServer((s) => resolveAccepted(s));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appPort = (app.address() as { port: number }).port;
  });
  afterEach(async () => {
    await sim.close();
    await new Promise<void>((r) => app.close(() => r()));
  });

  it('async full: parks the channel; connect returns CHANNEL_DATA; myevents, linger, sendmsg; hangup → linger notice', async () => {
    sim.originateInbound({ uuid: A, apps: [{ app: 'answer' }, { app: 'socket', data: `127.0.0.1:${appPort} async full` }] });
    const c = RawEslClient.fromSocket(await accepted);
    c.send('connect');
    const reply = await c.next();
    expect(reply.raw.startsWith('Event-Name: CHANNEL_DATA\n')).toBe(true);
    expect(reply.raw.endsWith('Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: full\n\n')).toBe(true);
    expect(frameHeader(reply, 'Channel-Unique-ID')).toBe(A);
    expect(frameHeader(reply, 'variable_current_application')).toBe('socket');
    c.send('myevents');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK Events Enabled');
    c.send('linger');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK will linger');
    c.send('getvar current_application');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('socket');
    c.send(`sendmsg`, { 'call-command': 'execute', 'execute-app-name': 'playback', 'execute-app-arg': 'hello.wav', 'Event-UUID': 'e1' });
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK');
    await clock.advance(3500);
    const complete = await c.until((f) => eventName(f.body) === 'CHANNEL_EXECUTE_COMPLETE');
    expect(parsePlainEvent(complete.body).headers.find(([n]) => n === 'Application-UUID')?.[1]).toBe('e1');
    expect(sim.core.get(A)?.parked).toBeDefined();
    sim.hangup(A);
    await c.until((f) => frameHeader(f, 'Content-Disposition') === 'linger');
    await c.until((f) => eventName(f.body) === 'CHANNEL_DESTROY');
    c.close();
  });

  it('without full, event/api/linger get -ERR command not found; closing without resume hangs the call up', async () => {
    sim.originateInbound({ uuid: A, apps: [{ app: 'answer' }, { app: 'socket', data: `127.0.0.1:${appPort}` }, { app: 'park' }] });
    const c = RawEslClient.fromSocket(await accepted);
    c.send('connect');
    expect(frameHeader(await c.next(), 'Control')).toBe('single-channel');
    for (const cmd of ['event plain ALL', 'api status', 'linger']) {
      c.send(cmd);
      expect(frameHeader(await c.next(), 'Reply-Text')).toBe('-ERR command not found');
    }
    c.close();
    await eventually(() => sim.core.get(A) === undefined, 5000, 'the hangup');
  });

  it('resume lets the dialplan go on after the socket closes', async () => {
    sim.originateInbound({ uuid: A, apps: [{ app: 'answer' }, { app: 'socket', data: `127.0.0.1:${appPort} async full` }, { app: 'park' }] });
    const c = RawEslClient.fromSocket(await accepted);
    c.send('connect');
    await c.next();
    c.send('resume');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK');
    c.close();
    await eventually(() => sim.core.get(A)?.variables.get('current_application') === 'park', 5000, 'the dialplan to go on');
  });

  it('modesl’s outbound Server connects, gets CHANNEL_DATA, and execute() completes', async () => {
    await new Promise<void>((r) => app.close(() => r()));
    app = createServer();
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    appPort = (app.address() as { port: number }).port;
    const server = new (modesl as unknown as { Server: new (o: object, cb?: () => void) => { on(e: string, f: (c: EslConnection & { getInfo(): EslEvent }) => void): void } }).Server({ server: app, myevents: true });
    const ready = new Promise<EslConnection & { getInfo(): EslEvent }>((r) => server.on('connection::ready', r));
    sim.originateInbound({ uuid: A, apps: [{ app: 'answer' }, { app: 'socket', data: `127.0.0.1:${appPort} async full` }] });
    const conn = await ready;
    expect(conn.getInfo().getHeader('Unique-ID')).toBe(A);
    const done = new Promise<EslEvent>((r) => conn.execute('playback', 'x.wav', A, r));
    await eventually(() => [...(sim.core.get(A)?.activeApps ?? [])].some((x) => x.name === 'playback'), 5000, 'playback to start');
    await clock.advance(3500);
    expect((await done).getHeader('Application-Response')).toBe('FILE PLAYED');
    conn.socket.destroy();
  });
});
