/**
 * `agent_board`: each agent's state, since when, the not-ready reason and the call in hand (`agents`), and the
 * handling of each call the agent wrapped up (`handled`: talk, hold and after-call work by offer), from which the
 * query layer counts calls handled and AHT over a window. Occupancy is time-weighted, so the query layer computes
 * it from queue_stats' facts.
 */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';
import { defineProjection, type Write } from '../projection.ts';
import { pruneDay, tenantOf, utcDay } from '../queue-stats/event-tenant.ts';

type Data = Record<string, unknown>;

/** The agent row an event sets: state, reason and call; undefined when the event leaves them as they are. */
function stateOf(type: string, d: Data): { state: string; reason_code: string | null; call_id: string | null } | undefined {
  const callId = typeof d['callId'] === 'string' ? d['callId'] : null;
  switch (type) {
    case 'AgentLoggedIn':
      return { state: 'not_ready', reason_code: 'login', call_id: null };
    case 'AgentReady':
    case 'AgentWrapUpEnded':
    case 'AgentOfferMissed':
    case 'AgentOfferCancelled':
      return { state: 'ready', reason_code: null, call_id: null };
    case 'AgentNotReady':
      return { state: 'not_ready', reason_code: String(d['reasonCode']), call_id: null };
    case 'AgentOffered':
      return { state: 'offered', reason_code: null, call_id: callId };
    case 'AgentRinging':
      return { state: 'ringing', reason_code: null, call_id: callId };
    case 'AgentTalking':
      return { state: 'talking', reason_code: null, call_id: callId };
    case 'AgentWrapUpStarted':
      return { state: 'wrap_up', reason_code: null, call_id: callId };
    case 'AgentBrokeOut':
      return { state: 'break_out', reason_code: null, call_id: null };
    case 'AgentLoggedOut':
      return { state: 'logged_out', reason_code: null, call_id: null };
    case 'AgentStateForced': {
      const to = String(d['to']);
      if (to === 'not_ready') return { state: 'not_ready', reason_code: typeof d['reasonCode'] === 'string' ? d['reasonCode'] : 'forced', call_id: null };
      return { state: to, reason_code: null, call_id: null };
    }
    default:
      return undefined;
  }
}

/** Pure: the writes of one agent event. */
export function agentBoardWrites(event: RecordedEvent): Write[] {
  const tenant = tenantOf(event);
  const d = (event.data ?? {}) as Data;
  if (tenant === undefined || typeof d['agentId'] !== 'string' || typeof d['at'] !== 'number') return [];
  const agent = { tenant, agent_id: d['agentId'] };
  const at = d['at'];
  const writes: Write[] = [];
  const next = stateOf(event.type, d);
  if (next) writes.push({ op: 'upsert', table: 'agents', row: { ...agent, ...next, since: at } });
  if (event.type === 'AgentWrapUpStarted' || event.type === 'AgentWrapUpEnded') {
    const started = event.type === 'AgentWrapUpStarted';
    writes.push(
      { op: 'delete', table: 'handled', where: { tenant, day: pruneDay(at) } },
      {
        op: 'upsert',
        table: 'handled',
        row: {
          ...agent,
          offer_id: String(d['offerId']),
          call_id: String(d['callId']),
          day: utcDay(at),
          talk_ms: started ? Number(d['talkMs']) : 0,
          hold_ms: started ? Number(d['holdMs']) : 0,
          wrap_ms: started ? 0 : Number(d['wrapUpMs']),
          ended_at: started ? null : at,
        },
        merge: { day: 'keep', talk_ms: 'add', hold_ms: 'add', wrap_ms: 'add', ended_at: 'max' },
      },
    );
  }
  return writes;
}

export const agentBoard = defineProjection({
  name: 'agent_board',
  version: 1,
  description: "Each agent's state since when (reason, call in hand) and the handling of the calls each wrapped up",
  filter: { streamNamePrefixes: ['agent-'] },
  tables: {
    agents: {
      columns: { tenant: 'text', agent_id: 'text', state: 'text', since: 'bigint', reason_code: { type: 'text', nullable: true }, call_id: { type: 'text', nullable: true } },
      primaryKey: ['tenant', 'agent_id'],
    },
    handled: {
      columns: {
        tenant: 'text',
        agent_id: 'text',
        offer_id: 'text',
        call_id: 'text',
        day: 'text',
        talk_ms: 'bigint',
        hold_ms: 'bigint',
        wrap_ms: 'bigint',
        ended_at: { type: 'bigint', nullable: true },
      },
      primaryKey: ['tenant', 'agent_id', 'offer_id'],
      indexes: [['tenant', 'day']],
    },
  },
  handle: agentBoardWrites,
});
