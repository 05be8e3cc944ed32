import type { CallEvent } from './call-events.ts';
import { closedSegment, type CallState } from './call-state.ts';

function withoutKey<V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** Folds one call event into the state. Total: every event type is handled; unknown shapes cannot reach here (typed). */
export function evolveCall(s: CallState, e: CallEvent): CallState {
  const at = e.data.at;
  const next = evolveInner(s, e);
  return { ...next, lastEventAt: at };
}

function evolveInner(s: CallState, e: CallEvent): CallState {
  switch (e.type) {
    case 'CallArrived':
      return { ...s, status: 'arrived', callId: e.data.callId, direction: 'inbound', customerNumber: e.data.callerNumber, startedAt: e.data.at };
    case 'CallOriginated':
      return {
        ...s,
        status: 'arrived',
        callId: e.data.callId,
        direction: 'outbound',
        customerNumber: e.data.destinationNumber,
        startedAt: e.data.at,
        agentId: e.data.agentId,
      };
    case 'CallerIdentified':
      return { ...s, customer: { customerId: e.data.customerId, tier: e.data.tier } };
    case 'IvrStarted':
      return { ...s, status: 'in_ivr', ivr: { flowId: e.data.flowId, flowVersion: e.data.flowVersion, startedAt: e.data.at, nodeId: null } };
    case 'IvrNodeEntered':
      return s.ivr ? { ...s, ivr: { ...s.ivr, nodeId: e.data.nodeId } } : s;
    case 'IvrPromptPlayed':
    case 'IvrInputReceived':
    case 'IvrLookupAnswered':
    case 'IvrLookupFailed':
    case 'WaitEstimateAnnounced':
    case 'CallAbandoned':
    case 'CallbackCancelled':
      return s;
    case 'IvrCompleted':
      return { ...s, status: 'arrived' };
    case 'CallQueued':
      return {
        ...s,
        status: 'queued',
        queue: { queueId: e.data.queueId, priority: e.data.priority, requiredSkills: e.data.requiredSkills, enteredAt: e.data.at },
        lastQueueId: e.data.queueId,
        firstQueuedAt: s.firstQueuedAt ?? e.data.at,
      };
    case 'CallPriorityChanged':
      return s.queue ? { ...s, queue: { ...s.queue, priority: e.data.to } } : s;
    case 'CallbackRequested':
      return { ...s, status: 'callback_requested', callback: { number: e.data.callbackNumber, callbackId: null, notBefore: null, attempts: 0, attemptId: null } };
    case 'CallbackScheduled':
      return s.callback ? { ...s, status: 'callback_pending', callback: { ...s.callback, callbackId: e.data.callbackId, notBefore: e.data.notBefore } } : s;
    case 'CallbackAttempted':
      return s.callback ? { ...s, status: 'callback_dialing', callback: { ...s.callback, attempts: e.data.attempt, attemptId: e.data.attemptId } } : s;
    case 'CallbackCompleted':
      // Agent first: the offer's agent waits on the line and is connected next. (Before agent-first callbacks, the
      // customer was dialled with no offer and went back to its queue: such stored histories still fold that way.)
      return { ...s, status: s.offer ? 'agent_answered' : 'queued', callback: null };
    case 'CallbackFailed':
      return s.callback
        ? { ...s, status: 'callback_pending', offer: null, callback: { ...s.callback, attemptId: null, notBefore: e.data.retryAt ?? s.callback.notBefore } }
        : s;
    case 'CallOfferedToAgent':
      return {
        ...s,
        status: 'offered',
        offer: { offerId: e.data.offerId, agentId: e.data.agentId, offeredAt: e.data.at, ringingAt: null, answeredAt: null },
        offerCount: s.offerCount + 1,
      };
    case 'AgentLegRinging':
      return s.offer ? { ...s, status: 'ringing', offer: { ...s.offer, ringingAt: e.data.at } } : s;
    case 'AgentLegAnswered':
      return s.offer ? { ...s, status: 'agent_answered', offer: { ...s.offer, answeredAt: e.data.at } } : s;
    case 'AgentLegFailed':
      if (e.data.returnedTo === 'callback' && s.callback) {
        // The agent left while the customer was being dialled: that attempt is withdrawn (not counted), due again now.
        const callback = s.status === 'callback_dialing' ? { ...s.callback, attempts: Math.max(0, s.callback.attempts - 1), attemptId: null, notBefore: e.data.at } : s.callback;
        return { ...s, status: 'callback_pending', offer: null, callback };
      }
      return { ...s, status: e.data.returnedTo === 'queue' ? 'queued' : 'arrived', offer: null };
    case 'CallOfferCancelled':
      return { ...s, offer: null };
    case 'CallConnected':
      return {
        ...s,
        status: 'connected',
        agentId: e.data.agentId,
        handledBy: s.handledBy.at(-1) === e.data.agentId ? s.handledBy : [...s.handledBy, e.data.agentId],
        answeredAt: s.answeredAt ?? e.data.at,
        offer: null,
        // Answered: the queue entry is over (a later transfer to an agent is not a queue wait).
        queue: null,
        segmentStart: e.data.at,
        held: false,
        agentTalkMs: 0,
        agentHoldMs: 0,
      };
    case 'CallHeld':
      return { ...s, ...closedSegment(s, e.data.at), segmentStart: e.data.at, held: true, holdCount: s.holdCount + 1 };
    case 'CallResumed':
      return { ...s, ...closedSegment(s, e.data.at), segmentStart: e.data.at, held: false };
    case 'CallTransferred':
      // The next event (CallQueued, CallOfferedToAgent or CallEnded) says where the call is; until then it is unrouted.
      return leaveAgent({ ...s, status: 'arrived' }, e.data.at);
    case 'ConsultStarted':
      return { ...s, consult: { consultId: e.data.consultId, target: e.data.target, startedAt: e.data.at, answeredAt: null } };
    case 'ConsultAnswered':
      return s.consult?.consultId === e.data.consultId ? { ...s, consult: { ...s.consult, answeredAt: e.data.at } } : s;
    case 'ConsultCompleted': {
      if (e.data.mode === 'conference') return { ...s, consult: null, parties: { ...s.parties, [e.data.consultId]: e.data.target } };
      if (e.data.target.kind === 'external') return { ...leaveAgent(s, e.data.at), consult: null };
      const agentId = e.data.target.agentId;
      return {
        ...leaveAgent(s, e.data.at),
        consult: null,
        agentId,
        handledBy: [...s.handledBy, agentId],
        segmentStart: e.data.at,
      };
    }
    case 'ConsultCancelled':
      return { ...s, consult: null };
    case 'ConferencePartyAdded':
      return { ...s, parties: { ...s.parties, [e.data.partyId]: e.data.party } };
    case 'ConferencePartyRemoved':
      return { ...s, parties: withoutKey(s.parties, e.data.partyId) };
    case 'SupervisorJoined':
      return { ...s, supervisors: { ...s.supervisors, [e.data.supervisorId]: e.data.mode } };
    case 'SupervisorLeft':
      return { ...s, supervisors: withoutKey(s.supervisors, e.data.supervisorId) };
    case 'RecordingStarted':
      return { ...s, recording: { recordingId: e.data.recordingId, paused: false } };
    case 'RecordingPaused':
      return s.recording ? { ...s, recording: { ...s.recording, paused: true } } : s;
    case 'RecordingResumed':
      return s.recording ? { ...s, recording: { ...s.recording, paused: false } } : s;
    case 'RecordingStopped':
      return { ...s, recording: null };
    case 'CallOverflowed':
      return e.data.exit.kind === 'voicemail' ? { ...s, status: 'voicemail' } : s;
    case 'CallEnded':
      return {
        ...s,
        ...closedSegment(s, e.data.at),
        status: 'ended',
        endedAt: e.data.at,
        segmentStart: null,
        held: false,
        offer: null,
        consult: null,
        parties: {},
        supervisors: {},
        recording: null,
        callback: null,
      };
    case 'CallDispositioned':
      return { ...s, status: 'dispositioned', disposition: { agentId: e.data.agentId, wrapUpCode: e.data.wrapUpCode } };
  }
}

/** The handling agent leaves the customer: close their segment and reset per-agent totals. */
function leaveAgent(s: CallState, at: number): CallState {
  const totals = closedSegment(s, at);
  return {
    ...s,
    talkMs: totals.talkMs,
    holdMs: totals.holdMs,
    agentTalkMs: 0,
    agentHoldMs: 0,
    agentId: null,
    segmentStart: null,
    held: false,
  };
}
