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

function command<T extends string, S extends z.ZodRawShape>(type: T, description: string, shape: S) {
  return z.object({ type: z.literal(type), ...envelope, ...shape }).describe(description);
}

export const ReceiveCallSchema = command('ReceiveCall', 'Record an inbound call the switch handed over (CHANNEL_PARK). Only on an empty stream.', {
  did: phoneNumberField,
  callerNumber: phoneNumberField,
  callerName: z.string().max(128).nullable().default(null),
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
});
export const OriginateCallSchema = command('OriginateCall', 'Record an outbound call the platform dialled, for an agent or agentless. Only on an empty stream.', {
  destinationNumber: phoneNumberField,
  callerIdNumber: phoneNumberField,
  switchId: z.string().min(1),
  channelUuid: channelUuidField,
  agentId: agentIdField.nullable().default(null),
  campaignId: z.string().min(1).nullable().default(null),
});
export const IdentifyCallerSchema = command('IdentifyCaller', 'Attach the CRM customer and tier to a live call.', { customerId: z.string().min(1), tier: customerTierField, source: z.enum(['crm', 'ivr', 'agent']) });
export const StartIvrSchema = command('StartIvr', 'Run a published IVR flow version on an arrived call.', { flowId: z.string().min(1), flowVersion: z.number().int().positive() });
export const EnterIvrNodeSchema = command('EnterIvrNode', 'The IVR interpreter moved to a node.', { nodeId: z.string().min(1), nodeType: z.string().min(1) });
export const RecordPromptPlayedSchema = command('RecordPromptPlayed', 'A prompt finished (or was barged into).', { nodeId: z.string().min(1), promptId: z.string().min(1), bargedIn: z.boolean().default(false) });
export const RecordIvrInputSchema = command('RecordIvrInput', 'The caller gave DTMF digits, a speech intent, or nothing (timeout).', { nodeId: z.string().min(1), input: ivrInputSchema });
export const RecordLookupResultSchema = command('RecordLookupResult', 'A lookup made by the IVR answered or failed.', {
  nodeId: z.string().min(1),
  lookup: z.string().min(1),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), values: z.record(z.string(), lookupValueSchema) }),
    z.object({ ok: z.literal(false), reason: z.enum(['timeout', 'not_found', 'error']), message: z.string().nullable().default(null) }),
  ]),
});
export const CompleteIvrSchema = command('CompleteIvr', 'The IVR flow finished with an outcome; the call is unrouted (arrived) until queued, transferred or ended.', { outcome: ivrOutcomeSchema });
export const QueueCallSchema = command('QueueCall', 'Put an arrived call in a queue (a new queue entry: its place is `at`).', { queueId: queueIdField, priority: priorityField, requiredSkills: z.array(skillRequirementSchema).default([]) });
export const ChangeCallPrioritySchema = command('ChangeCallPriority', 'Change the priority of a call waiting in (or offered from) a queue.', { priority: priorityField });
export const AnnounceWaitEstimateSchema = command('AnnounceWaitEstimate', 'Record the estimated wait announced to a queued caller.', {
  estimatedWaitSeconds: z.number().int().nonnegative(),
  positionInQueue: z.number().int().positive().nullable().default(null),
  method: z.string().min(1),
});
export const RequestCallbackSchema = command('RequestCallback', 'The queued caller asked for a callback; the queue place is kept.', { callbackNumber: phoneNumberField.nullable().default(null).describe('Defaults to the caller number') });
export const ScheduleCallbackSchema = command('ScheduleCallback', 'Schedule the requested callback; the caller leg is released.', { callbackId: z.string().min(1), notBefore: z.number().int().nonnegative() });
export const AttemptCallbackSchema = command('AttemptCallback', 'The agent answered the callback offer: dial the customer back.', { attemptId: z.string().min(1), channelUuid: channelUuidField });
export const CompleteCallbackSchema = command('CompleteCallback', 'The customer answered the callback: the waiting agent is connected next.', { attemptId: z.string().min(1) });
export const FailCallbackSchema = command('FailCallback', 'The callback attempt failed; the agent is released; retry from retryAt, or give up (the call ends).', {
  attemptId: z.string().min(1),
  cause: callbackFailureCauseSchema,
  retry: z.boolean(),
  retryAt: z.number().int().nonnegative().nullable().default(null).describe('When the callback is due again (retry only); null: due at once'),
});
export const CancelCallbackSchema = command('CancelCallback', 'Cancel a requested, scheduled or offered callback; the call ends.', { reason: z.string().min(1) });
export const OfferToAgentSchema = command('OfferToAgent', 'Routing reserved an agent for a queued call.', { agentId: agentIdField, offerId: offerIdField });
export const RecordAgentLegRingingSchema = command('RecordAgentLegRinging', 'The offered agent\'s phone rings.', { offerId: offerIdField, channelUuid: channelUuidField });
export const RecordAgentLegAnsweredSchema = command('RecordAgentLegAnswered', 'The offered agent answered.', { offerId: offerIdField });
export const RecordAgentLegFailedSchema = command('RecordAgentLegFailed', 'The offer failed on the agent side: the call returns to its queue at its place.', { offerId: offerIdField, cause: agentLegFailureCauseSchema });
export const ConnectCallSchema = command('ConnectCall', 'Bridge the customer to the agent who answered (or, outbound, to the originating agent).', { offerId: offerIdField.nullable().default(null).describe('The answered offer; null for an agent-originated outbound call') });
export const HoldCallSchema = command('HoldCall', 'Put the customer on hold.', {});
export const ResumeCallSchema = command('ResumeCall', 'Take the customer off hold.', {});
export const TransferCallSchema = command('TransferCall', 'Blind transfer to a queue, an agent (direct offer) or an external number.', { target: transferTargetSchema });
export const StartConsultSchema = command('StartConsult', 'Start a consultation with an agent or an external number.', { consultId: z.string().min(1), target: partySchema });
export const RecordConsultAnsweredSchema = command('RecordConsultAnswered', 'The consulted party answered (the engine records it from the switch).', { consultId: z.string().min(1) });
export const CompleteConsultSchema = command('CompleteConsult', 'Finish the consultation by handing over the call (transfer) or joining everyone (conference).', { consultId: z.string().min(1), mode: z.enum(['transfer', 'conference']) });
export const CancelConsultSchema = command('CancelConsult', 'Abandon the consultation; the agent keeps the call.', { consultId: z.string().min(1), reason: z.enum(['requested', 'target_unavailable']).default('requested') });
export const AddConferencePartySchema = command('AddConferenceParty', 'Add a third party to a connected call.', { partyId: z.string().min(1), party: partySchema });
export const RemoveConferencePartySchema = command('RemoveConferenceParty', 'Remove a third party from the call.', { partyId: z.string().min(1), reason: z.enum(['requested', 'hung_up']).default('requested') });
export const JoinSupervisorSchema = command('JoinSupervisor', 'A supervisor joins to listen, whisper or barge.', { supervisorId: z.string().min(1), mode: supervisorModeSchema });
export const LeaveSupervisorSchema = command('LeaveSupervisor', 'A supervisor leaves.', { supervisorId: z.string().min(1) });
export const StartRecordingSchema = command('StartRecording', 'Start recording (the customer must be on the line).', { recordingId: z.string().min(1) });
export const PauseRecordingSchema = command('PauseRecording', 'Pause the recording (e.g. PCI).', { reason: z.string().min(1).default('requested') });
export const ResumeRecordingSchema = command('ResumeRecording', 'Resume a paused recording.', {});
export const StopRecordingSchema = command('StopRecording', 'Stop the recording.', {});
export const AbandonCallSchema = command('AbandonCall', 'The caller gave up while waiting (IVR, queue or offer).', { cause: z.string().min(1).default('ORIGINATOR_CANCEL') });
export const OverflowCallSchema = command('OverflowCall', 'A queue limit was hit: send the queued call to its exit target.', { reason: overflowReasonSchema, exit: exitTargetSchema });
export const EndCallSchema = command('EndCall', 'The customer leg hung up (any side). A caller hangup while waiting is classified as an abandon.', { cause: z.string().min(1), hungUpBy: hangupSideSchema });
export const DispositionCallSchema = command('DispositionCall', 'Record the wrap-up code of an ended call, by an agent who handled it.', { agentId: agentIdField, wrapUpCode: z.string().min(1).max(64), notes: z.string().max(4000).nullable().default(null) });

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
  RecordConsultAnsweredSchema,
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
