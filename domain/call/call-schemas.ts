// Field schemas shared by call events and call commands, so a command field and the event field it becomes agree.
import { z } from 'zod';

export const callIdField = z.string().min(1).describe('The call: the stream is `call-<callId>`');
export const atField = z.number().int().nonnegative().describe('Epoch milliseconds when the fact happened (from the command)');
export const agentIdField = z.string().min(1).describe('The agent (stream `agent-<agentId>`)');
export const queueIdField = z.string().min(1).describe('The queue (stream `queue-<queueId>`)');
export const offerIdField = z.string().min(1).describe('One offer of this call to one agent; leg events must name it');
export const channelUuidField = z.string().min(1).describe('FreeSWITCH channel UUID of the leg');
export const durationMsField = z.number().int().nonnegative();
export const phoneNumberField = z.string().min(1).max(64);

/** Customer tier as the CRM names it (`standard`, `gold`, `vip`, …). */
export const customerTierField = z.string().min(1).max(64).describe('Customer tier from the CRM, e.g. standard, gold, vip');

/** Priority on enqueue, 0–999 (jambonz range); higher is served first. */
export const priorityField = z.number().int().min(0).max(999).describe('Caller priority 0–999, higher served first');

export const proficiencySchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

export const skillRequirementSchema = z.object({
  skill: z.string().min(1).describe('Skill name'),
  minProficiency: proficiencySchema.describe('Minimum proficiency 1–5'),
});

export const exitTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: queueIdField }),
  z.object({ kind: z.literal('voicemail'), mailbox: z.string().min(1) }),
  z.object({ kind: z.literal('callback') }),
  z.object({ kind: z.literal('hangup') }),
]);

/** Who hung up: the customer, the handling agent, the platform (IVR, queue exit, supervisor), or the far end of an outbound call. */
export const hangupSideSchema = z.enum(['caller', 'agent', 'system', 'remote']);

export const ivrInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dtmf'), digits: z.string().regex(/^[0-9*#A-D]+$/).describe('DTMF digits as pressed') }),
  z.object({
    kind: z.literal('speech'),
    intent: z.string().min(1).describe('Recognised intent'),
    confidence: z.number().min(0).max(1).describe('Recogniser confidence 0–1'),
    transcript: z.string().optional().describe('What the recogniser heard'),
  }),
  z.object({ kind: z.literal('timeout') }),
]);

export const ivrOutcomeSchema = z.enum(['queue', 'transfer', 'callback', 'self_served', 'hangup', 'error']);

export const lookupValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Where a blind transfer sends the call. */
export const transferTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('queue'),
    queueId: queueIdField,
    priority: priorityField,
    requiredSkills: z.array(skillRequirementSchema),
  }),
  z.object({ kind: z.literal('agent'), agentId: agentIdField, offerId: offerIdField }),
  z.object({ kind: z.literal('external'), number: phoneNumberField }),
]);

/** Who a consult calls, or who joins a conference. */
export const partySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), agentId: agentIdField }),
  z.object({ kind: z.literal('external'), number: phoneNumberField }),
]);

export const supervisorModeSchema = z.enum(['listen', 'whisper', 'barge']).describe('listen: silent; whisper: heard by the agent only; barge: heard by all');

export const agentLegFailureCauseSchema = z.enum(['no_answer', 'rejected', 'busy', 'unreachable', 'agent_unavailable', 'error']);

export const overflowReasonSchema = z.enum(['max_wait', 'max_queue_length', 'no_agents', 'closed']);

export const callbackFailureCauseSchema = z.enum(['no_answer', 'busy', 'unreachable', 'rejected', 'error']);

export type SkillRequirementData = z.infer<typeof skillRequirementSchema>;
export type ExitTargetData = z.infer<typeof exitTargetSchema>;
export type TransferTarget = z.infer<typeof transferTargetSchema>;
export type Party = z.infer<typeof partySchema>;
export type SupervisorMode = z.infer<typeof supervisorModeSchema>;
export type HangupSide = z.infer<typeof hangupSideSchema>;
