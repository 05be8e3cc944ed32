// Stage 2: SwitchFact + what the engine knows → the call commands the fact implies. Pure. Every command id derives from
// the switch's Core-UUID and the fact's identity, so a replayed ESL event yields the same ids (the engine's
// commandId/event-id dedup makes it a no-op). Once-per-channel facts (answered, bridged, ended) are keyed per channel,
// not per event, so the same fact reached by two paths (BRIDGE before the B leg's ANSWER; HANGUP, HANGUP_COMPLETE, DESTROY)
// still gives one command id.
import { agentLegFailureCause } from '../../../domain/call/agent-leg-failure.ts';
import type { CallCommand } from '../../../domain/call/call-commands.ts';
import { callCommandSchema } from '../../../domain/call/call-commands.ts';
import type { CallStatus } from '../../../domain/call/call-state.ts';
import type { HangupSide } from '../../../domain/call/call-schemas.ts';
import { fastUuidV5 as uuidV5 } from './fast-uuid-v5.ts';
import type { SwitchFact } from './switch-facts.ts';

/** What the engine knows about one channel it tracks. */
export interface ChannelContext {
  readonly callId: string;
  readonly role: 'caller' | 'agent' | 'consult' | 'supervisor';
  /** The call's current status (domain/call/call-state.ts). */
  readonly status: CallStatus;
  /** Agent legs: the offer the leg was originated for. */
  readonly offerId?: string | null;
  /** Caller legs: the customer leg of an agent-originated outbound call (answer connects it; a hangup is the remote's). */
  readonly outbound?: boolean;
  /** The call is on hold now. */
  readonly held?: boolean;
  /** Set when the engine itself asked the switch to end the call (uuid_kill): the hangup is attributed to it. */
  readonly endRequestedBy?: HangupSide | null;
  /** Consult legs: the consultation id. Supervisor legs: the supervisor id. */
  readonly consultId?: string | null;
  readonly supervisorId?: string | null;
  /** IVR step awaiting a switch result: the Event-UUIDs the gateway used for a prompt or a digit collection. */
  readonly ivr?: { readonly nodeId: string; readonly promptId?: string | null; readonly promptUuid?: string | null; readonly collectUuid?: string | null } | null;
  /** The recording the engine asked for (its path) and whether the call already records it. */
  readonly recording?: { readonly recordingId: string; readonly path: string; readonly active: boolean } | null;
}

/** The engine's side of stage 2. */
export interface TranslationContext {
  /** The engine's view of a channel, or undefined for a channel it does not track. */
  channel(uuid: string): ChannelContext | undefined;
}

/** The call id Ledgerline gives a new inbound call: deterministic per channel, so replays and reconcile agree. */
export function callIdForChannel(coreUuid: string, channelUuid: string): string {
  return uuidV5(`freeswitch-call|${coreUuid}|${channelUuid}`);
}

/** The id of a command derived from a switch fact: `key` names the fact (per channel or per event). */
export function switchCommandId(coreUuid: string, key: string, commandType: string): string {
  return uuidV5(`freeswitch|${coreUuid}|${key}|${commandType}`);
}

const WAITING: ReadonlySet<CallStatus> = new Set(['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered']);
const OFFER_OPEN: ReadonlySet<CallStatus> = new Set(['offered', 'ringing', 'agent_answered']);
const LIVE: ReadonlySet<CallStatus> = new Set(['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered', 'connected', 'voicemail']);

/** The call commands a fact implies, validated against the call domain's schemas (defaults applied). */
export function factToCallCommands(fact: SwitchFact, context: TranslationContext): CallCommand[] {
  return draftCommands(fact, context).map((c) => callCommandSchema.parse(c));
}

type Draft = Record<string, unknown> & { type: string };

function draftCommands(fact: SwitchFact, context: TranslationContext): Draft[] {
  if (!('channel' in fact)) return [];
  const ch = fact.channel;
  const own = context.channel(ch.uuid);
  const actor = `switch:${fact.coreUuid}`;
  const make = (key: string, callId: string, type: string, fields: Record<string, unknown> = {}): Draft => ({
    type,
    commandId: switchCommandId(fact.coreUuid, key, type),
    at: fact.at,
    actor,
    callId,
    ...fields,
  });
  const perChannel = (what: string, uuid = ch.uuid): string => `ch:${uuid}:${what}`;
  const perEvent = (): string => `ev:${fact.eventKey}`;

  switch (fact.kind) {
    case 'channel_answered':
    case 'channel_parked': {
      if (own === undefined) {
        // A new caller: an inbound leg we did not originate, parked or answered by the dialplan for the ACD.
        if (ch.direction !== 'inbound' || ch.ledgerline.role !== undefined) return [];
        const callId = ch.ledgerline.callId ?? callIdForChannel(fact.coreUuid, ch.uuid);
        return [make(perChannel('received'), callId, 'ReceiveCall', {
          did: (ch.destinationNumber ?? 'unknown').slice(0, 64),
          callerNumber: (ch.callerIdNumber ?? 'anonymous').slice(0, 64),
          callerName: ch.callerIdName?.slice(0, 128) ?? null,
          switchId: fact.switchId,
          channelUuid: ch.uuid,
        })];
      }
      if (fact.kind === 'channel_answered' && own.role === 'caller' && own.outbound && own.status === 'arrived') {
        // The customer answered an agent's outbound dial.
        return [make(perChannel('answered'), own.callId, 'ConnectCall', { offerId: null })];
      }
      if (fact.kind === 'channel_answered' && own.role === 'agent' && own.offerId && OFFER_OPEN.has(own.status) && own.status !== 'agent_answered') {
        return [make(perChannel('answered'), own.callId, 'RecordAgentLegAnswered', { offerId: own.offerId })];
      }
      return [];
    }
    case 'channel_ringing':
      if (own?.role === 'agent' && own.offerId && own.status === 'offered') {
        return [make(perChannel('ringing'), own.callId, 'RecordAgentLegRinging', { offerId: own.offerId, channelUuid: ch.uuid })];
      }
      return [];
    case 'channel_bridged': {
      // BRIDGE fires on the A leg only, and may arrive before the B leg's ANSWER (§3.0): a bridge implies the answer.
      const a = context.channel(fact.aLegUuid);
      const b = context.channel(fact.bLegUuid);
      const agent = a?.role === 'agent' ? { ctx: a, uuid: fact.aLegUuid } : b?.role === 'agent' ? { ctx: b, uuid: fact.bLegUuid } : undefined;
      const caller = a?.role === 'caller' ? a : b?.role === 'caller' ? b : undefined;
      if (!agent || !caller || agent.ctx.callId !== caller.callId || !agent.ctx.offerId || !OFFER_OPEN.has(caller.status)) return [];
      const out: Draft[] = [];
      if (caller.status !== 'agent_answered') out.push(make(perChannel('answered', agent.uuid), caller.callId, 'RecordAgentLegAnswered', { offerId: agent.ctx.offerId }));
      out.push(make(`bridge:${fact.aLegUuid}:${fact.bLegUuid}`, caller.callId, 'ConnectCall', { offerId: agent.ctx.offerId }));
      return out;
    }
    case 'channel_held':
      if (own && (own.role === 'agent' || own.role === 'caller') && own.status === 'connected' && !own.held) return [make(perEvent(), own.callId, 'HoldCall')];
      return [];
    case 'channel_unheld':
      if (own && (own.role === 'agent' || own.role === 'caller') && own.status === 'connected' && own.held) return [make(perEvent(), own.callId, 'ResumeCall')];
      return [];
    case 'execute_complete': {
      const ivr = own?.ivr;
      if (!own || !ivr || !fact.applicationUuid || own.status !== 'in_ivr') return [];
      if (ivr.collectUuid && fact.applicationUuid === ivr.collectUuid) {
        const digits = fact.digits;
        const input = digits !== undefined && /^[0-9*#A-D]+$/.test(digits) ? { kind: 'dtmf', digits } : { kind: 'timeout' };
        return [make(`app:${fact.applicationUuid}`, own.callId, 'RecordIvrInput', { nodeId: ivr.nodeId, input })];
      }
      if (ivr.promptUuid && ivr.promptId && fact.applicationUuid === ivr.promptUuid) {
        const bargedIn = fact.response !== undefined && /break|interrupt/i.test(fact.response);
        return [make(`app:${fact.applicationUuid}`, own.callId, 'RecordPromptPlayed', { nodeId: ivr.nodeId, promptId: ivr.promptId, bargedIn })];
      }
      return [];
    }
    case 'record_started': {
      const rec = own?.recording;
      if (!own || !rec || rec.active || fact.path !== rec.path || own.status !== 'connected') return [];
      return [make(`rec:${ch.uuid}:${rec.recordingId}:start`, own.callId, 'StartRecording', { recordingId: rec.recordingId })];
    }
    case 'record_stopped': {
      const rec = own?.recording;
      if (!own || !rec || !rec.active || fact.path !== rec.path || !LIVE.has(own.status)) return [];
      return [make(`rec:${ch.uuid}:${rec.recordingId}:stop`, own.callId, 'StopRecording')];
    }
    case 'channel_hangup':
    case 'channel_hangup_complete':
    case 'channel_destroyed':
      // Three chances at one per-channel command id: a reconnect that missed HANGUP still sees COMPLETE or DESTROY
      // (show channels lists a channel until it is destroyed, so reconcile may have confirmed it as live).
      return own ? hangupCommands(own, fact.cause, (type, fields) => make(perChannel('ended'), own.callId, type, fields)) : [];
    default:
      return [];
  }
}

function hangupCommands(own: ChannelContext, cause: string, make: (type: string, fields?: Record<string, unknown>) => Draft): Draft[] {
  switch (own.role) {
    case 'caller':
      if (!LIVE.has(own.status)) return [];
      if (own.endRequestedBy) return [make('EndCall', { cause, hungUpBy: own.endRequestedBy })];
      if (own.outbound) return [make('EndCall', { cause, hungUpBy: 'remote' })];
      if (WAITING.has(own.status)) return [make('AbandonCall', { cause })];
      return [make('EndCall', { cause, hungUpBy: 'caller' })];
    case 'agent':
      if (own.offerId && (own.status === 'offered' || own.status === 'ringing')) {
        return [make('RecordAgentLegFailed', { offerId: own.offerId, cause: agentLegFailureCause(cause) })];
      }
      if (own.offerId && own.status === 'agent_answered') return [make('RecordAgentLegFailed', { offerId: own.offerId, cause: 'error' })];
      if (own.status === 'connected') return [make('EndCall', { cause, hungUpBy: own.endRequestedBy ?? 'agent' })];
      return [];
    case 'consult':
      return own.consultId && own.status === 'connected' ? [make('CancelConsult', { consultId: own.consultId, reason: 'target_unavailable' })] : [];
    case 'supervisor':
      return own.supervisorId && own.status === 'connected' ? [make('LeaveSupervisor', { supervisorId: own.supervisorId })] : [];
  }
}
