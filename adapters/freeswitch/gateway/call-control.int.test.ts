// Gateway functions against the simulator over TCP: FreeSWITCH's reply strings mapped to results and coded errors,
// and the events each command causes seen as facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { type Simulator, startSimulator } from '../../../infra/simulator/server/start-simulator.ts';
import { SwitchConnection } from '../connection/switch-connection.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';
import {
  addConferenceParty, answer, blindTransfer, bridge, broadcast, cancelConsult, channelExists, collectDigits, completeConsultConference,
  completeConsultTransfer, getVariable, hangup, holdCustomer, joinSupervisor, jobUuidFor, maskRecording, originateLeg, park, resumeCustomer,
  setVariable, startConsult, startRecording, stopRecording, unmaskRecording,
} from './call-control.ts';
import { ExecuteWaiter } from './execute-waiter.ts';

let sim: Simulator;
let conn: SwitchConnection;
const facts: SwitchFact[] = [];
const waiter = new ExecuteWaiter();
let n = 0;
const uuid = (): string => `dddddddd-0000-4000-8000-${String(++n).padStart(12, '0')}`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ringMs: 20, seed: 'gateway', mediaDuration: () => 50 });
  sim.setEndpoint('1090', { kind: 'busy' });
  sim.setEndpoint('1091', { kind: 'reject', ringMs: 10 });
  sim.setEndpoint('1092', { kind: 'unregistered' });
  conn = new SwitchConnection({ host: sim.host, port: sim.port, password: sim.password, heartbeatMisses: 0, onFact: (f) => {
    facts.push(f);
    waiter.feed(f);
  } });
  conn.start();
  await conn.ready();
});
afterAll(async () => {
  conn.stop();
  await sim.close();
});

const until = async (cond: () => boolean, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const factOf = (kind: SwitchFact['kind'], channelUuid: string) => facts.find((f) => f.kind === kind && 'channel' in f && f.channel.uuid === channelUuid);
const waitFact = async (kind: SwitchFact['kind'], channelUuid: string) => {
  await until(() => factOf(kind, channelUuid) !== undefined, `${kind} on ${channelUuid}`);
  return factOf(kind, channelUuid)!;
};
async function codeOf(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
    return { code: 'resolved', details: {} };
  } catch (e) {
    return isLedgerlineError(e) ? { code: e.code, details: { ...e.details } } : { code: `not coded: ${String(e)}`, details: {} };
  }
}

/** A parked caller and an answered agent leg, bridged. */
async function connectedCall(): Promise<{ a: string; b: string }> {
  const a = sim.originateInbound({ callerIdName: 'Ann' });
  await waitFact('channel_parked', a);
  const b = uuid();
  await originateLeg(conn, { legUuid: b, endpoint: { kind: 'user', user: '1010' }, callId: 'call-x', role: 'agent', offerId: 'offer-x' });
  await bridge(conn, a, b);
  await waitFact('channel_bridged', a);
  return { a, b };
}

describe('originate', () => {
  it('originates an agent leg with our uuid and variables; its events carry them', async () => {
    const b = uuid();
    const r = await originateLeg(conn, { legUuid: b, endpoint: { kind: 'user', user: '1001' }, callId: 'call-1', role: 'agent', offerId: 'offer-1', callerIdName: "O'Brien, Pat", callerIdNumber: '+15550100' });
    expect(r.legUuid).toBe(b);
    const answered = await waitFact('channel_answered', b);
    expect('channel' in answered && answered.channel.ledgerline).toEqual({ callId: 'call-1', role: 'agent', offerId: 'offer-1', partyId: undefined });
    expect(await getVariable(conn, b, 'origination_caller_id_name')).toBe('O Brien Pat');
    expect(await channelExists(conn, b)).toBe(true);
  });

  it.each([
    ['1090', 'USER_BUSY'], ['1091', 'CALL_REJECTED'], ['1092', 'USER_NOT_REGISTERED'],
  ])('a failed originate to %s rejects with ESL_ORIGINATE_FAILED and the cause %s', async (user, cause) => {
    expect(await codeOf(originateLeg(conn, { legUuid: uuid(), endpoint: { kind: 'user', user }, callId: 'c', role: 'agent' }))).toMatchObject({ code: 'ESL_ORIGINATE_FAILED', details: { cause } });
  });

  it('the Job-UUID is derived from the command id (a retry reuses it)', async () => {
    const seen: string[] = [];
    const off = sim.onEvent((e) => {
      if (e.name === 'BACKGROUND_JOB') seen.push(e.headers.find(([k]) => k === 'Job-UUID')?.[1] ?? '');
    });
    const b = uuid();
    await originateLeg(conn, { legUuid: b, endpoint: { kind: 'user', user: '1002' }, callId: 'c', role: 'agent', commandId: 'cmd-42' });
    off();
    expect(seen).toContain(jobUuidFor(conn.switchId, { commandId: 'cmd-42' }, 'originate'));
  });

  it('refuses values that could inject into the command, before anything is sent', async () => {
    expect((await codeOf(originateLeg(conn, { legUuid: uuid(), endpoint: { kind: 'user', user: '1001' }, callId: "x',origination_uuid=evil", role: 'agent' }))).code).toBe('ESL_INVALID_ARGUMENT');
    expect((await codeOf(setVariable(conn, uuid(), 'x', 'v ${api hupall}'))).code).toBe('ESL_INVALID_ARGUMENT');
    expect((await codeOf(hangup(conn, 'not-a-uuid; hupall'))).code).toBe('ESL_INVALID_ARGUMENT');
  });
});

describe('call control on live channels', () => {
  it('bridge, then hold the customer by holding the agent leg (music to its partner), then resume', async () => {
    const { a, b } = await connectedCall();
    await holdCustomer(conn, b);
    await waitFact('channel_held', b);
    await waitFact('playback_started', a);
    await resumeCustomer(conn, b);
    await waitFact('channel_unheld', b);
  });

  it('uuid_record start, mask, unmask, stop; a stop of an unknown path is ESL_COMMAND_FAILED', async () => {
    const { a } = await connectedCall();
    await startRecording(conn, a, '/recordings/call-x.wav', 3600);
    const started = await waitFact('record_started', a);
    expect(started.kind === 'record_started' && started.path).toBe('/recordings/call-x.wav');
    await maskRecording(conn, a, '/recordings/call-x.wav');
    await unmaskRecording(conn, a, '/recordings/call-x.wav');
    expect((await codeOf(stopRecording(conn, a, '/recordings/other.wav'))).code).toBe('ESL_COMMAND_FAILED');
    await stopRecording(conn, a, '/recordings/call-x.wav');
    await waitFact('record_stopped', a);
  });

  it('uuid_kill with a cause; commands on a gone channel are ESL_NO_SUCH_CHANNEL (including uuid_answer -ERROR)', async () => {
    const { a, b } = await connectedCall();
    await hangup(conn, b, 'USER_BUSY');
    const h = await waitFact('channel_hangup', b);
    expect(h.kind === 'channel_hangup' && h.cause).toBe('USER_BUSY');
    await waitFact('channel_hangup', a);
    for (const p of [hangup(conn, b), answer(conn, b), bridge(conn, a, b), broadcast(conn, b, 'local_stream://moh'), park(conn, b), setVariable(conn, b, 'x', '1'), startRecording(conn, b, '/r.wav')]) {
      expect((await codeOf(p)).code).toBe('ESL_NO_SUCH_CHANNEL');
    }
  });

  it('blind transfer and uuid_park; setvar/getvar round trip', async () => {
    const { a, b } = await connectedCall();
    await setVariable(conn, a, 'ledgerline_note', 'vip caller');
    expect(await getVariable(conn, a, 'ledgerline_note')).toBe('vip caller');
    expect(await getVariable(conn, a, 'never_set')).toBeUndefined();
    await blindTransfer(conn, a, { exten: '2000', context: 'default' });
    await waitFact('channel_unbridged', a);
    // The agent leg was originated with hangup_after_bridge=true: it ends when the caller leaves.
    await waitFact('channel_hangup', b);
    await park(conn, a);
  });

  it('digit collection through sendmsg with our Event-UUID: the EXECUTE_COMPLETE carries the digits', async () => {
    const a = sim.originateInbound();
    await waitFact('channel_parked', a);
    const eventUuid = uuid();
    const done = waiter.wait(a, eventUuid, 5000);
    await collectDigits(conn, a, { min: 1, max: 4, tries: 1, timeoutMs: 3000, terminators: '#', prompt: 'ivr/enter-account.wav', variable: 'ledgerline_digits' }, eventUuid);
    sim.sendDtmf(a, '42#', { interDigitMs: 5 });
    const complete = await done;
    expect(complete).toMatchObject({ application: 'play_and_get_digits', applicationUuid: eventUuid, digits: '42' });
  });

  it('sendmsg to an unknown channel is ESL_NO_SUCH_CHANNEL', async () => {
    expect((await codeOf(collectDigits(conn, uuid(), { min: 1, max: 1, tries: 1, timeoutMs: 100, prompt: 'a.wav' }, uuid()))).code).toBe('ESL_NO_SUCH_CHANNEL');
  });
});

describe('consult, conference, supervisor', () => {
  it('attended transfer: consult leg bridged to the agent, then caller ↔ consult leg and the first agent leg ends', async () => {
    const { a, b } = await connectedCall();
    const c = uuid();
    await startConsult(conn, { callerUuid: a, agentLegUuid: b, consultLegUuid: c, endpoint: { kind: 'user', user: '1020' }, callId: 'call-x', consultId: 'consult-1' });
    await until(() => facts.some((f) => f.kind === 'channel_bridged' && f.aLegUuid === b && f.bLegUuid === c), 'agent ↔ consult bridge');
    await waitFact('channel_parked', a);
    await completeConsultTransfer(conn, { callerUuid: a, agentLegUuid: b, consultLegUuid: c });
    await until(() => facts.some((f) => f.kind === 'channel_bridged' && f.aLegUuid === a && f.bLegUuid === c), 'caller ↔ consult bridge');
    await waitFact('channel_hangup', b);
  });

  it('cancelled consult: caller back with the first agent, the consult leg ends', async () => {
    const { a, b } = await connectedCall();
    const c = uuid();
    await startConsult(conn, { callerUuid: a, agentLegUuid: b, consultLegUuid: c, endpoint: { kind: 'user', user: '1021' }, callId: 'call-x', consultId: 'consult-2' });
    await cancelConsult(conn, { callerUuid: a, agentLegUuid: b, consultLegUuid: c });
    await until(() => facts.filter((f) => f.kind === 'channel_bridged' && f.aLegUuid === a && f.bLegUuid === b).length >= 2, 'caller ↔ agent again');
    await waitFact('channel_hangup', c);
  });

  it('three-way: agent, consult leg and caller in one conference; a party dialled straight into it', async () => {
    const { a, b } = await connectedCall();
    const c = uuid();
    await startConsult(conn, { callerUuid: a, agentLegUuid: b, consultLegUuid: c, endpoint: { kind: 'user', user: '1022' }, callId: 'call-x', consultId: 'consult-3' });
    await completeConsultConference(conn, { callerUuid: a, agentLegUuid: b, room: '3w-call-x' });
    const d = uuid();
    await addConferenceParty(conn, { legUuid: d, endpoint: { kind: 'user', user: '1023' }, callId: 'call-x', partyId: 'p1', room: '3w-call-x' });
    const list = await conn.api('conference 3w-call-x list');
    for (const leg of [a, b, c, d]) expect(list).toContain(leg);
  });

  it('a supervisor joins in whisper mode by eavesdropping the agent leg', async () => {
    const { b } = await connectedCall();
    const s = uuid();
    await joinSupervisor(conn, { legUuid: s, endpoint: { kind: 'user', user: '1030' }, callId: 'call-x', supervisorId: 'sup-1', agentLegUuid: b, mode: 'whisper' });
    expect(await getVariable(conn, s, 'eavesdrop_whisper_bleg')).toBe('true');
    expect(await getVariable(conn, s, 'ledgerline_role')).toBe('supervisor');
  });
});
