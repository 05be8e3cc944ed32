// Live call control through inject(): each command recorded as the key's actor, agent keys on their own calls only,
// supervisors on any call of their tenant, auditors nowhere, other tenants' calls invisible (404), bad input coded.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { given, type ScenarioName } from '../../domain/call/call-fixtures.ts';
import { toStoredEvent } from '../../domain/events/registry.ts';
import { SETTINGS } from '../../domain/queue/queue-fixtures.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { CALL_CONTROL_ROUTES } from '../testing/route-table.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

let h: Harness;
let a1: string;
let a2: string;
let sup: string;
let admin: string;
let auditor: string;
let integrator: string;
let globex: string;
let n = 0;

/** A call of `tenant` in the state a fixture scenario leaves it (agent a1 handles connected calls), as the engine writes it. */
async function seed(scenario: ScenarioName, tenant = 'acme'): Promise<string> {
  const callId = `call-${scenario}-${++n}`;
  const events = given(scenario).map((e) => {
    const stored = toStoredEvent({ type: e.type, data: { ...e.data, callId } });
    return { id: randomUUID(), type: stored.type, data: stored.data, metadata: { tenant, schemaVersion: stored.schemaVersion } };
  });
  await h.store.appendToStream(tenantStream('call', tenant, callId), events, { expectedRevision: 'no_stream' });
  return callId;
}

const stream = (callId: string, tenant = 'acme') => tenantStream('call', tenant, callId);
const last = async (callId: string) => (await h.events(stream(callId))).at(-1)!;
const types = async (callId: string) => (await h.events(stream(callId))).map((e) => e.type);

beforeAll(async () => {
  h = await startHarness({ rateLimit: { capacity: 100_000, refillPerSecond: 100_000 } });
  a1 = await h.key('agent', 'acme', 'a1');
  a2 = await h.key('agent', 'acme', 'a2');
  sup = await h.key('supervisor', 'acme');
  admin = await h.key('admin', 'acme');
  auditor = await h.key('auditor', 'acme');
  integrator = await h.key('integrator', 'acme');
  globex = await h.key('admin', 'globex');
});
afterAll(async () => h.close());

describe('hold, resume and hang up', () => {
  it('records the agent\'s own commands with its actor and tenant, and refuses what does not apply (409)', async () => {
    const c = await seed('connected');
    const hold = await h.call('POST', `/v1/calls/${c}/hold`, { key: a1 });
    expect([hold.statusCode, hold.json().events]).toEqual([200, ['CallHeld']]);
    expect((await last(c)).metadata).toMatchObject({ actor: 'agent:a1', tenant: 'acme' });
    const again = await h.call('POST', `/v1/calls/${c}/hold`, { key: a1 });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'CALL_ALREADY_HELD']);
    const resume = await h.call('POST', `/v1/calls/${c}/resume`, { key: a1 });
    expect(resume.json().events).toEqual(['CallResumed']);
    const hangup = await h.call('POST', `/v1/calls/${c}/hangup`, { key: a1 });
    expect(hangup.json().events).toEqual(['CallEnded']);
    expect((await last(c)).data).toMatchObject({ cause: 'NORMAL_CLEARING', hungUpBy: 'agent', agentId: 'a1' });
    const after = await h.call('POST', `/v1/calls/${c}/hold`, { key: a1 });
    expect([after.statusCode, after.json().error.code]).toEqual([409, 'CALL_ALREADY_ENDED']);
  });

  it('lets a supervisor end any call of the tenant, recorded as the platform with its own actor and cause', async () => {
    const c = await seed('queued');
    const r = await h.call('POST', `/v1/calls/${c}/hangup`, { key: sup, body: { cause: 'CALL_REJECTED' } });
    expect([r.statusCode, r.json().events]).toEqual([200, ['CallEnded']]);
    const ended = await last(c);
    expect(ended.data).toMatchObject({ cause: 'CALL_REJECTED', hungUpBy: 'system' });
    expect(ended.metadata.actor).toMatch(/^supervisor:[0-9a-f]{20}$/);
  });

  it('a retried request with the same Idempotency-Key writes once', async () => {
    const c = await seed('connected');
    const headers = { 'idempotency-key': `hold-${c}` };
    const first = await h.call('POST', `/v1/calls/${c}/hold`, { key: integrator, headers });
    const retry = await h.call('POST', `/v1/calls/${c}/hold`, { key: integrator, headers });
    expect([first.json().duplicate, retry.statusCode, retry.json().duplicate, retry.json().commandId]).toEqual([false, 200, true, `hold-${c}`]);
    expect((await types(c)).filter((t) => t === 'CallHeld')).toHaveLength(1);
  });
});

describe('who may act on which call', () => {
  it('an agent key acts only on calls its agent handles: 403 on another agent\'s call, and on a call still waiting', async () => {
    const c = await seed('connected');
    const queued = await seed('queued');
    const before = (await h.events(stream(c))).length;
    for (const route of CALL_CONTROL_ROUTES.filter((r) => r.pattern.startsWith('/v1/calls/:callId') && r.permission === 'calls.control')) {
      const url = route.url.replace('/c-1/', `/${c}/`);
      const r = await h.call(route.method, url, { key: a2, ...(route.body !== undefined ? { body: route.body } : {}) });
      expect([route.pattern, r.statusCode, r.json().error.code]).toEqual([route.pattern, 403, 'FORBIDDEN']);
    }
    expect((await h.events(stream(c))).length).toBe(before);
    const waiting = await h.call('POST', `/v1/calls/${queued}/hangup`, { key: a1 });
    expect([waiting.statusCode, waiting.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('answers 404 for an unknown call before anything else, to agent keys too', async () => {
    for (const key of [a1, sup]) {
      const r = await h.call('POST', '/v1/calls/nope/hold', { key });
      expect([r.statusCode, r.json().error.code]).toEqual([404, 'CALL_NOT_FOUND']);
    }
    const complete = await h.call('POST', '/v1/calls/nope/consult/complete', { key: a1 });
    expect([complete.statusCode, complete.json().error.code]).toEqual([404, 'CALL_NOT_FOUND']);
  });

  it('an auditor is read-only: 403 on every call command', async () => {
    const c = await seed('connected');
    for (const route of CALL_CONTROL_ROUTES) {
      const r = await h.call(route.method, route.url.replace('/c-1/', `/${c}/`), { key: auditor, ...(route.body !== undefined ? { body: route.body } : {}) });
      expect([route.pattern, r.statusCode]).toEqual([route.pattern, 403]);
    }
    expect((await h.events(stream(c))).length).toBe(given('connected').length);
  });

  it('a key of another tenant never reaches the call: 404 on every route, nothing written', async () => {
    const c = await seed('connected');
    const before = await h.events(stream(c));
    for (const route of CALL_CONTROL_ROUTES.filter((r) => r.pattern !== '/v1/calls')) {
      const r = await h.call(route.method, route.url.replace('/c-1/', `/${c}/`), { key: globex, ...(route.body !== undefined ? { body: route.body } : {}) });
      expect([route.pattern, r.statusCode, r.json().error.code]).toEqual([route.pattern, 404, 'CALL_NOT_FOUND']);
    }
    expect(await h.events(stream(c))).toHaveLength(before.length);
    expect(await h.events(stream(c, 'globex'))).toEqual([]);
  });

  it('an agent whose call was transferred away no longer controls it', async () => {
    const c = await seed('connected');
    const t = await h.call('POST', `/v1/calls/${c}/transfer`, { key: a1, body: { target: { kind: 'agent', agentId: 'a2' } } });
    expect(t.statusCode).toBe(200);
    const r = await h.call('POST', `/v1/calls/${c}/hold`, { key: a1 });
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('transfers', () => {
  it('blind to an agent: a direct offer whose id derives from the Idempotency-Key, so a retry offers nothing twice', async () => {
    const c = await seed('connected');
    const headers = { 'idempotency-key': `xfer-${c}` };
    const r = await h.call('POST', `/v1/calls/${c}/transfer`, { key: a1, headers, body: { target: { kind: 'agent', agentId: 'a2' } } });
    expect([r.statusCode, r.json().events]).toEqual([200, ['CallTransferred', 'CallOfferedToAgent']]);
    const offer = await last(c);
    expect(offer.data).toMatchObject({ agentId: 'a2', offerId: r.json().offerId });
    const written = (await h.events(stream(c))).length;
    // The retry comes after the call left agent a1: it is still recognised as the same command, not refused.
    const retry = await h.call('POST', `/v1/calls/${c}/transfer`, { key: a1, headers, body: { target: { kind: 'agent', agentId: 'a2' } } });
    expect([retry.statusCode, retry.json().duplicate, retry.json().offerId]).toEqual([200, true, r.json().offerId]);
    expect(await h.events(stream(c))).toHaveLength(written);
  });

  it('blind to a queue of the tenant: priority and skills from the queue unless given; an unknown queue is 404', async () => {
    const created = await h.call('POST', '/v1/queues', { key: sup, body: { queueId: 'billing', settings: SETTINGS } });
    expect(created.statusCode).toBe(201);
    const c = await seed('connected');
    const r = await h.call('POST', `/v1/calls/${c}/transfer`, { key: a1, body: { target: { kind: 'queue', queueId: 'billing' } } });
    expect([r.statusCode, r.json().events, r.json().offerId]).toEqual([200, ['CallTransferred', 'CallQueued'], null]);
    expect((await last(c)).data).toMatchObject({ queueId: 'billing', priority: Math.min(999, SETTINGS.priority.defaultBase), requiredSkills: SETTINGS.skills.base, reason: 'transferred' });
    const c2 = await seed('connected');
    const given2 = await h.call('POST', `/v1/calls/${c2}/transfer`, { key: sup, body: { target: { kind: 'queue', queueId: 'billing', priority: 7, requiredSkills: [{ skill: 'fr', minProficiency: 2 }] } } });
    expect(given2.statusCode).toBe(200);
    expect((await last(c2)).data).toMatchObject({ priority: 7, requiredSkills: [{ skill: 'fr', minProficiency: 2 }] });
    const unknown = await h.call('POST', `/v1/calls/${c2}/transfer`, { key: sup, body: { target: { kind: 'queue', queueId: 'nowhere' } } });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    const foreign = await h.call('POST', `/v1/calls/${await seed('connected')}/transfer`, { key: sup, body: { target: { kind: 'queue', queueId: 'billing-globex' } } });
    expect(foreign.statusCode).toBe(404);
  });

  it('blind to an external number ends the call for the platform', async () => {
    const c = await seed('connected');
    const r = await h.call('POST', `/v1/calls/${c}/transfer`, { key: a1, body: { target: { kind: 'external', number: '+3225550199' } } });
    expect(r.json().events).toEqual(['CallTransferred', 'CallEnded']);
  });

  it('attended: consult returns its id; complete and cancel default to the active consult', async () => {
    const c = await seed('connected');
    const consult = await h.call('POST', `/v1/calls/${c}/consult`, { key: a1, body: { target: { kind: 'agent', agentId: 'a2' } } });
    expect([consult.statusCode, consult.json().events]).toEqual([200, ['ConsultStarted']]);
    expect((await last(c)).data).toMatchObject({ consultId: consult.json().consultId, agentId: 'a1', target: { kind: 'agent', agentId: 'a2' } });
    const cancel = await h.call('POST', `/v1/calls/${c}/consult/cancel`, { key: a1 });
    expect(cancel.json().events).toEqual(['ConsultCancelled']);
    const none = await h.call('POST', `/v1/calls/${c}/consult/complete`, { key: a1 });
    expect([none.statusCode, none.json().error.code]).toEqual([409, 'CONSULT_NOT_ACTIVE']);
    const second = await h.call('POST', `/v1/calls/${c}/consult`, { key: a1, body: { target: { kind: 'external', number: '+3225550111' } } });
    const wrong = await h.call('POST', `/v1/calls/${c}/consult/complete`, { key: a1, body: { consultId: 'other', mode: 'conference' } });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([409, 'CONSULT_MISMATCH']);
    const done = await h.call('POST', `/v1/calls/${c}/consult/complete`, { key: a1, body: { consultId: second.json().consultId, mode: 'conference' } });
    expect([done.statusCode, done.json().events]).toEqual([200, ['ConsultCompleted']]);
  });

  it('an agent may not transfer or consult to itself', async () => {
    const c = await seed('connected');
    for (const [path, body] of [
      ['consult', { target: { kind: 'agent', agentId: 'a1' } }],
      ['transfer', { target: { kind: 'agent', agentId: 'a1' } }],
    ] as const) {
      const r = await h.call('POST', `/v1/calls/${c}/${path}`, { key: a1, body });
      expect([r.statusCode, r.json().error.code]).toEqual([400, 'CALL_TRANSFER_TO_SELF']);
    }
  });
});

describe('conference, recording and supervision', () => {
  it('adds a party under an id derived from the command and removes it by that id', async () => {
    const c = await seed('connected');
    const add = await h.call('POST', `/v1/calls/${c}/conference`, { key: a1, body: { party: { kind: 'agent', agentId: 'a3' } } });
    expect([add.statusCode, add.json().events]).toEqual([200, ['ConferencePartyAdded']]);
    const partyId = add.json().partyId as string;
    expect((await last(c)).data).toMatchObject({ partyId, party: { kind: 'agent', agentId: 'a3' } });
    const remove = await h.call('DELETE', `/v1/calls/${c}/conference/${partyId}`, { key: a1 });
    expect(remove.json().events).toEqual(['ConferencePartyRemoved']);
    const gone = await h.call('DELETE', `/v1/calls/${c}/conference/${partyId}`, { key: a1 });
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'CONFERENCE_PARTY_NOT_FOUND']);
  });

  it('starts, pauses, resumes and stops the recording', async () => {
    const c = await seed('connected');
    const start = await h.call('POST', `/v1/calls/${c}/recording/start`, { key: a1 });
    expect(start.json().events).toEqual(['RecordingStarted']);
    expect((await last(c)).data).toMatchObject({ recordingId: start.json().recordingId });
    const pause = await h.call('POST', `/v1/calls/${c}/recording/pause`, { key: a1, body: { reason: 'pci' } });
    expect(pause.json().events).toEqual(['RecordingPaused']);
    expect((await last(c)).data).toMatchObject({ reason: 'pci' });
    expect((await h.call('POST', `/v1/calls/${c}/recording/resume`, { key: a1 })).json().events).toEqual(['RecordingResumed']);
    expect((await h.call('POST', `/v1/calls/${c}/recording/stop`, { key: sup })).json().events).toEqual(['RecordingStopped']);
    const stopped = await h.call('POST', `/v1/calls/${c}/recording/stop`, { key: a1 });
    expect([stopped.statusCode, stopped.json().error.code]).toEqual([409, 'RECORDING_NOT_ACTIVE']);
  });

  it('a supervisor listens, whispers or barges and leaves; agents and integrators may not supervise', async () => {
    const c = await seed('connected');
    const join = await h.call('POST', `/v1/calls/${c}/supervisor`, { key: sup, body: { mode: 'barge' } });
    expect([join.statusCode, join.json().events]).toEqual([200, ['SupervisorJoined']]);
    const joined = await last(c);
    expect(joined.data).toMatchObject({ mode: 'barge', supervisorId: expect.stringMatching(/^[0-9a-f]{20}$/) });
    expect(joined.metadata.actor).toBe(`supervisor:${(joined.data as { supervisorId: string }).supervisorId}`);
    const twice = await h.call('POST', `/v1/calls/${c}/supervisor`, { key: sup, body: { mode: 'listen' } });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'SUPERVISOR_ALREADY_PRESENT']);
    const other = await h.call('POST', `/v1/calls/${c}/supervisor`, { key: admin, body: { mode: 'whisper' } });
    expect(other.json().events).toEqual(['SupervisorJoined']);
    expect((await h.call('DELETE', `/v1/calls/${c}/supervisor`, { key: sup })).json().events).toEqual(['SupervisorLeft']);
    for (const key of [a1, integrator]) {
      const r = await h.call('POST', `/v1/calls/${c}/supervisor`, { key, body: { mode: 'listen' } });
      expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
  });
});

describe('click-to-call', () => {
  it('an agent dials for itself: a new call whose id derives from the Idempotency-Key; a retry is the same call, written once', async () => {
    const headers = { 'idempotency-key': 'dial-1' };
    const r = await h.call('POST', '/v1/calls', { key: a1, headers, body: { destinationNumber: '+3247500009' } });
    expect([r.statusCode, r.json().events]).toEqual([201, ['CallOriginated']]);
    const { callId, channelUuid } = r.json() as { callId: string; channelUuid: string };
    const [e] = await h.events(stream(callId));
    expect(e!.data).toMatchObject({ callId, destinationNumber: '+3247500009', callerIdNumber: '+15550000000', switchId: 'fs-test', channelUuid, agentId: 'a1', campaignId: null });
    expect(e!.metadata).toMatchObject({ actor: 'agent:a1', tenant: 'acme', commandId: 'dial-1' });
    const retry = await h.call('POST', '/v1/calls', { key: a1, headers, body: { destinationNumber: '+3247500009' } });
    expect([retry.statusCode, retry.json().duplicate, retry.json().callId]).toEqual([200, true, callId]);
    expect(await h.events(stream(callId))).toHaveLength(1);
    // The new call is the agent's: it may hang it up.
    expect((await h.call('POST', `/v1/calls/${callId}/hangup`, { key: a1 })).json().events).toEqual(['CallEnded']);
  });

  it('the same Idempotency-Key in another tenant is another call', async () => {
    const mine = await h.call('POST', '/v1/calls', { key: sup, headers: { 'idempotency-key': 'dial-t' }, body: { destinationNumber: '+321' } });
    const theirs = await h.call('POST', '/v1/calls', { key: globex, headers: { 'idempotency-key': 'dial-t' }, body: { destinationNumber: '+321' } });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(mine.json().callId).not.toBe(theirs.json().callId);
  });

  it('an agent may not dial for another agent; a supervisor may dial for one or agentless with its own caller id', async () => {
    const r = await h.call('POST', '/v1/calls', { key: a1, body: { destinationNumber: '+321', agentId: 'a2' } });
    expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const forAgent = await h.call('POST', '/v1/calls', { key: sup, body: { destinationNumber: '+321', agentId: 'a2', callerIdNumber: '+3225550100', campaignId: 'spring' } });
    expect((await h.events(stream(forAgent.json().callId)))[0]!.data).toMatchObject({ agentId: 'a2', callerIdNumber: '+3225550100', campaignId: 'spring' });
    const agentless = await h.call('POST', '/v1/calls', { key: integrator, body: { destinationNumber: '+321' } });
    expect((await h.events(stream(agentless.json().callId)))[0]!.data).toMatchObject({ agentId: null });
  });

  it('answers 503 when the server has no outbound settings', async () => {
    const bare = await startHarness({ outbound: undefined });
    try {
      const key = await bare.key('supervisor', 'acme');
      const r = await bare.call('POST', '/v1/calls', { key, body: { destinationNumber: '+321' } });
      expect([r.statusCode, r.json().error.code]).toEqual([503, 'UNAVAILABLE']);
    } finally {
      await bare.close();
    }
  });
});

describe('supervisor-forced agent state', () => {
  it('POST /v1/agents/:agentId/state forces the state as the supervisor; an agent may not force its own', async () => {
    const login = await h.call('POST', '/v1/agents/f1/login', { key: sup, body: { skills: [], capacity: { voice: 1 } } });
    expect(login.statusCode).toBe(200);
    const r = await h.call('POST', '/v1/agents/f1/state', { key: sup, body: { to: 'ready' } });
    expect([r.statusCode, r.json().events]).toEqual([200, ['AgentStateForced']]);
    const forced = (await h.events(tenantStream('agent', 'acme', 'f1'))).at(-1)!;
    expect(forced.metadata.actor).toMatch(/^supervisor:/);
    const self = await h.call('POST', '/v1/agents/a1/state', { key: a1, body: { to: 'ready' } });
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const foreign = await h.call('GET', '/v1/agents/f1', { key: globex });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('bad input', () => {
  it('refuses unknown fields, wrong types and bad ids with the offending path, never a 500', async () => {
    const c = await seed('connected');
    const cases: [string, string, unknown, string][] = [
      ['POST', `/v1/calls/${c}/hold`, { now: true }, 'body.now'],
      ['POST', `/v1/calls/${c}/hangup`, { cause: 'normal clearing' }, 'body.cause'],
      ['POST', `/v1/calls/${c}/transfer`, { target: { kind: 'planet', id: 'x' } }, 'body.target.kind'],
      ['POST', `/v1/calls/${c}/transfer`, { target: { kind: 'external', number: '+32; rm -rf' } }, 'body.target.number'],
      ['POST', `/v1/calls/${c}/transfer`, { target: { kind: 'agent', agentId: 'a2', offerId: 'mine' } }, 'body.target.offerId'],
      ['POST', `/v1/calls/${c}/transfer`, { target: { kind: 'queue', queueId: 'q', priority: 1000 } }, 'body.target.priority'],
      ['POST', `/v1/calls/${c}/transfer`, {}, 'body.target'],
      ['POST', `/v1/calls/${c}/consult`, { target: { kind: 'agent', agentId: 5 } }, 'body.target.agentId'],
      ['POST', `/v1/calls/${c}/consult/complete`, { mode: 'merge' }, 'body.mode'],
      ['POST', `/v1/calls/${c}/consult/cancel`, { consultId: '' }, 'body.consultId'],
      ['POST', `/v1/calls/${c}/conference`, { party: { kind: 'external', number: '+1', name: 'x' } }, 'body.party.name'],
      ['POST', `/v1/calls/${c}/recording/pause`, { reason: 7 }, 'body.reason'],
      ['POST', `/v1/calls/${c}/supervisor`, { mode: 'spy' }, 'body.mode'],
      ['POST', `/v1/calls/${c}/supervisor`, null, 'body'],
      ['POST', '/v1/calls', { destinationNumber: 'call me' }, 'body.destinationNumber'],
      ['POST', '/v1/calls', { destinationNumber: '+1', agent: 'a1' }, 'body.agent'],
      ['POST', '/v1/calls/bad%20id/hold', undefined, 'params.callId'],
      ['DELETE', `/v1/calls/${c}/conference/${'p'.repeat(101)}`, undefined, 'params.partyId'],
      ['POST', '/v1/agents/f1/state', { to: 'asleep' }, 'body.to'],
    ];
    for (const [method, url, body, path] of cases) {
      const r = await h.call(method, url, { key: sup, ...(body !== undefined ? { body } : {}) });
      expect([url, r.statusCode, r.json().error?.code, r.json().error?.details?.path]).toEqual([url, 400, 'VALIDATION_FAILED', path]);
    }
    const badKey = await h.call('POST', `/v1/calls/${c}/hold`, { key: sup, headers: { 'idempotency-key': 'has space' } });
    expect([badKey.statusCode, badKey.json().error.details.path]).toEqual([400, 'headers.idempotency-key']);
    expect((await h.events(stream(c))).length).toBe(given('connected').length);
  });

  it('malformed JSON is 400, an oversized body 413, a missing key 401', async () => {
    const c = await seed('connected');
    const malformed = await h.app.inject({ method: 'POST', url: `/v1/calls/${c}/transfer`, headers: { authorization: `Bearer ${sup}`, 'content-type': 'application/json' }, payload: '{"target":' });
    expect([malformed.statusCode, malformed.json().error.details]).toEqual([400, { path: 'body', reason: 'malformed_json' }]);
    const big = await h.app.inject({
      method: 'POST',
      url: `/v1/calls/${c}/conference`,
      headers: { authorization: `Bearer ${sup}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ party: { kind: 'external', number: '1'.repeat(1_100_000) } }),
    });
    expect([big.statusCode, big.json().error.code, big.json().error.details.path]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'body']);
    const anonymous = await h.call('POST', `/v1/calls/${c}/hold`);
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('hostile bodies on live calls', () => {
  it('arbitrary JSON (and well-formed requests) on every call route, by a supervisor or the handling agent, never yields a 500', async () => {
    const calls = [await seed('connected'), await seed('connected_busy'), await seed('queued')];
    const keys = [sup, a1];
    const cases = fc.constantFrom(...CALL_CONTROL_ROUTES).chain((route) =>
      fc.tuple(fc.constant(route), fc.oneof(fc.constant(route.body ?? null), fc.jsonValue({ maxDepth: 3 })), fc.nat(calls.length - 1), fc.nat(keys.length - 1)),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ([route, body, ci, ki]) => {
        const url = route.url.replace('/c-1/', `/${calls[ci]}/`);
        const r = await h.app.inject({
          method: route.method,
          url,
          headers: { authorization: `Bearer ${keys[ki]}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? 'null',
        });
        expect(r.statusCode, `${route.method} ${url} ${JSON.stringify(body)} → ${r.body}`).toBeLessThan(500);
        expect(r.json().error?.code ?? 'ok').toMatch(/^[A-Z_]+$|^ok$/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('OpenAPI', () => {
  it('documents each call route with the ids it answers', async () => {
    const doc = (await h.app.inject({ url: '/docs/json' })).json();
    const answer = (path: string, method: string, status: string) => Object.keys(doc.paths[path][method].responses[status].content['application/json'].schema.properties);
    expect(answer('/v1/calls', 'post', '201')).toEqual(expect.arrayContaining(['commandId', 'duplicate', 'events', 'callId', 'channelUuid']));
    expect(answer('/v1/calls/{callId}/consult', 'post', '200')).toContain('consultId');
    expect(answer('/v1/calls/{callId}/conference', 'post', '200')).toContain('partyId');
    expect(answer('/v1/calls/{callId}/recording/start', 'post', '200')).toContain('recordingId');
    expect(answer('/v1/calls/{callId}/transfer', 'post', '200')).toContain('offerId');
    expect(Object.keys(doc.paths['/v1/calls/{callId}/supervisor'])).toEqual(expect.arrayContaining(['post', 'delete']));
    expect(doc.paths['/v1/calls/{callId}/supervisor'].post.description).toContain('calls.supervise');
    expect(doc.paths['/v1/ivr-flows'].get.description).toContain('flows.read');
  });
});
