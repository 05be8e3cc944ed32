// TEST SUPPORT: a contact center on a real event store for the engine's tests: queues, agents and inbound calls are
// created through the domain's deciders (handleCommand), and the engine runs against a FakeSwitchPort and a
// VirtualClock. Nothing here stands in for the store or the deciders.
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand, type AgentCommandInput } from '../../domain/agent/agent-commands.ts';
import { agentDecider, agentStream } from '../../domain/agent/agent-decider.ts';
import type { AgentDeciderState } from '../../domain/agent/agent-state.ts';
import { parseCallCommand, type CallCommandInput } from '../../domain/call/call-commands.ts';
import { callDecider, callStreamName } from '../../domain/call/call-decider.ts';
import type { CallState } from '../../domain/call/call-state.ts';
import { uuidV5 } from '../../domain/ids/deterministic-id.ts';
import { parseQueueCommand } from '../../domain/queue/queue-commands.ts';
import { queueDecider, queueStream } from '../../domain/queue/queue-decider.ts';
import type { QueueSettingsInput } from '../../domain/queue/queue-settings.ts';
import { handleCommand, loadAggregate } from '../command-handling/handle-command.ts';
import type { SwitchFact } from '../ports/switch-port.ts';

export const SWITCH = 'sw-1';
let seq = 0;
const cid = (p: string): string => `${p}-${++seq}`;

/** The caller leg uuid of a test call. */
export const callerLegOf = (callId: string): string => uuidV5(`test-caller-leg|${callId}`);

/** Creates a queue with these settings (name and strategy defaulted) and assigns the agents to it. */
export async function createQueue(store: EventStore, queueId: string, at: number, settings: Partial<QueueSettingsInput> = {}, agentIds: string[] = []): Promise<void> {
  await handleCommand(store, queueDecider, queueStream(queueId), parseQueueCommand({ type: 'CreateQueue', commandId: cid('cq'), at, queueId, settings: { name: queueId, routing: { strategy: 'longest-idle' }, ...settings } }));
  if (agentIds.length > 0) {
    await handleCommand(store, queueDecider, queueStream(queueId), parseQueueCommand({ type: 'AssignAgentsToQueue', commandId: cid('aq'), at, queueId, agents: agentIds.map((agentId) => ({ agentId })) }));
  }
}

/** Runs an agent command (as the agent's desktop would). */
export function agentDoes(store: EventStore, input: AgentCommandInput) {
  return handleCommand(store, agentDecider, agentStream(input.agentId), parseAgentCommand(input));
}

/** Logs an agent in, ready. */
export function agentReady(store: EventStore, agentId: string, at: number, skills: { skill: string; proficiency: 1 | 2 | 3 | 4 | 5 }[] = []) {
  return agentDoes(store, { type: 'LogIn', commandId: cid('login'), at, agentId, skills, capacity: { voice: 1 }, ready: true });
}

/** Runs a call command (as the switch translator or the IVR would). */
export function callDoes(store: EventStore, input: CallCommandInput) {
  return handleCommand(store, callDecider, callStreamName(input.callId), parseCallCommand(input));
}

/** An inbound call that arrived on SWITCH and was queued. */
export async function queueCall(store: EventStore, callId: string, queueId: string, at: number, priority = 0): Promise<void> {
  await callDoes(store, { type: 'ReceiveCall', commandId: cid('rc'), at, callId, did: '+3225550100', callerNumber: '+32475000001', switchId: SWITCH, channelUuid: callerLegOf(callId) });
  await callDoes(store, { type: 'QueueCall', commandId: cid('qc'), at, callId, queueId, priority });
}

export async function agentState(store: EventStore, agentId: string): Promise<AgentDeciderState> {
  return (await loadAggregate(store, agentDecider, agentStream(agentId))).state;
}

export async function callState(store: EventStore, callId: string): Promise<CallState> {
  return (await loadAggregate(store, callDecider, callStreamName(callId))).state;
}

let factSeq = 0;
/** A switch fact about a leg, with a unique fact id. */
export function fact<K extends SwitchFact['kind']>(kind: K, at: number, leg: { legUuid: string; callId?: string; offerId?: string; role?: 'caller' | 'agent' }, extra: Omit<Extract<SwitchFact, { kind: K }>, 'kind' | 'switchId' | 'factId' | 'at' | 'legUuid' | 'callId' | 'offerId' | 'role'>): SwitchFact {
  return { kind, switchId: SWITCH, factId: `f-${++factSeq}`, at, ...leg, ...extra } as SwitchFact;
}
