// Stage 1 output: one normalised, typed fact per ESL event the adapter understands. Facts carry the switch they came
// from and the identity of the event, so stage 2 can derive idempotent command ids.

/** Which leg a channel is for Ledgerline (from the `ledgerline_role` variable we set on originate). */
export type LegRole = 'caller' | 'agent' | 'consult' | 'supervisor' | 'outbound';

/** Channel data every channel fact carries (absent fields stay undefined: `_undef_`/empty are normalised away). */
export interface ChannelSnapshot {
  readonly uuid: string;
  readonly direction: 'inbound' | 'outbound' | undefined;
  readonly channelName: string | undefined;
  readonly callerIdNumber: string | undefined;
  readonly callerIdName: string | undefined;
  readonly destinationNumber: string | undefined;
  readonly answerState: string | undefined;
  /** The bridged partner, from Other-Leg-Unique-ID. */
  readonly otherLegUuid: string | undefined;
  /** Our variables, set by the gateway when it originates a leg. */
  readonly ledgerline: {
    readonly callId: string | undefined;
    readonly offerId: string | undefined;
    readonly role: LegRole | undefined;
    readonly partyId: string | undefined;
  };
}

/** Identity and origin of the ESL event behind a fact. */
export interface FactOrigin {
  /** Our id for the switch (the configured host:port, stable across FreeSWITCH restarts). */
  readonly switchId: string;
  /** FreeSWITCH's Core-UUID (constant for one process lifetime). */
  readonly coreUuid: string;
  readonly eventName: string;
  readonly sequence: number | undefined;
  /** Event-Date-Timestamp in µs, or the receive time when the header is missing. */
  readonly timestampMicros: number;
  /** Epoch ms of the fact (what commands carry as `at`). */
  readonly at: number;
  /** A key unique per ESL event: `seq:<Event-Sequence>`, else `<Unique-ID|Job-UUID>/<Event-Name>/<timestamp>`. */
  readonly eventKey: string;
}

type ChannelFact<K extends string, X = object> = FactOrigin & { readonly kind: K; readonly channel: ChannelSnapshot } & X;

export type SwitchFact =
  | ChannelFact<'channel_created'>
  | ChannelFact<'channel_ringing', { readonly earlyMedia: boolean }>
  | ChannelFact<'channel_answered'>
  | ChannelFact<'channel_parked'>
  | ChannelFact<'channel_unparked'>
  | ChannelFact<'channel_bridged', { readonly aLegUuid: string; readonly bLegUuid: string }>
  | ChannelFact<'channel_unbridged', { readonly aLegUuid: string; readonly bLegUuid: string | undefined }>
  | ChannelFact<'channel_held'>
  | ChannelFact<'channel_unheld'>
  | ChannelFact<'dtmf', { readonly digit: string; readonly durationSamples: number | undefined; readonly source: string | undefined }>
  | ChannelFact<'record_started', { readonly path: string | undefined }>
  | ChannelFact<'record_stopped', { readonly path: string | undefined; readonly completionCause: string | undefined }>
  | ChannelFact<'playback_started', { readonly path: string | undefined }>
  | ChannelFact<'playback_stopped', { readonly path: string | undefined; readonly status: 'done' | 'break' | undefined }>
  | ChannelFact<'execute_complete', {
      readonly application: string | undefined;
      readonly applicationData: string | undefined;
      readonly applicationUuid: string | undefined;
      readonly response: string | undefined;
      /** `variable_<name>` of a digit collection (play_and_get_digits), when the app set one. */
      readonly digits: string | undefined;
    }>
  | ChannelFact<'channel_hangup', { readonly cause: string }>
  | ChannelFact<'channel_hangup_complete', { readonly cause: string; readonly billsec: number | undefined; readonly durationSec: number | undefined }>
  | ChannelFact<'channel_destroyed', { readonly cause: string }>
  | (FactOrigin & { readonly kind: 'background_job'; readonly jobUuid: string; readonly command: string | undefined; readonly body: string })
  | (FactOrigin & { readonly kind: 'heartbeat'; readonly sessionCount: number | undefined; readonly uptimeMsec: number | undefined })
  | (FactOrigin & {
      readonly kind: 'callcenter_info';
      readonly action: string;
      readonly queue: string | undefined;
      readonly agent: string | undefined;
      readonly memberSessionUuid: string | undefined;
      readonly agentUuid: string | undefined;
      readonly cause: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
    })
  | (FactOrigin & { readonly kind: 'ignored'; readonly reason: 'unknown_event' | 'missing_unique_id' });

export type SwitchFactKind = SwitchFact['kind'];
