// The queue media model, fed with events the domain's own deciders make: positions, serving and free agents and handle
// times per tenant-scoped queue, the announcement schedule, the caller leg map, ended calls forgotten.
import { describe, expect, it } from 'vitest';
import { parseAgentCommand, type AgentCommandInput } from '../../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../../domain/agent/agent-decider.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { Decider } from '../../../domain/decider.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import { parseQueueCommand, type QueueCommandInput } from '../../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../../domain/queue/queue-decider.ts';
import { offerPolicyOf } from '../../../domain/queue/queue-offer-policy.ts';
import { nextAnnouncementAt, QueueMediaModel } from './queue-media-model.ts';

/** A command input without its id (distributed over the union, so each command keeps its own fields). */
type NoId<T> = T extends unknown ? Omit<T, 'commandId'> : never;
let seq = 0;

/** Runs commands through a decider on `stream` and applies their events to the model (revision by revision). */
function feeder(model: QueueMediaModel) {
  const states = new Map<string, unknown>();
  const revisions = new Map<string, bigint>();
  function run<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, command: C): void {
    let s = (states.get(stream) as S | undefined) ?? decider.initialState;
    for (const e of decider.decide(command, s)) {
      s = decider.evolve(s, e);
      const rev = (revisions.get(stream) ?? -1n) + 1n;
      revisions.set(stream, rev);
      model.apply(stream, rev, e);
    }
    states.set(stream, s);
  }
  return {
    queue: (stream: string, c: NoId<QueueCommandInput>) => run(queueDecider, stream, parseQueueCommand({ commandId: `q${++seq}`, ...c })),
    agent: (stream: string, c: NoId<AgentCommandInput>) => run(agentDecider, stream, parseAgentCommand({ commandId: `a${++seq}`, ...c })),
    call: (stream: string, c: NoId<CallCommandInput>) => run(callDecider, stream, parseCallCommand({ commandId: `c${++seq}`, ...c })),
  };
}

const createQ = { type: 'CreateQueue', at: 0, queueId: 'q', settings: { name: 'q', routing: { strategy: 'longest-idle' }, announcements: { estimatedWait: { enabled: true, everySeconds: 60 }, musicOnHold: null } } } as const;

function arrive(f: ReturnType<typeof feeder>, stream: string, callId: string, at: number, queueId = 'q'): void {
  f.call(stream, { type: 'ReceiveCall', at, callId, did: '+3225550100', callerNumber: '+32475000001', switchId: 'sw', channelUuid: `leg-${stream}` });
  f.call(stream, { type: 'QueueCall', at, callId, queueId, priority: 0 });
}

describe('QueueMediaModel', () => {
  it('counts callers ahead, serving and free agents of the same tenant only, and the queue handle times', () => {
    const model = new QueueMediaModel();
    const f = feeder(model);
    f.queue('queue-acme.q', createQ);
    f.queue('queue-acme.q', { type: 'AssignAgentsToQueue', at: 0, queueId: 'q', agents: [{ agentId: 'a1' }, { agentId: 'a2' }, { agentId: 'a3' }] });
    f.queue('queue-q', createQ);
    const policy = offerPolicyOf({ ...model.queues.get('queue-acme.q')!.state.config! });
    // a1: one handled contact (talk 100 s, wrap-up 20 s), then ready. a2: talking. a3: not ready. Default-tenant a1: ready.
    f.agent('agent-acme.a1', { type: 'LogIn', at: 0, agentId: 'a1', skills: [], capacity: { voice: 1 }, ready: true });
    f.agent('agent-acme.a1', { type: 'OfferCall', at: 0, agentId: 'a1', offerId: 'o1', callId: 'old', queueId: 'q', policy });
    f.agent('agent-acme.a1', { type: 'RecordTalking', at: 0, agentId: 'a1', offerId: 'o1' });
    f.agent('agent-acme.a1', { type: 'StartWrapUp', at: 100_000, agentId: 'a1', offerId: 'o1' });
    f.agent('agent-acme.a1', { type: 'EndWrapUp', at: 120_000, agentId: 'a1', offerId: 'o1', reason: 'agent' });
    f.agent('agent-acme.a2', { type: 'LogIn', at: 0, agentId: 'a2', skills: [], capacity: { voice: 1 }, ready: true });
    f.agent('agent-acme.a2', { type: 'OfferCall', at: 0, agentId: 'a2', offerId: 'o2', callId: 'other', queueId: 'q', policy });
    f.agent('agent-acme.a2', { type: 'RecordTalking', at: 0, agentId: 'a2', offerId: 'o2' });
    f.agent('agent-acme.a3', { type: 'LogIn', at: 0, agentId: 'a3', skills: [], capacity: { voice: 1 } });
    f.agent('agent-a1', { type: 'LogIn', at: 0, agentId: 'a1', skills: [], capacity: { voice: 1 }, ready: true });

    arrive(f, 'call-acme.c1', 'c1', 1000);
    arrive(f, 'call-acme.c3', 'c3', 1500);
    f.call('call-acme.c3', { type: 'OfferToAgent', at: 1600, callId: 'c3', agentId: 'a9', offerId: 'o9' });
    arrive(f, 'call-acme.c2', 'c2', 2000);
    arrive(f, 'call-c0', 'c0', 500); // same queue id, default tenant: another queue

    const c2 = model.calls.get('call-acme.c2')!;
    expect(model.waitEstimateInput(c2)).toEqual({ position: 1, staffedAgents: 2, idleAgents: 1, recentHandleTimesSeconds: [120] });
    expect(model.waitEstimateInput(model.calls.get('call-c0')!)).toEqual({ position: 0, staffedAgents: 0, idleAgents: 0, recentHandleTimesSeconds: [] });
    expect(model.callByLeg.get('leg-call-acme.c1')).toBe('call-acme.c1');
    expect(c2.tenant).toBe('acme');
    expect(c2.callId).toBe('c2');
  });

  it('schedules announcements from the wait start or the last announcement, and forgets ended calls', () => {
    const model = new QueueMediaModel();
    const f = feeder(model);
    f.queue('queue-q', createQ);
    arrive(f, 'call-c1', 'c1', 1000);
    const config = model.queues.get('queue-q')!.state.config!;
    const onEntry = { ...config, announcements: { ...config.announcements, estimatedWait: { ...config.announcements.estimatedWait, onEntry: true } } };
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, config)).toBe(61_000);
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, onEntry)).toBe(1000);
    f.call('call-c1', { type: 'AnnounceWaitEstimate', at: 70_000, callId: 'c1', estimatedWaitSeconds: 30, positionInQueue: 1, method: 'position' });
    expect(model.calls.get('call-c1')).toMatchObject({ announcements: 1, lastAnnouncedAt: 70_000 });
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, onEntry)).toBe(130_000);
    f.call('call-c1', { type: 'OfferToAgent', at: 80_000, callId: 'c1', agentId: 'a1', offerId: 'o1' });
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, config)).toBeUndefined();
    f.call('call-c1', { type: 'RecordAgentLegFailed', at: 90_000, callId: 'c1', offerId: 'o1', cause: 'no_answer' });
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, config)).toBe(130_000);
    expect(nextAnnouncementAt(model.calls.get('call-c1')!, { ...config, announcements: { ...config.announcements, estimatedWait: { enabled: false, everySeconds: 60, onEntry: false } } })).toBeUndefined();

    f.call('call-c1', { type: 'EndCall', at: 100_000, callId: 'c1', cause: 'NORMAL_CLEARING', hungUpBy: 'caller' });
    expect(model.calls.has('call-c1')).toBe(false);
    expect(model.callByLeg.has('leg-call-c1')).toBe(false);
    const last = model.revisionOf('call-c1')!;
    const late = { type: 'CallDispositioned', data: { callId: 'c1', at: 110_000, agentId: 'a1', wrapUpCode: 'x', notes: null } } as DomainEvent;
    expect(model.apply('call-c1', last + 1n, late)).toBe(true);
    expect(model.calls.has('call-c1')).toBe(false);
    expect(model.revisionOf('call-c1')).toBe(last + 1n);
  });

  it('applies an event once', () => {
    const model = new QueueMediaModel();
    const f = feeder(model);
    f.queue('queue-q', createQ);
    arrive(f, 'call-c1', 'c1', 1000);
    const e = { type: 'WaitEstimateAnnounced', data: { callId: 'c1', at: 5, queueId: 'q', estimatedWaitSeconds: 1, positionInQueue: 1, method: 'position' } } as DomainEvent;
    expect(model.apply('call-c1', 2n, e)).toBe(true);
    expect(model.apply('call-c1', 2n, e)).toBe(false);
    expect(model.calls.get('call-c1')!.announcements).toBe(1);
  });
});
