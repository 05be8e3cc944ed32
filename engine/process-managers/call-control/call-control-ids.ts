// Deterministic ids of everything the call-control manager creates: legs, conference rooms, command ids and switch
// command claim keys. Every id derives from the call's SCOPED id (the stream name without `call-`) and the causing
// event, so a replayed reaction reuses them and two tenants never share one.
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';

/** The consult leg of consultation `consultId`. */
export const consultLegUuid = (scopedCallId: string, consultId: string): string => uuidV5(`cc-consult-leg|${scopedCallId}|${consultId}`);

/** The leg of a conference party added with AddConferenceParty. */
export const partyLegUuid = (scopedCallId: string, partyId: string): string => uuidV5(`cc-party-leg|${scopedCallId}|${partyId}`);

/** A supervisor's leg for one join (the SupervisorJoined event id): a supervisor who rejoins gets a new leg. */
export const supervisorLegUuid = (scopedCallId: string, supervisorId: string, joinEventId: string): string =>
  uuidV5(`cc-supervisor-leg|${scopedCallId}|${supervisorId}|${joinEventId}`);

/** The agent's own phone on a click-to-call (the customer leg is the call's channelUuid). */
export const outboundAgentLegUuid = (scopedCallId: string): string => uuidV5(`cc-outbound-agent-leg|${scopedCallId}`);

/** The conference room of a call (FreeSWITCH room names: letters, digits, `_.-`). */
export const conferenceRoomOf = (scopedCallId: string): string => `ll-${uuidV5(`cc-room|${scopedCallId}`)}`;

/** The playback id of the recording consent announcement of one RecordingStarted event (attempt 1, or a replay). */
export const consentPlaybackId = (recordingEventId: string, attempt: number): string => `cc-consent|${recordingEventId}|${attempt}`;

/** The claim key of step `step` of the reaction to event or fact `causeId`. */
export const claimKey = (causeId: string, step: string): string => `cc|${causeId}|${step}`;

/** A command id for step `step` caused by `causeId` (an event id, a fact id, a consult id…). */
export const controlCommandId = (causeId: string, step: string): string => uuidV5(`cc-cmd|${causeId}|${step}`);
