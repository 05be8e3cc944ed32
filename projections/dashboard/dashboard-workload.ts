/**
 * Test support: drives realistic contact-center event sequences through the real deciders (handleCommand, tenant
 * in the metadata, tenant-scoped stream names), for the read-model and rebuild tests. Times are explicit.
 */
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import { parseCallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import type { DomainEvent } from '../../domain/events/registry.ts';
import { parseQueueCommand } from '../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import { handleCommand } from '../../engine/command-handling/handle-command.ts';

export const POLICY = { ringTimeoutSeconds: 20, wrapUpSeconds: 30, maxNoAnswer: 3, rejectDelaySeconds: 5, busyDelaySeconds: 10, noAnswerDelaySeconds: 15 };

/** One tenant's commands; every event appended is also kept in `events` (in order). */
export class Workload {
  readonly events: DomainEvent[] = [];
  private seq = 0;
  private readonly store: EventStore;
  readonly tenant: string;

  constructor(store: EventStore, tenant: string) {
    this.store = store;
    this.tenant = tenant;
  }

  private id(): string {
    this.seq += 1;
    return `${this.tenant}-cmd-${this.seq}`;
  }

  private keep(events: readonly DomainEvent[]): void {
    if (events.length === 0) throw new Error('the command decided nothing');
    this.events.push(...events);
  }

  /** A call command on `call-<tenant>.<callId>`. */
  async call(callId: string, type: string, at: number, fields: Record<string, unknown> = {}): Promise<void> {
    const command = parseCallCommand({ type, commandId: this.id(), at, actor: 'system:test', callId, ...fields });
    this.keep((await handleCommand(this.store, callDecider, `call-${this.tenant}.${callId}`, command, { tenant: this.tenant })).events);
  }

  /** An agent command on `agent-<tenant>.<agentId>`. */
  async agent(agentId: string, type: string, at: number, fields: Record<string, unknown> = {}): Promise<void> {
    const command = parseAgentCommand({ type, commandId: this.id(), at, actor: 'system:test', agentId, ...fields });
    this.keep((await handleCommand(this.store, agentDecider, `agent-${this.tenant}.${agentId}`, command, { tenant: this.tenant })).events);
  }

  /** A queue command on `queue-<tenant>.<queueId>`. */
  async queue(queueId: string, type: string, at: number, fields: Record<string, unknown> = {}): Promise<void> {
    const command = parseQueueCommand({ type, commandId: this.id(), at, actor: 'system:test', queueId, ...fields });
    this.keep((await handleCommand(this.store, queueDecider, `queue-${this.tenant}.${queueId}`, command, { tenant: this.tenant })).events);
  }

  /** Creates a queue with this service level and assigns the agents. */
  async createQueue(queueId: string, name: string, at: number, serviceLevel: { thresholdSeconds: number; formula: string; shortAbandonSeconds: number }, agents: string[]): Promise<void> {
    await this.queue(queueId, 'CreateQueue', at, { settings: { name, routing: { strategy: 'longest-idle', ringProgressivelyEverySeconds: null }, serviceLevel } });
    await this.queue(queueId, 'AssignAgentsToQueue', at, { agents: agents.map((agentId) => ({ agentId, priority: 10 })) });
  }

  /** Logs an agent in, ready. */
  async login(agentId: string, at: number): Promise<void> {
    await this.agent(agentId, 'LogIn', at, { skills: [{ skill: 'sales', proficiency: 3 }], capacity: { voice: 1 }, ready: true });
  }

  /** An inbound call through a two-node IVR into `queueId` at `queuedAt`. */
  async arriveAndQueue(callId: string, queueId: string, arrivedAt: number, queuedAt: number): Promise<void> {
    await this.call(callId, 'ReceiveCall', arrivedAt, { did: '+3225550100', callerNumber: '+32475000001', callerName: null, switchId: 'fs-1', channelUuid: `ch-${callId}` });
    await this.call(callId, 'StartIvr', arrivedAt, { flowId: 'main', flowVersion: 1 });
    await this.call(callId, 'EnterIvrNode', arrivedAt, { nodeId: 'welcome', nodeType: 'prompt' });
    await this.call(callId, 'EnterIvrNode', arrivedAt, { nodeId: 'menu', nodeType: 'menu' });
    await this.call(callId, 'CompleteIvr', queuedAt, { outcome: 'queue' });
    await this.call(callId, 'QueueCall', queuedAt, { queueId, priority: 0, requiredSkills: [] });
  }

  /** Offers a queued call to an agent and connects it at `answeredAt`. */
  async answer(callId: string, queueId: string, agentId: string, offerId: string, answeredAt: number): Promise<void> {
    await this.agent(agentId, 'OfferCall', answeredAt, { offerId, callId, queueId, policy: POLICY });
    await this.call(callId, 'OfferToAgent', answeredAt, { agentId, offerId });
    await this.agent(agentId, 'RecordRinging', answeredAt, { offerId });
    await this.call(callId, 'RecordAgentLegRinging', answeredAt, { offerId, channelUuid: `ch-${offerId}` });
    await this.call(callId, 'RecordAgentLegAnswered', answeredAt, { offerId });
    await this.agent(agentId, 'RecordTalking', answeredAt, { offerId });
    await this.call(callId, 'ConnectCall', answeredAt, { offerId });
  }

  /** Puts a connected call on hold at `from`, and off hold at `to` when given. */
  async hold(callId: string, agentId: string, offerId: string, from: number, to?: number): Promise<void> {
    await this.call(callId, 'HoldCall', from);
    await this.agent(agentId, 'HoldCall', from, { offerId });
    if (to === undefined) return;
    await this.call(callId, 'ResumeCall', to);
    await this.agent(agentId, 'RetrieveCall', to, { offerId });
  }

  /** The agent hangs up at `endedAt`; wrap-up runs until `wrappedAt`. */
  async finish(callId: string, agentId: string, offerId: string, endedAt: number, wrappedAt: number): Promise<void> {
    await this.call(callId, 'EndCall', endedAt, { cause: 'NORMAL_CLEARING', hungUpBy: 'agent' });
    await this.agent(agentId, 'StartWrapUp', endedAt, { offerId });
    await this.agent(agentId, 'EndWrapUp', wrappedAt, { offerId, reason: 'agent' });
  }

  /** The caller hangs up while waiting (the decider ends the call too). */
  async abandon(callId: string, at: number): Promise<void> {
    await this.call(callId, 'AbandonCall', at); // CallAbandoned and CallEnded
  }

  /** The caller asks for a callback while waiting; it is scheduled. */
  async callback(callId: string, at: number): Promise<void> {
    await this.call(callId, 'RequestCallback', at);
    await this.call(callId, 'ScheduleCallback', at, { callbackId: `cb-${callId}`, notBefore: at });
  }
}
