// An ACD's call flow (reference §3.2) driven through modesl over TCP: what the adapter will see, in order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVirtualClock, type VirtualClock } from '../clock/sim-clock.ts';
import { type Simulator, startSimulator } from '../server/start-simulator.ts';
import { eventually } from '../testing/eventually.ts';
import { type EslConnection, type EslEvent, modesl } from '../testing/modesl.ts';

describe('ACD flow through modesl', () => {
  let sim: Simulator;
  let clock: VirtualClock;
  let conn: EslConnection;
  const seen: Array<{ name: string; uuid: string; event: EslEvent }> = [];

  beforeEach(async () => {
    seen.length = 0;
    clock = createVirtualClock(Date.UTC(2026, 0, 6, 9) * 1000);
    sim = await startSimulator({ port: 0, clock, seed: 'acd', heartbeatSec: 0 });
    conn = await new Promise<EslConnection>((resolve, reject) => {
      const c: EslConnection = new modesl.Connection('127.0.0.1', sim.port, 'ClueCon', () => resolve(c));
      c.on('error', reject);
    });
    conn.on('esl::event::**', (...args: unknown[]) => {
      const e = args[0] as EslEvent;
      const name = e.getHeader('Event-Name');
      if (name && name !== 'BACKGROUND_JOB') seen.push({ name, uuid: e.getHeader('Unique-ID') ?? '', event: e });
    });
  });
  afterEach(async () => {
    conn.socket.destroy();
    await sim.close();
  });

  const lifecycle = (uuid: string): string[] =>
    seen.filter((s) => s.uuid === uuid && !['CHANNEL_STATE', 'CHANNEL_CALLSTATE'].includes(s.name)).map((s) => s.name.replace(/^CHANNEL_/, ''));

  it('caller parks, agent is originated and bridged, caller hangs up; json events carry billsec', async () => {
    await new Promise<void>((r) => conn.events('json', 'all', () => r()));
    const a = sim.originateInbound({ callerIdNumber: '+15557654321', destinationNumber: '5000' });
    await eventually(() => seen.some((s) => s.name === 'CHANNEL_PARK' && s.uuid === a), 5000, 'caller park');

    const b = 'b0000000-0000-4000-8000-0000000000b1';
    const job = new Promise<EslEvent>((r) => conn.bgapi('originate', `{origination_uuid=${b},origination_caller_id_number=+15557654321,originate_timeout=20}user/1001 &park()`, r));
    await eventually(() => sim.core.get(b), 5000, 'agent leg');
    await clock.advance(2500);
    expect((await job).getBody()).toBe(`+OK ${b}\n`);

    const bridged = await new Promise<EslEvent>((r) => conn.api('uuid_bridge', `${a} ${b}`, r));
    expect(bridged.getBody()).toBe(`+OK ${b}\n`);
    await eventually(() => seen.some((s) => s.name === 'CHANNEL_BRIDGE'), 5000, 'bridge');
    await clock.advance(42_000);
    sim.hangup(a);
    await eventually(() => seen.filter((s) => s.name === 'CHANNEL_DESTROY').length === 2, 5000, 'both destroyed');

    expect(lifecycle(a)).toEqual([
      'CREATE', 'EXECUTE', 'ANSWER', 'EXECUTE_COMPLETE', 'EXECUTE', 'PARK', 'UNPARK', 'EXECUTE_COMPLETE', 'EXECUTE',
      'BRIDGE', 'HANGUP', 'UNBRIDGE', 'HANGUP_COMPLETE', 'DESTROY',
    ]);
    expect(lifecycle(b)).toEqual([
      'OUTGOING', 'CREATE', 'ORIGINATE', 'PROGRESS', 'ANSWER', 'EXECUTE', 'PARK', 'UNPARK', 'EXECUTE_COMPLETE', 'EXECUTE',
      'HANGUP', 'HANGUP_COMPLETE', 'DESTROY',
    ]);
    const complete = seen.find((s) => s.name === 'CHANNEL_HANGUP_COMPLETE' && s.uuid === a)!.event;
    expect(complete.getHeader('variable_billsec')).toBe('44');
    expect(complete.getHeader('Other-Leg-Unique-ID')).toBe(b);
    const seqs = seen.map((s) => Number(s.event.getHeader('Event-Sequence')));
    expect(seqs.every((x, i) => i === 0 || x > seqs[i - 1]!)).toBe(true);
  });

  it('xml events parse in modesl too', async () => {
    await new Promise<void>((r) => conn.events('xml', ['CHANNEL_ANSWER'], () => r()));
    const a = sim.originateInbound({});
    const answer = await eventually(() => seen.find((s) => s.name === 'CHANNEL_ANSWER'), 5000, 'answer');
    expect(answer.uuid).toBe(a);
    expect(answer.event.getHeader('Answer-State')).toBe('answered');
  });

  it('sendevent fires a CUSTOM event to subscribers and replies +OK <uuid>', async () => {
    await new Promise<void>((r) => conn.events('plain', 'CUSTOM ledgerline::probe', () => r()));
    const reply = await new Promise<EslEvent>((r) => {
      (conn as unknown as { sendRecv(cmd: string, headers: Record<string, string>, cb: (e: EslEvent) => void): void }).sendRecv('sendevent CUSTOM', { 'Event-Subclass': 'ledgerline::probe', Probe: 'x y' }, r);
    });
    expect(reply.getHeader('Reply-Text')).toMatch(/^\+OK [0-9a-f-]{36}$/);
    const custom = await eventually(() => seen.find((s) => s.name === 'CUSTOM'), 5000, 'custom');
    expect(custom.event.getHeader('Event-Subclass')).toBe('ledgerline::probe');
    expect(custom.event.getHeader('Probe')).toBe('x y');
  });
});
