// Focused Given/When/Then scenarios: the paths metrics and routing rely on.
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError, LedgerlineError } from '../errors/ledgerline-error.ts';
import { parseCallCommand, type CallCommand } from './call-commands.ts';
import { callDecider, callStreamName } from './call-decider.ts';
import type { CallEvent, CallEventData, CallEventType } from './call-events.ts';
import { cmd, given, run, sampleCommand } from './call-fixtures.ts';

function when(history: readonly CallEvent[], c: CallCommand): CallEvent[] {
  return [...callDecider.decide(c, fold(callDecider, history))];
}
function rejected(history: readonly CallEvent[], c: CallCommand): LedgerlineError {
  try {
    callDecider.decide(c, fold(callDecider, history));
  } catch (e) {
    if (isLedgerlineError(e)) return e;
    throw e;
  }
  throw new Error(`${c.type} was accepted`);
}
function data<T extends CallEventType>(events: readonly CallEvent[], type: T): CallEventData<T> {
  const e = events.find((x) => x.type === type);
  if (!e) throw new Error(`no ${type} in ${events.map((x) => x.type).join(', ')}`);
  return e.data as CallEventData<T>;
}
const types = (events: readonly CallEvent[]) => events.map((e) => e.type);

describe('inbound call, IVR to disposition', () => {
  const history = run([
    sampleCommand('ReceiveCall', 1_000),
    sampleCommand('StartIvr', 2_000),
    sampleCommand('EnterIvrNode', 2_100),
    sampleCommand('RecordIvrInput', 5_000),
    sampleCommand('CompleteIvr', 6_000),
    sampleCommand('QueueCall', 6_500),
    sampleCommand('OfferToAgent', 30_000),
    sampleCommand('RecordAgentLegRinging', 30_200),
    sampleCommand('RecordAgentLegAnswered', 34_000),
    sampleCommand('ConnectCall', 34_500),
    sampleCommand('HoldCall', 44_500),
    sampleCommand('ResumeCall', 64_500),
  ]);
  it('records the IVR duration, the queue wait from the queue entry, and the ring time', () => {
    expect(data(history, 'IvrStarted')).toMatchObject({ flowId: 'flow-1', flowVersion: 3 });
    expect(data(history, 'IvrCompleted')).toMatchObject({ outcome: 'queue', durationMs: 4_000 });
    expect(data(history, 'AgentLegAnswered')).toMatchObject({ agentId: 'a1', ringMs: 4_000 });
    expect(data(history, 'CallConnected')).toEqual({ callId: 'c-1', at: 34_500, agentId: 'a1', offerId: 'o1', queueId: 'q1', waitMs: 28_000 });
    expect(data(history, 'CallResumed')).toMatchObject({ holdMs: 20_000 });
  });
  it('ends with talk and hold totals (talk excludes hold), then takes a disposition', () => {
    const ended = when(history, cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'agent' }, 94_500));
    expect(types(ended)).toEqual(['CallEnded']);
    expect(data(ended, 'CallEnded')).toEqual({
      callId: 'c-1',
      at: 94_500,
      cause: 'NORMAL_CLEARING',
      hungUpBy: 'agent',
      agentId: 'a1',
      queueId: 'q1',
      answered: true,
      talkMs: 40_000,
      holdMs: 20_000,
      durationMs: 93_500,
    });
    const done = when([...history, ...ended], sampleCommand('DispositionCall', 100_000));
    expect(data(done, 'CallDispositioned')).toMatchObject({ agentId: 'a1', wrapUpCode: 'SALE', notes: 'renewed' });
  });
  it('counts a hangup while on hold as hold time', () => {
    const held = run([sampleCommand('HoldCall', 70_000)], history);
    const ended = when(held, cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'caller' }, 75_000));
    expect(data(ended, 'CallEnded')).toMatchObject({ talkMs: 10_000 + 5_500, holdMs: 20_000 + 5_000, answered: true });
    expect(types(ended)).not.toContain('CallAbandoned');
  });
  it('names the stream call-<callId>', () => {
    expect(callStreamName('c-1')).toBe('call-c-1');
  });
});

describe('offers', () => {
  const queued = run([sampleCommand('ReceiveCall', 1_000), sampleCommand('QueueCall', 2_000), sampleCommand('OfferToAgent', 10_000)]);
  it('no answer: the call goes back to queued at its original place', () => {
    const failed = run([sampleCommand('RecordAgentLegRinging', 10_100), sampleCommand('RecordAgentLegFailed', 25_000)], queued);
    expect(data(failed, 'AgentLegFailed')).toMatchObject({ cause: 'no_answer', returnedTo: 'queue', agentId: 'a1' });
    const s = fold(callDecider, failed);
    expect(s.status).toBe('queued');
    expect(s.queue?.enteredAt).toBe(2_000);
    const again = run(
      [cmd('OfferToAgent', { agentId: 'a2', offerId: 'o2' }, 26_000), cmd('RecordAgentLegAnswered', { offerId: 'o2' }, 28_000), cmd('ConnectCall', { offerId: 'o2' }, 29_000)],
      failed,
    );
    expect(data(again.slice(failed.length), 'CallOfferedToAgent')).toMatchObject({ offerNumber: 2, agentId: 'a2' });
    expect(data(again, 'CallConnected')).toMatchObject({ agentId: 'a2', waitMs: 27_000 });
  });
  it('hangup during the offer cancels the offer, then abandons with the queue wait', () => {
    const ringing = run([sampleCommand('RecordAgentLegRinging', 10_100)], queued);
    const out = when(ringing, cmd('EndCall', { cause: 'ORIGINATOR_CANCEL', hungUpBy: 'caller' }, 12_000));
    expect(types(out)).toEqual(['CallOfferCancelled', 'CallAbandoned', 'CallEnded']);
    expect(data(out, 'CallOfferCancelled')).toMatchObject({ offerId: 'o1', agentId: 'a1', reason: 'caller_hung_up' });
    expect(data(out, 'CallAbandoned')).toMatchObject({ where: 'queue', queueId: 'q1', waitMs: 10_000 });
    expect(data(out, 'CallEnded')).toMatchObject({ answered: false, agentId: null, talkMs: 0 });
  });
  it('a system hangup during the offer cancels the offer without an abandon', () => {
    const out = when(queued, cmd('EndCall', { cause: 'SYSTEM_SHUTDOWN', hungUpBy: 'system' }, 12_000));
    expect(types(out)).toEqual(['CallOfferCancelled', 'CallEnded']);
    expect(data(out, 'CallOfferCancelled').reason).toBe('call_ended');
  });
  it('rejects leg events for another offer', () => {
    const e = rejected(queued, cmd('RecordAgentLegRinging', { offerId: 'o-stale', channelUuid: 'x' }));
    expect(e.code).toBe('OFFER_MISMATCH');
    expect(e.details).toMatchObject({ expected: 'o1', got: 'o-stale' });
    expect(e.status).toBe(409);
  });
});

describe('callbacks', () => {
  const queued = run([sampleCommand('ReceiveCall', 1_000), sampleCommand('QueueCall', 2_000), cmd('StartRecording', { recordingId: 'r1' }, 2_500)]);
  const requested = run([cmd('RequestCallback', {}, 5_000)], queued);
  it('defaults the callback number to the caller, and stops the recording when the caller is released', () => {
    expect(data(requested, 'CallbackRequested')).toMatchObject({ callbackNumber: '+32475000001', queueId: 'q1', requestedIn: 'queue' });
    const out = when(requested, cmd('ScheduleCallback', { callbackId: 'cb-1', notBefore: 60_000 }, 6_000));
    expect(types(out)).toEqual(['RecordingStopped', 'CallbackScheduled']);
    expect(data(out, 'RecordingStopped').reason).toBe('caller_left');
  });
  const scheduled = run([cmd('ScheduleCallback', { callbackId: 'cb-1', notBefore: 60_000 }, 6_000)], requested);
  const offer = (offerId: string, agentId: string, at: number) => cmd('OfferToAgent', { agentId, offerId }, at);
  const answeredBy = (offerId: string, agentId: string, at: number) => [offer(offerId, agentId, at), cmd('RecordAgentLegAnswered', { offerId }, at + 5_000)];
  it('refuses an offer before notBefore, any attempt before an agent answered, and end and abandon while the callback is owed', () => {
    expect(rejected(scheduled, offer('o1', 'a1', 59_999)).code).toBe('CALLBACK_NOT_DUE');
    expect(rejected(scheduled, cmd('AttemptCallback', { attemptId: 't1', channelUuid: 'x' }, 61_000)).code).toBe('AGENT_LEG_NOT_ANSWERED');
    expect(rejected(scheduled, sampleCommand('EndCall', 61_000)).code).toBe('CALLBACK_PENDING');
    expect(rejected(scheduled, sampleCommand('AbandonCall', 61_000)).code).toBe('CALLBACK_PENDING');
  });
  it('Given a due callback, When it is offered, Then it keeps its place and its callback (a callback offer, not a caller on the line)', () => {
    const out = when(scheduled, offer('o1', 'a1', 60_000));
    expect(data(out, 'CallOfferedToAgent')).toMatchObject({ agentId: 'a1', offerId: 'o1', queueId: 'q1', callback: true });
    const s = fold(callDecider, [...scheduled, ...out]);
    expect(s.status).toBe('offered');
    expect(s.callback).toMatchObject({ callbackId: 'cb-1', attempts: 0 });
    expect(s.queue).toMatchObject({ queueId: 'q1', enteredAt: 2_000 });
    const ringing = run([cmd('RecordAgentLegRinging', { offerId: 'o1', channelUuid: 'ag' }, 61_000)], [...scheduled, ...out]);
    expect(data(ringing, 'AgentLegRinging').callback).toBe(true);
    expect(data(given('offered'), 'CallOfferedToAgent').callback).toBeUndefined();
    // The customer is not on the line: a callback offer is cancelled, not ended or abandoned.
    expect(rejected(ringing, sampleCommand('EndCall', 62_000)).code).toBe('CALLBACK_PENDING');
    expect(rejected(ringing, sampleCommand('AbandonCall', 62_000)).code).toBe('CALLBACK_PENDING');
    expect(rejected(ringing, cmd('ConnectCall', { offerId: 'o1' }, 62_000)).code).toBe('AGENT_LEG_NOT_ANSWERED');
    expect(types(when(ringing, cmd('CancelCallback', { reason: 'supervisor' }, 62_000)))).toEqual(['CallbackCancelled', 'CallOfferCancelled', 'CallEnded']);
  });
  it('When the agent leg fails on a callback offer, Then it is owed again at its place, no attempt spent', () => {
    const h = run([offer('o1', 'a1', 60_000)], scheduled);
    const out = when(h, cmd('RecordAgentLegFailed', { offerId: 'o1', cause: 'no_answer' }, 75_000));
    expect(data(out, 'AgentLegFailed')).toMatchObject({ returnedTo: 'callback', agentId: 'a1' });
    const s = fold(callDecider, [...h, ...out]);
    expect(s.status).toBe('callback_pending');
    expect(s.offer).toBeNull();
    expect(s.callback).toMatchObject({ attempts: 0, notBefore: 60_000 });
    expect(s.queue?.enteredAt).toBe(2_000);
    // Routable again at once, to another agent.
    expect(types(when([...h, ...out], offer('o2', 'a2', 75_001)))).toEqual(['CallOfferedToAgent']);
  });
  it('When the agent answers a callback offer, Then the customer is dialled (not connected yet); on answer the agent is connected', () => {
    const h = run(answeredBy('o1', 'a1', 60_000), scheduled);
    expect(fold(callDecider, h).status).toBe('agent_answered');
    expect(rejected(h, cmd('ConnectCall', { offerId: 'o1' }, 66_000)).code).toBe('CALLBACK_NOT_DIALING');
    const attempted = when(h, cmd('AttemptCallback', { attemptId: 't1', channelUuid: 'cb-leg-1' }, 66_000));
    expect(data(attempted, 'CallbackAttempted')).toMatchObject({ attempt: 1, attemptId: 't1', channelUuid: 'cb-leg-1', number: '+32475000001' });
    const dialing = [...h, ...attempted];
    const s = fold(callDecider, dialing);
    expect(s.status).toBe('callback_dialing');
    expect(s.offer?.offerId).toBe('o1');
    expect(rejected(dialing, cmd('ConnectCall', { offerId: 'o1' }, 67_000)).code).toBe('CALL_INVALID_TRANSITION');
    expect(rejected(dialing, cmd('CompleteCallback', { attemptId: 't0' }, 67_000)).code).toBe('CALLBACK_ATTEMPT_MISMATCH');
    const back = run([cmd('CompleteCallback', { attemptId: 't1' }, 70_000)], dialing);
    const after = fold(callDecider, back);
    expect(after.status).toBe('agent_answered');
    expect(after.callback).toBeNull();
    expect(after.offer?.offerId).toBe('o1');
    const connected = when(back, cmd('ConnectCall', { offerId: 'o1' }, 70_500));
    expect(data(connected, 'CallConnected')).toMatchObject({ agentId: 'a1', offerId: 'o1', queueId: 'q1', waitMs: 68_500 });
  });
  it('When the customer does not answer, Then the offer closes and the callback is due again at retryAt; the next attempt is agent first again', () => {
    const h = run([...answeredBy('o1', 'a1', 60_000), cmd('AttemptCallback', { attemptId: 't1', channelUuid: 'cb-leg-1' }, 66_000)], scheduled);
    const out = when(h, cmd('FailCallback', { attemptId: 't1', cause: 'busy', retry: true, retryAt: 156_000 }, 96_000));
    expect(types(out)).toEqual(['CallOfferCancelled', 'CallbackFailed']);
    expect(data(out, 'CallOfferCancelled')).toMatchObject({ offerId: 'o1', agentId: 'a1', reason: 'callback_failed' });
    expect(data(out, 'CallbackFailed')).toMatchObject({ willRetry: true, retryAt: 156_000, cause: 'busy' });
    const failed = [...h, ...out];
    const s = fold(callDecider, failed);
    expect(s).toMatchObject({ status: 'callback_pending', offer: null, callback: { attempts: 1, attemptId: null, notBefore: 156_000 } });
    expect(rejected(failed, offer('o2', 'a2', 155_999)).code).toBe('CALLBACK_NOT_DUE');
    const second = run([...answeredBy('o2', 'a2', 156_000), cmd('AttemptCallback', { attemptId: 't2', channelUuid: 'cb-leg-2' }, 162_000)], failed);
    expect(second.filter((e) => e.type === 'CallbackAttempted').map((e) => (e.data as CallEventData<'CallbackAttempted'>).attempt)).toEqual([1, 2]);
    expect(fold(callDecider, second).queue).toMatchObject({ queueId: 'q1', enteredAt: 2_000 });
  });
  it('When the agent leaves while the customer is dialled, Then the callback is due now and that attempt does not count', () => {
    const h = run([...answeredBy('o1', 'a1', 60_000), cmd('AttemptCallback', { attemptId: 't1', channelUuid: 'cb-leg-1' }, 66_000)], scheduled);
    const out = when(h, cmd('RecordAgentLegFailed', { offerId: 'o1', cause: 'agent_unavailable' }, 68_000));
    expect(data(out, 'AgentLegFailed')).toMatchObject({ returnedTo: 'callback' });
    expect(fold(callDecider, [...h, ...out])).toMatchObject({ status: 'callback_pending', offer: null, callback: { attempts: 0, attemptId: null, notBefore: 68_000 } });
  });
  it('gives up with CallEnded, never an abandon; the offer is cancelled once, before', () => {
    const h = run([...answeredBy('o1', 'a1', 60_000), cmd('AttemptCallback', { attemptId: 't1', channelUuid: 'x' }, 66_000)], scheduled);
    const out = when(h, cmd('FailCallback', { attemptId: 't1', cause: 'no_answer', retry: false }, 90_000));
    expect(types(out)).toEqual(['CallOfferCancelled', 'CallbackFailed', 'CallEnded']);
    expect(data(out, 'CallbackFailed').retryAt).toBeNull();
    expect(data(out, 'CallEnded')).toMatchObject({ cause: 'CALLBACK_FAILED', hungUpBy: 'system', answered: false, agentId: null });
  });
  it('reads a customer-first history (CallbackCompleted with no offer, v1 CallbackFailed) as it was: back in its queue', () => {
    const legacy: CallEvent[] = [
      ...scheduled,
      { type: 'CallbackAttempted', data: { callId: 'c-1', at: 60_000, callbackId: 'cb-1', attemptId: 't1', attempt: 1, number: '+32475000001', channelUuid: 'x' } },
      { type: 'CallbackCompleted', data: { callId: 'c-1', at: 65_000, callbackId: 'cb-1', attemptId: 't1', queueId: 'q1' } },
    ];
    expect(fold(callDecider, legacy)).toMatchObject({ status: 'queued', callback: null, queue: { enteredAt: 2_000 } });
  });
});

describe('outbound', () => {
  it('an agent-originated call connects without an offer', () => {
    const h = run([sampleCommand('OriginateCall', 1_000)]);
    const out = when(h, cmd('ConnectCall', {}, 9_000));
    expect(data(out, 'CallConnected')).toEqual({ callId: 'c-1', at: 9_000, agentId: 'a9', offerId: null, queueId: null, waitMs: null });
  });
  it('an agentless call has no agent to connect', () => {
    const h = run([cmd('OriginateCall', { destinationNumber: '+1', callerIdNumber: '+2', switchId: 'fs', channelUuid: 'u' })]);
    expect(rejected(h, cmd('ConnectCall', {})).code).toBe('CALL_NO_AGENT');
  });
  it('a transfer to an agent who does not answer leaves a never-queued call unrouted', () => {
    const h = run([sampleCommand('OriginateCall', 1_000), cmd('ConnectCall', {}, 2_000), cmd('TransferCall', { target: { kind: 'agent', agentId: 'a1', offerId: 'o1' } }, 3_000)]);
    expect(data(h, 'CallOfferedToAgent')).toMatchObject({ queueId: null, offerNumber: 1 });
    const out = when(h, sampleCommand('RecordAgentLegFailed', 4_000));
    expect(data(out, 'AgentLegFailed').returnedTo).toBe('unrouted');
    expect(fold(callDecider, [...h, ...out]).status).toBe('arrived');
  });
});

describe('transfers, consults, conferences', () => {
  const connected = given('connected'); // a1 connected at 6 s
  it('blind transfer to an agent closes the departing agent, offers the call, and both may disposition', () => {
    const h = run([cmd('TransferCall', { target: { kind: 'agent', agentId: 'a2', offerId: 'o2' } }, 16_000)], connected);
    expect(data(h, 'CallTransferred')).toMatchObject({ fromAgentId: 'a1', talkMs: 10_000, holdMs: 0 });
    expect(data(h.slice(connected.length), 'CallOfferedToAgent')).toMatchObject({ agentId: 'a2', offerId: 'o2', queueId: null, offerNumber: 2 });
    const end = run(
      [
        cmd('RecordAgentLegAnswered', { offerId: 'o2' }, 17_000),
        cmd('ConnectCall', { offerId: 'o2' }, 18_000),
        cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'caller' }, 28_000),
      ],
      h,
    );
    expect(data(end.slice(h.length), 'CallConnected')).toMatchObject({ agentId: 'a2', queueId: null, waitMs: null });
    expect(data(end.slice(h.length), 'CallEnded')).toMatchObject({ agentId: 'a2', queueId: 'q1', talkMs: 20_000 });
    expect(fold(callDecider, end).handledBy).toEqual(['a1', 'a2']);
    expect(when(end, cmd('DispositionCall', { agentId: 'a2', wrapUpCode: 'X' })).map((e) => e.type)).toEqual(['CallDispositioned']);
    expect(rejected(end, cmd('DispositionCall', { agentId: 'a3', wrapUpCode: 'X' })).code).toBe('CALL_NOT_HANDLED');
  });
  it('a caller hanging up during a transferred offer is not a queue abandon, and a failed transferred offer leaves the call unrouted', () => {
    const h = run([cmd('TransferCall', { target: { kind: 'agent', agentId: 'a2', offerId: 'o2' } }, 16_000)], connected);
    expect(types(when(h, cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'caller' }, 17_000)))).toEqual(['CallOfferCancelled', 'CallEnded']);
    const failed = when(h, cmd('RecordAgentLegFailed', { offerId: 'o2', cause: 'rejected' }, 17_000));
    expect(data(failed, 'AgentLegFailed').returnedTo).toBe('unrouted');
    expect(rejected(h, cmd('ChangeCallPriority', { priority: 3 })).code).toBe('CALL_NOT_QUEUED');
  });
  it('blind transfer outside ends the call on our side', () => {
    const out = when(connected, cmd('TransferCall', { target: { kind: 'external', number: '+33100000000' } }, 10_000));
    expect(types(out)).toEqual(['CallTransferred', 'CallEnded']);
    expect(data(out, 'CallEnded')).toMatchObject({ cause: 'TRANSFERRED_EXTERNAL', hungUpBy: 'system', answered: true, agentId: null, talkMs: 4_000 });
  });
  it('refuses a transfer or consult to the agent already handling the call', () => {
    expect(rejected(connected, cmd('TransferCall', { target: { kind: 'agent', agentId: 'a1', offerId: 'o9' } })).code).toBe('CALL_TRANSFER_TO_SELF');
    expect(rejected(connected, cmd('StartConsult', { consultId: 'k', target: { kind: 'agent', agentId: 'a1' } })).code).toBe('CALL_TRANSFER_TO_SELF');
  });
  it('attended transfer: the customer comes off hold and the consulted agent takes the call', () => {
    const h = run(
      [cmd('HoldCall', {}, 10_000), cmd('StartConsult', { consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } }, 10_500), cmd('JoinSupervisor', { supervisorId: 's1', mode: 'whisper' }, 11_000)],
      connected,
    );
    const out = when(h, cmd('CompleteConsult', { consultId: 'k1', mode: 'transfer' }, 40_000));
    expect(types(out)).toEqual(['SupervisorLeft', 'CallResumed', 'ConsultCompleted']);
    expect(data(out, 'ConsultCompleted')).toMatchObject({ fromAgentId: 'a1', talkMs: 4_000, holdMs: 30_000 });
    const s = fold(callDecider, [...h, ...out]);
    expect(s).toMatchObject({ status: 'connected', agentId: 'a2', held: false, consult: null, handledBy: ['a1', 'a2'], supervisors: {} });
    expect(rejected([...h, ...out], cmd('CancelConsult', { consultId: 'k1' })).code).toBe('CONSULT_NOT_ACTIVE');
  });
  it('attended transfer to an external number ends the call on our side with the departing agent closed', () => {
    const h = run([cmd('StartConsult', { consultId: 'k1', target: { kind: 'external', number: '+3' } }, 10_000), cmd('StartRecording', { recordingId: 'r1' }, 10_500)], connected);
    const out = when(h, cmd('CompleteConsult', { consultId: 'k1', mode: 'transfer' }, 20_000));
    expect(types(out)).toEqual(['ConsultCompleted', 'RecordingStopped', 'CallEnded']);
    expect(data(out, 'ConsultCompleted')).toMatchObject({ mode: 'transfer', fromAgentId: 'a1', talkMs: 14_000 });
    expect(data(out, 'CallEnded')).toMatchObject({ cause: 'TRANSFERRED_EXTERNAL', hungUpBy: 'system', agentId: null, answered: true, talkMs: 14_000 });
  });
  it('Given a consult ringing, When the consulted party answers, Then ConsultAnswered with the ring time; a second answer or another consult id is refused', () => {
    const h = run([cmd('StartConsult', { consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } }, 10_000)], connected);
    const out = when(h, cmd('RecordConsultAnswered', { consultId: 'k1' }, 14_000));
    expect(types(out)).toEqual(['ConsultAnswered']);
    expect(data(out, 'ConsultAnswered')).toMatchObject({ consultId: 'k1', ringMs: 4_000 });
    expect(fold(callDecider, [...h, ...out]).consult).toMatchObject({ consultId: 'k1', startedAt: 10_000, answeredAt: 14_000 });
    expect(rejected([...h, ...out], cmd('RecordConsultAnswered', { consultId: 'k1' }, 15_000)).code).toBe('AGENT_LEG_ALREADY_ANSWERED');
    expect(rejected(h, cmd('RecordConsultAnswered', { consultId: 'k2' }, 15_000)).code).toBe('CONSULT_MISMATCH');
    expect(rejected(connected, cmd('RecordConsultAnswered', { consultId: 'k1' }, 15_000)).code).toBe('CONSULT_NOT_ACTIVE');
    // Completing after the answer is the usual attended transfer.
    const done = when([...h, ...out], cmd('CompleteConsult', { consultId: 'k1', mode: 'transfer' }, 20_000));
    expect(types(done)).toEqual(['ConsultCompleted']);
  });
  it('consult mismatch is refused; a conference adds the consulted party', () => {
    const h = run([cmd('StartConsult', { consultId: 'k1', target: { kind: 'external', number: '+3' } }, 10_000)], connected);
    expect(rejected(h, cmd('CompleteConsult', { consultId: 'k2', mode: 'conference' })).code).toBe('CONSULT_MISMATCH');
    const conf = run([cmd('CompleteConsult', { consultId: 'k1', mode: 'conference' }, 11_000)], h);
    expect(fold(callDecider, conf).parties).toEqual({ k1: { kind: 'external', number: '+3' } });
    expect(types(when(conf, cmd('RemoveConferenceParty', { partyId: 'k1', reason: 'hung_up' })))).toEqual(['ConferencePartyRemoved']);
  });
});

describe('queue', () => {
  const queued = run([sampleCommand('ReceiveCall', 1_000), sampleCommand('QueueCall', 2_000)]);
  it('overflow to callback keeps the place of the queue left', () => {
    const out = when(queued, cmd('OverflowCall', { reason: 'no_agents', exit: { kind: 'callback' } }, 50_000));
    expect(types(out)).toEqual(['CallOverflowed', 'CallbackRequested']);
    expect(data(out, 'CallOverflowed')).toMatchObject({ fromQueueId: 'q1', waitMs: 48_000 });
    expect(data(out, 'CallbackRequested')).toMatchObject({ queueId: 'q1', requestedIn: 'overflow' });
  });
  it('overflow to hangup ends the call without an abandon; overflow into the same queue is refused', () => {
    const out = when(queued, cmd('OverflowCall', { reason: 'max_queue_length', exit: { kind: 'hangup' } }, 3_000));
    expect(types(out)).toEqual(['CallOverflowed', 'CallEnded']);
    expect(data(out, 'CallEnded')).toMatchObject({ cause: 'QUEUE_OVERFLOW', hungUpBy: 'system' });
    expect(rejected(queued, cmd('OverflowCall', { reason: 'max_wait', exit: { kind: 'queue', queueId: 'q1' } })).code).toBe('CALL_ALREADY_QUEUED');
  });
  it('overflow to another queue is a new queue entry with the same priority and skills', () => {
    const out = when(queued, cmd('OverflowCall', { reason: 'max_wait', exit: { kind: 'queue', queueId: 'q2' } }, 9_000));
    expect(data(out, 'CallQueued')).toMatchObject({ queueId: 'q2', priority: 10, reason: 'overflowed', requiredSkills: [{ skill: 'french', minProficiency: 2 }] });
    expect(fold(callDecider, [...queued, ...out]).firstQueuedAt).toBe(2_000);
  });
  it('priority changes reach a waiting caller; an unchanged priority is refused', () => {
    expect(data(when(queued, cmd('ChangeCallPriority', { priority: 99 })), 'CallPriorityChanged')).toMatchObject({ from: 10, to: 99 });
    expect(rejected(queued, cmd('ChangeCallPriority', { priority: 10 })).code).toBe('CALL_PRIORITY_UNCHANGED');
  });
  it('an abandon in the IVR measures from IvrStarted', () => {
    const h = run([sampleCommand('ReceiveCall', 1_000), sampleCommand('StartIvr', 2_000)]);
    const out = when(h, cmd('AbandonCall', {}, 9_000));
    expect(data(out, 'CallAbandoned')).toEqual({ callId: 'c-1', at: 9_000, where: 'ivr', queueId: null, waitMs: 7_000 });
    expect(data(out, 'CallEnded')).toMatchObject({ cause: 'ORIGINATOR_CANCEL', hungUpBy: 'caller' });
  });
  it('a failed IVR lookup is recorded as IvrLookupFailed', () => {
    const h = run([sampleCommand('ReceiveCall', 1_000), sampleCommand('StartIvr', 2_000)]);
    const out = when(h, cmd('RecordLookupResult', { nodeId: 'n', lookup: 'crm', result: { ok: false, reason: 'timeout' } }));
    expect(data(out, 'IvrLookupFailed')).toMatchObject({ reason: 'timeout', message: null });
  });
});

describe('duplicates and bad input', () => {
  it('refuses a second identical identification but accepts a changed tier', () => {
    const h = run([sampleCommand('ReceiveCall'), sampleCommand('IdentifyCaller')]);
    expect(rejected(h, sampleCommand('IdentifyCaller')).code).toBe('CALLER_ALREADY_IDENTIFIED');
    expect(types(when(h, cmd('IdentifyCaller', { customerId: 'cust-1', tier: 'vip', source: 'agent' })))).toEqual(['CallerIdentified']);
  });
  it('maps refusals to HTTP statuses', () => {
    expect(rejected([], sampleCommand('HoldCall')).status).toBe(404);
    expect(rejected(given('ended'), sampleCommand('EndCall')).status).toBe(409);
  });
  it('refuses a command addressed to another call', () => {
    const e = rejected(given('arrived'), { ...sampleCommand('IdentifyCaller'), callId: 'other' });
    expect(e.code).toBe('VALIDATION_FAILED');
  });
  it('validates commands at the edge with a coded error', () => {
    expect(() => parseCallCommand({ type: 'QueueCall', commandId: 'x', at: 1, callId: 'c', queueId: 'q', priority: 5000 })).toThrow(LedgerlineError);
    try {
      parseCallCommand({ type: 'Nope' });
    } catch (e) {
      expect(isLedgerlineError(e, 'VALIDATION_FAILED')).toBe(true);
    }
    expect(parseCallCommand({ type: 'QueueCall', commandId: 'x', at: 1, callId: 'c', queueId: 'q', priority: 5 })).toMatchObject({ requiredSkills: [] });
  });
});
