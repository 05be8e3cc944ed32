// Response schemas of the dashboard and list routes, for the OpenAPI document. They mirror the query layer's types
// (projections/dashboard/dashboard-query.ts); responses are serialised as plain JSON, not through these schemas.
import { z } from 'zod';

const windowMetrics = z.object({
  offered: z.int(),
  answered: z.int(),
  abandoned: z.int(),
  serviceLevel: z.number().nullable().describe('0..1; null without offered calls in the window'),
  serviceLevelFormula: z.string(),
  serviceLevelThresholdSeconds: z.number(),
  asaSeconds: z.number().nullable(),
  ahtSeconds: z.number().nullable(),
  abandonmentRate: z.number().nullable(),
});

export const dashboardQueueSchema = z.object({
  tenant: z.string(),
  queueId: z.string(),
  name: z.string(),
  waiting: z.int(),
  longestWaitMs: z.number(),
  agents: z.object({ available: z.int(), onContact: z.int(), afterCallWork: z.int(), notProductive: z.int(), staffed: z.int() }),
  rolling15: windowMetrics.describe('The last 15 minutes'),
  today: windowMetrics.describe('Since midnight'),
  waitEstimate: z.union([
    z.object({ kind: z.literal('unknown') }),
    z.object({ kind: z.literal('estimate'), expectedSeconds: z.number(), lowSeconds: z.number(), highSeconds: z.number(), confidence: z.enum(['low', 'medium', 'high']) }),
  ]),
  pendingCallbacks: z.int(),
  staffing: z.object({ recommendedAgents: z.int().nullable(), staffedAgents: z.int() }),
});

export const dashboardAgentSchema = z.object({
  tenant: z.string(),
  agentId: z.string(),
  state: z.string(),
  since: z.number().nullable(),
  reasonCode: z.string().nullable(),
  callId: z.string().nullable(),
  callsHandled: z.int(),
  ahtSeconds: z.number().nullable(),
  occupancy: z.number().nullable(),
});

export const dashboardCallSchema = z.object({
  tenant: z.string(),
  callId: z.string(),
  state: z.string(),
  queueId: z.string().nullable(),
  agentId: z.string().nullable(),
  ivrPath: z.array(z.string()),
  arrivedAt: z.number(),
  queuedAt: z.number().nullable(),
  holdMs: z.number(),
  onHold: z.boolean(),
});

export const serviceLevelPointSchema = z.object({ at: z.number(), queueId: z.string(), serviceLevel: z.number().nullable(), abandonmentRate: z.number().nullable() });

export const dashboardSnapshotSchema = z.object({
  tenant: z.string(),
  at: z.number().describe('Epoch ms the snapshot was computed at'),
  position: z.string().nullable().describe('The projections\' checkpoints, opaque: equal strings mean the read models did not move'),
  queues: z.array(dashboardQueueSchema).describe('Empty for agent keys'),
  agents: z.array(dashboardAgentSchema).describe('Only its own agent for an agent key'),
  calls: z.array(dashboardCallSchema).describe('Only its own calls for an agent key'),
  serviceLevelToday: z.array(serviceLevelPointSchema).describe('Today\'s service level and abandonment over time, per queue'),
});

export const queueListSchema = z.object({ at: z.number(), queues: z.array(dashboardQueueSchema) });
export const agentListSchema = z.object({ agents: z.array(dashboardAgentSchema) });
export const callListSchema = z.object({ calls: z.array(dashboardCallSchema) });
