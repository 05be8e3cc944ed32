// TEST SUPPORT: a contact center on a real event store for the engine's tests: queues, agents and inbound calls are
// created through the domain's deciders (handleCommand), and the engine runs against a FakeSwitchPort and a
// VirtualClock. Nothing here stands in for the store or the deciders.
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand, type AgentCommandInput } from '../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import type { AgentDeciderState } from '../../domain/agent/agent-state.ts';
import { parseCallCommand, type CallCommandInput } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import type { CallState } from '../../domain/call/call-state.ts';
import { uuidV5 } from '../../domain/ids/deterministic-id.ts';
import { parseQueueCommand } from '../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import { scopedId, tenantStream } from '../../domain/shared/tenant-stream.ts';
import type { QueueSettingsInput } from '../../domain/queue/queue-settings.ts';
import { handleCommand, loadAggregate } from '../command-handling/handle-command.ts';
import type { SwitchFact } from '../ports/switch-port.ts';

export const SWITCH = 'sw-1';
let seq = 0;
const cid = (p: string): string => `${p}-${++seq}`;

/** The caller leg uuid of a test call. */
export const callerLegOf = (callId: string): string => uuidV5(`test-caller-leg|${callId}`);

/** The fixture's writers and readers for one tenant (undefined: the default tenant's bare streams). */
export function tenantFixture(tenant: string | undefined) {
  const context = tenant === undefined ? {} : { tenant };
  const stream = (category: string, id: string): string => tenantStream(category, tenant, id);
  const f = {
    tenant,
    /** The caller leg uuid of a test call of this tenant. */
    callerLegOf: (callId: string): string => callerLegOf(scopedId(tenant, callId)),
    /** Creates a queue with these settings (name and strategy defaulted) and assigns the agents to it. */
    async createQueue(store: EventStore, queueId: string, at: number, settings: Partial<QueueSettingsInput> = {}, agentIds: string[] = []): Promise<void> {
      await handleCommand(store, queueDecider, stream('queue', queueId), parseQueueCommand({ type: 'CreateQueue', commandId: cid('cq'), at, queueId, settings: { name: queueId, routing: { strategy: 'longest-idle' }, ...settings } }), context);
      if (agentIds.length > 0) {
        await handleCommand(store, queueDecider, stream('queue', queueId), parseQueueCommand({ type: 'AssignAgentsToQueue', commandId: cid('aq'), at, queueId, agents: agentIds.map((agentId) => ({ agentId })) }), context);
      }
    },
    /** Runs an agent command (as the agent's desktop would). */
    agentDoes: (store: EventStore, input: AgentCommandInput) => handleCommand(store, agentDecider, stream('agent', input.agentId), parseAgentCommand(input), context),
    /** Logs an agent in, ready. */
    agentReady: (store: EventStore, agentId: string, at: number, skills: { skill: string; proficiency: 1 | 2 | 3 | 4 | 5 }[] = []) =>
      f.agentDoes(store, { type: 'LogIn', commandId: cid('login'), at, agentId, skills, capacity: { voice: 1 }, ready: true }),
    /** Runs a call command (as the switch translator or the IVR would). */
    callDoes: (store: EventStore, input: CallCommandInput) => handleCommand(store, callDecider, stream('call', input.callId), parseCallCommand(input), context),
    /** An inbound call that arrived on SWITCH and was queued. */
    async queueCall(store: EventStore, callId: string, queueId: string, at: number, priority = 0): Promise<void> {
      await f.callDoes(store, { type: 'ReceiveCall', commandId: cid('rc'), at, callId, did: '+3225550100', callerNumber: '+32475000001', switchId: SWITCH, channelUuid: f.callerLegOf(callId) });
      await f.callDoes(store, { type: 'QueueCall', commandId: cid('qc'), at, callId, queueId, priority });
    },
    agentState: async (store: EventStore, agentId: string): Promise<AgentDeciderState> => (await loadAggregate(store, agentDecider, stream('agent', agentId))).state,
    callState: async (store: EventStore, callId: string): Promise<CallState> => (await loadAggregate(store, callDecider, stream('call', callId))).state,
  };
  return f;
}

const defaultTenant = tenantFixture(undefined);

/** Creates a queue with these settings (name and strategy defaulted) and assigns the agents to it. */
export const createQueue = defaultTenant.createQueue;
/** Runs an agent command (as the agent's desktop would). */
export const agentDoes = defaultTenant.agentDoes;
/** Logs an agent in, ready. */
export const agentReady = defaultTenant.agentReady;
/** Runs a call command (as the switch translator or the IVR would). */
export const callDoes = defaultTenant.callDoes;
/** An inbound call that arrived on SWITCH and was queued. */
export const queueCall = defaultTenant.queueCall;
export const agentState = defaultTenant.agentState;
export const callState = defaultTenant.callState;

let factSeq = 0;
/** A switch fact about a leg, with a unique fact id. */
export function fact<K extends SwitchFact['kind']>(kind: K, at: number, leg: { legUuid: string; callId?: string; offerId?: string; role?: 'caller' | 'agent' | 'outbound' }, extra: Omit<Extract<SwitchFact, { kind: K }>, 'kind' | 'switchId' | 'factId' | 'at' | 'legUuid' | 'callId' | 'offerId' | 'role'>): SwitchFact {
  return { kind, switchId: SWITCH, factId: `f-${++factSeq}`, at, ...leg, ...extra } as SwitchFact;
}
