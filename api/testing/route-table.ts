// Every /v1 route with the permission it requires and a well-formed request, for the role-matrix and docs tests.
import { COMMAND, SETTINGS } from '../../domain/queue/queue-fixtures.ts';
import { SECTION_COMMANDS, type SectionCommandType } from '../../domain/queue/queue-commands.ts';
import type { Permission } from '../auth/roles.ts';
import { SECTION_SEGMENTS } from '../routes/queues.ts';

export interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The route pattern as fastify and OpenAPI name it (`:param`). */
  readonly pattern: string;
  /** A concrete URL (agent routes name agent `a1`, which agent keys in tests act as). */
  readonly url: string;
  readonly permission: Permission;
  readonly body?: unknown;
}

/** A flow that passes validation. */
export const SIMPLE_FLOW = (id: string, name = 'Main') => ({ id, name, start: 'bye', defaultLanguage: 'en', nodes: { bye: { kind: 'hangup', reason: 'self_served' } } });

const sectionCases: RouteCase[] = (Object.keys(SECTION_SEGMENTS) as SectionCommandType[]).map((type) => {
  const key = SECTION_COMMANDS[type].key;
  return {
    method: 'PUT',
    pattern: `/v1/queues/:queueId/${SECTION_SEGMENTS[type]}`,
    url: `/v1/queues/sales/${SECTION_SEGMENTS[type]}`,
    permission: 'queues.write',
    body: { [key]: (COMMAND[type] as unknown as Record<string, unknown>)[key] },
  };
});

/** The live call-control routes, on call `c-1`, each with a well-formed request. */
export const CALL_CONTROL_ROUTES: readonly RouteCase[] = [
  { method: 'POST', pattern: '/v1/calls', url: '/v1/calls', permission: 'calls.originate', body: { destinationNumber: '+15551230000' } },
  { method: 'POST', pattern: '/v1/calls/:callId/hold', url: '/v1/calls/c-1/hold', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/resume', url: '/v1/calls/c-1/resume', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/hangup', url: '/v1/calls/c-1/hangup', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/transfer', url: '/v1/calls/c-1/transfer', permission: 'calls.control', body: { target: { kind: 'external', number: '+15559870000' } } },
  { method: 'POST', pattern: '/v1/calls/:callId/consult', url: '/v1/calls/c-1/consult', permission: 'calls.control', body: { target: { kind: 'agent', agentId: 'a2' } } },
  { method: 'POST', pattern: '/v1/calls/:callId/consult/complete', url: '/v1/calls/c-1/consult/complete', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/consult/cancel', url: '/v1/calls/c-1/consult/cancel', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/conference', url: '/v1/calls/c-1/conference', permission: 'calls.control', body: { party: { kind: 'external', number: '+15559870001' } } },
  { method: 'DELETE', pattern: '/v1/calls/:callId/conference/:partyId', url: '/v1/calls/c-1/conference/p-1', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/recording/start', url: '/v1/calls/c-1/recording/start', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/recording/pause', url: '/v1/calls/c-1/recording/pause', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/recording/resume', url: '/v1/calls/c-1/recording/resume', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/recording/stop', url: '/v1/calls/c-1/recording/stop', permission: 'calls.control' },
  { method: 'POST', pattern: '/v1/calls/:callId/supervisor', url: '/v1/calls/c-1/supervisor', permission: 'calls.supervise', body: { mode: 'listen' } },
  { method: 'DELETE', pattern: '/v1/calls/:callId/supervisor', url: '/v1/calls/c-1/supervisor', permission: 'calls.supervise' },
];

export const ROUTES: readonly RouteCase[] = [
  { method: 'POST', pattern: '/v1/keys', url: '/v1/keys', permission: 'keys.manage', body: { role: 'auditor', name: 'matrix' } },
  { method: 'GET', pattern: '/v1/keys', url: '/v1/keys', permission: 'keys.read' },
  { method: 'DELETE', pattern: '/v1/keys/:keyId', url: `/v1/keys/${'0'.repeat(20)}`, permission: 'keys.manage' },
  { method: 'POST', pattern: '/v1/agents/:agentId/login', url: '/v1/agents/a1/login', permission: 'agents.operate', body: { skills: [{ skill: 'en', proficiency: 3 }], capacity: { voice: 1 } } },
  { method: 'POST', pattern: '/v1/agents/:agentId/ready', url: '/v1/agents/a1/ready', permission: 'agents.operate' },
  { method: 'POST', pattern: '/v1/agents/:agentId/not-ready', url: '/v1/agents/a1/not-ready', permission: 'agents.operate', body: { reasonCode: 'lunch' } },
  { method: 'POST', pattern: '/v1/agents/:agentId/logout', url: '/v1/agents/a1/logout', permission: 'agents.operate' },
  { method: 'POST', pattern: '/v1/agents/:agentId/forced-state', url: '/v1/agents/a1/forced-state', permission: 'agents.force', body: { to: 'ready' } },
  { method: 'GET', pattern: '/v1/agents/:agentId', url: '/v1/agents/a1', permission: 'agents.read' },
  { method: 'POST', pattern: '/v1/queues', url: '/v1/queues', permission: 'queues.write', body: { queueId: 'sales', settings: SETTINGS } },
  ...sectionCases,
  { method: 'POST', pattern: '/v1/queues/:queueId/agents', url: '/v1/queues/sales/agents', permission: 'queues.write', body: { agents: [{ agentId: 'a2', priority: 1 }] } },
  { method: 'POST', pattern: '/v1/queues/:queueId/agents/unassign', url: '/v1/queues/sales/agents/unassign', permission: 'queues.write', body: { agentIds: ['a2'] } },
  { method: 'DELETE', pattern: '/v1/queues/:queueId', url: '/v1/queues/sales', permission: 'queues.write' },
  { method: 'GET', pattern: '/v1/queues/:queueId', url: '/v1/queues/sales', permission: 'queues.read' },
  { method: 'PUT', pattern: '/v1/ivr-flows/:flowId/draft', url: '/v1/ivr-flows/main/draft', permission: 'flows.write', body: { flow: SIMPLE_FLOW('main') } },
  { method: 'POST', pattern: '/v1/ivr-flows/:flowId/publish', url: '/v1/ivr-flows/main/publish', permission: 'flows.write' },
  { method: 'POST', pattern: '/v1/ivr-flows/:flowId/retire', url: '/v1/ivr-flows/main/retire', permission: 'flows.write' },
  { method: 'GET', pattern: '/v1/ivr-flows/:flowId', url: '/v1/ivr-flows/main', permission: 'flows.read' },
  { method: 'GET', pattern: '/v1/ivr-flows/:flowId/versions/:version', url: '/v1/ivr-flows/main/versions/1', permission: 'flows.read' },
  { method: 'POST', pattern: '/v1/agents/:agentId/state', url: '/v1/agents/a1/state', permission: 'agents.force', body: { to: 'not_ready', reasonCode: 'coaching' } },
  { method: 'GET', pattern: '/v1/ivr-flows', url: '/v1/ivr-flows', permission: 'flows.read' },
  { method: 'POST', pattern: '/v1/calls/:callId/disposition', url: '/v1/calls/c-1/disposition', permission: 'calls.disposition', body: { wrapUpCode: 'SALE' } },
  ...CALL_CONTROL_ROUTES,
];
