import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError, type LedgerlineError } from '../errors/ledgerline-error.ts';
import { parseQueueCommand, QUEUE_COMMAND_TYPES, type QueueCommand } from './queue-commands.ts';
import { queueDecider, queueStream } from './queue-decider.ts';
import { queueEvents, type QueueEvent } from './queue-events.ts';
import { COMMAND, GIVEN_BY_STATE, QUEUE, SETTINGS } from './queue-fixtures.ts';
import { offerPolicyOf } from './queue-offer-policy.ts';
import { QUEUE_DEFAULTS, queueSettingsSchema } from './queue-settings.ts';
import { parseStoredEvent } from '../events/registry.ts';

function refusal(given: readonly QueueEvent[], command: QueueCommand): LedgerlineError {
  try {
    queueDecider.decide(command, fold(queueDecider, given));
  } catch (e) {
    if (isLedgerlineError(e)) return e;
    throw e;
  }
  throw new Error(`${command.type} was accepted`);
}

const active = GIVEN_BY_STATE.active;

describe('queue scenarios', () => {
  it('announcing the wait estimate on entry: recorded when set, false when omitted and in events stored before it existed', () => {
    const change = (estimatedWait: Record<string, unknown>) =>
      parseQueueCommand({ type: 'ChangeQueueAnnouncements', commandId: 'ann', at: 50, queueId: QUEUE, announcements: { estimatedWait, musicOnHold: null } });
    const [on] = queueDecider.decide(change({ enabled: true, everySeconds: 30, onEntry: true }), fold(queueDecider, active));
    expect(on).toEqual({ type: 'QueueAnnouncementsChanged', data: { queueId: QUEUE, at: 50, announcements: { estimatedWait: { enabled: true, everySeconds: 30, onEntry: true }, musicOnHold: null } } });
    expect(fold(queueDecider, [...active, on!]).config!.announcements.estimatedWait.onEntry).toBe(true);
    const [off] = queueDecider.decide(change({ enabled: true, everySeconds: 30 }), fold(queueDecider, [...active, on!]));
    expect(off?.data).toMatchObject({ announcements: { estimatedWait: { onEntry: false } } });
    // A queue stored before the field: its events read with onEntry false, and saying so again changes nothing.
    const legacy = { queueId: 'old', at: 1, settings: { ...QUEUE_DEFAULTS, name: 'Old', routing: { strategy: 'longest-idle', ringProgressivelyEverySeconds: null }, announcements: { estimatedWait: { enabled: true, everySeconds: 60 }, musicOnHold: null } } };
    const created = parseStoredEvent('QueueCreated', 1, legacy) as QueueEvent;
    const stored = parseStoredEvent('QueueAnnouncementsChanged', 1, { queueId: 'old', at: 2, announcements: { estimatedWait: { enabled: false, everySeconds: 90 }, musicOnHold: 'moh' } }) as QueueEvent;
    expect(fold(queueDecider, [created]).config!.announcements.estimatedWait).toEqual({ enabled: true, everySeconds: 60, onEntry: false });
    expect(fold(queueDecider, [created, stored]).config!.announcements).toEqual({ estimatedWait: { enabled: false, everySeconds: 90, onEntry: false }, musicOnHold: 'moh' });
    const same = parseQueueCommand({ type: 'ChangeQueueAnnouncements', commandId: 'same', at: 3, queueId: 'old', announcements: { estimatedWait: { enabled: false, everySeconds: 90, onEntry: false }, musicOnHold: 'moh' } });
    expect(queueDecider.decide(same, fold(queueDecider, [created, stored]))).toEqual([]);
  });

  it('CreateQueue records the defaults it filled in, so replay never re-derives them', () => {
    const command = parseQueueCommand({ type: 'CreateQueue', commandId: 'c', at: 5, queueId: 'q2', settings: { name: ' Support ', routing: { strategy: 'round-robin' } } });
    const [created] = queueDecider.decide(command, queueDecider.initialState);
    expect(created).toEqual({
      type: 'QueueCreated',
      data: { queueId: 'q2', at: 5, settings: { name: 'Support', routing: { strategy: 'round-robin', ringProgressivelyEverySeconds: null }, ...QUEUE_DEFAULTS } },
    });
    const s = fold(queueDecider, [created!]);
    expect(s).toMatchObject({ status: 'active', deletedAt: null, config: { queueId: 'q2', agents: {}, createdAt: 5, updatedAt: 5, wrapUp: { seconds: 10 } } });
  });

  it('membership: assigning records only new agents or changed priorities; unassigning only present agents', () => {
    const assign: QueueCommand = { ...COMMAND.AssignAgentsToQueue, agents: [{ agentId: 'a1', priority: 10 }, { agentId: 'a2', priority: 5 }, { agentId: 'a3', priority: 7 }] };
    const [e1] = queueDecider.decide(assign, fold(queueDecider, active));
    expect(e1?.data).toEqual({ queueId: QUEUE, at: assign.at, agents: [{ agentId: 'a2', priority: 5 }, { agentId: 'a3', priority: 7 }] });
    const afterAssign = [...active, e1!];
    const reprioritise: QueueCommand = { ...COMMAND.AssignAgentsToQueue, agents: [{ agentId: 'a1', priority: 1 }] };
    const [e2] = queueDecider.decide(reprioritise, fold(queueDecider, afterAssign));
    expect(fold(queueDecider, [...afterAssign, e2!]).config?.agents).toEqual({ a1: { priority: 1 }, a2: { priority: 5 }, a3: { priority: 7 } });
    const unassign: QueueCommand = { ...COMMAND.UnassignAgentsFromQueue, agentIds: ['a2', 'ghost'] };
    const [e3] = queueDecider.decide(unassign, fold(queueDecider, afterAssign));
    expect(e3?.data).toMatchObject({ agentIds: ['a2'] });
    expect(Object.keys(fold(queueDecider, [...afterAssign, e3!]).config!.agents).sort()).toEqual(['a1', 'a3']);
  });

  it('deletion keeps the last configuration readable and the id reserved', () => {
    const s = fold(queueDecider, GIVEN_BY_STATE.deleted);
    expect(s).toMatchObject({ status: 'deleted', deletedAt: 2_000, config: { name: 'Sales' } });
    expect(refusal(GIVEN_BY_STATE.deleted, COMMAND.CreateQueue).code).toBe('QUEUE_DELETED');
  });

  it('offerPolicyOf carries the queue rules an agent offer needs', () => {
    expect(offerPolicyOf(fold(queueDecider, active).config!)).toEqual({
      ringTimeoutSeconds: 20,
      wrapUpSeconds: 30,
      maxNoAnswer: 3,
      rejectDelaySeconds: 10,
      busyDelaySeconds: 60,
      noAnswerDelaySeconds: 60,
    });
  });

  it('refuses a command addressed to another queue than the stream holds', () => {
    expect(refusal(active, { ...COMMAND.RenameQueue, queueId: 'other' }).code).toBe('QUEUE_COMMAND_INVALID');
  });

  it('names its stream queue-<queueId>', () => {
    expect(queueStream('sales')).toBe('queue-sales');
  });

  // Values the decider refuses even when a caller skips parseQueueCommand: QueueConfig's invariants hold regardless.
  const invalid: [string, QueueCommand][] = [
    ['relaxation steps out of order', { ...COMMAND.ChangeQueueSkillRequirements, skills: { base: [], relaxation: [{ afterSeconds: 60, requirements: [] }, { afterSeconds: 30, requirements: [] }] } }],
    ['two relaxation steps at the same time', { ...COMMAND.ChangeQueueSkillRequirements, skills: { base: [], relaxation: [{ afterSeconds: 30, requirements: [] }, { afterSeconds: 30, requirements: [] }] } }],
    ['a relaxation step at 0 s', { ...COMMAND.ChangeQueueSkillRequirements, skills: { base: [], relaxation: [{ afterSeconds: 0, requirements: [] }] } }],
    ['a skill required twice', { ...COMMAND.ChangeQueueSkillRequirements, skills: { base: [{ skill: 'a', minProficiency: 1 }, { skill: 'a', minProficiency: 2 }], relaxation: [] } }],
    ['an overflow into the queue itself', { ...COMMAND.ChangeQueueOverflowTarget, overflow: { queueId: QUEUE, afterSeconds: 10 } }],
    ['a max-wait exit into the queue itself', { ...COMMAND.ChangeQueueLimits, limits: { maxWait: { seconds: 60, exit: { kind: 'queue', queueId: QUEUE } }, maxWaitNoAgent: null, maxLength: null } }],
    ['a queue-full exit into the queue itself', { ...COMMAND.ChangeQueueLimits, limits: { maxWait: null, maxWaitNoAgent: null, maxLength: { calls: 5, exit: { kind: 'queue', queueId: QUEUE } } } }],
    ['a zero service-level threshold', { ...COMMAND.ChangeQueueServiceLevel, serviceLevel: { thresholdSeconds: 0, formula: 'genesys', shortAbandonSeconds: 0 } }],
    ['a short-abandon threshold not below the SL threshold', { ...COMMAND.ChangeQueueServiceLevel, serviceLevel: { thresholdSeconds: 10, formula: 'genesys', shortAbandonSeconds: 10 } }],
    ['an unknown SL formula', { ...COMMAND.ChangeQueueServiceLevel, serviceLevel: { thresholdSeconds: 20, formula: 'made-up' as 'genesys', shortAbandonSeconds: 0 } }],
    ['ring-progressively without a step', { ...COMMAND.ChangeQueueStrategy, routing: { strategy: 'ring-progressively', ringProgressivelyEverySeconds: null } }],
    ['a step for another strategy', { ...COMMAND.ChangeQueueStrategy, routing: { strategy: 'longest-idle', ringProgressivelyEverySeconds: 5 } }],
    ['a zero maxNoAnswer', { ...COMMAND.ChangeQueueMaxNoAnswer, noAnswer: { ...SETTINGS.noAnswer, maxNoAnswer: 0 } }],
    ['a negative wrap-up', { ...COMMAND.ChangeQueueWrapUpTime, wrapUp: { seconds: -1 } }],
    ['a negative weight per second', { ...COMMAND.ChangeQueuePriorityRules, priority: { ...SETTINGS.priority, weightPerSecondWaited: -1 } }],
    ['a callback key that is not DTMF', { ...COMMAND.ChangeQueueCallbackRules, callback: { offerAfterSeconds: 60, key: 'A', maxRetries: 1, retryIntervalSeconds: 60 } }],
    ['a wait-estimate every 5 s', { ...COMMAND.ChangeQueueAnnouncements, announcements: { estimatedWait: { enabled: true, everySeconds: 5, onEntry: false }, musicOnHold: null } }],
    ['an empty name', { ...COMMAND.RenameQueue, name: '   ' }],
  ];
  it.each(invalid)('refuses %s with QUEUE_CONFIG_INVALID', (_label, command) => {
    const e = refusal(active, command);
    expect(e.code).toBe('QUEUE_CONFIG_INVALID');
    expect(e.status).toBe(422);
  });

  it('refuses a queue created with an overflow into itself', () => {
    expect(refusal([], { ...COMMAND.CreateQueue, settings: { ...SETTINGS, overflow: { queueId: QUEUE, afterSeconds: 1 } } }).code).toBe('QUEUE_CONFIG_INVALID');
  });

  it.each([
    ['an unknown command', { type: 'PaintQueue', commandId: 'c', at: 1, queueId: 'q' }],
    ['a queue id with spaces', { ...COMMAND.DeleteQueue, queueId: 'a b' }],
    ['a partial section (no silent reset of the other fields)', { ...COMMAND.ChangeQueueMaxNoAnswer, noAnswer: { maxNoAnswer: 5 } }],
    ['an agent listed twice', { ...COMMAND.AssignAgentsToQueue, agents: [{ agentId: 'a', priority: 1 }, { agentId: 'a', priority: 2 }] }],
    ['an agent priority of 0', { ...COMMAND.AssignAgentsToQueue, agents: [{ agentId: 'a', priority: 0 }] }],
  ])('parseQueueCommand refuses %s with QUEUE_CONFIG_INVALID', (_label, input) => {
    expect(() => parseQueueCommand(input)).toThrow(expect.objectContaining({ code: 'QUEUE_CONFIG_INVALID' }));
  });

  it('parseQueueCommand accepts every fixture command unchanged', () => {
    for (const c of Object.values(COMMAND)) expect(parseQueueCommand(c)).toEqual(c);
  });

  it('definitions: unique names, category queue, and every fixture event validates', () => {
    const types = queueEvents.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    const byType = new Map(queueEvents.map((d) => [d.type as string, d]));
    for (const d of queueEvents) expect(d.category).toBe('queue');
    for (const t of QUEUE_COMMAND_TYPES) {
      for (const e of queueDecider.decide(COMMAND[t], fold(queueDecider, t === 'CreateQueue' ? [] : active))) byType.get(e.type)!.schema.parse(e.data);
    }
  });
});

describe('queue properties', () => {
  const changeArb: fc.Arbitrary<QueueCommand> = fc.oneof(
    fc.constantFrom(...QUEUE_COMMAND_TYPES.filter((t) => t !== 'CreateQueue' && t !== 'DeleteQueue').map((t) => COMMAND[t])),
    fc.record({ agentId: fc.constantFrom('a1', 'a2', 'a3'), priority: fc.integer({ min: 1, max: 3 }) }).map((a) => ({ ...COMMAND.AssignAgentsToQueue, agents: [a] })),
    fc.subarray(['a1', 'a2', 'a3'], { minLength: 1 }).map((ids) => ({ ...COMMAND.UnassignAgentsFromQueue, agentIds: ids })),
    fc.integer({ min: 0, max: 3600 }).map((seconds) => ({ ...COMMAND.ChangeQueueWrapUpTime, wrapUp: { seconds } })),
    fc.constant({ ...COMMAND.ChangeQueueStrategy, routing: SETTINGS.routing }),
  );

  it('repeating any accepted change is a no-op, and the folded config always satisfies the settings schema', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 30 }), (commands) => {
        const events: QueueEvent[] = [...active];
        for (const c of commands) {
          const out = queueDecider.decide(c, fold(queueDecider, events));
          events.push(...out);
          expect(queueDecider.decide(c, fold(queueDecider, events))).toEqual([]);
          const config = fold(queueDecider, events).config!;
          expect(queueSettingsSchema.parse(config)).toBeTruthy();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('an event is emitted exactly when the folded configuration changes', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 30 }), (commands) => {
        const events: QueueEvent[] = [...active];
        for (const c of commands) {
          const before = fold(queueDecider, events);
          const out = queueDecider.decide(c, before);
          events.push(...out);
          const { updatedAt: _a, ...b } = before.config!;
          const { updatedAt: _b, ...a } = fold(queueDecider, events).config!;
          expect(out.length > 0).toBe(JSON.stringify(a) !== JSON.stringify(b));
        }
      }),
      { numRuns: 100 },
    );
  });
});
