// Every event of the `call-<callId>` stream: one customer interaction from arrival to wrap-up.
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import {
  agentIdField,
  agentLegFailureCauseSchema,
  atField,
  callbackFailureCauseSchema,
  callIdField,
  channelUuidField,
  customerTierField,
  durationMsField,
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

const category = 'call';
const base = { callId: callIdField, at: atField };

export const CallArrived = defineEvent({
  type: 'CallArrived',
  category,
  version: 2,
  description: 'An inbound call reached the platform (the switch parked it and handed it to us).',
  schema: z.object({
    ...base,
    did: phoneNumberField.describe('The number the customer dialled (DID/DNIS)'),
    callerNumber: phoneNumberField.describe('The customer number (ANI / caller id number)'),
    callerName: z.string().max(128).nullable().describe('Caller id name, when the network sent one'),
    switchId: z.string().min(1).describe('The FreeSWITCH core that owns the customer leg'),
    channelUuid: channelUuidField.describe('Channel UUID of the customer leg'),
  }),
  upcasters: {
    // v1 used telephony jargon (`ani`, `dnis`) and had no caller name.
    1: (data) => {
      const { ani, dnis, ...rest } = data as Record<string, unknown>;
      return { ...rest, callerNumber: ani, did: dnis, callerName: rest['callerName'] ?? null };
    },
  },
});

export const CallOriginated = defineEvent({
  type: 'CallOriginated',
  category,
  description: 'The platform dialled a customer (agent-initiated outbound, or an agentless campaign when agentId is null).',
  schema: z.object({
    ...base,
    destinationNumber: phoneNumberField.describe('The customer number dialled'),
    callerIdNumber: phoneNumberField.describe('The caller id presented to the customer'),
    switchId: z.string().min(1).describe('The FreeSWITCH core that places the call'),
    channelUuid: channelUuidField.describe('Channel UUID of the customer leg'),
    agentId: agentIdField.nullable().describe('The agent the call is for; null for agentless or predictive dialling'),
    campaignId: z.string().min(1).nullable().describe('The outbound campaign, if any'),
  }),
});

export const CallerIdentified = defineEvent({
  type: 'CallerIdentified',
  category,
  description: 'The customer behind the call is known (CRM match by number, IVR authentication, or the agent).',
  schema: z.object({
    ...base,
    customerId: z.string().min(1).describe('CRM customer id'),
    tier: customerTierField,
    source: z.enum(['crm', 'ivr', 'agent']).describe('Who identified the caller'),
  }),
});

export const IvrStarted = defineEvent({
  type: 'IvrStarted',
  category,
  description: 'The call entered an IVR flow, pinned to one published version of it.',
  schema: z.object({
    ...base,
    flowId: z.string().min(1).describe('The IVR flow (stream `ivrflow-<flowId>`)'),
    flowVersion: z.number().int().positive().describe('The published flow version this call runs, fixed for the whole IVR session'),
  }),
});

export const IvrNodeEntered = defineEvent({
  type: 'IvrNodeEntered',
  category,
  description: 'The IVR interpreter moved the call to a node.',
  schema: z.object({ ...base, nodeId: z.string().min(1).describe('Node id within the flow version'), nodeType: z.string().min(1).describe('Node kind: menu, prompt, lookup, queue, …') }),
});

export const IvrPromptPlayed = defineEvent({
  type: 'IvrPromptPlayed',
  category,
  description: 'A prompt finished playing to the caller (or was interrupted by input).',
  schema: z.object({
    ...base,
    nodeId: z.string().min(1).describe('Node that played it'),
    promptId: z.string().min(1).describe('Prompt (audio or TTS) id'),
    bargedIn: z.boolean().describe('True when caller input interrupted the prompt'),
  }),
});

export const IvrInputReceived = defineEvent({
  type: 'IvrInputReceived',
  category,
  description: 'The caller answered an IVR node: DTMF digits, a recognised speech intent with its confidence, or nothing (timeout).',
  schema: z.object({ ...base, nodeId: z.string().min(1).describe('Node that collected the input'), input: ivrInputSchema.describe('What the caller gave') }),
});

export const IvrLookupAnswered = defineEvent({
  type: 'IvrLookupAnswered',
  category,
  description: 'A data lookup made by the IVR (CRM, account balance, …) returned values.',
  schema: z.object({
    ...base,
    nodeId: z.string().min(1).describe('Lookup node'),
    lookup: z.string().min(1).describe('Which lookup ran'),
    values: z.record(z.string(), lookupValueSchema).describe('Flat values the flow may branch on'),
  }),
});

export const IvrLookupFailed = defineEvent({
  type: 'IvrLookupFailed',
  category,
  description: 'A data lookup made by the IVR failed; the flow takes its failure branch.',
  schema: z.object({
    ...base,
    nodeId: z.string().min(1).describe('Lookup node'),
    lookup: z.string().min(1).describe('Which lookup ran'),
    reason: z.enum(['timeout', 'not_found', 'error']).describe('Why it failed'),
    message: z.string().nullable().describe('Diagnostic text, never shown to the caller'),
  }),
});

export const IvrCompleted = defineEvent({
  type: 'IvrCompleted',
  category,
  description: 'The IVR flow finished; the outcome says what the flow decided next.',
  schema: z.object({
    ...base,
    flowId: z.string().min(1).describe('The flow that ran'),
    outcome: ivrOutcomeSchema.describe('queue | transfer | callback | self_served | hangup | error'),
    durationMs: durationMsField.describe('Time spent in the IVR (IvrStarted to now)'),
  }),
});

export const CallQueued = defineEvent({
  type: 'CallQueued',
  category,
  description: 'The call entered a queue (a new queue entry: routing, transfer or overflow). Its place is `at` and survives failed offers and callbacks.',
  schema: z.object({
    ...base,
    queueId: queueIdField,
    priority: priorityField,
    requiredSkills: z.array(skillRequirementSchema).describe('Skills the call needs at the start; relaxation is applied by routing'),
    reason: z.enum(['routed', 'transferred', 'overflowed']).describe('Why the call entered this queue'),
  }),
});

export const CallPriorityChanged = defineEvent({
  type: 'CallPriorityChanged',
  category,
  description: 'The priority of a waiting call changed; routing applies it to the caller already waiting.',
  schema: z.object({ ...base, queueId: queueIdField, from: priorityField.describe('Previous priority'), to: priorityField.describe('New priority') }),
});

export const WaitEstimateAnnounced = defineEvent({
  type: 'WaitEstimateAnnounced',
  category,
  description: 'The caller was told an estimated wait time (and position).',
  schema: z.object({
    ...base,
    queueId: queueIdField,
    estimatedWaitSeconds: z.number().int().nonnegative().describe('The estimate announced, in seconds'),
    positionInQueue: z.number().int().positive().nullable().describe('1-based position announced, if any'),
    method: z.string().min(1).describe('Estimator that produced it, for later accuracy checks'),
  }),
});

export const CallbackRequested = defineEvent({
  type: 'CallbackRequested',
  category,
  description: 'The caller asked to be called back instead of waiting; the call keeps its queue place.',
  schema: z.object({
    ...base,
    callbackNumber: phoneNumberField.describe('Number to call back'),
    queueId: queueIdField.describe('Queue whose place is kept (an IVR that offers callbacks queues the call first)'),
    requestedIn: z.enum(['queue', 'overflow']).describe('queue: the caller asked while waiting; overflow: a queue exit turned into a callback'),
  }),
});

export const CallbackScheduled = defineEvent({
  type: 'CallbackScheduled',
  category,
  description: 'A callback was scheduled; the original caller leg is released from here on.',
  schema: z.object({
    ...base,
    callbackId: z.string().min(1).describe('Id of the callback'),
    notBefore: z.number().int().nonnegative().describe('Epoch ms before which no attempt is made'),
    queueId: queueIdField.describe('Queue whose place is kept'),
  }),
});

export const CallbackAttempted = defineEvent({
  type: 'CallbackAttempted',
  category,
  description: 'The agent who took the callback offer answered; the platform dials the customer back (the offer stays open).',
  schema: z.object({
    ...base,
    callbackId: z.string().min(1),
    attemptId: z.string().min(1).describe('Id of this dial attempt'),
    attempt: z.number().int().positive().describe('1 for the first attempt'),
    number: phoneNumberField.describe('Number dialled'),
    channelUuid: channelUuidField.describe('Channel UUID of the new customer leg'),
  }),
});

export const CallbackCompleted = defineEvent({
  type: 'CallbackCompleted',
  category,
  description: 'The customer answered the callback; the agent who answered the offer is bridged to them next (CallConnected follows).',
  schema: z.object({ ...base, callbackId: z.string().min(1), attemptId: z.string().min(1), queueId: queueIdField }),
});

export const CallbackFailed = defineEvent({
  type: 'CallbackFailed',
  category,
  version: 2,
  description: 'A callback attempt failed (the customer did not answer); the agent is released, and either the callback is due again at retryAt or it is given up.',
  schema: z.object({
    ...base,
    callbackId: z.string().min(1),
    attemptId: z.string().min(1),
    cause: callbackFailureCauseSchema.describe('Why the attempt failed'),
    willRetry: z.boolean().describe('False when this was the last attempt (CallEnded follows)'),
    retryAt: z.number().int().nonnegative().nullable().describe('Epoch ms from which the callback is offered to an agent again; null when no retry'),
  }),
  upcasters: {
    // v1 had no retryAt: the next attempt was a durable timer of the engine's. Due at once is the nearest reading.
    1: (data) => {
      const d = data as Record<string, unknown>;
      return { ...d, retryAt: d['willRetry'] === true ? d['at'] : null };
    },
  },
});

export const CallbackCancelled = defineEvent({
  type: 'CallbackCancelled',
  category,
  description: 'A pending callback was cancelled (by the customer, a supervisor or a rule); CallEnded follows.',
  schema: z.object({ ...base, callbackId: z.string().min(1).nullable().describe('Null when cancelled before scheduling'), reason: z.string().min(1).describe('Why') }),
});

export const CallOfferedToAgent = defineEvent({
  type: 'CallOfferedToAgent',
  category,
  description: 'Routing reserved an agent for the call (Twilio: reservation pending); the agent leg is about to be dialled.',
  schema: z.object({
    ...base,
    agentId: agentIdField,
    offerId: offerIdField,
    queueId: queueIdField.nullable().describe('Queue the call waits in; null for a direct transfer of a call never queued'),
    offerNumber: z.number().int().positive().describe('1 for the first offer of this call, 2 after one failed offer, …'),
    callback: z.literal(true).optional().describe('Present on a callback offer: the customer is not on the line, and is dialled once the agent answers'),
  }),
});

export const AgentLegRinging = defineEvent({
  type: 'AgentLegRinging',
  category,
  description: "The agent's phone is ringing for this offer.",
  schema: z.object({
    ...base,
    offerId: offerIdField,
    agentId: agentIdField,
    channelUuid: channelUuidField.describe('Channel UUID of the agent leg'),
    callback: z.literal(true).optional().describe('Present on a callback offer (the customer is not on the line)'),
  }),
});

export const AgentLegAnswered = defineEvent({
  type: 'AgentLegAnswered',
  category,
  description: 'The agent answered; the bridge to the customer follows (CallConnected).',
  schema: z.object({ ...base, offerId: offerIdField, agentId: agentIdField, ringMs: durationMsField.describe('From the offer to the answer') }),
});

export const AgentLegFailed = defineEvent({
  type: 'AgentLegFailed',
  category,
  description:
    'The offer failed on the agent side; the call goes back to its queue keeping its original place (or to unrouted when it has no queue; or, for a callback offer, to callback_pending at its place).',
  schema: z.object({
    ...base,
    offerId: offerIdField,
    agentId: agentIdField,
    cause: agentLegFailureCauseSchema.describe('no_answer | rejected | busy | unreachable | agent_unavailable | error'),
    returnedTo: z
      .enum(['queue', 'unrouted', 'callback'])
      .describe('queue: waiting again at its original place; unrouted: back to arrived; callback: a callback offer, owed again at its place (callback_pending)'),
  }),
});

export const CallOfferCancelled = defineEvent({
  type: 'CallOfferCancelled',
  category,
  description:
    'An open offer was withdrawn because the call ended (the caller hung up during the offer), or, for a callback offer, because the customer did not answer the dial-back (CallbackFailed follows); the agent is free again (after wrap-up when they had answered).',
  schema: z.object({ ...base, offerId: offerIdField, agentId: agentIdField, reason: z.enum(['caller_hung_up', 'call_ended', 'callback_failed']) }),
});

export const CallConnected = defineEvent({
  type: 'CallConnected',
  category,
  description: 'The customer and the agent are bridged: talk time starts. The first one is the answer time metrics use.',
  schema: z.object({
    ...base,
    agentId: agentIdField,
    offerId: offerIdField.nullable().describe('Null for an outbound call the agent originated'),
    queueId: queueIdField.nullable().describe('Queue the call was answered from, if any'),
    waitMs: durationMsField.nullable().describe('Queue time of this answer: from the queue entry (original place) to now; null if never queued'),
  }),
});

export const CallHeld = defineEvent({
  type: 'CallHeld',
  category,
  description: 'The agent put the customer on hold.',
  schema: z.object({ ...base, agentId: agentIdField }),
});

export const CallResumed = defineEvent({
  type: 'CallResumed',
  category,
  description: 'The customer is off hold.',
  schema: z.object({ ...base, agentId: agentIdField, holdMs: durationMsField.describe('Length of the hold that just ended') }),
});

export const CallTransferred = defineEvent({
  type: 'CallTransferred',
  category,
  description: "Blind transfer: the agent sent the call elsewhere and left it. The departing agent's talk and hold are closed here.",
  schema: z.object({
    ...base,
    fromAgentId: agentIdField.describe('Agent who transferred'),
    target: transferTargetSchema.describe('queue (CallQueued follows), agent (CallOfferedToAgent follows) or external (CallEnded follows)'),
    talkMs: durationMsField.describe("Departing agent's talk time on this call"),
    holdMs: durationMsField.describe("Departing agent's hold time on this call"),
  }),
});

export const ConsultStarted = defineEvent({
  type: 'ConsultStarted',
  category,
  description: 'The agent started a consultation call (attended transfer or conference to come).',
  schema: z.object({ ...base, consultId: z.string().min(1), agentId: agentIdField.describe('Consulting agent'), target: partySchema.describe('Who is consulted') }),
});

export const ConsultAnswered = defineEvent({
  type: 'ConsultAnswered',
  category,
  description: 'The consulted party answered: the consulting agent talks to them while the customer waits.',
  schema: z.object({ ...base, consultId: z.string().min(1), ringMs: durationMsField.describe('From the consult start to the answer') }),
});

export const ConsultCompleted = defineEvent({
  type: 'ConsultCompleted',
  category,
  description: 'The consultation ended by handing over the call (transfer) or by joining everyone (conference).',
  schema: z.object({
    ...base,
    consultId: z.string().min(1),
    mode: z.enum(['transfer', 'conference']).describe('transfer: the target now handles the call; conference: the target joins as a party'),
    target: partySchema,
    fromAgentId: agentIdField,
    talkMs: durationMsField.describe("Departing agent's talk time (transfer only; 0 for conference)"),
    holdMs: durationMsField.describe("Departing agent's hold time (transfer only; 0 for conference)"),
  }),
});

export const ConsultCancelled = defineEvent({
  type: 'ConsultCancelled',
  category,
  description: 'The consultation was abandoned; the original agent keeps the call.',
  schema: z.object({ ...base, consultId: z.string().min(1), reason: z.enum(['requested', 'target_unavailable', 'call_ended', 'agent_left']) }),
});

export const ConferencePartyAdded = defineEvent({
  type: 'ConferencePartyAdded',
  category,
  description: 'A third party joined the call.',
  schema: z.object({ ...base, partyId: z.string().min(1), party: partySchema }),
});

export const ConferencePartyRemoved = defineEvent({
  type: 'ConferencePartyRemoved',
  category,
  description: 'A third party left the call.',
  schema: z.object({ ...base, partyId: z.string().min(1), reason: z.enum(['requested', 'hung_up', 'call_ended', 'agent_left']) }),
});

export const SupervisorJoined = defineEvent({
  type: 'SupervisorJoined',
  category,
  description: 'A supervisor joined the call to listen, whisper to the agent, or barge in.',
  schema: z.object({ ...base, supervisorId: z.string().min(1), mode: supervisorModeSchema }),
});

export const SupervisorLeft = defineEvent({
  type: 'SupervisorLeft',
  category,
  description: 'A supervisor left the call.',
  schema: z.object({ ...base, supervisorId: z.string().min(1), reason: z.enum(['requested', 'call_ended', 'agent_left']) }),
});

export const RecordingStarted = defineEvent({
  type: 'RecordingStarted',
  category,
  description: 'Recording of the call started.',
  schema: z.object({ ...base, recordingId: z.string().min(1).describe('Id of the recording file') }),
});

export const RecordingPaused = defineEvent({
  type: 'RecordingPaused',
  category,
  description: 'Recording paused (e.g. while card details are read: PCI).',
  schema: z.object({ ...base, recordingId: z.string().min(1), reason: z.string().min(1).describe('Why, e.g. pci') }),
});

export const RecordingResumed = defineEvent({
  type: 'RecordingResumed',
  category,
  description: 'Recording resumed after a pause.',
  schema: z.object({ ...base, recordingId: z.string().min(1) }),
});

export const RecordingStopped = defineEvent({
  type: 'RecordingStopped',
  category,
  description: 'Recording stopped; the file is complete.',
  schema: z.object({ ...base, recordingId: z.string().min(1), reason: z.enum(['requested', 'caller_left', 'call_ended']).describe('caller_left: the caller was released for a callback') }),
});

export const CallAbandoned = defineEvent({
  type: 'CallAbandoned',
  category,
  description: 'The caller hung up while waiting, in the IVR or in queue (an offer in progress counts as in queue). CallEnded follows.',
  schema: z.object({
    ...base,
    where: z.enum(['ivr', 'queue']).describe('ivr: during the IVR; queue: waiting or being offered'),
    queueId: queueIdField.nullable().describe('Queue abandoned, when in queue'),
    waitMs: durationMsField.describe('In queue: from the queue entry (original place); in IVR: from IvrStarted (from arrival when the IVR had not started)'),
  }),
});

export const CallOverflowed = defineEvent({
  type: 'CallOverflowed',
  category,
  description: 'A queue limit was hit and the call left its queue for its exit target.',
  schema: z.object({
    ...base,
    fromQueueId: queueIdField,
    reason: overflowReasonSchema.describe('Which limit'),
    exit: exitTargetSchema.describe('Where the call goes: another queue (CallQueued follows), voicemail, callback or hangup (CallEnded follows)'),
    waitMs: durationMsField.describe('Time spent in the queue left'),
  }),
});

export const CallEnded = defineEvent({
  type: 'CallEnded',
  category,
  description: "The interaction is over on the phone. Totals for metrics: talk and hold (excluding wrap-up, which is the agent's).",
  schema: z.object({
    ...base,
    cause: z.string().min(1).describe('Hangup cause (switch cause such as NORMAL_CLEARING, or a platform cause)'),
    hungUpBy: hangupSideSchema.describe('caller | agent | system | remote'),
    agentId: agentIdField.nullable().describe('Agent handling the call at the end, if any'),
    queueId: queueIdField.nullable().describe('Last queue the call was in, if any'),
    answered: z.boolean().describe('True when the call was ever connected to an agent'),
    talkMs: durationMsField.describe('Total time connected and not on hold, all agents'),
    holdMs: durationMsField.describe('Total time on hold, all agents'),
    durationMs: durationMsField.describe('From arrival or origination to the end'),
  }),
});

export const CallDispositioned = defineEvent({
  type: 'CallDispositioned',
  category,
  description: 'The agent recorded the wrap-up code (and notes) for the call.',
  schema: z.object({
    ...base,
    agentId: agentIdField.describe('Agent who recorded it (one who handled the call)'),
    wrapUpCode: z.string().min(1).max(64).describe('Wrap-up (disposition) code'),
    notes: z.string().max(4000).nullable().describe('Free-text notes'),
  }),
});

/** Every call event definition, in the order of a call's life. */
export const callEvents = [
  CallArrived,
  CallOriginated,
  CallerIdentified,
  IvrStarted,
  IvrNodeEntered,
  IvrPromptPlayed,
  IvrInputReceived,
  IvrLookupAnswered,
  IvrLookupFailed,
  IvrCompleted,
  CallQueued,
  CallPriorityChanged,
  WaitEstimateAnnounced,
  CallbackRequested,
  CallbackScheduled,
  CallbackAttempted,
  CallbackCompleted,
  CallbackFailed,
  CallbackCancelled,
  CallOfferedToAgent,
  AgentLegRinging,
  AgentLegAnswered,
  AgentLegFailed,
  CallOfferCancelled,
  CallConnected,
  CallHeld,
  CallResumed,
  CallTransferred,
  ConsultStarted,
  ConsultAnswered,
  ConsultCompleted,
  ConsultCancelled,
  ConferencePartyAdded,
  ConferencePartyRemoved,
  SupervisorJoined,
  SupervisorLeft,
  RecordingStarted,
  RecordingPaused,
  RecordingResumed,
  RecordingStopped,
  CallAbandoned,
  CallOverflowed,
  CallEnded,
  CallDispositioned,
] as const;

type CallEventDefinition = (typeof callEvents)[number];

/** A call event as the decider emits it: the type and its (current-version) data. */
export type CallEvent = {
  [D in CallEventDefinition as D['type']]: { readonly type: D['type']; readonly data: z.infer<D['schema']> };
}[CallEventDefinition['type']];

export type CallEventType = CallEvent['type'];

/** The call event of type `T`. */
export type CallEventOf<T extends CallEventType> = Extract<CallEvent, { type: T }>;

/** The data of the call event of type `T`. */
export type CallEventData<T extends CallEventType> = Extract<CallEvent, { type: T }>['data'];
