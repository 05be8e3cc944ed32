// TEST SUPPORT: routing invariants checked from the event log alone, walked in global order with the agent streams
// folded by the agent decider's own evolve:
// - a call is offered from a queue (CallOfferedToAgent) only to an agent whose stream holds that very offer at that
//   point (a direct offer — a blind transfer to a named agent — is booked on the agent's stream after it);
// - a call is connected only to an agent whose stream holds that offer and is talking (an agent's own outbound call,
//   which has no offer: only to an agent whose stream holds a booking for that call);
// - no call has two open offers; no agent is connected to two calls at once (from the call streams);
// - tenancy: an event's metadata.tenant is its stream's tenant, and a call is offered or connected only to an agent
//   of its own tenant (agents and calls are keyed by their scoped ids, so equal bare ids of two tenants are two).
import type { EventStore } from '../../adapters/event-store/port.ts';
import { evolveAgent, initialAgentState, type AgentDeciderState } from '../../domain/agent/agent-state.ts';
import type { AgentEvent } from '../../domain/agent/agent-events.ts';
import type { CallEvent } from '../../domain/call/call-events.ts';
import { parseTenantStream, scopedId } from '../../domain/shared/tenant-stream.ts';
import { toDomainEvent } from '../command-handling/handle-command.ts';

/** The violations found (empty: the log honours every invariant), and counts to show the check saw something. */
export async function checkRoutingInvariants(store: EventStore): Promise<{ violations: string[]; offers: number; connects: number }> {
  const agents = new Map<string, AgentDeciderState>();
  const openOffer = new Map<string, string>(); // callId → offerId
  const connectedTo = new Map<string, string>(); // agentId → callId
  const violations: string[] = [];
  let offers = 0;
  let connects = 0;
  for await (const r of store.readAll()) {
    if (!/^[a-z]+-/.test(r.streamId)) continue;
    const { category, tenant } = parseTenantStream(r.streamId);
    if (category !== 'agent' && category !== 'call') continue;
    if (r.metadata.tenant !== tenant) violations.push(`${r.type} in ${r.streamId} carries metadata.tenant ${String(r.metadata.tenant)}`);
    if (category === 'agent') {
      const e = toDomainEvent(r) as AgentEvent;
      const key = scopedId(tenant, e.data.agentId);
      agents.set(key, evolveAgent(agents.get(key) ?? initialAgentState, e));
      continue;
    }
    // Scoped keys: the call's agent is looked up in the call's own tenant.
    const raw = toDomainEvent(r) as CallEvent;
    const scope = (id: string): string => scopedId(tenant, id);
    const e = { type: raw.type, data: { ...raw.data, callId: scope(raw.data.callId), ...('agentId' in raw.data && typeof raw.data.agentId === 'string' ? { agentId: scope(raw.data.agentId) } : {}) } } as CallEvent;
    switch (e.type) {
      case 'CallOfferedToAgent': {
        offers++;
        const a = agents.get(e.data.agentId);
        const routed = e.data.queueId !== null;
        if (routed && (a?.call?.offerId !== e.data.offerId || (a.state !== 'offered' && a.state !== 'ringing'))) {
          violations.push(`call ${e.data.callId} offered to ${e.data.agentId} (offer ${e.data.offerId}) whose stream holds ${a?.call?.offerId ?? 'nothing'} (${a?.state})`);
        }
        if (openOffer.has(e.data.callId)) violations.push(`call ${e.data.callId} offered twice at once`);
        openOffer.set(e.data.callId, e.data.offerId);
        break;
      }
      case 'AgentLegFailed':
      case 'CallOfferCancelled':
        openOffer.delete(e.data.callId);
        break;
      case 'CallConnected': {
        connects++;
        openOffer.delete(e.data.callId);
        const a = agents.get(e.data.agentId);
        // An agent's own outbound call has no offer: the agent must hold a booking for this very call.
        const held = e.data.offerId === null ? a?.call !== null && a?.call !== undefined && scopedId(tenant, a.call.callId) === e.data.callId : a?.call?.offerId === e.data.offerId && a.state === 'talking';
        if (!held) {
          violations.push(`call ${e.data.callId} connected to ${e.data.agentId} whose stream holds ${a?.call?.offerId ?? 'nothing'} (${a?.state})`);
        }
        const other = connectedTo.get(e.data.agentId);
        if (other !== undefined && other !== e.data.callId) violations.push(`agent ${e.data.agentId} connected to ${other} and ${e.data.callId} at once`);
        connectedTo.set(e.data.agentId, e.data.callId);
        break;
      }
      case 'CallEnded':
      case 'CallTransferred':
        openOffer.delete(e.data.callId);
        for (const [agentId, callId] of connectedTo) if (callId === e.data.callId) connectedTo.delete(agentId);
        break;
    }
  }
  return { violations, offers, connects };
}
