import type { AgentState } from '../shared/contact-center.ts';
import type { AgentCommandType } from './agent-commands.ts';

/** One accepted transition of the agent state machine. Commands that produce no event are not listed. */
export interface AgentTransition {
  readonly from: AgentState;
  readonly command: AgentCommandType;
  readonly to: AgentState;
  /** The condition that picks this row when a command has several outcomes. */
  readonly when?: string;
}

const t = (from: AgentState, command: AgentCommandType, to: AgentState, when?: string): AgentTransition =>
  when === undefined ? { from, command, to } : { from, command, to, when };

const SUPERVISOR_TARGETS = ['ready', 'not_ready', 'logged_out'] as const;
const forced = (from: AgentState): AgentTransition[] =>
  SUPERVISOR_TARGETS.filter((to) => to !== from || to === 'not_ready').map((to) =>
    t(from, 'ForceState', to, to === from ? 'another reason code' : undefined),
  );

/**
 * The agent state machine as data: every (from state, command, to state) the agent decider accepts with at least one
 * event. Pairs not listed are refused with a coded error or are no-ops (see agent-decider.ts); the decider tests check
 * this table against the decider in both directions. docs/domain.md renders it.
 */
export const agentTransitions: readonly AgentTransition[] = [
  t('logged_out', 'LogIn', 'not_ready'),
  t('logged_out', 'LogIn', 'ready', 'ready: true'),

  t('ready', 'MakeNotReady', 'not_ready'),
  t('ready', 'OfferCall', 'offered', 'capacity and miss delay allow'),
  t('ready', 'LogOut', 'logged_out'),
  t('ready', 'ChangeSkills', 'ready'),
  ...forced('ready'),

  t('not_ready', 'MakeReady', 'ready'),
  t('not_ready', 'MakeNotReady', 'not_ready', 'another reason code'),
  t('not_ready', 'LogOut', 'logged_out'),
  t('not_ready', 'ChangeSkills', 'not_ready'),
  ...forced('not_ready'),

  t('offered', 'RecordRinging', 'ringing'),
  t('offered', 'RecordTalking', 'talking', 'answered without a ringing report'),
  t('offered', 'RecordOfferMissed', 'ready', 'misses below maxNoAnswer (miss delay applies)'),
  t('offered', 'RecordOfferMissed', 'break_out', 'misses reach maxNoAnswer'),
  t('offered', 'CancelOffer', 'ready'),
  t('offered', 'LogOut', 'logged_out', 'the offer is cancelled first'),
  t('offered', 'ChangeSkills', 'offered'),
  ...forced('offered'),

  t('ringing', 'RecordTalking', 'talking'),
  t('ringing', 'RecordOfferMissed', 'ready', 'misses below maxNoAnswer (miss delay applies)'),
  t('ringing', 'RecordOfferMissed', 'break_out', 'misses reach maxNoAnswer'),
  t('ringing', 'CancelOffer', 'ready'),
  t('ringing', 'LogOut', 'logged_out', 'the offer is cancelled first'),
  t('ringing', 'ChangeSkills', 'ringing'),
  ...forced('ringing'),

  t('talking', 'MakeNotReady', 'talking', 'deferred to the end of wrap-up'),
  t('talking', 'HoldCall', 'talking'),
  t('talking', 'RetrieveCall', 'talking'),
  t('talking', 'StartWrapUp', 'wrap_up'),
  t('talking', 'StartWrapUp', 'ready', 'the queue has no wrap-up time'),
  t('talking', 'StartWrapUp', 'not_ready', 'no wrap-up time and a deferred not-ready'),
  t('talking', 'StartWrapUp', 'logged_out', 'no wrap-up time and a deferred logout'),
  t('talking', 'LogOut', 'talking', 'deferred to the end of wrap-up'),
  t('talking', 'ChangeSkills', 'talking'),

  t('wrap_up', 'MakeReady', 'ready'),
  t('wrap_up', 'MakeNotReady', 'not_ready'),
  t('wrap_up', 'ExtendWrapUp', 'wrap_up'),
  t('wrap_up', 'EndWrapUp', 'ready'),
  t('wrap_up', 'EndWrapUp', 'not_ready', 'a deferred not-ready'),
  t('wrap_up', 'EndWrapUp', 'logged_out', 'a deferred logout'),
  t('wrap_up', 'LogOut', 'logged_out'),
  t('wrap_up', 'ChangeSkills', 'wrap_up'),
  ...forced('wrap_up'),

  t('break_out', 'MakeReady', 'ready'),
  t('break_out', 'MakeNotReady', 'not_ready'),
  t('break_out', 'LogOut', 'logged_out'),
  t('break_out', 'ChangeSkills', 'break_out'),
  ...forced('break_out'),
];
