// Request and response schemas of the live call-control routes: strict objects, so an unknown field is a 400 with its path.
import { z } from 'zod';
import { commandResultSchema, resourceId } from '../http/schemas.ts';

/** A number the platform may dial: digits with an optional leading `+` (and `*`, `#`), nothing a dial string could misread. */
export const dialableNumber = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'digits, * and #, with an optional leading +, at most 32');

/** A hangup cause as FreeSWITCH names them (`NORMAL_CLEARING`, `CALL_REJECTED`, …). */
const hangupCause = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an upper-case cause such as NORMAL_CLEARING');

const proficiency = z.int().min(1).max(5);
const skillRequirement = z.strictObject({ skill: z.string().min(1).max(100), minProficiency: proficiency });

export const callParams = z.strictObject({ callId: resourceId });
export const partyParams = z.strictObject({ callId: resourceId, partyId: resourceId });

/** Who a consult calls or who joins a conference: an agent of the tenant or an external number. */
export const partyBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('agent'), agentId: resourceId }),
  z.strictObject({ kind: z.literal('external'), number: dialableNumber }),
]);

/** Where a blind transfer sends the call; a queue's priority and skills default to the queue's own rules. */
export const transferTargetBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('queue'),
    queueId: resourceId,
    priority: z.int().min(0).max(999).optional().describe('Default: the queue\'s base priority for the caller\'s tier'),
    requiredSkills: z.array(skillRequirement).max(20).optional().describe('Default: the queue\'s base skill requirements'),
  }),
  z.strictObject({ kind: z.literal('agent'), agentId: resourceId }),
  z.strictObject({ kind: z.literal('external'), number: dialableNumber }),
]);

export const hangupBody = z.strictObject({ cause: hangupCause.optional().describe('Default NORMAL_CLEARING') }).nullish();
export const transferBody = z.strictObject({ target: transferTargetBody });
export const consultBody = z.strictObject({ target: partyBody });
export const completeConsultBody = z
  .strictObject({
    consultId: resourceId.optional().describe('Default: the call\'s active consult'),
    mode: z.enum(['transfer', 'conference']).default('transfer').describe('transfer: hand the call over; conference: join everyone'),
  })
  .nullish();
export const cancelConsultBody = z.strictObject({ consultId: resourceId.optional().describe('Default: the call\'s active consult') }).nullish();
export const conferenceBody = z.strictObject({ party: partyBody });
export const pauseRecordingBody = z.strictObject({ reason: z.string().min(1).max(200).optional().describe('e.g. pci; default requested') }).nullish();
export const supervisorBody = z.strictObject({ mode: z.enum(['listen', 'whisper', 'barge']).describe('listen: silent; whisper: heard by the agent only; barge: heard by all') });

export const originateBody = z.strictObject({
  destinationNumber: dialableNumber.describe('The customer to call'),
  agentId: resourceId.optional().describe('The agent the call is for; agent keys may omit it (their own agent). Omitted by other roles: an agentless call'),
  callerIdNumber: dialableNumber.optional().describe('Default: the platform\'s outbound caller id'),
  campaignId: resourceId.optional(),
});

export const consultResult = commandResultSchema.extend({ consultId: z.string() });
export const partyResult = commandResultSchema.extend({ partyId: z.string() });
export const recordingResult = commandResultSchema.extend({ recordingId: z.string() });
export const transferResult = commandResultSchema.extend({ offerId: z.string().nullable() });
export const originateResult = commandResultSchema.extend({ callId: z.string(), channelUuid: z.string() });
