// Listener semantics beyond the basic frames: api blocks the socket, myevents/linger, queue limits, faults.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { modesl, type EslConnection, type EslEvent } from '../testing/modesl.ts';
import { RawEslClient, frameHeader, parsePlainEvent } from '../testing/raw-esl-client.ts';
import { type Simulator, startSimulator } from './start-simulator.ts';
import { eventually } from '../testing/eventually.ts';

const eventName = (body: string): string | undefined => parsePlainEvent(body).headers.find(([n]) => n === 'Event-Name')?.[1];
const uniqueId = (body: string): string | undefined => parsePlainEvent(body).headers.find(([n]) => n === 'Unique-ID')?.[1];
const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('listener behaviour', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  const clients: RawEslClient[] = [];
  const open = async (): Promise<RawEslClient> => {
    const c = await RawEslClient.authed(sim.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    clock = createVirtualClock(Date.UTC(2026, 0, 3) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'listener', limits: { maxQueue: 20, maxMissed: 5 } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('api originate blocks the socket: the leg’s events arrive after the api/response, then the next command runs', async () => {
    const c = await open();
    c.send('event plain ALL');
    await c.next();
    c.send('api originate {origination_uuid=b1111111-0000-4000-8000-000000000000}user/1001 &park()');
    c.send('api uuid_exists b1111111-0000-4000-8000-000000000000');
    await eventually(() => sim.core.get('b1111111-0000-4000-8000-000000000000'), 5000, 'the B leg');
    await tick();
    expect(c.unread()).toHaveLength(0);
    await clock.advance(2500);
    const response = await c.next();
    expect(frameHeader(response, 'Content-Type')).toBe('api/response');
    expect(response.body).toBe('+OK b1111111-0000-4000-8000-000000000000\n');
    const names: string[] = [];
    for (;;) {
      const f = await c.next();
      if (frameHeader(f, 'Content-Type') === 'api/response') {
        expect(f.body).toBe('true');
        break;
      }
      names.push(eventName(f.body)!);
    }
    expect(names.slice(0, 4)).toEqual(['CHANNEL_OUTGOING', 'CHANNEL_STATE', 'CHANNEL_CREATE', 'CHANNEL_ORIGINATE']);
    expect(names).toContain('CHANNEL_ANSWER');
  });

  it('myevents <uuid> locks the socket to one channel; without linger the socket closes when it hangs up', async () => {
    const a = sim.originateInbound({});
    const b = sim.originateInbound({});
    const c = await open();
    c.send(`myevents ${a}`);
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK Events Enabled');
    c.send(`myevents ${a}`);
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('-ERR aready enabled.');
    sim.sendDtmf(b, '9');
    sim.sendDtmf(a, '1');
    const dtmf = await c.next();
    expect(uniqueId(dtmf.body)).toBe(a);
    sim.hangup(a);
    expect(eventName((await c.next()).body)).toBe('CHANNEL_HANGUP');
    const notice = await c.next();
    expect(notice.raw).toBe(`Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${a}\nContent-Disposition: disconnect\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n`);
    await c.closedPromise();
  });

  it('with linger, the linger notice is sent and trailing events still arrive', async () => {
    const a = sim.originateInbound({});
    const c = await open();
    c.send(`myevents ${a} plain`);
    await c.next();
    c.send('linger 5');
    expect(frameHeader(await c.next(), 'Reply-Text')).toBe('+OK will linger 5 seconds');
    sim.hangup(a);
    await c.until((f) => eventName(f.body) === 'CHANNEL_HANGUP');
    const linger = await c.next();
    expect(frameHeader(linger, 'Content-Disposition')).toBe('linger');
    expect(frameHeader(linger, 'Linger-Time')).toBe('5');
    await c.until((f) => eventName(f.body) === 'CHANNEL_DESTROY');
    await clock.advance(5000);
    await c.closedPromise();
  });

  it('a stalled listener queues events, loses them past the queue limit, and is killed after too many losses', async () => {
    const c = await open();
    c.send('event plain ALL');
    await c.next();
    sim.stallConnections(60_000);
    for (let i = 0; i < 5; i++) sim.originateInbound({});
    const notice = await c.until((f) => frameHeader(f, 'Content-Type') === 'text/disconnect-notice');
    expect(notice.body).toBe('killed listener because of lost events\n');
    await c.closedPromise();
  });

  it('frames split into 5-byte TCP writes still parse in modesl', async () => {
    sim.faults.splitFrames(5);
    const conn = await new Promise<EslConnection>((resolve, reject) => {
      const x: EslConnection = new modesl.Connection('127.0.0.1', sim.port, 'ClueCon', () => resolve(x));
      x.on('error', reject);
    });
    const r = await new Promise<EslEvent>((resolve) => conn.api('status', '', resolve));
    expect(r.getBody()).toMatch(/^UP /);
    conn.socket.destroy();
  });

  it('bad percent-encoding in a caller name: raw bytes on the wire, and modesl’s Parser throws URIError (its known bug)', async () => {
    const c = await open();
    c.send('event plain CHANNEL_CREATE');
    await c.next();
    sim.faults.badEncodingNext();
    sim.originateInbound({ callerIdName: 'Müller' });
    const f = await c.next();
    expect(f.body).toContain('\nCaller-Caller-ID-Name: M%FCller\n');
    expect(Number(frameHeader(f, 'Content-Length'))).toBe(Buffer.byteLength(f.body));
    const socket = new EventEmitter();
    new modesl.Parser(socket);
    expect(() => socket.emit('data', Buffer.from(f.raw))).toThrow(URIError);
  });

  it('a malformed frame (lost header terminator) and cross-leg reordering are injectable', async () => {
    const c = await open();
    c.send('event plain CHANNEL_PARK');
    await c.next();
    sim.faults.malformNext();
    sim.originateInbound({});
    const bytes = await eventually(() => (c.received.includes('CHANNEL_PARK') ? c.received : undefined), 5000, 'the park event');
    expect(bytes).toMatch(/Content-Type: text\/event-plain\nEvent-Name: CHANNEL_PARK\n/);
    c.close();

    const d = await open();
    d.send('event plain CHANNEL_PARK CHANNEL_EXECUTE');
    await d.next();
    sim.faults.clear();
    sim.faults.reorder(1);
    sim.originateInbound({});
    await eventually(() => d.unread().length >= 2, 5000, 'two events');
    const seqs = d.unread().map((f) => Number(parsePlainEvent(f.body).headers.find(([n]) => n === 'Event-Sequence')?.[1]));
    expect(seqs.length).toBeGreaterThanOrEqual(2);
    expect(seqs.some((s, i) => i > 0 && s < seqs[i - 1]!)).toBe(true);
  });

  it('dropConnections closes sockets without any notice', async () => {
    const c = await open();
    sim.dropConnections();
    await c.closedPromise();
    expect(c.unread()).toHaveLength(0);
    expect(sim.connections()).toBe(0);
  });
});

describe('programmatic traffic', () => {
  it('startTraffic validates the scenario and offers calls on the simulator clock', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 0, 5) * 1000);
    const sim = await startSimulator({ port: 0, clock, seed: 'traffic', heartbeatSec: 0 });
    try {
      expect(() => sim.startTraffic({ arrivals: { ratePerSecond: -1 } })).toThrow();
      const gen = sim.startTraffic({ arrivals: { ratePerSecond: 1, maxCalls: 3 }, patience: { kind: 'fixed', seconds: 5 } });
      await clock.advance(60_000);
      expect(gen.stats).toMatchObject({ offered: 3, abandoned: 3 });
    } finally {
      await sim.close();
    }
  });
});

describe('fault fidelity (a real switch delays, never withholds; faults are per listener)', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  const clients: RawEslClient[] = [];
  const open = async (): Promise<RawEslClient> => {
    const c = await RawEslClient.authed(sim.port);
    clients.push(c);
    return c;
  };
  const subscribe = async (c: RawEslClient, what: string): Promise<void> => {
    c.send(`event plain ${what}`);
    await c.next();
  };

  beforeEach(async () => {
    clock = createVirtualClock(Date.UTC(2026, 0, 4) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'faults', heartbeatSec: 0 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.close();
  });

  it('reorder: a held BACKGROUND_JOB with no event after it is still delivered when the hold delay runs out', async () => {
    const c = await open();
    await subscribe(c, 'BACKGROUND_JOB');
    sim.faults.reorder(1, 50);
    c.send('bgapi uuid_exists 00000000-0000-4000-8000-000000000000');
    expect(frameHeader(await c.next(), 'Reply-Text')).toMatch(/^\+OK Job-UUID: /);
    await tick();
    expect(c.unread()).toHaveLength(0);
    await clock.advance(50);
    const job = await c.next();
    expect(eventName(job.body)).toBe('BACKGROUND_JOB');
    expect(job.body.endsWith('false')).toBe(true);
  });

  it('reorder: a held event goes out before the next command reply', async () => {
    const c = await open();
    await subscribe(c, 'CHANNEL_PARK');
    sim.faults.reorder(1, 60_000);
    const a = sim.originateInbound({});
    await tick();
    expect(c.unread()).toHaveLength(0);
    c.send(`api uuid_exists ${a}`);
    const first = await c.next();
    expect(eventName(first.body)).toBe('CHANNEL_PARK');
    expect((await c.next()).body).toBe('true');
  });

  it('reorder: a listener that goes away leaves no held frame behind', async () => {
    const c = await open();
    await subscribe(c, 'CHANNEL_PARK');
    sim.faults.reorder(1, 60_000);
    sim.originateInbound({});
    await eventually(() => (sim.faults.heldCount() === 1 ? true : undefined), 5000, 'a held frame');
    c.close();
    await eventually(() => (sim.faults.heldCount() === 0 ? true : undefined), 5000, 'the held frame dropped');
  });

  it('malformNext and badEncodingNext count per listener: each connected listener gets its own malformed frame', async () => {
    const c1 = await open();
    const c2 = await open();
    await subscribe(c1, 'CHANNEL_CREATE');
    await subscribe(c2, 'CHANNEL_CREATE');
    sim.faults.malformNext(1);
    sim.originateInbound({});
    for (const c of [c1, c2]) await eventually(() => (c.received.includes('CHANNEL_CREATE') ? true : undefined), 5000, 'the create event');
    for (const c of [c1, c2]) expect(c.received).toMatch(/Content-Type: text\/event-plain\nEvent-Name: CHANNEL_CREATE\n/);

    const c3 = await open();
    const c4 = await open();
    await subscribe(c3, 'CHANNEL_CREATE');
    await subscribe(c4, 'CHANNEL_CREATE');
    const [id3] = sim.faults.listenerIds().slice(-2);
    sim.faults.badEncodingNext(1, id3);
    sim.originateInbound({ callerIdName: 'Mueller' });
    const f3 = await c3.next();
    const f4 = await c4.next();
    expect(f3.body).toContain('\nCaller-Caller-ID-Name: M%FCller\n');
    expect(f4.body).toContain('\nCaller-Caller-ID-Name: Mueller\n');
  });

  it('a stalled socket holds command replies too, and reads no further command until it flows again', async () => {
    const c = await open();
    await subscribe(c, 'CHANNEL_CREATE');
    sim.stallConnections(1000);
    c.send('api uuid_exists 00000000-0000-4000-8000-000000000000');
    c.send('api create_uuid');
    await tick();
    expect(c.unread()).toHaveLength(0);
    await clock.advance(1000);
    expect((await c.next()).body).toBe('false');
    expect((await c.next()).body).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('callcenter::info hook', () => {
  it('a subscriber to CUSTOM callcenter::info receives the event the simulator fires', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 0, 5) * 1000);
    const sim = await startSimulator({ port: 0, clock, seed: 'cc', heartbeatSec: 0 });
    const c = await RawEslClient.authed(sim.port);
    try {
      c.send('event plain CUSTOM callcenter::info');
      await c.next();
      sim.callcenterInfo('members-count', { 'CC-Queue': 'support@default', 'CC-Count': '1', 'CC-Selection': 'Single-Queue' });
      const f = await c.next();
      expect(f.body).toContain('\nEvent-Subclass: callcenter%3A%3Ainfo\n');
      expect(parsePlainEvent(f.body).headers.filter(([n]) => n.startsWith('CC-'))).toEqual([['CC-Queue', 'support%40default'], ['CC-Action', 'members-count'], ['CC-Count', '1'], ['CC-Selection', 'Single-Queue']]);
    } finally {
      c.close();
      await sim.close();
    }
  });
});
