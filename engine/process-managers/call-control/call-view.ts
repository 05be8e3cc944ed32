// What the call-control manager knows of one call: the decider's state plus the legs the state does not name (the
// switch, the caller leg, the handling agent's leg, the legs this manager dialled). Folded from the call stream with
// the decider's own evolve; pure, so a reaction can be handed the view as it stood at its event.
import type { CallEvent } from '../../../domain/call/call-events.ts';
import { evolveCall } from '../../../domain/call/call-evolve.ts';
import { initialCallState, type CallState } from '../../../domain/call/call-state.ts';
import { agentLegUuidFor } from '../routing/routing-ids.ts';
import { consultLegUuid, outboundAgentLegUuid, partyLegUuid, supervisorLegUuid } from './call-control-ids.ts';

export interface CallView {
  /** `call-<scoped id>`: where every command about this call is appended. */
  readonly streamId: string;
  /** The stream name without `call-` (`acme.c1`, or `c1`): channel variables and ids derive from it. */
  readonly scopedId: string;
  readonly revision: bigint;
  readonly state: CallState;
  readonly switchId: string | null;
  readonly callerLegUuid: string | null;
  /** The leg of the agent handling the call now (answered offer, click-to-call phone, or completed consult leg). */
  readonly agentLegUuid: string | null;
  /** Conference parties' legs by party id (a consult completed as a conference is a party on its consult leg). */
  readonly partyLegs: Readonly<Record<string, string>>;
  /** Present supervisors' legs by supervisor id. */
  readonly supervisorLegs: Readonly<Record<string, string>>;
  /** Click-to-call: the agent's phone leg (dialled first) while the call is outbound for an agent. */
  readonly outboundAgentLegUuid: string | null;
  /** Click-to-call: the caller id shown to the customer. */
  readonly outboundCallerIdNumber: string | null;
  /** True when the handling agent's leg is one this manager dialled (routing ends the legs of its own offers). */
  readonly ownsAgentLeg: boolean;
  /** The id of the RecordingStarted event of the current (or last) recording: its claims derive from it. */
  readonly recordingEventId: string | null;
}

/** The view of an empty stream. */
export function emptyCallView(streamId: string): CallView {
  return {
    streamId,
    scopedId: streamId.slice('call-'.length),
    revision: -1n,
    state: initialCallState,
    switchId: null,
    callerLegUuid: null,
    agentLegUuid: null,
    partyLegs: {},
    supervisorLegs: {},
    outboundAgentLegUuid: null,
    outboundCallerIdNumber: null,
    ownsAgentLeg: false,
    recordingEventId: null,
  };
}

/** The view after event `e` (recorded with id `eventId` at `revision`). */
export function evolveCallView(v: CallView, e: CallEvent, eventId: string, revision: bigint): CallView {
  const next: CallView = { ...v, revision, state: evolveCall(v.state, e) };
  switch (e.type) {
    case 'CallArrived':
      return { ...next, switchId: e.data.switchId, callerLegUuid: e.data.channelUuid };
    case 'CallOriginated': {
      const agentLeg = e.data.agentId === null ? null : outboundAgentLegUuid(v.scopedId);
      return { ...next, switchId: e.data.switchId, callerLegUuid: e.data.channelUuid, outboundAgentLegUuid: agentLeg, outboundCallerIdNumber: e.data.callerIdNumber };
    }
    case 'CallbackAttempted':
      return { ...next, callerLegUuid: e.data.channelUuid };
    case 'CallConnected':
      return e.data.offerId === null
        ? { ...next, agentLegUuid: v.outboundAgentLegUuid, ownsAgentLeg: true }
        : { ...next, agentLegUuid: agentLegUuidFor(e.data.offerId), ownsAgentLeg: false };
    case 'CallTransferred':
      return { ...next, agentLegUuid: null, ownsAgentLeg: false, outboundAgentLegUuid: null, partyLegs: {}, supervisorLegs: {} };
    case 'RecordingStarted':
      return { ...next, recordingEventId: eventId };
    case 'ConsultCompleted': {
      const leg = consultLegUuid(v.scopedId, e.data.consultId);
      if (e.data.mode === 'conference') return { ...next, partyLegs: { ...v.partyLegs, [e.data.consultId]: leg } };
      return { ...next, agentLegUuid: leg, ownsAgentLeg: true, outboundAgentLegUuid: null, supervisorLegs: {} };
    }
    case 'ConferencePartyAdded':
      return { ...next, partyLegs: { ...v.partyLegs, [e.data.partyId]: partyLegUuid(v.scopedId, e.data.partyId) } };
    case 'ConferencePartyRemoved': {
      const { [e.data.partyId]: _gone, ...rest } = v.partyLegs;
      return { ...next, partyLegs: rest };
    }
    case 'SupervisorJoined':
      return { ...next, supervisorLegs: { ...v.supervisorLegs, [e.data.supervisorId]: supervisorLegUuid(v.scopedId, e.data.supervisorId, eventId) } };
    case 'SupervisorLeft': {
      const { [e.data.supervisorId]: _gone, ...rest } = v.supervisorLegs;
      return { ...next, supervisorLegs: rest };
    }
    default:
      return next;
  }
}

/** True once the call has ended (the disposition may still come). */
export const isOver = (v: CallView): boolean => v.state.status === 'ended' || v.state.status === 'dispositioned';
