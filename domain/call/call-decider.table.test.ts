// Every scenario state × every command: the exact events emitted, or the exact error code. No pair is left out:
// the test enumerates both axes and fails when the table has no expectation for a pair.
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { CALL_COMMAND_TYPES, type CallCommandType } from './call-commands.ts';
import { callDecider } from './call-decider.ts';
import { callEvents } from './call-events.ts';
import { CALL_STATUSES } from './call-state.ts';
import { SCENARIOS, sampleCommand, stateOf, type ScenarioName } from './call-fixtures.ts';

/** Events (by type, in order) or an error code. */
type Outcome = readonly string[] | string;
type Row = Partial<Record<ScenarioName, Outcome>> & { _?: Outcome };

const gone = { none: 'CALL_NOT_FOUND', ended: 'CALL_ALREADY_ENDED', ended_unanswered: 'CALL_ALREADY_ENDED', dispositioned: 'CALL_ALREADY_ENDED' } as const;
const connectedAll = ['connected', 'connected_held', 'connected_consulting', 'connected_busy', 'connected_recording_paused'] as const;
const offering = ['offered', 'ringing', 'agent_answered'] as const;
const callbacks = ['callback_requested', 'callback_pending', 'callback_dialing'] as const;
/** A due callback offered to an agent (agent first): offered, ringing, answered, with the callback kept. */
const callbackOffering = ['callback_offered', 'callback_ringing', 'callback_answered'] as const;
const each = (names: readonly ScenarioName[], o: Outcome): Row => Object.fromEntries(names.map((n) => [n, o]));
const ivrOnly = (event: string): Row => ({ ...gone, in_ivr: [event], _: 'CALL_NOT_IN_IVR' });

const TABLE: Record<CallCommandType, Row> = {
  ReceiveCall: { none: ['CallArrived'], _: 'CALL_ALREADY_EXISTS' },
  OriginateCall: { none: ['CallOriginated'], _: 'CALL_ALREADY_EXISTS' },
  IdentifyCaller: { ...gone, _: ['CallerIdentified'] },
  StartIvr: { ...gone, arrived: ['IvrStarted'], arrived_outbound: ['IvrStarted'], in_ivr: 'CALL_ALREADY_IN_IVR', _: 'CALL_INVALID_TRANSITION' },
  EnterIvrNode: ivrOnly('IvrNodeEntered'),
  RecordPromptPlayed: ivrOnly('IvrPromptPlayed'),
  RecordIvrInput: ivrOnly('IvrInputReceived'),
  RecordLookupResult: ivrOnly('IvrLookupAnswered'),
  CompleteIvr: ivrOnly('IvrCompleted'),
  QueueCall: {
    ...gone,
    arrived: ['CallQueued'],
    arrived_outbound: ['CallQueued'],
    in_ivr: 'CALL_ALREADY_IN_IVR',
    ...each(['queued', ...offering, ...callbackOffering], 'CALL_ALREADY_QUEUED'),
    ...each(connectedAll, 'CALL_ALREADY_CONNECTED'),
    _: 'CALL_INVALID_TRANSITION',
  },
  ChangeCallPriority: { ...gone, ...each(['queued', ...offering, ...callbackOffering], ['CallPriorityChanged']), _: 'CALL_NOT_QUEUED' },
  AnnounceWaitEstimate: { ...gone, queued: ['WaitEstimateAnnounced'], _: 'CALL_NOT_QUEUED' },
  RequestCallback: { ...gone, queued: ['CallbackRequested'], ...each([...callbacks, ...callbackOffering], 'CALLBACK_ALREADY_REQUESTED'), _: 'CALL_NOT_QUEUED' },
  ScheduleCallback: {
    ...gone,
    callback_requested: ['CallbackScheduled'],
    ...each(['callback_pending', 'callback_dialing', ...callbackOffering], 'CALLBACK_ALREADY_SCHEDULED'),
    _: 'CALLBACK_NOT_REQUESTED',
  },
  // Agent first: the customer is dialled only once an agent answered the callback's offer.
  AttemptCallback: {
    ...gone,
    callback_answered: ['CallbackAttempted'],
    ...each(['callback_pending', 'callback_offered', 'callback_ringing'], 'AGENT_LEG_NOT_ANSWERED'),
    callback_requested: 'CALLBACK_NOT_PENDING',
    callback_dialing: 'CALLBACK_NOT_PENDING',
    _: 'CALLBACK_NOT_REQUESTED',
  },
  CompleteCallback: {
    ...gone,
    callback_dialing: ['CallbackCompleted'],
    ...each(['callback_requested', 'callback_pending', ...callbackOffering], 'CALLBACK_NOT_DIALING'),
    _: 'CALLBACK_NOT_REQUESTED',
  },
  FailCallback: {
    ...gone,
    callback_dialing: ['CallOfferCancelled', 'CallbackFailed'],
    ...each(['callback_requested', 'callback_pending', ...callbackOffering], 'CALLBACK_NOT_DIALING'),
    _: 'CALLBACK_NOT_REQUESTED',
  },
  CancelCallback: {
    ...gone,
    callback_requested: ['CallbackCancelled', 'CallEnded'],
    callback_pending: ['CallbackCancelled', 'CallEnded'],
    ...each(['callback_dialing', ...callbackOffering], ['CallbackCancelled', 'CallOfferCancelled', 'CallEnded']),
    _: 'CALLBACK_NOT_REQUESTED',
  },
  OfferToAgent: { ...gone, queued: ['CallOfferedToAgent'], callback_pending: ['CallOfferedToAgent'], ...each([...offering, ...callbackOffering, 'callback_dialing'], 'CALL_ALREADY_OFFERED'), _: 'CALL_NOT_QUEUED' },
  RecordAgentLegRinging: {
    ...gone,
    offered: ['AgentLegRinging'],
    callback_offered: ['AgentLegRinging'],
    ringing: 'AGENT_LEG_ALREADY_RINGING',
    callback_ringing: 'AGENT_LEG_ALREADY_RINGING',
    ...each(['agent_answered', 'callback_answered', 'callback_dialing'], 'AGENT_LEG_ALREADY_ANSWERED'),
    _: 'CALL_NOT_OFFERED',
  },
  RecordAgentLegAnswered: {
    ...gone,
    ...each(['offered', 'ringing', 'callback_offered', 'callback_ringing'], ['AgentLegAnswered']),
    ...each(['agent_answered', 'callback_answered', 'callback_dialing'], 'AGENT_LEG_ALREADY_ANSWERED'),
    _: 'CALL_NOT_OFFERED',
  },
  RecordAgentLegFailed: { ...gone, ...each([...offering, ...callbackOffering, 'callback_dialing'], ['AgentLegFailed']), _: 'CALL_NOT_OFFERED' },
  ConnectCall: {
    ...gone,
    agent_answered: ['CallConnected'],
    ...each(['offered', 'ringing', 'callback_offered', 'callback_ringing'], 'AGENT_LEG_NOT_ANSWERED'),
    // A callback offer connects only after the customer answered the dial-back.
    callback_answered: 'CALLBACK_NOT_DIALING',
    arrived: 'CALL_NO_AGENT',
    arrived_outbound: 'CALL_NOT_OFFERED',
    queued: 'CALL_NOT_OFFERED',
    ...each(connectedAll, 'CALL_ALREADY_CONNECTED'),
    _: 'CALL_INVALID_TRANSITION',
  },
  HoldCall: { ...gone, ...each(connectedAll, ['CallHeld']), connected_held: 'CALL_ALREADY_HELD', _: 'CALL_NOT_CONNECTED' },
  ResumeCall: { ...gone, ...each(connectedAll, 'CALL_NOT_HELD'), connected_held: ['CallResumed'], _: 'CALL_NOT_CONNECTED' },
  TransferCall: {
    ...gone,
    connected: ['CallTransferred', 'CallQueued'],
    connected_held: ['CallResumed', 'CallTransferred', 'CallQueued'],
    connected_consulting: ['ConsultCancelled', 'CallTransferred', 'CallQueued'],
    connected_busy: ['ConferencePartyRemoved', 'SupervisorLeft', 'CallTransferred', 'CallQueued'],
    connected_recording_paused: ['CallTransferred', 'CallQueued'],
    _: 'CALL_NOT_CONNECTED',
  },
  StartConsult: { ...gone, ...each(connectedAll, ['ConsultStarted']), connected_consulting: 'CONSULT_ALREADY_ACTIVE', _: 'CALL_NOT_CONNECTED' },
  RecordConsultAnswered: { ...gone, ...each(connectedAll, 'CONSULT_NOT_ACTIVE'), connected_consulting: ['ConsultAnswered'], _: 'CALL_NOT_CONNECTED' },
  CompleteConsult: { ...gone, ...each(connectedAll, 'CONSULT_NOT_ACTIVE'), connected_consulting: ['ConsultCompleted'], _: 'CALL_NOT_CONNECTED' },
  CancelConsult: { ...gone, ...each(connectedAll, 'CONSULT_NOT_ACTIVE'), connected_consulting: ['ConsultCancelled'], _: 'CALL_NOT_CONNECTED' },
  AddConferenceParty: { ...gone, ...each(connectedAll, ['ConferencePartyAdded']), connected_busy: 'CONFERENCE_PARTY_ALREADY_PRESENT', _: 'CALL_NOT_CONNECTED' },
  RemoveConferenceParty: { ...gone, ...each(connectedAll, 'CONFERENCE_PARTY_NOT_FOUND'), connected_busy: ['ConferencePartyRemoved'], _: 'CALL_NOT_CONNECTED' },
  JoinSupervisor: { ...gone, ...each(connectedAll, ['SupervisorJoined']), connected_busy: 'SUPERVISOR_ALREADY_PRESENT', _: 'CALL_NOT_CONNECTED' },
  LeaveSupervisor: { ...gone, ...each(connectedAll, 'SUPERVISOR_NOT_PRESENT'), connected_busy: ['SupervisorLeft'], _: 'CALL_NOT_CONNECTED' },
  StartRecording: {
    ...gone,
    connected_busy: 'RECORDING_ALREADY_ACTIVE',
    connected_recording_paused: 'RECORDING_ALREADY_ACTIVE',
    callback_pending: 'CALL_INVALID_TRANSITION',
    callback_dialing: 'CALL_INVALID_TRANSITION',
    _: ['RecordingStarted'],
  },
  PauseRecording: {
    ...gone,
    connected_busy: ['RecordingPaused'],
    connected_recording_paused: 'RECORDING_ALREADY_PAUSED',
    callback_pending: 'CALL_INVALID_TRANSITION',
    callback_dialing: 'CALL_INVALID_TRANSITION',
    _: 'RECORDING_NOT_ACTIVE',
  },
  ResumeRecording: {
    ...gone,
    connected_busy: 'RECORDING_NOT_PAUSED',
    connected_recording_paused: ['RecordingResumed'],
    callback_pending: 'CALL_INVALID_TRANSITION',
    callback_dialing: 'CALL_INVALID_TRANSITION',
    _: 'RECORDING_NOT_ACTIVE',
  },
  StopRecording: {
    ...gone,
    connected_busy: ['RecordingStopped'],
    connected_recording_paused: ['RecordingStopped'],
    callback_pending: 'CALL_INVALID_TRANSITION',
    callback_dialing: 'CALL_INVALID_TRANSITION',
    _: 'RECORDING_NOT_ACTIVE',
  },
  AbandonCall: {
    ...gone,
    in_ivr: ['CallAbandoned', 'CallEnded'],
    queued: ['CallAbandoned', 'CallEnded'],
    ...each(offering, ['CallOfferCancelled', 'CallAbandoned', 'CallEnded']),
    ...each([...callbacks, ...callbackOffering], 'CALLBACK_PENDING'),
    _: 'CALL_NOT_WAITING',
  },
  OverflowCall: { ...gone, queued: ['CallOverflowed', 'CallQueued'], ...each([...offering, ...callbackOffering], 'CALL_ALREADY_OFFERED'), _: 'CALL_NOT_QUEUED' },
  EndCall: {
    ...gone,
    // The table's command is hung up by the caller: before the IVR started, that is an IVR abandon.
    arrived: ['CallAbandoned', 'CallEnded'],
    arrived_outbound: ['CallEnded'],
    in_ivr: ['CallAbandoned', 'CallEnded'],
    queued: ['CallAbandoned', 'CallEnded'],
    ...each(offering, ['CallOfferCancelled', 'CallAbandoned', 'CallEnded']),
    connected: ['CallEnded'],
    connected_held: ['CallEnded'],
    connected_consulting: ['ConsultCancelled', 'CallEnded'],
    connected_busy: ['ConferencePartyRemoved', 'SupervisorLeft', 'RecordingStopped', 'CallEnded'],
    connected_recording_paused: ['RecordingStopped', 'CallEnded'],
    voicemail: ['CallEnded'],
    ...each([...callbacks, ...callbackOffering], 'CALLBACK_PENDING'),
  },
  DispositionCall: {
    none: 'CALL_NOT_FOUND',
    ended: ['CallDispositioned'],
    ended_unanswered: 'CALL_NOT_HANDLED',
    dispositioned: 'CALL_ALREADY_DISPOSITIONED',
    _: 'CALL_NOT_ENDED',
  },
};

const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
const schemaByType = new Map<string, (typeof callEvents)[number]>(callEvents.map((d) => [d.type, d]));

function outcome(scenario: ScenarioName, type: CallCommandType): Outcome {
  const state = stateOf(scenario);
  try {
    const events = callDecider.decide(sampleCommand(type), state);
    // Whatever is emitted must validate against its schema and fold without error.
    let s = state;
    for (const e of events) {
      schemaByType.get(e.type)!.schema.parse(e.data);
      s = callDecider.evolve(s, e);
    }
    return events.map((e) => e.type);
  } catch (e) {
    if (isLedgerlineError(e)) return e.code;
    throw e;
  }
}

describe('call decider: every state × every command', () => {
  it('has scenarios covering every CallStatus', () => {
    const covered = new Set(SCENARIO_NAMES.map((n) => stateOf(n).status));
    expect([...covered].sort()).toEqual([...CALL_STATUSES].sort());
  });
  it('has a table row for every command type, and no row for an unknown one', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...CALL_COMMAND_TYPES].sort());
  });
  for (const type of CALL_COMMAND_TYPES) {
    describe(type, () => {
      for (const scenario of SCENARIO_NAMES) {
        const row = TABLE[type];
        const expected = row[scenario] ?? row._;
        it(`given ${scenario} → ${Array.isArray(expected) ? `[${expected.join(', ')}]` : String(expected)}`, () => {
          expect(expected, `no expectation for ${type} in ${scenario}`).toBeDefined();
          expect(outcome(scenario, type)).toEqual(expected);
        });
      }
    });
  }
});
