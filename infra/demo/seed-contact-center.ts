// A contact center described as data (queues, agents, IVR flows, numbers) and recorded through the domain's own
// deciders, the way an administrator's API calls would record it. Command ids derive from the spec, so seeding the
// same spec again (every `make run`, every restart of a test) appends nothing new.
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import { parseIvrFlowCommand } from '../../domain/ivr-flow/ivr-flow-commands.ts';
import { ivrFlowDecider } from '../../domain/ivr-flow/ivr-flow-decider.ts';
import { parseQueueCommand } from '../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import type { QueueSettingsInput } from '../../domain/queue/queue-settings.ts';
import { parseNumberCommand } from '../../domain/number/number-commands.ts';
import { numberDecider } from '../../domain/number/number-decider.ts';
import { numberStream } from '../../domain/number/number-key.ts';
import { tenantStream } from '../../domain/shared/tenant-stream.ts';
import { handleCommand } from '../../engine/command-handling/handle-command.ts';

export interface ContactCenterSpec {
  /** Undefined: the default tenant (bare stream names). */
  readonly tenant?: string;
  readonly queues: readonly { readonly id: string; readonly settings: QueueSettingsInput; readonly agents: readonly string[] }[];
  readonly agents: readonly { readonly id: string; readonly skills?: readonly { skill: string; proficiency: 1 | 2 | 3 | 4 | 5 }[]; readonly ready?: boolean }[];
  readonly flows: readonly { readonly id: string; readonly flow: Record<string, unknown> }[];
  /** Dialled number → IVR flow id. */
  readonly numbers: Readonly<Record<string, string>>;
}

/** Records the spec (idempotent: see the module comment). `at` is the time the records carry. */
export async function seedContactCenter(store: EventStore, spec: ContactCenterSpec, at: number): Promise<void> {
  const t = spec.tenant;
  const ctx = t === undefined ? {} : { tenant: t };
  const cid = (...parts: string[]): string => ['seed', t ?? '', ...parts].join('|');
  for (const f of spec.flows) {
    const stream = tenantStream('ivrflow', t, f.id);
    await handleCommand(store, ivrFlowDecider, stream, parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: cid('flow', f.id, 'save'), at, flowId: f.id, flow: f.flow as never }), ctx);
    await handleCommand(store, ivrFlowDecider, stream, parseIvrFlowCommand({ type: 'PublishIvrFlow', commandId: cid('flow', f.id, 'publish'), at, flowId: f.id }), ctx);
  }
  for (const q of spec.queues) {
    const stream = tenantStream('queue', t, q.id);
    await handleCommand(store, queueDecider, stream, parseQueueCommand({ type: 'CreateQueue', commandId: cid('queue', q.id, 'create'), at, queueId: q.id, settings: q.settings }), ctx);
    if (q.agents.length > 0) {
      await handleCommand(
        store,
        queueDecider,
        stream,
        parseQueueCommand({ type: 'AssignAgentsToQueue', commandId: cid('queue', q.id, 'assign'), at, queueId: q.id, agents: q.agents.map((agentId) => ({ agentId })) }),
        ctx,
      );
    }
  }
  for (const [number, flowId] of Object.entries(spec.numbers)) {
    const assign = parseNumberCommand({ type: 'AssignNumber', commandId: cid('number', number), at, number, flowId });
    await handleCommand(store, numberDecider, numberStream(t, number), assign, ctx);
  }
  for (const a of spec.agents) {
    const login = parseAgentCommand({ type: 'LogIn', commandId: cid('agent', a.id, 'login'), at, agentId: a.id, skills: [...(a.skills ?? [])], capacity: { voice: 1 }, ready: a.ready ?? true });
    await handleCommand(store, agentDecider, tenantStream('agent', t, a.id), login, ctx);
  }
}

/** The DID → flow mapping of a spec, in the shape the inbound manager takes. */
export function flowForDidOf(spec: ContactCenterSpec): (did: string) => { tenant: string | undefined; flowId: string } | undefined {
  return (did) => {
    const flowId = Object.hasOwn(spec.numbers, did) ? spec.numbers[did] : undefined;
    return flowId === undefined ? undefined : { tenant: spec.tenant, flowId };
  };
}
