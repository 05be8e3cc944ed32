// What of a tenant's dashboard a key may see: everything, except for `agent` keys (their own agent and calls only).
import type { DashboardAgent, DashboardCall, DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import type { Principal } from '../auth/principal.ts';

/** The agent an agent key is bound to; null for the other roles, which see their whole tenant. */
function ownAgent(principal: Pick<Principal, 'role' | 'agentId'>): string | null | undefined {
  return principal.role === 'agent' ? principal.agentId : undefined;
}

/** The agents a key may see. An agent key without an agent id sees none. */
export function scopeAgents(principal: Pick<Principal, 'role' | 'agentId'>, agents: readonly DashboardAgent[]): DashboardAgent[] {
  const own = ownAgent(principal);
  return own === undefined ? [...agents] : agents.filter((a) => a.agentId === own);
}

/** The calls a key may see: an agent key, the calls its agent is on. */
export function scopeCalls(principal: Pick<Principal, 'role' | 'agentId'>, calls: readonly DashboardCall[]): DashboardCall[] {
  const own = ownAgent(principal);
  return own === undefined ? [...calls] : calls.filter((c) => own !== null && c.agentId === own);
}

/** The snapshot a key may see. Agent keys hold no `queues.read`: queues and the service-level chart are left out. */
export function scopeSnapshot(principal: Pick<Principal, 'role' | 'agentId'>, snapshot: DashboardSnapshot): DashboardSnapshot {
  if (ownAgent(principal) === undefined) return snapshot;
  return { ...snapshot, queues: [], serviceLevelToday: [], agents: scopeAgents(principal, snapshot.agents), calls: scopeCalls(principal, snapshot.calls) };
}
