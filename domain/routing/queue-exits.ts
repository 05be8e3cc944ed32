// Queue limits: when a caller leaves the queue, and where to (overflow queue, voicemail, callback, hang-up).
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { AgentState, ExitTarget } from '../shared/contact-center.ts';

/** A queue's limits (the `limits` section of the queue configuration); each is optional (absent or null) and names where the caller goes. */
export interface QueueExitRules {
  readonly queueId: string;
  /** Longest a caller may wait. */
  readonly maxWait?: { readonly seconds: number; readonly exit: ExitTarget } | null;
  /** Longest a caller may wait while no agent is logged in on the queue; 0 refuses callers on enqueue. */
  readonly maxWaitNoAgent?: { readonly seconds: number; readonly exit: ExitTarget } | null;
  /** Most callers waiting at once; checked on enqueue. */
  readonly maxLength?: { readonly calls: number; readonly exit: ExitTarget } | null;
}

/** Why a caller leaves the queue. */
export type ExitReason = 'max-wait' | 'max-wait-no-agent' | 'max-length';

/** One caller leaving. */
export interface ExitDecision {
  readonly callId: string;
  readonly reason: ExitReason;
  readonly exit: ExitTarget;
}

/** The exits view of a waiting caller. */
export interface ExitCall {
  readonly id: string;
  readonly enqueuedAt: number;
  /** A caller being offered right now is not pulled out; it is checked again if the offer fails. */
  readonly offered?: boolean;
}

/** The exits view of an agent on the queue. */
export interface ExitAgent {
  readonly id: string;
  readonly state: AgentState;
}

/** Throws QUEUE_EXIT_RULES_INVALID for negative limits or an overflow into the queue itself. */
export function validateExitRules(rules: QueueExitRules): void {
  const bad = (why: string): never => {
    throw new LedgerlineError('QUEUE_EXIT_RULES_INVALID', `Queue ${rules.queueId}: ${why}`, { queueId: rules.queueId });
  };
  for (const [name, limit] of [['maxWait', rules.maxWait?.seconds], ['maxWaitNoAgent', rules.maxWaitNoAgent?.seconds], ['maxLength', rules.maxLength?.calls]] as const) {
    if (limit !== undefined && !(Number.isFinite(limit) && limit >= 0)) bad(`${name} must be a finite number ≥ 0`);
  }
  if (rules.maxWait?.seconds === 0) bad('maxWait must be positive');
  for (const e of [rules.maxWait?.exit, rules.maxWaitNoAgent?.exit, rules.maxLength?.exit]) {
    if (e?.kind === 'queue' && e.queueId === rules.queueId) bad('a queue cannot overflow into itself');
  }
}

/** True when at least one agent of the queue is logged in (any state but logged_out). */
export function isStaffed(staffedAgents: readonly ExitAgent[]): boolean {
  return staffedAgents.some((a) => a.state !== 'logged_out');
}

/**
 * Decides on enqueue: refused when the queue already holds `maxLength` callers, or when no agent is logged in and
 * the no-agent limit is 0 (join-empty off).
 */
export function decideEnqueue(
  rules: QueueExitRules,
  waitingCount: number,
  staffedAgents: readonly ExitAgent[],
): { readonly accepted: true } | { readonly accepted: false; readonly reason: ExitReason; readonly exit: ExitTarget } {
  validateExitRules(rules);
  if (rules.maxLength && waitingCount >= rules.maxLength.calls) return { accepted: false, reason: 'max-length', exit: rules.maxLength.exit };
  if (rules.maxWaitNoAgent?.seconds === 0 && !isStaffed(staffedAgents)) {
    return { accepted: false, reason: 'max-wait-no-agent', exit: rules.maxWaitNoAgent.exit };
  }
  return { accepted: true };
}

/**
 * Decides which waiting callers leave now. With no agent logged in, the no-agent clock runs from the later of the
 * caller's enqueue and `noAgentSince` (when the last agent logged out, if known). When both limits are reached,
 * the one reached first wins. `nextCheckAt` is when the next caller would leave if nothing changes.
 */
export function decideExits(
  rules: QueueExitRules,
  waitingCalls: readonly ExitCall[],
  staffedAgents: readonly ExitAgent[],
  now: number,
  options: { readonly noAgentSince?: number } = {},
): { readonly exits: readonly ExitDecision[]; readonly nextCheckAt?: number } {
  validateExitRules(rules);
  const staffed = isStaffed(staffedAgents);
  const exits: ExitDecision[] = [];
  let nextCheckAt: number | undefined;
  for (const c of waitingCalls) {
    const due: { at: number; reason: ExitReason; exit: ExitTarget }[] = [];
    if (rules.maxWait) due.push({ at: c.enqueuedAt + rules.maxWait.seconds * 1000, reason: 'max-wait', exit: rules.maxWait.exit });
    if (rules.maxWaitNoAgent && !staffed) {
      const from = Math.max(c.enqueuedAt, options.noAgentSince ?? c.enqueuedAt);
      due.push({ at: from + rules.maxWaitNoAgent.seconds * 1000, reason: 'max-wait-no-agent', exit: rules.maxWaitNoAgent.exit });
    }
    due.sort((a, b) => a.at - b.at);
    const first = due[0];
    if (!first) continue;
    if (first.at <= now && !c.offered) exits.push({ callId: c.id, reason: first.reason, exit: first.exit });
    else if (first.at > now && (nextCheckAt === undefined || first.at < nextCheckAt)) nextCheckAt = first.at;
  }
  return nextCheckAt === undefined ? { exits } : { exits, nextCheckAt };
}
