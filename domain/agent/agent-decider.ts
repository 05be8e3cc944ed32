/*
 * The agent decider (stream `agent-<agentId>`). Its rules, which routing and the engine rely on:
 * - Only a `ready` agent, past its miss delay (`unavailableUntil`) and with voice capacity, is offered a call;
 *   anything else is AGENT_NOT_AVAILABLE. The engine appends AgentOffered with the stream revision it read, so two
 *   routers racing for one agent conflict on the append and the loser re-reads a non-ready agent: no double booking.
 * - An offer carries its queue's policy (ring timeout, wrap-up, maxNoAnswer, delays), so misses and wrap-up are
 *   decided here without reading the queue stream.
 * - no_answer, rejected and busy all count as consecutive misses and set the matching delay; at maxNoAnswer the
 *   agent goes to break_out (AgentBrokeOut) until they or a supervisor act. An answered call, a login or leaving
 *   break_out resets the count. A cancelled offer (caller hung up, answered elsewhere, rescinded) is no miss.
 * - Logout while offered or ringing cancels the offer first (AgentOfferCancelled, reason agent_logged_out). While
 *   talking, logout and not-ready are deferred (AgentLogoutDeferred / AgentNotReadyDeferred) and take effect when
 *   wrap-up ends; a supervisor cannot force a talking agent (AGENT_BUSY): the call would be orphaned.
 * - Wrap-up ends when the agent says so, or on a timeout at or after the (possibly extended) deadline; an early timer
 *   is AGENT_WRAP_UP_NOT_DUE, so wrap-up never ends early after an extension.
 * - Commands naming another offer than the one held are AGENT_OFFER_MISMATCH (stale switch events); repeated
 *   reports of what already happened (ringing, answered, hang-up) are no-ops.
 */
import type { Decider } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { AgentCommand, AgentCommandOf } from './agent-commands.ts';
import type { AgentEvent } from './agent-events.ts';
import type { OfferMissReason, OfferPolicy, WrapUpEndReason } from './agent-schemas.ts';
import { evolveAgent, initialAgentState, type AgentCall, type AgentDeciderState } from './agent-state.ts';

type Cmd<T extends AgentCommand['type']> = AgentCommandOf<T>;

function fail(code: ErrorCode, s: AgentDeciderState, c: AgentCommand, message: string, details: Record<string, unknown> = {}): never {
  throw new LedgerlineError(code, message, { agentId: c.agentId, state: s.state, command: c.type, ...details });
}

function requireLoggedIn(s: AgentDeciderState, c: AgentCommand): void {
  if (s.state === 'logged_out') fail('AGENT_NOT_LOGGED_IN', s, c, `Agent ${c.agentId} is not logged in`);
}

/** The call whose pending offer (offered or ringing) `c` names. */
function pendingOffer(s: AgentDeciderState, c: AgentCommand & { offerId: string }): AgentCall {
  requireLoggedIn(s, c);
  if (!s.call || (s.state !== 'offered' && s.state !== 'ringing')) {
    fail('AGENT_NO_OFFER', s, c, `Agent ${c.agentId} has no pending offer (state ${s.state})`, { offerId: c.offerId });
  }
  return matching(s, s.call, c);
}

function matching(s: AgentDeciderState, call: AgentCall, c: AgentCommand & { offerId: string }): AgentCall {
  if (call.offerId !== c.offerId) {
    fail('AGENT_OFFER_MISMATCH', s, c, `Agent ${c.agentId} holds offer ${call.offerId}, not ${c.offerId}`, {
      offerId: c.offerId,
      heldOfferId: call.offerId,
    });
  }
  return call;
}

/** The connected call `c` names (state talking). */
function connectedCall(s: AgentDeciderState, c: AgentCommand & { offerId: string }): AgentCall {
  requireLoggedIn(s, c);
  if (!s.call || s.state !== 'talking') fail('AGENT_NOT_IN_CALL', s, c, `Agent ${c.agentId} is not on a call (state ${s.state})`);
  return matching(s, s.call, c);
}

function wrapUpCall(s: AgentDeciderState, c: AgentCommand & { offerId: string }): AgentCall {
  requireLoggedIn(s, c);
  if (!s.call || s.state !== 'wrap_up') fail('AGENT_NOT_IN_WRAP_UP', s, c, `Agent ${c.agentId} is not in wrap-up (state ${s.state})`);
  return matching(s, s.call, c);
}

const span = (from: number | null, to: number): number => (from === null ? 0 : Math.max(0, to - from));

/** Ends wrap-up, then applies what the agent asked for while talking (or `next`, which wins). */
function endWrapUp(
  s: AgentDeciderState,
  c: AgentCommand,
  reason: WrapUpEndReason,
  next: 'pending' | 'ready' | { state: 'not_ready'; reasonCode: string } | { state: 'logged_out' },
): AgentEvent[] {
  const call = s.call!;
  const { agentId, at } = c;
  const events: AgentEvent[] = [
    {
      type: 'AgentWrapUpEnded',
      data: { agentId, at, offerId: call.offerId, callId: call.callId, reason, wrapUpMs: span(call.wrapUpStartedAt, at) },
    },
  ];
  const then = next === 'pending' ? s.pending : next === 'ready' ? null : next;
  if (then?.state === 'not_ready') events.push({ type: 'AgentNotReady', data: { agentId, at, reasonCode: then.reasonCode } });
  if (then?.state === 'logged_out') events.push({ type: 'AgentLoggedOut', data: { agentId, at } });
  return events;
}

function cancelled(s: AgentDeciderState, c: AgentCommand, reason: 'agent_logged_out' | 'forced'): AgentEvent {
  const call = s.call!;
  return {
    type: 'AgentOfferCancelled',
    data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId, queueId: call.queueId, reason },
  };
}

function delaySeconds(policy: OfferPolicy, reason: OfferMissReason): number {
  if (reason === 'rejected') return policy.rejectDelaySeconds;
  if (reason === 'busy') return policy.busyDelaySeconds;
  return policy.noAnswerDelaySeconds;
}

const isOffer = (s: AgentDeciderState): boolean => s.state === 'offered' || s.state === 'ringing';

const handlers: { [T in AgentCommand['type']]: (c: Cmd<T>, s: AgentDeciderState) => AgentEvent[] } = {
  LogIn(c, s) {
    if (s.state !== 'logged_out') fail('AGENT_ALREADY_LOGGED_IN', s, c, `Agent ${c.agentId} is already logged in`);
    const events: AgentEvent[] = [{ type: 'AgentLoggedIn', data: { agentId: c.agentId, at: c.at, skills: c.skills, capacity: c.capacity } }];
    if (c.ready) events.push({ type: 'AgentReady', data: { agentId: c.agentId, at: c.at } });
    return events;
  },

  MakeReady(c, s) {
    requireLoggedIn(s, c);
    switch (s.state) {
      case 'ready':
        return [];
      case 'wrap_up':
        return endWrapUp(s, c, 'agent', 'ready');
      case 'offered':
      case 'ringing':
      case 'talking':
        return fail('AGENT_BUSY', s, c, `Agent ${c.agentId} is handling a call`);
      default:
        return [{ type: 'AgentReady', data: { agentId: c.agentId, at: c.at } }];
    }
  },

  MakeNotReady(c, s) {
    requireLoggedIn(s, c);
    const data = { agentId: c.agentId, at: c.at, reasonCode: c.reasonCode };
    switch (s.state) {
      case 'not_ready':
        return s.notReadyReason === c.reasonCode ? [] : [{ type: 'AgentNotReady', data }];
      case 'talking':
        if (s.pending?.state === 'not_ready' && s.pending.reasonCode === c.reasonCode) return [];
        return [{ type: 'AgentNotReadyDeferred', data: { ...data, offerId: s.call!.offerId } }];
      case 'wrap_up':
        return endWrapUp(s, c, 'agent', { state: 'not_ready', reasonCode: c.reasonCode });
      case 'offered':
      case 'ringing':
        // The agent declines an offer by rejecting it (RecordOfferMissed), which applies the reject delay.
        return fail('AGENT_BUSY', s, c, `Agent ${c.agentId} has an offer pending: reject it first`);
      default:
        return [{ type: 'AgentNotReady', data }];
    }
  },

  OfferCall(c, s) {
    if (s.state !== 'ready') {
      fail('AGENT_NOT_AVAILABLE', s, c, `Agent ${c.agentId} is ${s.state}, not ready`, { reason: 'state', offerId: c.offerId });
    }
    if (s.unavailableUntil !== null && c.at < s.unavailableUntil) {
      fail('AGENT_NOT_AVAILABLE', s, c, `Agent ${c.agentId} is in a miss delay until ${s.unavailableUntil}`, {
        reason: 'delay',
        unavailableUntil: s.unavailableUntil,
        offerId: c.offerId,
      });
    }
    if (s.capacity.voice < 1) {
      fail('AGENT_NOT_AVAILABLE', s, c, `Agent ${c.agentId} takes no voice calls`, { reason: 'capacity', offerId: c.offerId });
    }
    return [
      {
        type: 'AgentOffered',
        data: {
          agentId: c.agentId,
          at: c.at,
          offerId: c.offerId,
          callId: c.callId,
          queueId: c.queueId,
          expiresAt: c.at + c.policy.ringTimeoutSeconds * 1000,
          policy: c.policy,
        },
      },
    ];
  },

  RecordRinging(c, s) {
    if (s.state === 'ringing' || s.state === 'talking') {
      // A late or repeated ringing report for the offer in hand changes nothing.
      matching(s, s.call!, c);
      return [];
    }
    const call = pendingOffer(s, c);
    return [{ type: 'AgentRinging', data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId } }];
  },

  RecordTalking(c, s) {
    if (s.state === 'talking') {
      matching(s, s.call!, c);
      return [];
    }
    const call = pendingOffer(s, c);
    return [{ type: 'AgentTalking', data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId } }];
  },

  HoldCall(c, s) {
    const call = connectedCall(s, c);
    if (call.heldSince !== null) return [];
    return [{ type: 'AgentCallHeld', data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId } }];
  },

  RetrieveCall(c, s) {
    const call = connectedCall(s, c);
    if (call.heldSince === null) return [];
    const heldMs = span(call.heldSince, c.at);
    return [{ type: 'AgentCallRetrieved', data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId, heldMs } }];
  },

  StartWrapUp(c, s) {
    if (s.state === 'wrap_up') {
      // The hang-up reported twice (both legs, or a retry with a new command id).
      matching(s, s.call!, c);
      return [];
    }
    const call = connectedCall(s, c);
    const holdMs = call.holdMs + span(call.heldSince, c.at);
    const talkMs = Math.max(0, span(call.answeredAt, c.at) - holdMs);
    const deadline = c.at + call.policy.wrapUpSeconds * 1000;
    const started: AgentEvent = {
      type: 'AgentWrapUpStarted',
      data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId, deadline, talkMs, holdMs },
    };
    if (call.policy.wrapUpSeconds > 0) return [started];
    const inWrapUp = evolveAgent(s, started);
    return [started, ...endWrapUp(inWrapUp, c, 'skipped', 'pending')];
  },

  ExtendWrapUp(c, s) {
    const call = wrapUpCall(s, c);
    const deadline = Math.max(call.wrapUpDeadline ?? c.at, c.at) + c.bySeconds * 1000;
    return [
      {
        type: 'AgentWrapUpExtended',
        data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId, bySeconds: c.bySeconds, deadline },
      },
    ];
  },

  EndWrapUp(c, s) {
    const call = wrapUpCall(s, c);
    if (c.reason === 'timeout' && call.wrapUpDeadline !== null && c.at < call.wrapUpDeadline) {
      // A stale timer from before an extension: wrap-up must not end early.
      fail('AGENT_WRAP_UP_NOT_DUE', s, c, `Wrap-up of agent ${c.agentId} runs until ${call.wrapUpDeadline}`, {
        deadline: call.wrapUpDeadline,
      });
    }
    return endWrapUp(s, c, c.reason, 'pending');
  },

  RecordOfferMissed(c, s) {
    const call = pendingOffer(s, c);
    const consecutiveMisses = s.consecutiveMisses + 1;
    const { maxNoAnswer } = call.policy;
    const events: AgentEvent[] = [
      {
        type: 'AgentOfferMissed',
        data: {
          agentId: c.agentId,
          at: c.at,
          offerId: call.offerId,
          callId: call.callId,
          queueId: call.queueId,
          reason: c.reason,
          consecutiveMisses,
          maxNoAnswer,
          unavailableUntil: c.at + delaySeconds(call.policy, c.reason) * 1000,
        },
      },
    ];
    if (consecutiveMisses >= maxNoAnswer) events.push({ type: 'AgentBrokeOut', data: { agentId: c.agentId, at: c.at, consecutiveMisses } });
    return events;
  },

  CancelOffer(c, s) {
    const call = pendingOffer(s, c);
    return [
      {
        type: 'AgentOfferCancelled',
        data: { agentId: c.agentId, at: c.at, offerId: call.offerId, callId: call.callId, queueId: call.queueId, reason: c.reason },
      },
    ];
  },

  LogOut(c, s) {
    const out: AgentEvent = { type: 'AgentLoggedOut', data: { agentId: c.agentId, at: c.at } };
    switch (s.state) {
      case 'logged_out':
        return [];
      case 'offered':
      case 'ringing':
        return [cancelled(s, c, 'agent_logged_out'), out];
      case 'talking':
        // The call stays up; the logout waits for the end of wrap-up so the call is never orphaned.
        if (s.pending?.state === 'logged_out') return [];
        return [{ type: 'AgentLogoutDeferred', data: { agentId: c.agentId, at: c.at, offerId: s.call!.offerId } }];
      case 'wrap_up':
        return endWrapUp(s, c, 'agent', { state: 'logged_out' });
      default:
        return [out];
    }
  },

  ChangeSkills(c, s) {
    requireLoggedIn(s, c);
    if (sameSkills(s.skills, c.skills)) return [];
    return [{ type: 'AgentSkillsChanged', data: { agentId: c.agentId, at: c.at, skills: c.skills } }];
  },

  ForceState(c, s) {
    requireLoggedIn(s, c);
    if (s.state === 'talking') fail('AGENT_BUSY', s, c, `Agent ${c.agentId} is talking: a forced state would orphan the call`);
    const reasonCode = c.reasonCode ?? (c.to === 'not_ready' ? 'forced' : null);
    if (s.state === c.to && (c.to !== 'not_ready' || s.notReadyReason === reasonCode)) return [];
    const forced: AgentEvent = {
      type: 'AgentStateForced',
      data: { agentId: c.agentId, at: c.at, from: s.state, to: c.to, reasonCode, by: c.actor ?? null },
    };
    if (isOffer(s)) return [cancelled(s, c, 'forced'), forced];
    if (s.state === 'wrap_up') return [...endWrapUp(s, c, 'forced', 'ready'), forced];
    return [forced];
  },
};

function sameSkills(a: AgentDeciderState['skills'], b: AgentDeciderState['skills']): boolean {
  if (a.length !== b.length) return false;
  const m = new Map(a.map((x) => [x.skill, x.proficiency]));
  return b.every((x) => m.get(x.skill) === x.proficiency);
}

/** Decides an agent command against the agent's state: the events to append, or a coded LedgerlineError. */
export function decideAgent(command: AgentCommand, state: AgentDeciderState): AgentEvent[] {
  if (state.agentId !== null && state.agentId !== command.agentId) {
    // A command routed to the wrong stream: refusing keeps one stream, one agent.
    fail('AGENT_COMMAND_INVALID', state, command, `Command for agent ${command.agentId} sent to the stream of agent ${state.agentId}`);
  }
  const handler = handlers[command.type] as (c: AgentCommand, s: AgentDeciderState) => AgentEvent[];
  return handler(command, state);
}

/** The agent decider for stream `agent-<agentId>`. Append with the revision read, so concurrent offers conflict. */
export const agentDecider: Decider<AgentCommand, AgentEvent, AgentDeciderState> = {
  decide: decideAgent,
  evolve: evolveAgent,
  initialState: initialAgentState,
};

/** The stream an agent's events live in. */
export const agentStream = (agentId: string): string => `agent-${agentId}`;
