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

export const ReceiveCall = command('ReceiveCall', {
  did: phoneNumberField,
  callerNumber: phoneNumberField,
  callerName: z.string().max(128).nullable().default(null),
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
});
export const OriginateCall = command('OriginateCall', {
  destinationNumber: phoneNumberField,
  callerIdNumber: phoneNumberField,
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
  agentId: agentIdField.nullable().default(null),
  campaignId: z.string().min(1).nullable().default(null),
});
export const IdentifyCaller = command('IdentifyCaller', { customerId: z.string().min(1), tier: customerTierField, source: z.enum(['crm', 'ivr', 'agent']) });
export const StartIvr = command('StartIvr', { flowId: z.string().min(1), flowVersion: z.number().int().positive() });
export const EnterIvrNode = command('EnterIvrNode', { nodeId: z.string().min(1), nodeType: z.string().min(1) });
export const RecordPromptPlayed = command('RecordPromptPlayed', { nodeId: z.string().min(1), promptId: z.string().min(1), bargedIn: z.boolean().default(false) });
export const RecordIvrInput = command('RecordIvrInput', { nodeId: z.string().min(1), input: ivrInputSchema });
export const RecordLookupResult = command('RecordLookupResult', {
  nodeId: z.string().min(1),
  lookup: z.string().min(1),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), values: z.record(z.string(), lookupValueSchema) }),
    z.object({ ok: z.literal(false), reason: z.enum(['timeout', 'not_found', 'error']), message: z.string().nullable().default(null) }),
  ]),
});
export const CompleteIvr = command('CompleteIvr', { outcome: ivrOutcomeSchema });
export const QueueCall = command('QueueCall', { queueId: queueIdField, priority: priorityField, requiredSkills: z.array(skillRequirementSchema).default([]) });
export const ChangeCallPriority = command('ChangeCallPriority', { priority: priorityField });
export const AnnounceWaitEstimate = command('AnnounceWaitEstimate', {
  estimatedWaitSeconds: z.number().int().nonnegative(),
  positionInQueue: z.number().int().positive().nullable().default(null),
  method: z.string().min(1),
});
export const RequestCallback = command('RequestCallback', { callbackNumber: phoneNumberField.nullable().default(null).describe('Defaults to the caller number') });
export const ScheduleCallback = command('ScheduleCallback', { callbackId: z.string().min(1), notBefore: z.number().int().nonnegative() });
export const AttemptCallback = command('AttemptCallback', { attemptId: z.string().min(1), channelUuid: channelUuidField });
export const CompleteCallback = command('CompleteCallback', { attemptId: z.string().min(1) });
export const FailCallback = command('FailCallback', { attemptId: z.string().min(1), cause: callbackFailureCauseSchema, retry: z.boolean() });
export const CancelCallback = command('CancelCallback', { reason: z.string().min(1) });
export const OfferToAgent = command('OfferToAgent', { agentId: agentIdField, offerId: offerIdField });
export const RecordAgentLegRinging = command('RecordAgentLegRinging', { offerId: offerIdField, channelUuid: channelUuidField });
export const RecordAgentLegAnswered = command('RecordAgentLegAnswered', { offerId: offerIdField });
export const RecordAgentLegFailed = command('RecordAgentLegFailed', { offerId: offerIdField, cause: agentLegFailureCauseSchema });
export const ConnectCall = command('ConnectCall', { offerId: offerIdField.nullable().default(null).describe('The answered offer; null for an agent-originated outbound call') });
export const HoldCall = command('HoldCall', {});
export const ResumeCall = command('ResumeCall', {});
export const TransferCall = command('TransferCall', { target: transferTargetSchema });
export const StartConsult = command('StartConsult', { consultId: z.string().min(1), target: partySchema });
export const CompleteConsult = command('CompleteConsult', { consultId: z.string().min(1), mode: z.enum(['transfer', 'conference']) });
export const CancelConsult = command('CancelConsult', { consultId: z.string().min(1), reason: z.enum(['requested', 'target_unavailable']).default('requested') });
export const AddConferenceParty = command('AddConferenceParty', { partyId: z.string().min(1), party: partySchema });
export const RemoveConferenceParty = command('RemoveConferenceParty', { partyId: z.string().min(1), reason: z.enum(['requested', 'hung_up']).default('requested') });
export const JoinSupervisor = command('JoinSupervisor', { supervisorId: z.string().min(1), mode: supervisorModeSchema });
export const LeaveSupervisor = command('LeaveSupervisor', { supervisorId: z.string().min(1) });
export const StartRecording = command('StartRecording', { recordingId: z.string().min(1) });
export const PauseRecording = command('PauseRecording', { reason: z.string().min(1).default('requested') });
export const ResumeRecording = command('ResumeRecording', {});
export const StopRecording = command('StopRecording', {});
export const AbandonCall = command('AbandonCall', { cause: z.string().min(1).default('ORIGINATOR_CANCEL') });
export const OverflowCall = command('OverflowCall', { reason: overflowReasonSchema, exit: exitTargetSchema });
export const EndCall = command('EndCall', { cause: z.string().min(1), hungUpBy: hangupSideSchema });
export const DispositionCall = command('DispositionCall', { agentId: agentIdField, wrapUpCode: z.string().min(1).max(64), notes: z.string().max(4000).nullable().default(null) });

/** Every call command schema, keyed by nothing: the `type` literal discriminates. */
export const callCommandSchemas = [
  ReceiveCall,
  OriginateCall,
  IdentifyCaller,
  StartIvr,
  EnterIvrNode,
  RecordPromptPlayed,
  RecordIvrInput,
  RecordLookupResult,
  CompleteIvr,
  QueueCall,
  ChangeCallPriority,
  AnnounceWaitEstimate,
  RequestCallback,
  ScheduleCallback,
  AttemptCallback,
  CompleteCallback,
  FailCallback,
  CancelCallback,
  OfferToAgent,
  RecordAgentLegRinging,
  RecordAgentLegAnswered,
  RecordAgentLegFailed,
  ConnectCall,
  HoldCall,
  ResumeCall,
  TransferCall,
  StartConsult,
  CompleteConsult,
  CancelConsult,
  AddConferenceParty,
  RemoveConferenceParty,
  JoinSupervisor,
  LeaveSupervisor,
  StartRecording,
  PauseRecording,
  ResumeRecording,
  StopRecording,
  AbandonCall,
  OverflowCall,
  EndCall,
  DispositionCall,
] as const;

export const callCommandSchema = z.discriminatedUnion('type', callCommandSchemas);

/** A validated call command (defaults applied). */
export type CallCommand = z.output<typeof callCommandSchema>;
export type CallCommandType = CallCommand['type'];

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
