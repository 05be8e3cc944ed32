// Given-histories and commands shared by the agent tests (pure data; no test framework here).
import type { AgentCommand, AgentCommandOf, AgentCommandType } from './agent-commands.ts';
import type { AgentEvent } from './agent-events.ts';
import type { OfferPolicy } from './agent-schemas.ts';

export const AGENT = 'a1';
export const OFFER = 'o1';
export const CALL = 'c1';
export const QUEUE = 'q1';
/** The instant commands run at in the matrix: well after every given event and every miss delay. */
export const NOW = 100_000;

export const POLICY: OfferPolicy = {
  ringTimeoutSeconds: 20,
  wrapUpSeconds: 30,
  maxNoAnswer: 3,
  rejectDelaySeconds: 5,
  busyDelaySeconds: 10,
  noAnswerDelaySeconds: 15,
};

const agentId = AGENT;
const ref = { agentId, offerId: OFFER, callId: CALL };

/** Event builders with the fixture's ids. */
export const ev = {
  loggedIn: (at = 1000): AgentEvent => ({ type: 'AgentLoggedIn', data: { agentId, at, skills: [{ skill: 'sales', proficiency: 3 }], capacity: { voice: 1 } } }),
  ready: (at = 1100): AgentEvent => ({ type: 'AgentReady', data: { agentId, at } }),
  offered: (at = 2000, policy: OfferPolicy = POLICY): AgentEvent => ({
    type: 'AgentOffered',
    data: { ...ref, at, queueId: QUEUE, expiresAt: at + policy.ringTimeoutSeconds * 1000, policy },
  }),
  ringing: (at = 2100): AgentEvent => ({ type: 'AgentRinging', data: { ...ref, at } }),
  talking: (at = 3000): AgentEvent => ({ type: 'AgentTalking', data: { ...ref, at } }),
  held: (at = 3500): AgentEvent => ({ type: 'AgentCallHeld', data: { ...ref, at } }),
  wrapUp: (at = 4000, wrapUpSeconds = POLICY.wrapUpSeconds): AgentEvent => ({
    type: 'AgentWrapUpStarted',
    data: { ...ref, at, deadline: at + wrapUpSeconds * 1000, talkMs: at - 3000, holdMs: 0 },
  }),
  missed: (at = 2500, consecutiveMisses = 1, maxNoAnswer = POLICY.maxNoAnswer): AgentEvent => ({
    type: 'AgentOfferMissed',
    data: { ...ref, at, queueId: QUEUE, reason: 'no_answer', consecutiveMisses, maxNoAnswer, unavailableUntil: at + 15_000 },
  }),
  brokeOut: (at = 2500, consecutiveMisses = 1): AgentEvent => ({ type: 'AgentBrokeOut', data: { agentId, at, consecutiveMisses } }),
  notReadyDeferred: (at = 3200): AgentEvent => ({ type: 'AgentNotReadyDeferred', data: { agentId, at, offerId: OFFER, reasonCode: 'lunch' } }),
  logoutDeferred: (at = 3200): AgentEvent => ({ type: 'AgentLogoutDeferred', data: { agentId, at, offerId: OFFER } }),
};

const noWrap: OfferPolicy = { ...POLICY, wrapUpSeconds: 0 };
const maxOne: OfferPolicy = { ...POLICY, maxNoAnswer: 1 };

/** One given history per agent state; the matrix runs every command against each. */
export const GIVEN_BY_STATE = {
  logged_out: [],
  ready: [ev.loggedIn(), ev.ready()],
  not_ready: [ev.loggedIn()],
  offered: [ev.loggedIn(), ev.ready(), ev.offered()],
  ringing: [ev.loggedIn(), ev.ready(), ev.offered(), ev.ringing()],
  talking: [ev.loggedIn(), ev.ready(), ev.offered(), ev.ringing(), ev.talking()],
  wrap_up: [ev.loggedIn(), ev.ready(), ev.offered(), ev.ringing(), ev.talking(), ev.wrapUp()],
  break_out: [ev.loggedIn(), ev.ready(), ev.offered(2000, maxOne), ev.missed(2500, 1, 1), ev.brokeOut(2500, 1)],
} as const satisfies Record<string, readonly AgentEvent[]>;

/** Histories that reach the other outcomes of multi-outcome commands (for the transition-table check). */
export const EXTRA_GIVENS: Readonly<Record<string, readonly AgentEvent[]>> = {
  'offered, maxNoAnswer 1': [ev.loggedIn(), ev.ready(), ev.offered(2000, maxOne)],
  'ringing, maxNoAnswer 1': [ev.loggedIn(), ev.ready(), ev.offered(2000, maxOne), ev.ringing()],
  'talking, on hold': [...GIVEN_BY_STATE.talking, ev.held()],
  'talking, no wrap-up time': [ev.loggedIn(), ev.ready(), ev.offered(2000, noWrap), ev.talking()],
  'talking, no wrap-up time, not-ready deferred': [ev.loggedIn(), ev.ready(), ev.offered(2000, noWrap), ev.talking(), ev.notReadyDeferred()],
  'talking, no wrap-up time, logout deferred': [ev.loggedIn(), ev.ready(), ev.offered(2000, noWrap), ev.talking(), ev.logoutDeferred()],
  'wrap_up, not-ready deferred': [...GIVEN_BY_STATE.talking, ev.notReadyDeferred(), ev.wrapUp()],
  'wrap_up, logout deferred': [...GIVEN_BY_STATE.talking, ev.logoutDeferred(), ev.wrapUp()],
};

const env = { commandId: 'cmd-1', at: NOW, actor: 'supervisor:s1', agentId };

/** One representative command of each type, naming the fixture's offer where it needs one. */
export const COMMAND: { [T in AgentCommandType]: AgentCommandOf<T> } = {
  LogIn: { type: 'LogIn', ...env, skills: [{ skill: 'sales', proficiency: 3 }], capacity: { voice: 1 }, ready: false },
  MakeReady: { type: 'MakeReady', ...env },
  MakeNotReady: { type: 'MakeNotReady', ...env, reasonCode: 'lunch' },
  OfferCall: { type: 'OfferCall', ...env, offerId: 'o2', callId: 'c2', queueId: QUEUE, policy: POLICY },
  RecordRinging: { type: 'RecordRinging', ...env, offerId: OFFER },
  RecordTalking: { type: 'RecordTalking', ...env, offerId: OFFER },
  HoldCall: { type: 'HoldCall', ...env, offerId: OFFER },
  RetrieveCall: { type: 'RetrieveCall', ...env, offerId: OFFER },
  StartWrapUp: { type: 'StartWrapUp', ...env, offerId: OFFER },
  ExtendWrapUp: { type: 'ExtendWrapUp', ...env, offerId: OFFER, bySeconds: 60 },
  EndWrapUp: { type: 'EndWrapUp', ...env, offerId: OFFER, reason: 'agent' },
  RecordOfferMissed: { type: 'RecordOfferMissed', ...env, offerId: OFFER, reason: 'no_answer' },
  CancelOffer: { type: 'CancelOffer', ...env, offerId: OFFER, reason: 'caller_abandoned' },
  LogOut: { type: 'LogOut', ...env },
  ChangeSkills: { type: 'ChangeSkills', ...env, skills: [{ skill: 'support', proficiency: 4 }] },
  ForceState: { type: 'ForceState', ...env, to: 'not_ready', reasonCode: 'supervisor' },
};

/** Every variant of each command whose outcome differs by its fields. */
export const COMMAND_VARIANTS: readonly AgentCommand[] = [
  ...Object.values(COMMAND),
  { ...COMMAND.LogIn, ready: true },
  { ...COMMAND.EndWrapUp, reason: 'timeout' },
  { ...COMMAND.RecordOfferMissed, reason: 'rejected' },
  { ...COMMAND.RecordOfferMissed, reason: 'busy' },
  { ...COMMAND.CancelOffer, reason: 'answered_elsewhere' },
  { ...COMMAND.ForceState, to: 'ready' },
  { ...COMMAND.ForceState, to: 'logged_out' },
];
