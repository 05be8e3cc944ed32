// Commands the call decider accepts. Each carries the CommandEnvelope (commandId, at, actor) and the callId.
import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import {
  agentIdField,
  agentLegFailureCauseSchema,
  atField,
  callbackFailureCauseSchema,
  callIdField,
  channelUuidField,
  customerTierField,
  exitTargetSchema,
  hangupSideSchema,
  ivrInputSchema,
  ivrOutcomeSchema,
  lookupValueSchema,
  offerIdField,
  overflowReasonSchema,
  partySchema,
  phoneNumberField,
  priorityField,
  queueIdField,
  skillRequirementSchema,
  supervisorModeSchema,
  transferTargetSchema,
} from './call-schemas.ts';

const envelope = {
  commandId: z.string().min(1).describe('Unique per command; retries reuse it'),
  at: atField,
  actor: z.string().min(1).optional().describe('agent:<id>, supervisor:<id>, system:<component>, switch:<core-uuid>'),
  callId: callIdField,
};

function command<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ...envelope, ...shape });
}

export const ReceiveCallSchema = command('ReceiveCall', {
  did: phoneNumberField,
  callerNumber: phoneNumberField,
  callerName: z.string().max(128).nullable().default(null),
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
});
export const OriginateCallSchema = command('OriginateCall', {
  destinationNumber: phoneNumberField,
  callerIdNumber: phoneNumberField,
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
  agentId: agentIdField.nullable().default(null),
  campaignId: z.string().min(1).nullable().default(null),
});
export const IdentifyCallerSchema = command('IdentifyCaller', { customerId: z.string().min(1), tier: customerTierField, source: z.enum(['crm', 'ivr', 'agent']) });
export const StartIvrSchema = command('StartIvr', { flowId: z.string().min(1), flowVersion: z.number().int().positive() });
export const EnterIvrNodeSchema = command('EnterIvrNode', { nodeId: z.string().min(1), nodeType: z.string().min(1) });
export const RecordPromptPlayedSchema = command('RecordPromptPlayed', { nodeId: z.string().min(1), promptId: z.string().min(1), bargedIn: z.boolean().default(false) });
export const RecordIvrInputSchema = command('RecordIvrInput', { nodeId: z.string().min(1), input: ivrInputSchema });
export const RecordLookupResultSchema = command('RecordLookupResult', {
  nodeId: z.string().min(1),
  lookup: z.string().min(1),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), values: z.record(z.string(), lookupValueSchema) }),
    z.object({ ok: z.literal(false), reason: z.enum(['timeout', 'not_found', 'error']), message: z.string().nullable().default(null) }),
  ]),
});
export const CompleteIvrSchema = command('CompleteIvr', { outcome: ivrOutcomeSchema });
export const QueueCallSchema = command('QueueCall', { queueId: queueIdField, priority: priorityField, requiredSkills: z.array(skillRequirementSchema).default([]) });
export const ChangeCallPrioritySchema = command('ChangeCallPriority', { priority: priorityField });
export const AnnounceWaitEstimateSchema = command('AnnounceWaitEstimate', {
  estimatedWaitSeconds: z.number().int().nonnegative(),
  positionInQueue: z.number().int().positive().nullable().default(null),
  method: z.string().min(1),
});
export const RequestCallbackSchema = command('RequestCallback', { callbackNumber: phoneNumberField.nullable().default(null).describe('Defaults to the caller number') });
export const ScheduleCallbackSchema = command('ScheduleCallback', { callbackId: z.string().min(1), notBefore: z.number().int().nonnegative() });
export const AttemptCallbackSchema = command('AttemptCallback', { attemptId: z.string().min(1), channelUuid: channelUuidField });
export const CompleteCallbackSchema = command('CompleteCallback', { attemptId: z.string().min(1) });
export const FailCallbackSchema = command('FailCallback', { attemptId: z.string().min(1), cause: callbackFailureCauseSchema, retry: z.boolean() });
export const CancelCallbackSchema = command('CancelCallback', { reason: z.string().min(1) });
export const OfferToAgentSchema = command('OfferToAgent', { agentId: agentIdField, offerId: offerIdField });
export const RecordAgentLegRingingSchema = command('RecordAgentLegRinging', { offerId: offerIdField, channelUuid: channelUuidField });
export const RecordAgentLegAnsweredSchema = command('RecordAgentLegAnswered', { offerId: offerIdField });
export const RecordAgentLegFailedSchema = command('RecordAgentLegFailed', { offerId: offerIdField, cause: agentLegFailureCauseSchema });
export const ConnectCallSchema = command('ConnectCall', { offerId: offerIdField.nullable().default(null).describe('The answered offer; null for an agent-originated outbound call') });
export const HoldCallSchema = command('HoldCall', {});
export const ResumeCallSchema = command('ResumeCall', {});
export const TransferCallSchema = command('TransferCall', { target: transferTargetSchema });
export const StartConsultSchema = command('StartConsult', { consultId: z.string().min(1), target: partySchema });
export const CompleteConsultSchema = command('CompleteConsult', { consultId: z.string().min(1), mode: z.enum(['transfer', 'conference']) });
export const CancelConsultSchema = command('CancelConsult', { consultId: z.string().min(1), reason: z.enum(['requested', 'target_unavailable']).default('requested') });
export const AddConferencePartySchema = command('AddConferenceParty', { partyId: z.string().min(1), party: partySchema });
export const RemoveConferencePartySchema = command('RemoveConferenceParty', { partyId: z.string().min(1), reason: z.enum(['requested', 'hung_up']).default('requested') });
export const JoinSupervisorSchema = command('JoinSupervisor', { supervisorId: z.string().min(1), mode: supervisorModeSchema });
export const LeaveSupervisorSchema = command('LeaveSupervisor', { supervisorId: z.string().min(1) });
export const StartRecordingSchema = command('StartRecording', { recordingId: z.string().min(1) });
export const PauseRecordingSchema = command('PauseRecording', { reason: z.string().min(1).default('requested') });
export const ResumeRecordingSchema = command('ResumeRecording', {});
export const StopRecordingSchema = command('StopRecording', {});
export const AbandonCallSchema = command('AbandonCall', { cause: z.string().min(1).default('ORIGINATOR_CANCEL') });
export const OverflowCallSchema = command('OverflowCall', { reason: overflowReasonSchema, exit: exitTargetSchema });
export const EndCallSchema = command('EndCall', { cause: z.string().min(1), hungUpBy: hangupSideSchema });
export const DispositionCallSchema = command('DispositionCall', { agentId: agentIdField, wrapUpCode: z.string().min(1).max(64), notes: z.string().max(4000).nullable().default(null) });

/** Every call command schema, keyed by nothing: the `type` literal discriminates. */
export const callCommandSchemas = [
  ReceiveCallSchema,
  OriginateCallSchema,
  IdentifyCallerSchema,
  StartIvrSchema,
  EnterIvrNodeSchema,
  RecordPromptPlayedSchema,
  RecordIvrInputSchema,
  RecordLookupResultSchema,
  CompleteIvrSchema,
  QueueCallSchema,
  ChangeCallPrioritySchema,
  AnnounceWaitEstimateSchema,
  RequestCallbackSchema,
  ScheduleCallbackSchema,
  AttemptCallbackSchema,
  CompleteCallbackSchema,
  FailCallbackSchema,
  CancelCallbackSchema,
  OfferToAgentSchema,
  RecordAgentLegRingingSchema,
  RecordAgentLegAnsweredSchema,
  RecordAgentLegFailedSchema,
  ConnectCallSchema,
  HoldCallSchema,
  ResumeCallSchema,
  TransferCallSchema,
  StartConsultSchema,
  CompleteConsultSchema,
  CancelConsultSchema,
  AddConferencePartySchema,
  RemoveConferencePartySchema,
  JoinSupervisorSchema,
  LeaveSupervisorSchema,
  StartRecordingSchema,
  PauseRecordingSchema,
  ResumeRecordingSchema,
  StopRecordingSchema,
  AbandonCallSchema,
  OverflowCallSchema,
  EndCallSchema,
  DispositionCallSchema,
] as const;

export const callCommandSchema = z.discriminatedUnion('type', callCommandSchemas);

/** A validated call command (defaults applied). */
export type CallCommand = z.output<typeof callCommandSchema>;
/** A call command before defaults are applied (what an API accepts). */
export type CallCommandInput = z.input<typeof callCommandSchema>;
export type CallCommandType = CallCommand['type'];
/** The command of one type. */
export type CallCommandOf<T extends CallCommandType> = Extract<CallCommand, { type: T }>;

/** Every command type, in schema order. */
export const CALL_COMMAND_TYPES: readonly CallCommandType[] = callCommandSchemas.map((s) => s.shape.type.value);

/** Validates untrusted input into a CallCommand, or throws VALIDATION_FAILED with the zod issues. */
export function parseCallCommand(input: unknown): CallCommand {
  const r = callCommandSchema.safeParse(input);
  if (!r.success) {
    throw new LedgerlineError('VALIDATION_FAILED', 'Invalid call command', { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return r.data;
}
