// EslSwitchPort against the simulator over TCP: originate outcomes, bridge, hangups and a reconnect become port facts
// in order, with our variables, the switch id and unique fact ids. Waits on facts; asserts no timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { type Simulator, startSimulator } from '../../infra/simulator/server/start-simulator.ts';
import type { SwitchFact } from '../ports/switch-port.ts';
import { until } from '../test-support/wait.ts';
import { EslSwitchPort } from './esl-switch-port.ts';
import { RECONCILE_ENDED } from './reconcile-facts.ts';

let sim: Simulator;
let port: EslSwitchPort;
let switchId: string;
const facts: SwitchFact[] = [];
const adapterKinds: string[] = [];
/** What an engine would believe live: legs it dialled or saw answer, until their hangup fact. */
const believed = new Set<string>();
let consumer: Promise<void>;
let n = 0;
const uuid = (): string => `eeeeeeee-0000-4000-8000-${String(++n).padStart(12, '0')}`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ringMs: 20, seed: 'esl-switch-port', mediaDuration: () => 50 });
  sim.setEndpoint('1090', { kind: 'busy' });
  sim.setEndpoint('1091', { kind: 'reject', ringMs: 10 });
  sim.setEndpoint('1092', { kind: 'unregistered' });
  sim.setEndpoint('1093', { kind: 'no-answer' });
  port = new EslSwitchPort({
    switches: [{ host: sim.host, port: sim.port }],
    password: sim.password,
    commandTimeoutMs: 5000,
    openChannels: () => [...believed],
    onAdapterFact: (f) => adapterKinds.push(f.kind),
    connection: { heartbeatMisses: 0 },
  });
  switchId = `${sim.host}:${sim.port}`;
  expect(await port.start(5000)).toEqual({ ready: [switchId], notReady: [] });
  consumer = (async () => {
    for await (const f of port.facts()) {
      facts.push(f);
      if (f.kind === 'leg_answered') believed.add(f.legUuid);
      if (f.kind === 'leg_hangup') believed.delete(f.legUuid);
    }
  })();
});
afterAll(async () => {
  port.close();
  await consumer;
  await sim.close();
});

const of = (leg: string): SwitchFact[] => facts.filter((f) => f.legUuid === leg);
const waitFact = async (leg: string, kind: SwitchFact['kind']): Promise<SwitchFact> => {
  await until(() => of(leg).some((f) => f.kind === kind), `${kind} on ${leg}`, 15_000);
  return of(leg).find((f) => f.kind === kind)!;
};
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isLedgerlineError(e) ? e.code : `not coded: ${String(e)}`;
  }
}

/** Originates an agent leg; resolves as soon as the port returns (before any answer). */
async function dial(user: string, extra: { ringTimeoutSeconds?: number } = {}): Promise<string> {
  const legUuid = uuid();
  believed.add(legUuid);
  await port.originate({
    switchId, commandId: `cmd-${legUuid}`, legUuid, endpoint: { kind: 'user', user }, callId: `call-${legUuid}`, role: 'agent', offerId: `offer-${legUuid}`,
    ringTimeoutSeconds: extra.ringTimeoutSeconds ?? 20,
  });
  return legUuid;
}

/** An inbound caller, answered and parked by the default dialplan. */
async function caller(): Promise<string> {
  const c = sim.originateInbound({ callerIdNumber: '+15551230000' });
  await waitFact(c, 'leg_answered');
  believed.add(c);
  return c;
}

describe('EslSwitchPort: originate', () => {
  it('returns before the answer; the leg rings, answers (with our variables and switch), then hangs up when killed', async () => {
    const leg = await dial('1001');
    expect(of(leg).some((f) => f.kind === 'leg_answered')).toBe(false);
    const answered = await waitFact(leg, 'leg_answered');
    expect(answered).toMatchObject({ switchId, legUuid: leg, callId: `call-${leg}`, offerId: `offer-${leg}`, role: 'agent' });
    expect(await port.channelStatus(switchId, leg)).toBe('answered');
    await port.kill({ switchId, commandId: `kill-${leg}`, legUuid: leg, cause: 'NORMAL_CLEARING' });
    const hangup = await waitFact(leg, 'leg_hangup');
    expect(hangup).toMatchObject({ cause: 'NORMAL_CLEARING', callId: `call-${leg}` });
    expect(of(leg).map((f) => f.kind).filter((k) => k !== 'legs_unbridged')).toEqual(['leg_ringing', 'leg_answered', 'leg_hangup']);
    expect(await port.channelStatus(switchId, leg)).toBe('hungup');
  });

  it.each([
    ['1090', 'USER_BUSY'],
    ['1091', 'CALL_REJECTED'],
    ['1092', 'USER_NOT_REGISTERED'],
  ])('user %s: one leg_hangup with cause %s, never an answer', async (user, cause) => {
    const leg = await dial(user);
    await waitFact(leg, 'leg_hangup');
    await until(() => port.originatesInFlight === 0, 'originate jobs settled', 15_000);
    expect(of(leg).filter((f) => f.kind === 'leg_hangup')).toEqual([expect.objectContaining({ cause, switchId, callId: `call-${leg}`, role: 'agent' })]);
    expect(of(leg).some((f) => f.kind === 'leg_answered')).toBe(false);
    // Only the unregistered user has no channel (so no CHANNEL_HANGUP_COMPLETE): its hangup is the originate's outcome.
    expect(of(leg)[0]!.factId.startsWith('originate-failed/')).toBe(user === '1092');
  });

  it('no answer within ringTimeoutSeconds: ringing, then leg_hangup NO_ANSWER', async () => {
    const leg = await dial('1093', { ringTimeoutSeconds: 1 });
    const hangup = await waitFact(leg, 'leg_hangup');
    expect(hangup).toMatchObject({ cause: 'NO_ANSWER' });
    await until(() => port.originatesInFlight === 0, 'originate jobs settled', 15_000);
    expect(of(leg).map((f) => f.kind)).toEqual(['leg_ringing', 'leg_hangup']);
  });

  it('refuses what cannot be sent, at once: bad values, an unknown switch', async () => {
    const legUuid = uuid();
    const base = { commandId: 'c', legUuid, endpoint: { kind: 'user', user: '1001' } as const, callId: 'x', role: 'agent' as const };
    expect(await codeOf(port.originate({ ...base, switchId, ringTimeoutSeconds: 0 }))).toBe('ESL_INVALID_ARGUMENT');
    expect(await codeOf(port.originate({ ...base, switchId: 'nowhere:1', ringTimeoutSeconds: 5 }))).toBe('ESL_UNKNOWN_SWITCH');
    expect(await codeOf(port.originate({ ...base, switchId, endpoint: { kind: 'user', user: '10 01' }, ringTimeoutSeconds: 5 }))).toBe('ESL_INVALID_ARGUMENT');
    expect(port.originatesInFlight).toBe(0);
    expect(of(legUuid)).toEqual([]);
  });
});

describe('EslSwitchPort: bridge and hangups', () => {
  it('bridges a parked caller to an answered agent leg; the caller hanging up ends both legs', async () => {
    const c = await caller();
    const leg = await dial('1002');
    await waitFact(leg, 'leg_answered');
    await port.bridge({ switchId, commandId: `bridge-${leg}`, aLegUuid: c, bLegUuid: leg });
    expect(await waitFact(c, 'legs_bridged')).toMatchObject({ legUuid: c, otherLegUuid: leg, switchId });
    expect(await port.channelStatus(switchId, c)).toBe('bridged');
    sim.hangup(c);
    expect(await waitFact(c, 'leg_hangup')).toMatchObject({ cause: 'NORMAL_CLEARING' });
    expect(await waitFact(leg, 'leg_hangup')).toMatchObject({ callId: `call-${leg}`, role: 'agent' });
    expect(await port.channelStatus(switchId, 'eeeeeeee-0000-4000-8000-999999999999')).toBe('absent');
  });

  it('the agent leg hanging up after the bridge: its hangup, then the caller’s', async () => {
    const c = await caller();
    const leg = await dial('1003');
    await waitFact(leg, 'leg_answered');
    await port.bridge({ switchId, commandId: `bridge-${leg}`, aLegUuid: c, bLegUuid: leg });
    await waitFact(c, 'legs_bridged');
    sim.hangup(leg, 'NORMAL_CLEARING');
    expect(await waitFact(leg, 'leg_hangup')).toMatchObject({ cause: 'NORMAL_CLEARING', offerId: `offer-${leg}` });
    await waitFact(c, 'leg_hangup');
    const order = facts.filter((f) => f.kind === 'leg_hangup' && (f.legUuid === c || f.legUuid === leg)).map((f) => f.legUuid);
    expect(order).toEqual([leg, c]);
  });
});

describe('EslSwitchPort: media and digits', () => {
  it('play: playback_done names our playbackId; collectDigits: dtmf facts, then digits_collected with the digits', async () => {
    const c = await caller();
    await port.play({ switchId, commandId: `play-${c}`, legUuid: c, path: 'ivr/welcome.wav', playbackId: 'pb-1' });
    expect(await waitFact(c, 'playback_done')).toMatchObject({ kind: 'playback_done', playbackId: 'pb-1', switchId });
    // Spoken text (the queue's announcements, the callback offer) goes through as one playback argument, spaces and all.
    await port.play({ switchId, commandId: `say-${c}`, legUuid: c, path: 'say:Press 1 to be called back, keeping your place in the queue.', playbackId: 'pb-say' });
    await until(() => of(c).some((f) => f.kind === 'playback_done' && f.playbackId === 'pb-say'), 'the spoken prompt played', 15_000);
    await port.collectDigits({ switchId, commandId: `collect-${c}`, legUuid: c, collectId: 'col-1', promptPath: 'ivr/enter.wav', minDigits: 1, maxDigits: 4, timeoutMs: 3000, terminators: '#' });
    sim.sendDtmf(c, '42#', { interDigitMs: 5 });
    expect(await waitFact(c, 'digits_collected')).toMatchObject({ collectId: 'col-1', digits: '42' });
    expect(of(c).filter((f) => f.kind === 'dtmf').map((f) => f.kind === 'dtmf' && f.digit)).toEqual(['4', '2', '#']);
    await port.kill({ switchId, commandId: `kill-${c}`, legUuid: c, cause: 'NORMAL_CLEARING' });
    await waitFact(c, 'leg_hangup');
  });

  it('a command on a channel the switch does not have is ESL_NO_SUCH_CHANNEL; a kill of it succeeds (the leg is gone, as asked)', async () => {
    expect(await codeOf(port.park({ switchId, commandId: 'p-none', legUuid: uuid() }))).toBe('ESL_NO_SUCH_CHANNEL');
    expect(await codeOf(port.kill({ switchId, commandId: 'k-none', legUuid: uuid(), cause: 'NORMAL_CLEARING' }))).toBe('resolved');
  });
});

describe('EslSwitchPort: reconnect and reconcile', () => {
  it('legs that ended while the connection was down become leg_hangup RECONCILE_ENDED after the reconnect', async () => {
    const c = await caller();
    const leg = await dial('1004');
    await waitFact(leg, 'leg_answered');
    await port.bridge({ switchId, commandId: `bridge-${leg}`, aLegUuid: c, bLegUuid: leg });
    await waitFact(c, 'legs_bridged');
    const conn = port.manager.connection(switchId);
    conn.stop(); // the socket is gone: what happens now is never seen as events
    sim.hangup(c);
    await until(async () => (await sim.api('uuid_exists', c)) === 'false' && (await sim.api('uuid_exists', leg)) === 'false', 'both legs gone on the switch');
    conn.start();
    const endedC = await waitFact(c, 'leg_hangup');
    const endedLeg = await waitFact(leg, 'leg_hangup');
    expect([endedC, endedLeg]).toEqual([
      expect.objectContaining({ kind: 'leg_hangup', cause: RECONCILE_ENDED, switchId }),
      expect.objectContaining({ kind: 'leg_hangup', cause: RECONCILE_ENDED, switchId }),
    ]);
    expect(believed.has(c) || believed.has(leg)).toBe(false);
  });

  it('a reconcile says nothing more of a leg whose hangup it already handed over', async () => {
    const leg = await dial('1005');
    await waitFact(leg, 'leg_answered');
    await port.kill({ switchId, commandId: `kill-${leg}`, legUuid: leg, cause: 'NORMAL_CLEARING' });
    await waitFact(leg, 'leg_hangup');
    const gone = uuid(); // never existed on the switch: the reconcile ends it, and its fact marks the reconcile's end
    believed.add(leg); // as if the engine had not processed the hangup yet
    believed.add(gone);
    await port.manager.connection(switchId).reconcile();
    expect(await waitFact(gone, 'leg_hangup')).toMatchObject({ cause: RECONCILE_ENDED });
    expect(of(leg).filter((f) => f.kind === 'leg_hangup')).toHaveLength(1);
    believed.delete(leg);
  });

  it('hands every adapter fact to onAdapterFact too (the translator’s input for caller legs)', () => {
    expect(adapterKinds).toEqual(expect.arrayContaining(['channel_created', 'channel_parked', 'channel_answered', 'channel_hangup_complete', 'channel_destroyed']));
  });

  it('no two facts share a fact id', () => {
    const ids = facts.map((f) => f.factId);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
