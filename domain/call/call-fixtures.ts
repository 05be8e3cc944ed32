// Test fixtures: one command of each type, and histories that bring a call into each state (built by the decider itself,
// so every fixture is a reachable history). Used by the call tests; pure, so it may live next to the domain code.
import { fold } from '../decider.ts';
import { parseCallCommand, type CallCommand, type CallCommandType } from './call-commands.ts';
import { callDecider } from './call-decider.ts';
import type { CallEvent } from './call-events.ts';
import type { CallState } from './call-state.ts';

export const CALL_ID = 'c-1';
let seq = 0;

/** A validated command of `type` for the fixture call (defaults applied by the schema). */
export function cmd<T extends CallCommandType>(type: T, fields: Record<string, unknown> = {}, at = 1_000): Extract<CallCommand, { type: T }> {
  seq += 1;
  return parseCallCommand({ type, commandId: `cmd-${type}-${seq}`, at, actor: 'system:test', callId: CALL_ID, ...fields }) as Extract<CallCommand, { type: T }>;
}

/** One representative command per type, with ids that match the fixture histories (offer o1, consult k1, party p1, …). */
export function sampleCommand(type: CallCommandType, at = 100_000): CallCommand {
  const fields: Record<CallCommandType, Record<string, unknown>> = {
    ReceiveCall: { did: '+3225550100', callerNumber: '+32475000001', callerName: 'Ada', switchId: 'fs-1', channelUuid: 'ch-caller' },
    OriginateCall: { destinationNumber: '+32475000002', callerIdNumber: '+3225550100', switchId: 'fs-1', channelUuid: 'ch-out', agentId: 'a9' },
    IdentifyCaller: { customerId: 'cust-1', tier: 'gold', source: 'crm' },
    StartIvr: { flowId: 'flow-1', flowVersion: 3 },
    EnterIvrNode: { nodeId: 'menu', nodeType: 'menu' },
    RecordPromptPlayed: { nodeId: 'menu', promptId: 'welcome' },
    RecordIvrInput: { nodeId: 'menu', input: { kind: 'dtmf', digits: '1' } },
    RecordLookupResult: { nodeId: 'lookup', lookup: 'balance', result: { ok: true, values: { balance: 12 } } },
    CompleteIvr: { outcome: 'queue' },
    QueueCall: { queueId: 'q1', priority: 10, requiredSkills: [{ skill: 'french', minProficiency: 2 }] },
    ChangeCallPriority: { priority: 50 },
    AnnounceWaitEstimate: { estimatedWaitSeconds: 90, positionInQueue: 3, method: 'erlang-c' },
    RequestCallback: {},
    ScheduleCallback: { callbackId: 'cb-1', notBefore: 0 },
    AttemptCallback: { attemptId: 't1', channelUuid: 'ch-cb' },
    CompleteCallback: { attemptId: 't1' },
    FailCallback: { attemptId: 't1', cause: 'no_answer', retry: true },
    CancelCallback: { reason: 'customer asked' },
    OfferToAgent: { agentId: 'a1', offerId: 'o1' },
    RecordAgentLegRinging: { offerId: 'o1', channelUuid: 'ch-agent' },
    RecordAgentLegAnswered: { offerId: 'o1' },
    RecordAgentLegFailed: { offerId: 'o1', cause: 'no_answer' },
    ConnectCall: { offerId: 'o1' },
    HoldCall: {},
    ResumeCall: {},
    TransferCall: { target: { kind: 'queue', queueId: 'q2', priority: 5, requiredSkills: [] } },
    StartConsult: { consultId: 'k2', target: { kind: 'agent', agentId: 'a2' } },
    RecordConsultAnswered: { consultId: 'k1' },
    CompleteConsult: { consultId: 'k1', mode: 'transfer' },
    CancelConsult: { consultId: 'k1' },
    AddConferenceParty: { partyId: 'p1', party: { kind: 'external', number: '+32475000003' } },
    RemoveConferenceParty: { partyId: 'p1' },
    JoinSupervisor: { supervisorId: 's1', mode: 'listen' },
    LeaveSupervisor: { supervisorId: 's1' },
    StartRecording: { recordingId: 'r2' },
    PauseRecording: { reason: 'pci' },
    ResumeRecording: {},
    StopRecording: {},
    AbandonCall: {},
    OverflowCall: { reason: 'max_wait', exit: { kind: 'queue', queueId: 'q2' } },
    EndCall: { cause: 'NORMAL_CLEARING', hungUpBy: 'caller' },
    DispositionCall: { agentId: 'a1', wrapUpCode: 'SALE', notes: 'renewed' },
  };
  return cmd(type, fields[type], at);
}

/** Runs commands one after another (each at a later time) and returns every event. Throws on the first refusal. */
export function run(commands: readonly CallCommand[], from: readonly CallEvent[] = []): CallEvent[] {
  const events = [...from];
  let state = fold(callDecider, events);
  for (const c of commands) {
    const out = callDecider.decide(c, state);
    for (const e of out) state = callDecider.evolve(state, e);
    events.push(...out);
  }
  return events;
}

/** Commands at 1 s intervals, so durations in the fixtures are easy to read. */
function timed(types: readonly (CallCommandType | CallCommand)[]): CallCommand[] {
  return types.map((t, i) => (typeof t === 'string' ? sampleCommand(t, (i + 1) * 1_000) : { ...t, at: (i + 1) * 1_000 }));
}

const toConnected: (CallCommandType | CallCommand)[] = ['ReceiveCall', 'QueueCall', 'OfferToAgent', 'RecordAgentLegRinging', 'RecordAgentLegAnswered', 'ConnectCall'];

/** Named histories, at least one per CallStatus, plus connected sub-states (held, consulting, with parties, …). */
export const SCENARIOS = {
  none: [],
  arrived: ['ReceiveCall'],
  arrived_outbound: ['OriginateCall'],
  in_ivr: ['ReceiveCall', 'StartIvr'],
  queued: ['ReceiveCall', 'QueueCall'],
  offered: ['ReceiveCall', 'QueueCall', 'OfferToAgent'],
  ringing: ['ReceiveCall', 'QueueCall', 'OfferToAgent', 'RecordAgentLegRinging'],
  agent_answered: ['ReceiveCall', 'QueueCall', 'OfferToAgent', 'RecordAgentLegRinging', 'RecordAgentLegAnswered'],
  connected: toConnected,
  connected_held: [...toConnected, 'HoldCall'],
  connected_consulting: [...toConnected, cmd('StartConsult', { consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } })],
  connected_busy: [...toConnected, 'AddConferenceParty', 'JoinSupervisor', cmd('StartRecording', { recordingId: 'r1' })],
  connected_recording_paused: [...toConnected, cmd('StartRecording', { recordingId: 'r1' }), 'PauseRecording'],
  voicemail: ['ReceiveCall', 'QueueCall', cmd('OverflowCall', { reason: 'max_wait', exit: { kind: 'voicemail', mailbox: 'mb-1' } })],
  callback_requested: ['ReceiveCall', 'QueueCall', 'RequestCallback'],
  callback_pending: ['ReceiveCall', 'QueueCall', 'RequestCallback', 'ScheduleCallback'],
  callback_offered: ['ReceiveCall', 'QueueCall', 'RequestCallback', 'ScheduleCallback', 'OfferToAgent'],
  callback_ringing: ['ReceiveCall', 'QueueCall', 'RequestCallback', 'ScheduleCallback', 'OfferToAgent', 'RecordAgentLegRinging'],
  callback_answered: ['ReceiveCall', 'QueueCall', 'RequestCallback', 'ScheduleCallback', 'OfferToAgent', 'RecordAgentLegRinging', 'RecordAgentLegAnswered'],
  callback_dialing: ['ReceiveCall', 'QueueCall', 'RequestCallback', 'ScheduleCallback', 'OfferToAgent', 'RecordAgentLegRinging', 'RecordAgentLegAnswered', 'AttemptCallback'],
  ended: [...toConnected, cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'agent' })],
  ended_unanswered: ['ReceiveCall', 'QueueCall', 'AbandonCall'],
  dispositioned: [...toConnected, cmd('EndCall', { cause: 'NORMAL_CLEARING', hungUpBy: 'agent' }), 'DispositionCall'],
} as const satisfies Record<string, readonly (CallCommandType | CallCommand)[]>;

export type ScenarioName = keyof typeof SCENARIOS;

/** The events of a named scenario. */
export function given(name: ScenarioName): CallEvent[] {
  return run(timed(SCENARIOS[name]));
}

/** The state of a named scenario. */
export function stateOf(name: ScenarioName): CallState {
  return fold(callDecider, given(name));
}
