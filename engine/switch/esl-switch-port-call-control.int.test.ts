// EslSwitchPort's call-control commands against the simulator over TCP: a supervisor dialled into an eavesdrop on the
// agent leg, a consult leg bridged to the agent while the caller stays parked, the three of them moved into a
// conference room, a third party dialled into it, a broadcast. Waits on facts and the switch's own state; no timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../infra/simulator/server/start-simulator.ts';
import type { SwitchFact } from '../ports/switch-port.ts';
import { until } from '../test-support/wait.ts';
import { EslSwitchPort } from './esl-switch-port.ts';

let sim: Simulator;
let port: EslSwitchPort;
let switchId: string;
const facts: SwitchFact[] = [];
let consumer: Promise<void>;
let n = 0;
const uuid = (): string => `cccccccc-0000-4000-8000-${String(++n).padStart(12, '0')}`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ringMs: 20, seed: 'esl-switch-port-call-control', mediaDuration: () => 50 });
  port = new EslSwitchPort({ switches: [{ host: sim.host, port: sim.port }], password: sim.password, commandTimeoutMs: 5000, openChannels: () => [], connection: { heartbeatMisses: 0 } });
  switchId = `${sim.host}:${sim.port}`;
  expect(await port.start(5000)).toEqual({ ready: [switchId], notReady: [] });
  consumer = (async () => {
    for await (const f of port.facts()) facts.push(f);
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

describe('EslSwitchPort: call-control commands', () => {
  it('supervisor eavesdrop, consult bridge with the caller parked, conference move, a party dialled into the room, broadcast', async () => {
    const callId = 'acme.c1';
    const caller = sim.originateInbound({ callerIdNumber: '+15551230000' });
    await waitFact(caller, 'leg_answered');
    const agent = uuid();
    await port.originate({ switchId, commandId: `o-${agent}`, legUuid: agent, endpoint: { kind: 'user', user: '1010' }, callId, role: 'agent', offerId: 'offer-1', ringTimeoutSeconds: 20 });
    await waitFact(agent, 'leg_answered');
    await port.bridge({ switchId, commandId: `b-${agent}`, aLegUuid: caller, bLegUuid: agent });
    await waitFact(caller, 'legs_bridged');

    // A supervisor whispering to the agent: role supervisor, our call id, eavesdropping on the agent leg.
    const sup = uuid();
    await port.originateSupervisor({ switchId, commandId: `s-${sup}`, legUuid: sup, endpoint: { kind: 'user', user: '1011' }, callId, supervisorId: 's1', targetLegUuid: agent, mode: 'whisper', ringTimeoutSeconds: 20 });
    expect(await waitFact(sup, 'leg_answered')).toMatchObject({ role: 'supervisor', callId, switchId });
    await until(async () => (await sim.api('uuid_getvar', `${sup} eavesdrop_target_uuid`)).trim() === agent, 'eavesdrop on the agent leg');
    expect((await sim.api('uuid_getvar', `${sup} eavesdrop_whisper_bleg`)).trim()).toBe('true');

    // Attended transfer: the consult leg answers, the agent is bridged to it, the caller stays up (parked, music).
    const consult = uuid();
    await port.originate({ switchId, commandId: `c-${consult}`, legUuid: consult, endpoint: { kind: 'user', user: '1012' }, callId, role: 'consult', ringTimeoutSeconds: 20 });
    expect(await waitFact(consult, 'leg_answered')).toMatchObject({ role: 'consult', callId });
    await port.bridgeConsult({ switchId, commandId: `bc-${consult}`, callerLegUuid: caller, agentLegUuid: agent, consultLegUuid: consult });
    await until(() => of(agent).some((f) => f.kind === 'legs_bridged' && f.otherLegUuid === consult), 'agent bridged to the consult leg');
    expect((await sim.api('uuid_getvar', `${caller} park_after_bridge`)).trim()).toBe('true');
    expect(of(caller).some((f) => f.kind === 'leg_hangup')).toBe(false);
    expect(await port.channelStatus(switchId, caller)).not.toBe('hungup');

    // Completed as a conference: agent and consult (bridged) move together, then the caller joins.
    const room = 'll-test-room';
    await port.moveToConference({ switchId, commandId: `m1-${room}`, legUuid: agent, room, both: true });
    await port.moveToConference({ switchId, commandId: `m2-${room}`, legUuid: caller, room, both: false });
    const members = async (): Promise<string> => sim.api('conference', `${room} list`);
    await until(async () => [agent, consult, caller].every((u) => members().then((l) => l.includes(u))), 'three in the room');

    // A third party dialled straight into the room.
    const party = uuid();
    await port.originateIntoConference({ switchId, commandId: `p-${party}`, legUuid: party, endpoint: { kind: 'user', user: '1013' }, callId, role: 'consult', partyId: 'p1', room, ringTimeoutSeconds: 20 });
    expect(await waitFact(party, 'leg_answered')).toMatchObject({ role: 'consult', callId });
    await until(async () => (await members()).includes(party), 'party in the room');

    await port.broadcast({ switchId, commandId: `bc-${caller}`, legUuid: caller, path: 'ivr/notice.wav' });

    for (const leg of [party, sup, consult, agent, caller]) {
      if (!of(leg).some((f) => f.kind === 'leg_hangup')) await port.kill({ switchId, commandId: `k-${leg}`, legUuid: leg, cause: 'NORMAL_CLEARING' }).catch(() => undefined);
      await waitFact(leg, 'leg_hangup');
    }
  });
});
