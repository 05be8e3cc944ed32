// The state the call decider folds from a `call-<callId>` stream.
import type { Party, SkillRequirementData, SupervisorMode } from './call-schemas.ts';

/**
 * The call's life. `none` is an empty stream. Waiting states: in_ivr, queued, offered, ringing, agent_answered.
 * callback_* states: the caller is off the line but the interaction keeps its queue place. `ended` awaits the
 * disposition; `dispositioned` is final.
 */
export const CALL_STATUSES = [
  'none',
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
  'ended',
  'dispositioned',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export interface QueueEntry {
  readonly queueId: string;
  readonly priority: number;
  readonly requiredSkills: readonly SkillRequirementData[];
  /** The caller's place: kept across failed offers and callbacks. */
  readonly enteredAt: number;
}

export interface OpenOffer {
  readonly offerId: string;
  readonly agentId: string;
  readonly offeredAt: number;
  readonly ringingAt: number | null;
  readonly answeredAt: number | null;
}

export interface Callback {
  readonly number: string;
  readonly callbackId: string | null;
  readonly notBefore: number | null;
  readonly attempts: number;
  readonly attemptId: string | null;
}

export interface CallState {
  readonly status: CallStatus;
  readonly callId: string | null;
  readonly direction: 'inbound' | 'outbound' | null;
  /** The customer's number (caller number inbound, destination outbound): the default callback number. */
  readonly customerNumber: string | null;
  readonly startedAt: number | null;
  readonly customer: { readonly customerId: string; readonly tier: string } | null;
  readonly ivr: { readonly flowId: string; readonly flowVersion: number; readonly startedAt: number; readonly nodeId: string | null } | null;
  /** The queue entry the call waits in (also while offered or owed a callback); null once an agent answers. */
  readonly queue: QueueEntry | null;
  /** The last queue the call entered, kept after the answer for reporting. */
  readonly lastQueueId: string | null;
  readonly firstQueuedAt: number | null;
  readonly offer: OpenOffer | null;
  readonly offerCount: number;
  /** Agent handling the call now (connected), or the agent an outbound call was originated for. */
  readonly agentId: string | null;
  /** Every agent who was connected to the customer, in order. */
  readonly handledBy: readonly string[];
  /** First connection: the answer time metrics use. */
  readonly answeredAt: number | null;
  /** Start of the current talk or hold segment while connected. */
  readonly segmentStart: number | null;
  readonly held: boolean;
  readonly holdCount: number;
  readonly talkMs: number;
  readonly holdMs: number;
  /** Talk/hold of the current agent only (reset when the call changes hands). */
  readonly agentTalkMs: number;
  readonly agentHoldMs: number;
  /** The consultation in progress; `answeredAt` once the consulted party answered. */
  readonly consult: { readonly consultId: string; readonly target: Party; readonly startedAt: number; readonly answeredAt: number | null } | null;
  readonly parties: Readonly<Record<string, Party>>;
  readonly supervisors: Readonly<Record<string, SupervisorMode>>;
  readonly recording: { readonly recordingId: string; readonly paused: boolean } | null;
  readonly callback: Callback | null;
  readonly endedAt: number | null;
  readonly disposition: { readonly agentId: string; readonly wrapUpCode: string } | null;
  readonly lastEventAt: number | null;
}

export const initialCallState: CallState = {
  status: 'none',
  callId: null,
  direction: null,
  customerNumber: null,
  startedAt: null,
  customer: null,
  ivr: null,
  queue: null,
  lastQueueId: null,
  firstQueuedAt: null,
  offer: null,
  offerCount: 0,
  agentId: null,
  handledBy: [],
  answeredAt: null,
  segmentStart: null,
  held: false,
  holdCount: 0,
  talkMs: 0,
  holdMs: 0,
  agentTalkMs: 0,
  agentHoldMs: 0,
  consult: null,
  parties: {},
  supervisors: {},
  recording: null,
  callback: null,
  endedAt: null,
  disposition: null,
  lastEventAt: null,
};

/** Milliseconds from `from` to `to`, never negative (switch clocks may disagree by a little). */
export function elapsed(from: number | null, to: number): number {
  return from === null ? 0 : Math.max(0, to - from);
}

/** Talk and hold totals (call and current agent) if the current segment closed at `at`. */
export function closedSegment(s: CallState, at: number): { talkMs: number; holdMs: number; agentTalkMs: number; agentHoldMs: number } {
  if (s.segmentStart === null) return { talkMs: s.talkMs, holdMs: s.holdMs, agentTalkMs: s.agentTalkMs, agentHoldMs: s.agentHoldMs };
  const d = elapsed(s.segmentStart, at);
  return s.held
    ? { talkMs: s.talkMs, holdMs: s.holdMs + d, agentTalkMs: s.agentTalkMs, agentHoldMs: s.agentHoldMs + d }
    : { talkMs: s.talkMs + d, holdMs: s.holdMs, agentTalkMs: s.agentTalkMs + d, agentHoldMs: s.agentHoldMs };
}
