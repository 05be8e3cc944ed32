import type { CallCommandType } from './call-commands.ts';
import type { CallStatus } from './call-state.ts';

/** One accepted transition of the call state machine (a command that produced events). */
export interface CallTransition {
  readonly from: CallStatus;
  readonly command: CallCommandType;
  readonly to: CallStatus;
  /** The condition that picks this row when a command has several outcomes. */
  readonly when?: string;
}

const t = (from: CallStatus, command: CallCommandType, to: CallStatus, when?: string): CallTransition =>
  when === undefined ? { from, command, to } : { from, command, to, when };

const LIVE: readonly CallStatus[] = [
  'arrived',
  'in_ivr',
  'queued',
  'offered',
  'ringing',
  'agent_answered',
  'connected',
  'voicemail',
  'callback_requested',
  'callback_pending',
  'callback_dialing',
];
const RECORDABLE: readonly CallStatus[] = ['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered', 'connected', 'voicemail', 'callback_requested'];
const OFFERING: readonly CallStatus[] = ['offered', 'ringing', 'agent_answered'];
const CALLBACK: readonly CallStatus[] = ['callback_requested', 'callback_pending', 'callback_dialing'];

/**
 * The call state machine as data: every (from, command, to) the call decider accepts. Every other pair is refused
 * with a coded error (never ignored): the decider table test pins the code of each refusal, and the property tests
 * check that every accepted transition is listed here and every row here is reachable. docs/domain.md renders it.
 */
export const callTransitions: readonly CallTransition[] = [
  t('none', 'ReceiveCall', 'arrived'),
  t('none', 'OriginateCall', 'arrived'),

  t('arrived', 'StartIvr', 'in_ivr'),
  t('arrived', 'QueueCall', 'queued'),
  t('arrived', 'ConnectCall', 'connected', 'outbound call originated for an agent; no offer'),
  t('arrived', 'EndCall', 'ended'),

  t('in_ivr', 'EnterIvrNode', 'in_ivr'),
  t('in_ivr', 'RecordPromptPlayed', 'in_ivr'),
  t('in_ivr', 'RecordIvrInput', 'in_ivr'),
  t('in_ivr', 'RecordLookupResult', 'in_ivr'),
  t('in_ivr', 'CompleteIvr', 'arrived', 'the engine then queues, transfers or ends the call'),
  t('in_ivr', 'AbandonCall', 'ended', 'CallAbandoned (ivr)'),
  t('in_ivr', 'EndCall', 'ended', 'CallAbandoned (ivr) first when the caller hung up'),

  t('queued', 'ChangeCallPriority', 'queued'),
  t('queued', 'AnnounceWaitEstimate', 'queued'),
  t('queued', 'RequestCallback', 'callback_requested'),
  t('queued', 'OfferToAgent', 'offered'),
  t('queued', 'OverflowCall', 'queued', 'exit to another queue (new queue entry)'),
  t('queued', 'OverflowCall', 'voicemail', 'exit to voicemail'),
  t('queued', 'OverflowCall', 'callback_requested', 'exit to callback (place kept)'),
  t('queued', 'OverflowCall', 'ended', 'exit to hangup'),
  t('queued', 'AbandonCall', 'ended', 'CallAbandoned (queue)'),
  t('queued', 'EndCall', 'ended', 'CallAbandoned (queue) first when the caller hung up'),

  t('offered', 'RecordAgentLegRinging', 'ringing'),
  t('offered', 'RecordAgentLegAnswered', 'agent_answered', 'answered without a ringing report'),
  t('ringing', 'RecordAgentLegAnswered', 'agent_answered'),
  t('agent_answered', 'ConnectCall', 'connected'),
  ...OFFERING.flatMap((s) => [
    t(s, 'RecordAgentLegFailed', 'queued', 'back in its queue at its original place'),
    t(s, 'RecordAgentLegFailed', 'arrived', 'a direct offer (transfer) with no queue entry: unrouted'),
    t(s, 'RecordAgentLegFailed', 'callback_pending', 'a callback offer: owed again at its original place'),
    t(s, 'ChangeCallPriority', s, 'offered from a queue'),
    t(s, 'AbandonCall', 'ended', 'CallOfferCancelled, then CallAbandoned (queue) when offered from a queue; refused for a callback offer'),
    t(s, 'EndCall', 'ended', 'CallOfferCancelled first; refused for a callback offer (the customer is not on the line)'),
    t(s, 'CancelCallback', 'ended', 'a callback offer: CallOfferCancelled first'),
  ]),

  t('connected', 'HoldCall', 'connected'),
  t('connected', 'ResumeCall', 'connected'),
  t('connected', 'TransferCall', 'queued', 'blind transfer to a queue (new queue entry)'),
  t('connected', 'TransferCall', 'offered', 'blind transfer to an agent (direct offer)'),
  t('connected', 'TransferCall', 'ended', 'blind transfer to an external number'),
  t('connected', 'StartConsult', 'connected'),
  t('connected', 'RecordConsultAnswered', 'connected', 'the consulted party answered'),
  t('connected', 'CompleteConsult', 'connected', 'conference, or transfer to the consulted agent'),
  t('connected', 'CompleteConsult', 'ended', 'transfer to a consulted external number'),
  t('connected', 'CancelConsult', 'connected'),
  t('connected', 'AddConferenceParty', 'connected'),
  t('connected', 'RemoveConferenceParty', 'connected'),
  t('connected', 'JoinSupervisor', 'connected'),
  t('connected', 'LeaveSupervisor', 'connected'),
  t('connected', 'EndCall', 'ended', 'closes consult, parties, supervisors, recording first'),

  t('voicemail', 'EndCall', 'ended'),

  // Callbacks are agent first: a due callback waits at its place and is offered like a waiting call; once the agent
  // answered, the customer is dialled; on the customer's answer the agent is connected.
  t('callback_requested', 'ScheduleCallback', 'callback_pending', 'the caller leg is released'),
  t('callback_pending', 'OfferToAgent', 'offered', 'not before notBefore; at its original place (the callback is kept)'),
  t('agent_answered', 'AttemptCallback', 'callback_dialing', 'a callback offer: the agent answered, the customer is dialled'),
  t('callback_dialing', 'CompleteCallback', 'agent_answered', 'the customer answered: ConnectCall follows'),
  t('callback_dialing', 'FailCallback', 'callback_pending', 'retry from retryAt; CallOfferCancelled first (the agent is released)'),
  t('callback_dialing', 'FailCallback', 'ended', 'no retry'),
  t('callback_dialing', 'RecordAgentLegFailed', 'callback_pending', 'the agent left while the customer was dialled: due now, the attempt not counted'),
  ...CALLBACK.map((s) => t(s, 'CancelCallback', 'ended')),

  t('ended', 'DispositionCall', 'dispositioned', 'by an agent who handled the call'),

  ...LIVE.map((s) => t(s, 'IdentifyCaller', s)),
  ...RECORDABLE.flatMap((s) => (['StartRecording', 'PauseRecording', 'ResumeRecording', 'StopRecording'] as const).map((c) => t(s, c, s))),
];
