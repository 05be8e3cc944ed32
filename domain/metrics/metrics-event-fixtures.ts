// Test helpers: call and agent events with only the fields metrics read filled meaningfully.
import type { MetricsEvent } from './contacts-from-events.ts';

const policy = { ringTimeoutSeconds: 20, wrapUpSeconds: 30, maxNoAnswer: 3, rejectDelaySeconds: 0, busyDelaySeconds: 0, noAnswerDelaySeconds: 0 };

/** Event builders keyed by what happened; `at` is epoch ms. */
export const ev = {
  queued: (callId: string, queueId: string, at: number): MetricsEvent => ({
    type: 'CallQueued',
    data: { callId, at, queueId, priority: 0, requiredSkills: [], reason: 'routed' },
  }),
  connected: (callId: string, queueId: string, offerId: string, agentId: string, at: number): MetricsEvent => ({
    type: 'CallConnected',
    data: { callId, at, agentId, offerId, queueId, waitMs: null },
  }),
  abandoned: (callId: string, queueId: string, at: number): MetricsEvent => ({
    type: 'CallAbandoned',
    data: { callId, at, where: 'queue', queueId, waitMs: 0 },
  }),
  abandonedInIvr: (callId: string, at: number): MetricsEvent => ({
    type: 'CallAbandoned',
    data: { callId, at, where: 'ivr', queueId: null, waitMs: 0 },
  }),
  callbackRequested: (callId: string, queueId: string, at: number): MetricsEvent => ({
    type: 'CallbackRequested',
    data: { callId, at, queueId, callbackNumber: '+33100000000', requestedIn: 'queue' },
  }),
  callbackCompleted: (callId: string, queueId: string, at: number): MetricsEvent => ({
    type: 'CallbackCompleted',
    data: { callId, at, queueId, callbackId: `cb-${callId}`, attemptId: `att-${callId}` },
  }),
  overflowed: (callId: string, fromQueueId: string, toQueueId: string, at: number): MetricsEvent => ({
    type: 'CallOverflowed',
    data: { callId, at, fromQueueId, reason: 'max_wait', exit: { kind: 'queue', queueId: toQueueId }, waitMs: 0 },
  }),
  overflowedToCallback: (callId: string, fromQueueId: string, at: number): MetricsEvent => ({
    type: 'CallOverflowed',
    data: { callId, at, fromQueueId, reason: 'max_wait', exit: { kind: 'callback' }, waitMs: 0 },
  }),
  ended: (callId: string, at: number, hungUpBy: 'caller' | 'agent' | 'system' | 'remote' = 'caller'): MetricsEvent => ({
    type: 'CallEnded',
    data: { callId, at, cause: 'NORMAL_CLEARING', hungUpBy, agentId: null, queueId: null, answered: false, talkMs: 0, holdMs: 0, durationMs: 0 },
  }),
  loggedIn: (agentId: string, at: number): MetricsEvent => ({ type: 'AgentLoggedIn', data: { agentId, at, skills: [], capacity: { voice: 1 } } }),
  ready: (agentId: string, at: number): MetricsEvent => ({ type: 'AgentReady', data: { agentId, at } }),
  notReady: (agentId: string, at: number): MetricsEvent => ({ type: 'AgentNotReady', data: { agentId, at, reasonCode: 'break' } }),
  loggedOut: (agentId: string, at: number): MetricsEvent => ({ type: 'AgentLoggedOut', data: { agentId, at } }),
  offered: (agentId: string, callId: string, offerId: string, queueId: string, at: number): MetricsEvent => ({
    type: 'AgentOffered',
    data: { agentId, at, offerId, callId, queueId, expiresAt: at + 20_000, policy },
  }),
  ringing: (agentId: string, callId: string, offerId: string, at: number): MetricsEvent => ({ type: 'AgentRinging', data: { agentId, at, offerId, callId } }),
  talking: (agentId: string, callId: string, offerId: string, at: number): MetricsEvent => ({ type: 'AgentTalking', data: { agentId, at, offerId, callId } }),
  held: (agentId: string, callId: string, offerId: string, at: number): MetricsEvent => ({ type: 'AgentCallHeld', data: { agentId, at, offerId, callId } }),
  retrieved: (agentId: string, callId: string, offerId: string, at: number, heldMs: number): MetricsEvent => ({
    type: 'AgentCallRetrieved',
    data: { agentId, at, offerId, callId, heldMs },
  }),
  wrapUpStarted: (agentId: string, callId: string, offerId: string, at: number, talkMs: number, holdMs: number): MetricsEvent => ({
    type: 'AgentWrapUpStarted',
    data: { agentId, at, offerId, callId, deadline: at + 30_000, talkMs, holdMs },
  }),
  wrapUpEnded: (agentId: string, callId: string, offerId: string, at: number, wrapUpMs: number): MetricsEvent => ({
    type: 'AgentWrapUpEnded',
    data: { agentId, at, offerId, callId, reason: 'agent', wrapUpMs },
  }),
};
