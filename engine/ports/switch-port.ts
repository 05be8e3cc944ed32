// What the engine needs from the telephony switch, and nothing more. The FreeSWITCH ESL gateway implements it; the
// engine never sees ESL. Every command names the switch it goes to (a call's legs live on one box) and carries a
// `commandId` derived from the event that caused it, so an adapter can make a retried command reuse its Job-UUID.

/** Where an agent (or any leg) is dialled. Mirrors the gateway's endpoint shapes. */
export type SwitchEndpoint =
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'gateway'; readonly gateway: string; readonly number: string }
  | { readonly kind: 'loopback'; readonly number: string; readonly context?: string };

/** Fields every switch command carries. */
export interface SwitchCommandBase {
  /** Our id of the switch (e.g. `host:port`), as the call's CallArrived recorded it. */
  readonly switchId: string;
  /** Deterministic per causing event: a retry of the same command reuses it. */
  readonly commandId: string;
}

/** Originate a leg with OUR uuid (origination_uuid), tagged with our variables, parked once answered. */
export interface OriginateLegRequest extends SwitchCommandBase {
  readonly legUuid: string;
  readonly endpoint: SwitchEndpoint;
  readonly callId: string;
  readonly role: 'agent' | 'consult' | 'supervisor' | 'outbound';
  readonly offerId?: string;
  /** Seconds before the switch gives up with NO_ANSWER (originate_timeout). */
  readonly ringTimeoutSeconds: number;
  readonly callerIdNumber?: string;
  readonly callerIdName?: string;
  /** Extra channel variables (ledgerline_call_id, _offer_id and _role are always set by the adapter). */
  readonly variables?: Readonly<Record<string, string>>;
}

/** How a supervisor hears (and is heard on) the call: listen silent, whisper to the agent only, barge to everyone. */
export type SupervisorListenMode = 'listen' | 'whisper' | 'barge';

/** Originate a third party's leg (role consult) that joins a conference room once answered. */
export interface OriginateIntoConferenceRequest extends OriginateLegRequest {
  readonly partyId: string;
  /** The room (letters, digits, `_.-`). */
  readonly room: string;
}

/** Originate a supervisor's phone (role supervisor) that eavesdrops on a leg once answered. */
export interface OriginateSupervisorRequest extends SwitchCommandBase {
  readonly legUuid: string;
  readonly endpoint: SwitchEndpoint;
  readonly callId: string;
  readonly supervisorId: string;
  /** The leg listened to: the agent's, so whisper reaches the agent only. */
  readonly targetLegUuid: string;
  readonly mode: SupervisorListenMode;
  readonly ringTimeoutSeconds: number;
}

/** A leg's life as the switch reports it (for checks on resume). */
export type ChannelStatus = 'absent' | 'ringing' | 'answered' | 'bridged' | 'hungup';

/** The commands the engine issues. Each resolves when the switch accepted it, or rejects with a coded error. */
export interface SwitchCommands {
  /** Starts dialling; the outcome arrives as facts (leg_ringing, leg_answered, leg_hangup). */
  originate(r: OriginateLegRequest): Promise<void>;
  bridge(r: SwitchCommandBase & { readonly aLegUuid: string; readonly bLegUuid: string }): Promise<void>;
  /** Hangs a leg up; resolves once it is gone, including when it was gone already (a hangup racing ours). */
  kill(r: SwitchCommandBase & { readonly legUuid: string; readonly cause: string }): Promise<void>;
  answer(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
  park(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
  hold(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
  unhold(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
  /** Blind transfer of a leg into the dialplan (voicemail, external numbers, another IVR). */
  transfer(r: SwitchCommandBase & { readonly legUuid: string; readonly exten: string; readonly context?: string }): Promise<void>;
  /** Stops whatever media plays on a leg (music, a prompt), e.g. before it is bridged. */
  stopMedia(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void>;
  /** Plays a file or stream to a leg; completion arrives as a `playback_done` fact naming `playbackId`. */
  play(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly playbackId: string }): Promise<void>;
  /** Plays a prompt and collects digits; the result arrives as a `digits_collected` fact naming `collectId`. */
  collectDigits(
    r: SwitchCommandBase & {
      readonly legUuid: string;
      readonly collectId: string;
      readonly promptPath: string;
      readonly minDigits: number;
      readonly maxDigits: number;
      readonly timeoutMs: number;
      readonly terminators?: string;
    },
  ): Promise<void>;
  startRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string }): Promise<void>;
  stopRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string }): Promise<void>;
  /** Masks (pauses) or unmasks the recording, e.g. while a card number is read out. */
  maskRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly masked: boolean }): Promise<void>;
  /** Like `originate`, but the answered leg joins conference `room` (outcome as facts, role consult). */
  originateIntoConference(r: OriginateIntoConferenceRequest): Promise<void>;
  /** Dials a supervisor into an eavesdrop on `targetLegUuid` in `mode` (outcome as facts, role supervisor). */
  originateSupervisor(r: OriginateSupervisorRequest): Promise<void>;
  /**
   * Attended transfer, once the consult leg answered: the caller is kept parked when its bridge breaks, the agent is
   * bridged to the consult leg, and the caller hears `holdMusicPath` (default local_stream://moh).
   */
  bridgeConsult(
    r: SwitchCommandBase & { readonly callerLegUuid: string; readonly agentLegUuid: string; readonly consultLegUuid: string; readonly holdMusicPath?: string },
  ): Promise<void>;
  /** Moves a leg (and, with `both`, the leg bridged to it) into conference `room`. */
  moveToConference(r: SwitchCommandBase & { readonly legUuid: string; readonly room: string; readonly both: boolean }): Promise<void>;
  /** Plays a file or stream to a leg over whatever it is doing (bridged or not), without a completion fact. */
  broadcast(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly legs?: 'aleg' | 'bleg' | 'both' }): Promise<void>;
  /** Where a leg is now, to check effects on resume (a leg we originated before a crash may be up, or gone). */
  channelStatus(switchId: string, legUuid: string): Promise<ChannelStatus>;
}

/** Identity of a fact: unique per switch event, so command ids derived from it are stable across replays. */
interface FactBase {
  readonly switchId: string;
  /** Unique per switch event (the ESL adapter's eventKey). */
  readonly factId: string;
  /** Epoch ms of the event on the switch. */
  readonly at: number;
  readonly legUuid: string;
  /** Our variables on the leg, when we set them (agent legs) or the adapter learnt them (caller legs). */
  readonly callId?: string;
  readonly offerId?: string;
  readonly role?: 'caller' | 'agent' | 'consult' | 'supervisor' | 'outbound';
  /** On leg_ringing and leg_answered: who called whom, so a new inbound leg can become a call. */
  readonly direction?: 'inbound' | 'outbound';
  /** The number dialled (FreeSWITCH's Caller-Destination-Number). */
  readonly did?: string;
  readonly callerNumber?: string;
  readonly callerName?: string | null;
}

/** What the switch reports; only what the engine acts on. */
export type SwitchFact =
  | (FactBase & { readonly kind: 'leg_ringing' })
  | (FactBase & { readonly kind: 'leg_answered' })
  | (FactBase & { readonly kind: 'legs_bridged'; readonly otherLegUuid: string })
  | (FactBase & { readonly kind: 'legs_unbridged'; readonly otherLegUuid?: string })
  | (FactBase & { readonly kind: 'leg_hangup'; readonly cause: string })
  | (FactBase & { readonly kind: 'dtmf'; readonly digit: string })
  | (FactBase & { readonly kind: 'playback_done'; readonly playbackId: string })
  | (FactBase & { readonly kind: 'digits_collected'; readonly collectId: string; readonly digits: string | null });

/** The switch as the engine uses it: commands, and an async stream of facts from every switch. */
export interface SwitchPort extends SwitchCommands {
  /** Facts from every switch, in the order each switch sent them; ends when the port closes. */
  facts(): AsyncIterable<SwitchFact>;
}
