import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { errorCatalogue, type ErrorCode } from '../errors/catalogue.ts';
import type { CallCommand } from './call-commands.ts';
import type { CallEvent, CallEventData, CallEventType } from './call-events.ts';
import type { HangupSide } from './call-schemas.ts';
import { closedSegment, elapsed, type CallState, type CallStatus } from './call-state.ts';

const WAITING: readonly CallStatus[] = ['in_ivr', 'queued', 'offered', 'ringing', 'agent_answered'];
const OFFERING: readonly CallStatus[] = ['offered', 'ringing', 'agent_answered'];
const CALLBACK: readonly CallStatus[] = ['callback_requested', 'callback_pending', 'callback_dialing'];
const LIVE: readonly CallStatus[] = ['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered', 'connected', 'voicemail', ...CALLBACK];
/** States in which the customer is on the line, so the call can be recorded. */
const RECORDABLE: readonly CallStatus[] = ['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered', 'connected', 'voicemail', 'callback_requested'];
type IvrCommandType = 'EnterIvrNode' | 'RecordPromptPlayed' | 'RecordIvrInput' | 'RecordLookupResult' | 'CompleteIvr';

function ev<T extends CallEventType>(type: T, data: CallEventData<T>): CallEvent {
  return { type, data } as CallEvent;
}

function fail(code: ErrorCode, s: CallState, c: CallCommand, details: Record<string, unknown> = {}): never {
  throw new LedgerlineError(code, `${errorCatalogue[code].message} (${c.type} on call ${c.callId}, ${s.status})`, { callId: c.callId, status: s.status, command: c.type, ...details });
}

/** Throws unless the call is in one of `allowed`: CALL_NOT_FOUND on an empty stream, CALL_ALREADY_ENDED after the end, else `code`. */
function expectStatus(s: CallState, c: CallCommand, allowed: readonly CallStatus[], code: ErrorCode): void {
  if (allowed.includes(s.status)) return;
  if (s.status === 'none') fail('CALL_NOT_FOUND', s, c);
  if (s.status === 'ended' || s.status === 'dispositioned') fail('CALL_ALREADY_ENDED', s, c);
  fail(code, s, c);
}

/** Decides what a command means for the call. Never returns []: a command that does not apply throws a coded error. */
export function decideCall(c: CallCommand, s: CallState): readonly CallEvent[] {
  if (s.callId !== null && s.callId !== c.callId) {
    throw new LedgerlineError('VALIDATION_FAILED', `command for call ${c.callId} sent to call ${s.callId}`, { callId: c.callId, streamCallId: s.callId });
  }
  const base = { callId: c.callId, at: c.at };
  switch (c.type) {
    case 'ReceiveCall':
      if (s.status !== 'none') fail('CALL_ALREADY_EXISTS', s, c);
      return [ev('CallArrived', { ...base, did: c.did, callerNumber: c.callerNumber, callerName: c.callerName, switchId: c.switchId, channelUuid: c.channelUuid })];
    case 'OriginateCall':
      if (s.status !== 'none') fail('CALL_ALREADY_EXISTS', s, c);
      return [
        ev('CallOriginated', {
          ...base,
          destinationNumber: c.destinationNumber,
          callerIdNumber: c.callerIdNumber,
          switchId: c.switchId,
          channelUuid: c.channelUuid,
          agentId: c.agentId,
          campaignId: c.campaignId,
        }),
      ];
    case 'IdentifyCaller':
      expectStatus(s, c, LIVE, 'CALL_INVALID_TRANSITION');
      if (s.customer?.customerId === c.customerId && s.customer.tier === c.tier) fail('CALLER_ALREADY_IDENTIFIED', s, c);
      return [ev('CallerIdentified', { ...base, customerId: c.customerId, tier: c.tier, source: c.source })];

    case 'StartIvr':
      expectStatus(s, c, ['arrived'], s.status === 'in_ivr' ? 'CALL_ALREADY_IN_IVR' : 'CALL_INVALID_TRANSITION');
      return [ev('IvrStarted', { ...base, flowId: c.flowId, flowVersion: c.flowVersion })];
    case 'EnterIvrNode':
    case 'RecordPromptPlayed':
    case 'RecordIvrInput':
    case 'RecordLookupResult':
    case 'CompleteIvr':
      return decideIvr(c, s);

    case 'QueueCall':
      expectStatus(s, c, ['arrived'], queueCallRefusal(s.status));
      return [ev('CallQueued', { ...base, queueId: c.queueId, priority: c.priority, requiredSkills: c.requiredSkills, reason: 'routed' })];
    case 'ChangeCallPriority': {
      expectStatus(s, c, ['queued', ...OFFERING], 'CALL_NOT_QUEUED');
      const q = s.queue;
      if (!q) fail('CALL_NOT_QUEUED', s, c); // offered directly (a transfer), not from a queue
      if (q.priority === c.priority) fail('CALL_PRIORITY_UNCHANGED', s, c, { priority: c.priority });
      return [ev('CallPriorityChanged', { ...base, queueId: q.queueId, from: q.priority, to: c.priority })];
    }
    case 'AnnounceWaitEstimate':
      expectStatus(s, c, ['queued'], 'CALL_NOT_QUEUED');
      return [
        ev('WaitEstimateAnnounced', {
          ...base,
          queueId: s.queue!.queueId,
          estimatedWaitSeconds: c.estimatedWaitSeconds,
          positionInQueue: c.positionInQueue,
          method: c.method,
        }),
      ];

    case 'RequestCallback':
      expectStatus(s, c, ['queued'], CALLBACK.includes(s.status) || s.callback ? 'CALLBACK_ALREADY_REQUESTED' : 'CALL_NOT_QUEUED');
      return [ev('CallbackRequested', { ...base, callbackNumber: c.callbackNumber ?? s.customerNumber!, queueId: s.queue!.queueId, requestedIn: 'queue' })];
    case 'ScheduleCallback': {
      expectStatus(s, c, ['callback_requested'], s.callback ? 'CALLBACK_ALREADY_SCHEDULED' : 'CALLBACK_NOT_REQUESTED');
      // From here the caller's leg is released: a recording of it ends.
      const stop = s.recording ? [ev('RecordingStopped', { ...base, recordingId: s.recording.recordingId, reason: 'caller_left' })] : [];
      return [...stop, ev('CallbackScheduled', { ...base, callbackId: c.callbackId, notBefore: c.notBefore, queueId: s.queue!.queueId })];
    }
    case 'AttemptCallback': {
      // Agent first: the customer is dialled only once an agent answered the callback's offer.
      if (s.status === 'agent_answered' && !s.callback) fail('CALLBACK_NOT_REQUESTED', s, c);
      expectStatus(s, c, ['agent_answered'], attemptCallbackRefusal(s));
      const cb = s.callback!;
      if (c.at < cb.notBefore!) fail('CALLBACK_NOT_DUE', s, c, { notBefore: cb.notBefore });
      return [ev('CallbackAttempted', { ...base, callbackId: cb.callbackId!, attemptId: c.attemptId, attempt: cb.attempts + 1, number: cb.number, channelUuid: c.channelUuid })];
    }
    case 'CompleteCallback':
    case 'FailCallback': {
      expectStatus(s, c, ['callback_dialing'], s.callback ? 'CALLBACK_NOT_DIALING' : 'CALLBACK_NOT_REQUESTED');
      const cb = s.callback!;
      if (cb.attemptId !== c.attemptId) fail('CALLBACK_ATTEMPT_MISMATCH', s, c, { expected: cb.attemptId, got: c.attemptId });
      if (c.type === 'CompleteCallback') return [ev('CallbackCompleted', { ...base, callbackId: cb.callbackId!, attemptId: c.attemptId, queueId: s.queue!.queueId })];
      // The agent's offer closes with the attempt (the engine releases the agent to wrap-up).
      const offer = s.offer!;
      const closed = ev('CallOfferCancelled', { ...base, offerId: offer.offerId, agentId: offer.agentId, reason: 'callback_failed' });
      const failed = ev('CallbackFailed', { ...base, callbackId: cb.callbackId!, attemptId: c.attemptId, cause: c.cause, willRetry: c.retry, retryAt: c.retry ? Math.max(c.at, c.retryAt ?? c.at) : null });
      return c.retry ? [closed, failed] : [closed, failed, ...ending({ ...s, offer: null }, c.at, 'CALLBACK_FAILED', 'system')];
    }
    case 'CancelCallback':
      // A callback being offered to an agent is still owed to the customer: it can be cancelled too.
      if (!(s.callback && OFFERING.includes(s.status))) expectStatus(s, c, CALLBACK, 'CALLBACK_NOT_REQUESTED');
      return [ev('CallbackCancelled', { ...base, callbackId: s.callback!.callbackId, reason: c.reason }), ...ending(s, c.at, 'CALLBACK_CANCELLED', 'system')];

    case 'OfferToAgent':
      expectStatus(s, c, ['queued', 'callback_pending'], OFFERING.includes(s.status) || s.status === 'callback_dialing' ? 'CALL_ALREADY_OFFERED' : 'CALL_NOT_QUEUED');
      // A callback is offered like a waiting call (at its place), once due: the agent first, the customer after.
      if (s.status === 'callback_pending' && c.at < s.callback!.notBefore!) fail('CALLBACK_NOT_DUE', s, c, { notBefore: s.callback!.notBefore });
      return [
        ev('CallOfferedToAgent', { ...base, agentId: c.agentId, offerId: c.offerId, queueId: s.queue!.queueId, offerNumber: s.offerCount + 1, ...(s.callback ? { callback: true as const } : {}) }),
      ];
    case 'RecordAgentLegRinging': {
      const offer = openOffer(s, c, c.offerId);
      if (s.status === 'ringing') fail('AGENT_LEG_ALREADY_RINGING', s, c);
      if (s.status === 'agent_answered' || s.status === 'callback_dialing') fail('AGENT_LEG_ALREADY_ANSWERED', s, c);
      return [ev('AgentLegRinging', { ...base, offerId: offer.offerId, agentId: offer.agentId, channelUuid: c.channelUuid, ...(s.callback ? { callback: true as const } : {}) })];
    }
    case 'RecordAgentLegAnswered': {
      const offer = openOffer(s, c, c.offerId);
      if (s.status === 'agent_answered' || s.status === 'callback_dialing') fail('AGENT_LEG_ALREADY_ANSWERED', s, c);
      return [ev('AgentLegAnswered', { ...base, offerId: offer.offerId, agentId: offer.agentId, ringMs: elapsed(offer.offeredAt, c.at) })];
    }
    case 'RecordAgentLegFailed': {
      const offer = openOffer(s, c, c.offerId);
      // No answer keeps the caller's place: the queue entry (and its enteredAt) is untouched. A callback offer (the
      // agent left before or while the customer was dialled) is owed again, due now; that attempt does not count.
      const returnedTo = s.callback ? 'callback' : s.queue ? 'queue' : 'unrouted';
      return [ev('AgentLegFailed', { ...base, offerId: offer.offerId, agentId: offer.agentId, cause: c.cause, returnedTo })];
    }
    case 'ConnectCall':
      return decideConnect(c, s);

    case 'HoldCall':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (s.held) fail('CALL_ALREADY_HELD', s, c);
      return [ev('CallHeld', { ...base, agentId: s.agentId! })];
    case 'ResumeCall':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (!s.held) fail('CALL_NOT_HELD', s, c);
      return [ev('CallResumed', { ...base, agentId: s.agentId!, holdMs: elapsed(s.segmentStart, c.at) })];
    case 'TransferCall':
      return decideTransfer(c, s);
    case 'StartConsult':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (s.consult) fail('CONSULT_ALREADY_ACTIVE', s, c, { consultId: s.consult.consultId });
      if (c.target.kind === 'agent' && c.target.agentId === s.agentId) fail('CALL_TRANSFER_TO_SELF', s, c);
      return [ev('ConsultStarted', { ...base, consultId: c.consultId, agentId: s.agentId!, target: c.target })];
    case 'RecordConsultAnswered': {
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      const consult = activeConsult(s, c, c.consultId);
      if (consult.answeredAt !== null) fail('AGENT_LEG_ALREADY_ANSWERED', s, c, { consultId: c.consultId, answeredAt: consult.answeredAt });
      return [ev('ConsultAnswered', { ...base, consultId: c.consultId, ringMs: elapsed(consult.startedAt, c.at) })];
    }
    case 'CompleteConsult':
      return decideCompleteConsult(c, s);
    case 'CancelConsult':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      activeConsult(s, c, c.consultId);
      return [ev('ConsultCancelled', { ...base, consultId: c.consultId, reason: c.reason })];
    case 'AddConferenceParty':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (s.parties[c.partyId]) fail('CONFERENCE_PARTY_ALREADY_PRESENT', s, c, { partyId: c.partyId });
      if (c.party.kind === 'agent' && c.party.agentId === s.agentId) fail('CALL_TRANSFER_TO_SELF', s, c);
      return [ev('ConferencePartyAdded', { ...base, partyId: c.partyId, party: c.party })];
    case 'RemoveConferenceParty':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (!s.parties[c.partyId]) fail('CONFERENCE_PARTY_NOT_FOUND', s, c, { partyId: c.partyId });
      return [ev('ConferencePartyRemoved', { ...base, partyId: c.partyId, reason: c.reason })];
    case 'JoinSupervisor':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (s.supervisors[c.supervisorId]) fail('SUPERVISOR_ALREADY_PRESENT', s, c, { supervisorId: c.supervisorId });
      return [ev('SupervisorJoined', { ...base, supervisorId: c.supervisorId, mode: c.mode })];
    case 'LeaveSupervisor':
      expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
      if (!s.supervisors[c.supervisorId]) fail('SUPERVISOR_NOT_PRESENT', s, c, { supervisorId: c.supervisorId });
      return [ev('SupervisorLeft', { ...base, supervisorId: c.supervisorId, reason: 'requested' })];

    case 'StartRecording':
      expectStatus(s, c, RECORDABLE, 'CALL_INVALID_TRANSITION');
      if (s.recording) fail('RECORDING_ALREADY_ACTIVE', s, c, { recordingId: s.recording.recordingId });
      return [ev('RecordingStarted', { ...base, recordingId: c.recordingId })];
    case 'PauseRecording': {
      expectStatus(s, c, RECORDABLE, 'CALL_INVALID_TRANSITION');
      if (!s.recording) fail('RECORDING_NOT_ACTIVE', s, c);
      if (s.recording.paused) fail('RECORDING_ALREADY_PAUSED', s, c);
      return [ev('RecordingPaused', { ...base, recordingId: s.recording.recordingId, reason: c.reason })];
    }
    case 'ResumeRecording':
      expectStatus(s, c, RECORDABLE, 'CALL_INVALID_TRANSITION');
      if (!s.recording) fail('RECORDING_NOT_ACTIVE', s, c);
      if (!s.recording.paused) fail('RECORDING_NOT_PAUSED', s, c);
      return [ev('RecordingResumed', { ...base, recordingId: s.recording.recordingId })];
    case 'StopRecording':
      expectStatus(s, c, RECORDABLE, 'CALL_INVALID_TRANSITION');
      if (!s.recording) fail('RECORDING_NOT_ACTIVE', s, c);
      return [ev('RecordingStopped', { ...base, recordingId: s.recording.recordingId, reason: 'requested' })];

    case 'AbandonCall':
      expectStatus(s, c, WAITING, CALLBACK.includes(s.status) ? 'CALLBACK_PENDING' : 'CALL_NOT_WAITING');
      if (s.callback) fail('CALLBACK_PENDING', s, c); // a callback offer: the customer is not on the line
      return ending(s, c.at, c.cause, 'caller');
    case 'OverflowCall':
      return decideOverflow(c, s);
    case 'EndCall':
      expectStatus(s, c, LIVE.filter((x) => !CALLBACK.includes(x)), 'CALLBACK_PENDING');
      if (s.callback) fail('CALLBACK_PENDING', s, c); // a callback offer: cancel or fail the callback instead
      return ending(s, c.at, c.cause, c.hungUpBy);
    case 'DispositionCall':
      if (s.status === 'none') fail('CALL_NOT_FOUND', s, c);
      if (s.status === 'dispositioned') fail('CALL_ALREADY_DISPOSITIONED', s, c, { wrapUpCode: s.disposition?.wrapUpCode });
      if (s.status !== 'ended') fail('CALL_NOT_ENDED', s, c);
      if (!s.handledBy.includes(c.agentId)) fail('CALL_NOT_HANDLED', s, c, { agentId: c.agentId, handledBy: s.handledBy });
      return [ev('CallDispositioned', { ...base, agentId: c.agentId, wrapUpCode: c.wrapUpCode, notes: c.notes })];
  }
}

/** Why AttemptCallback does not apply: no agent has answered the callback's offer yet, or no callback awaits one. */
function attemptCallbackRefusal(s: CallState): ErrorCode {
  if (s.status === 'callback_pending' || (s.callback && OFFERING.includes(s.status))) return 'AGENT_LEG_NOT_ANSWERED';
  if (CALLBACK.includes(s.status)) return 'CALLBACK_NOT_PENDING';
  return 'CALLBACK_NOT_REQUESTED';
}

function queueCallRefusal(status: CallStatus): ErrorCode {
  if (status === 'in_ivr') return 'CALL_ALREADY_IN_IVR';
  if (status === 'queued' || OFFERING.includes(status)) return 'CALL_ALREADY_QUEUED';
  if (status === 'connected') return 'CALL_ALREADY_CONNECTED';
  return 'CALL_INVALID_TRANSITION';
}

function decideIvr(c: Extract<CallCommand, { type: IvrCommandType }>, s: CallState): readonly CallEvent[] {
  expectStatus(s, c, ['in_ivr'], 'CALL_NOT_IN_IVR');
  const base = { callId: c.callId, at: c.at };
  switch (c.type) {
    case 'EnterIvrNode':
      return [ev('IvrNodeEntered', { ...base, nodeId: c.nodeId, nodeType: c.nodeType })];
    case 'RecordPromptPlayed':
      return [ev('IvrPromptPlayed', { ...base, nodeId: c.nodeId, promptId: c.promptId, bargedIn: c.bargedIn })];
    case 'RecordIvrInput':
      return [ev('IvrInputReceived', { ...base, nodeId: c.nodeId, input: c.input })];
    case 'RecordLookupResult':
      return c.result.ok
        ? [ev('IvrLookupAnswered', { ...base, nodeId: c.nodeId, lookup: c.lookup, values: c.result.values })]
        : [ev('IvrLookupFailed', { ...base, nodeId: c.nodeId, lookup: c.lookup, reason: c.result.reason, message: c.result.message })];
    case 'CompleteIvr':
      return [ev('IvrCompleted', { ...base, flowId: s.ivr!.flowId, outcome: c.outcome, durationMs: elapsed(s.ivr!.startedAt, c.at) })];
  }
}

/** The open offer named by `offerId`, or the coded reason there is none (a callback being dialled holds its offer). */
function openOffer(s: CallState, c: CallCommand, offerId: string | null) {
  expectStatus(s, c, [...OFFERING, 'callback_dialing'], 'CALL_NOT_OFFERED');
  const offer = s.offer!;
  if (offer.offerId !== offerId) fail('OFFER_MISMATCH', s, c, { expected: offer.offerId, got: offerId });
  return offer;
}

function activeConsult(s: CallState, c: CallCommand, consultId: string) {
  if (!s.consult) fail('CONSULT_NOT_ACTIVE', s, c);
  if (s.consult.consultId !== consultId) fail('CONSULT_MISMATCH', s, c, { expected: s.consult.consultId, got: consultId });
  return s.consult;
}

function decideConnect(c: Extract<CallCommand, { type: 'ConnectCall' }>, s: CallState): readonly CallEvent[] {
  const base = { callId: c.callId, at: c.at };
  if (s.status === 'arrived') {
    // Only an agent-originated outbound call connects without an offer: the customer answered the agent's dial.
    if (s.direction !== 'outbound' || s.agentId === null) fail('CALL_NO_AGENT', s, c);
    if (c.offerId !== null) fail('CALL_NOT_OFFERED', s, c, { offerId: c.offerId });
    return [ev('CallConnected', { ...base, agentId: s.agentId, offerId: null, queueId: null, waitMs: null })];
  }
  if (s.status === 'connected') fail('CALL_ALREADY_CONNECTED', s, c);
  if (s.status === 'queued') fail('CALL_NOT_OFFERED', s, c);
  expectStatus(s, c, OFFERING, 'CALL_INVALID_TRANSITION');
  const offer = openOffer(s, c, c.offerId);
  if (s.status !== 'agent_answered') fail('AGENT_LEG_NOT_ANSWERED', s, c);
  // A callback offer connects once the customer answered the dial-back (CompleteCallback clears the callback).
  if (s.callback) fail('CALLBACK_NOT_DIALING', s, c);
  return [
    ev('CallConnected', {
      ...base,
      agentId: offer.agentId,
      offerId: offer.offerId,
      queueId: s.queue?.queueId ?? null,
      waitMs: s.queue ? elapsed(s.queue.enteredAt, c.at) : null,
    }),
  ];
}

/** What the handling agent leaving the call closes: consult, conference parties, supervisors. */
function agentLeaving(s: CallState, at: number, reason: 'agent_left'): CallEvent[] {
  const base = { callId: s.callId!, at };
  return [
    ...(s.consult ? [ev('ConsultCancelled', { ...base, consultId: s.consult.consultId, reason })] : []),
    ...Object.keys(s.parties).sort().map((partyId) => ev('ConferencePartyRemoved', { ...base, partyId, reason })),
    ...Object.keys(s.supervisors).sort().map((supervisorId) => ev('SupervisorLeft', { ...base, supervisorId, reason })),
  ];
}

/** Everything that closes when the call ends, then CallEnded; an abandon when the caller hangs up while waiting. */
function ending(s: CallState, at: number, cause: string, hungUpBy: HangupSide): CallEvent[] {
  const base = { callId: s.callId!, at };
  const out: CallEvent[] = [];
  if (s.offer) {
    out.push(ev('CallOfferCancelled', { ...base, offerId: s.offer.offerId, agentId: s.offer.agentId, reason: hungUpBy === 'caller' ? 'caller_hung_up' : 'call_ended' }));
  }
  // An abandon is a caller giving up while waiting in the IVR or in a queue (an offer from a queue counts as in queue).
  // A caller gone before the IVR even started (hanging up on the first ring) abandoned in the IVR too: it is the
  // number's front door, and every call must leave with exactly one outcome.
  if (hungUpBy === 'caller' && (s.status === 'in_ivr' || (s.status === 'arrived' && s.direction === 'inbound'))) {
    out.push(ev('CallAbandoned', { ...base, where: 'ivr', queueId: null, waitMs: elapsed(s.ivr?.startedAt ?? s.startedAt, at) }));
  } else if (hungUpBy === 'caller' && WAITING.includes(s.status) && s.queue) {
    out.push(ev('CallAbandoned', { ...base, where: 'queue', queueId: s.queue.queueId, waitMs: elapsed(s.queue.enteredAt, at) }));
  }
  if (s.consult) out.push(ev('ConsultCancelled', { ...base, consultId: s.consult.consultId, reason: 'call_ended' }));
  for (const partyId of Object.keys(s.parties).sort()) out.push(ev('ConferencePartyRemoved', { ...base, partyId, reason: 'call_ended' }));
  for (const supervisorId of Object.keys(s.supervisors).sort()) out.push(ev('SupervisorLeft', { ...base, supervisorId, reason: 'call_ended' }));
  if (s.recording) out.push(ev('RecordingStopped', { ...base, recordingId: s.recording.recordingId, reason: 'call_ended' }));
  const totals = closedSegment(s, at);
  out.push(
    ev('CallEnded', {
      ...base,
      cause,
      hungUpBy,
      agentId: s.status === 'connected' ? s.agentId : null,
      queueId: s.lastQueueId,
      answered: s.answeredAt !== null,
      talkMs: totals.talkMs,
      holdMs: totals.holdMs,
      durationMs: elapsed(s.startedAt, at),
    }),
  );
  return out;
}

function decideTransfer(c: Extract<CallCommand, { type: 'TransferCall' }>, s: CallState): readonly CallEvent[] {
  expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
  const t = c.target;
  if (t.kind === 'agent' && t.agentId === s.agentId) fail('CALL_TRANSFER_TO_SELF', s, c);
  const base = { callId: c.callId, at: c.at };
  const totals = closedSegment(s, c.at);
  const out: CallEvent[] = [...agentLeaving(s, c.at, 'agent_left')];
  if (s.held) out.push(ev('CallResumed', { ...base, agentId: s.agentId!, holdMs: elapsed(s.segmentStart, c.at) }));
  out.push(ev('CallTransferred', { ...base, fromAgentId: s.agentId!, target: t, talkMs: totals.agentTalkMs, holdMs: totals.agentHoldMs }));
  const after: CallState = { ...s, consult: null, parties: {}, supervisors: {}, status: 'arrived', agentId: null, segmentStart: null, held: false, ...totals };
  switch (t.kind) {
    case 'queue':
      return [...out, ev('CallQueued', { ...base, queueId: t.queueId, priority: t.priority, requiredSkills: t.requiredSkills, reason: 'transferred' })];
    case 'agent':
      // An answered call has no queue entry any more: the offer is direct, and a failure leaves the call unrouted.
      return [...out, ev('CallOfferedToAgent', { ...base, agentId: t.agentId, offerId: t.offerId, queueId: null, offerNumber: s.offerCount + 1 })];
    case 'external':
      return [...out, ...ending(after, c.at, 'TRANSFERRED_EXTERNAL', 'system')];
  }
}

function decideCompleteConsult(c: Extract<CallCommand, { type: 'CompleteConsult' }>, s: CallState): readonly CallEvent[] {
  expectStatus(s, c, ['connected'], 'CALL_NOT_CONNECTED');
  const consult = activeConsult(s, c, c.consultId);
  const base = { callId: c.callId, at: c.at };
  if (c.mode === 'conference') {
    if (s.parties[consult.consultId]) fail('CONFERENCE_PARTY_ALREADY_PRESENT', s, c, { partyId: consult.consultId });
    return [ev('ConsultCompleted', { ...base, consultId: consult.consultId, mode: 'conference', target: consult.target, fromAgentId: s.agentId!, talkMs: 0, holdMs: 0 })];
  }
  const totals = closedSegment(s, c.at);
  // The consulting agent hands over: their supervisors leave with them; conference parties stay on the customer's call.
  const out: CallEvent[] = Object.keys(s.supervisors)
    .sort()
    .map((supervisorId) => ev('SupervisorLeft', { ...base, supervisorId, reason: 'agent_left' }));
  if (s.held) out.push(ev('CallResumed', { ...base, agentId: s.agentId!, holdMs: elapsed(s.segmentStart, c.at) }));
  out.push(
    ev('ConsultCompleted', { ...base, consultId: consult.consultId, mode: 'transfer', target: consult.target, fromAgentId: s.agentId!, talkMs: totals.agentTalkMs, holdMs: totals.agentHoldMs }),
  );
  if (consult.target.kind === 'agent') return out;
  const after: CallState = { ...s, consult: null, supervisors: {}, agentId: null, segmentStart: null, held: false, ...totals };
  return [...out, ...ending(after, c.at, 'TRANSFERRED_EXTERNAL', 'system')];
}

function decideOverflow(c: Extract<CallCommand, { type: 'OverflowCall' }>, s: CallState): readonly CallEvent[] {
  expectStatus(s, c, ['queued'], OFFERING.includes(s.status) ? 'CALL_ALREADY_OFFERED' : 'CALL_NOT_QUEUED');
  const q = s.queue!;
  if (c.exit.kind === 'queue' && c.exit.queueId === q.queueId) fail('CALL_ALREADY_QUEUED', s, c, { queueId: q.queueId });
  const base = { callId: c.callId, at: c.at };
  const overflowed = ev('CallOverflowed', { ...base, fromQueueId: q.queueId, reason: c.reason, exit: c.exit, waitMs: elapsed(q.enteredAt, c.at) });
  switch (c.exit.kind) {
    case 'queue':
      return [overflowed, ev('CallQueued', { ...base, queueId: c.exit.queueId, priority: q.priority, requiredSkills: [...q.requiredSkills], reason: 'overflowed' })];
    case 'voicemail':
      return [overflowed];
    case 'callback':
      return [overflowed, ev('CallbackRequested', { ...base, callbackNumber: s.customerNumber!, queueId: q.queueId, requestedIn: 'overflow' })];
    case 'hangup':
      return [overflowed, ...ending({ ...s, status: 'arrived' }, c.at, 'QUEUE_OVERFLOW', 'system')];
  }
}
