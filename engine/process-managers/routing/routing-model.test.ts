// The routing model's view of callbacks (agent first), folded from decider-made events: a callback owed waits at its
// original place and is routable from notBefore on; queue limits never see it (nobody is on the line).
import { describe, expect, it } from 'vitest';
import { parseCallCommand } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { CallState } from '../../../domain/call/call-state.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import { parseQueueCommand } from '../../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../../domain/queue/queue-decider.ts';
import { RoutingModel } from './routing-model.ts';

const T0 = 1_700_000_000_000;

/** A model holding queue `sales` (max wait 30 s → voicemail) and the calls given as command lists. */
function modelWith(calls: Record<string, readonly Record<string, unknown>[]>): RoutingModel {
  const m = new RoutingModel();
  const q = queueDecider.decide(
    parseQueueCommand({
      type: 'CreateQueue',
      commandId: 'cq',
      at: T0,
      queueId: 'sales',
      settings: { name: 'sales', routing: { strategy: 'longest-idle' }, limits: { maxWait: { seconds: 30, exit: { kind: 'voicemail', mailbox: 'm' } }, maxWaitNoAgent: null, maxLength: null } },
    }),
    queueDecider.initialState,
  );
  q.forEach((e, i) => m.apply('queue-sales', BigInt(i), e as DomainEvent));
  for (const [callId, inputs] of Object.entries(calls)) {
    let s: CallState = callDecider.initialState;
    let rev = 0n;
    inputs.forEach((input, i) => {
      for (const e of callDecider.decide(parseCallCommand({ ...input, callId, commandId: `${callId}-${i}`, actor: 'system:test' }), s)) {
        s = callDecider.evolve(s, e);
        m.apply(`call-${callId}`, rev++, e as DomainEvent);
      }
    });
  }
  return m;
}

const arrive = (at: number) => ({ type: 'ReceiveCall', at, did: '+1', callerNumber: '+32475000001', switchId: 'sw', channelUuid: `leg-${at}` }) as const;
const queue = (at: number) => ({ type: 'QueueCall', at, queueId: 'sales', priority: 0, requiredSkills: [] }) as const;

describe('RoutingModel: callbacks', () => {
  const m = modelWith({
    waiting: [arrive(T0), queue(T0 + 1000)],
    owedNow: [arrive(T0), queue(T0 + 500), { type: 'RequestCallback', at: T0 + 2000 }, { type: 'ScheduleCallback', at: T0 + 2000, callbackId: 'cb1', notBefore: T0 + 2000 }],
    owedLater: [arrive(T0), queue(T0 + 200), { type: 'RequestCallback', at: T0 + 2000 }, { type: 'ScheduleCallback', at: T0 + 2000, callbackId: 'cb2', notBefore: T0 + 90_000 }],
  });

  it('routes a callback owed from notBefore on, at its original place; one owed later is not routable yet', () => {
    const early = m.routeInput(T0 + 60_000, 1).waitingCalls;
    expect(early.map((c) => c.id).sort()).toEqual(['owedNow', 'waiting']);
    expect(early.find((c) => c.id === 'owedNow')?.enqueuedAt).toBe(T0 + 500);
    const later = m.routeInput(T0 + 90_000, 1).waitingCalls;
    expect(later.map((c) => c.id).sort()).toEqual(['owedLater', 'owedNow', 'waiting']);
    expect(later.find((c) => c.id === 'owedLater')?.enqueuedAt).toBe(T0 + 200);
  });

  it('says when the next callback becomes due', () => {
    expect(m.nextCallbackDueAt(T0 + 60_000)).toBe(T0 + 90_000);
    expect(m.nextCallbackDueAt(T0 + 90_000)).toBeUndefined();
  });

  it('leaves callbacks out of the queue limits (the caller is not on the line)', () => {
    const views = m.exitViews();
    expect(views).toHaveLength(1);
    expect(views[0]!.calls.map((c) => c.id)).toEqual(['waiting']);
  });
});
