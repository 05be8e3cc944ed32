// Matching waiting callers to free agents so that no agent sits idle while a caller it could serve waits
// because a more flexible agent was spent elsewhere (the "strategies stalling" complaint).
//
// Callers are added in routing order and kept when the callers kept so far plus this one can all be matched at
// once (augmenting paths, Kuhn's algorithm). The sets that can be matched form a transversal matroid, so this
// greedy keeps a MAXIMUM number of callers and never drops a caller for a lower-ranked one. Then, in the same
// order, each caller is committed to the agent its strategy prefers among those whose loss the later callers can
// absorb by re-matching.

/** Candidate checks one caller may spend on re-matching others to get its preferred agent. */
export const PREFERENCE_SEARCH_BUDGET = 20_000;

/** The matching state; call ids and agent ids are strings. */
export interface PriorityMatching {
  /** Keeps `callId` if it can be matched together with every caller kept so far. */
  add(callId: string): boolean;
  /** Commits a kept caller to `agentId` if every other uncommitted kept caller can still be matched. */
  commit(callId: string, agentId: string): boolean;
  /** Takes `agentId` as an extra ring agent for a committed caller, if no uncommitted kept caller needs it. */
  takeExtra(agentId: string): boolean;
}

/** A new matching over `candidates` (call id → agent ids that may serve it). */
export function priorityMatching(candidates: ReadonlyMap<string, readonly string[]>): PriorityMatching {
  const agentOf = new Map<string, string>();
  const callOf = new Map<string, string>();
  const committed = new Set<string>(); // agents no longer movable
  // Agents from which no augmenting path exists; valid until an augmenting path changes the matching.
  let dead = new Set<string>();

  const isFree = (a: string): boolean => !committed.has(a) && !callOf.has(a);
  const match = (c: string, a: string): void => {
    callOf.set(a, c);
    agentOf.set(c, a);
  };

  // One augmenting-path search; changes the matching only along a successful path. With a budget, gives up
  // (returns false, changing nothing) after that many candidate checks.
  const augment = (callId: string, banned: ReadonlySet<string>, visited: Set<string>, budget?: { left: number }): boolean => {
    for (const a of candidates.get(callId) ?? []) {
      if (budget && budget.left-- <= 0) return false;
      if (banned.has(a) || committed.has(a) || visited.has(a)) continue;
      visited.add(a);
      const holder = callOf.get(a);
      if (holder === undefined || augment(holder, banned, visited, budget)) {
        match(callId, a);
        return true;
      }
    }
    return false;
  };

  // Dead agents found by failed attempts for the same caller stay dead until an attempt succeeds: a failure
  // changes nothing, and unblocking the agent a failed attempt wanted only reopens paths into dead ends.
  // Re-matching to honour a preference is bounded per caller: past the budget the caller keeps the agent the
  // matching gave it, which is still a valid choice (the budget only matters with hundreds of agents and callers).
  const fresh = (key: string) => ({ key, dead: new Set<string>(), budget: { left: PREFERENCE_SEARCH_BUDGET } });
  let memo = fresh('');
  const attempt = (key: string, holder: string, wanted: string): boolean => {
    if (memo.key !== key) memo = fresh(key);
    if (memo.budget.left <= 0) return false;
    const ok = augment(holder, new Set([wanted]), memo.dead, memo.budget);
    // an exhausted search leaves `dead` unreliable; with the budget at 0 later attempts stop at once anyway
    memo = ok ? fresh('') : memo;
    return ok;
  };

  return {
    add(callId) {
      const direct = (candidates.get(callId) ?? []).find(isFree);
      if (direct !== undefined) {
        match(callId, direct); // a new edge to a free agent cannot open a path from a dead agent
        return true;
      }
      if (augment(callId, new Set(), dead)) {
        dead = new Set();
        return true;
      }
      return false;
    },
    commit(callId, agentId) {
      const current = agentOf.get(callId);
      if (current === undefined || committed.has(agentId)) return false;
      if (current !== agentId) {
        const holder = callOf.get(agentId);
        callOf.delete(current);
        match(callId, agentId);
        if (holder !== undefined) {
          agentOf.delete(holder);
          // the holder must find another agent, without taking `agentId` back (which would move this caller)
          if (!attempt(`commit:${callId}`, holder, agentId)) {
            match(holder, agentId);
            match(callId, current);
            return false;
          }
        }
      }
      committed.add(agentId);
      memo = fresh('');
      return true;
    },
    takeExtra(agentId) {
      if (committed.has(agentId)) return false;
      const holder = callOf.get(agentId);
      if (holder !== undefined) {
        callOf.delete(agentId);
        agentOf.delete(holder);
        if (!attempt('extra', holder, agentId)) {
          match(holder, agentId);
          return false;
        }
      }
      committed.add(agentId);
      memo = fresh('');
      return true;
    },
  };
}
