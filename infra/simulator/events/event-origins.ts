// Event-Calling-File / -Function / -Line-Number per event, from the v1.10.12-era source lines the reference cites
// (and the real dumps where they show them). Clients should not depend on these, but they appear on every event.

/** Where FreeSWITCH fires an event from. */
export interface EventOrigin {
  readonly file: string;
  readonly func: string;
  readonly line: number;
}

const o = (file: string, func: string, line: number): EventOrigin => ({ file, func, line });

/** Origins by event name (or `name/variant`). */
export const EVENT_ORIGINS: Readonly<Record<string, EventOrigin>> = {
  CHANNEL_CREATE: o('switch_core_state_machine.c', 'switch_core_session_run', 626),
  CHANNEL_STATE: o('switch_channel.c', 'switch_channel_perform_set_running_state', 2415),
  CHANNEL_CALLSTATE: o('switch_channel.c', 'switch_channel_perform_set_callstate', 302),
  CHANNEL_OUTGOING: o('switch_core_session.c', 'switch_core_session_outgoing_channel', 768),
  CHANNEL_ORIGINATE: o('switch_ivr_originate.c', 'switch_ivr_originate', 2651),
  CHANNEL_PROGRESS: o('switch_channel.c', 'switch_channel_perform_mark_ring_ready_value', 3507),
  CHANNEL_PROGRESS_MEDIA: o('switch_channel.c', 'switch_channel_perform_mark_pre_answered', 3562),
  CHANNEL_ANSWER: o('switch_channel.c', 'switch_channel_perform_mark_answered', 3848),
  CHANNEL_EXECUTE: o('switch_core_session.c', 'switch_core_session_exec', 2949),
  CHANNEL_EXECUTE_COMPLETE: o('switch_core_session.c', 'switch_core_session_exec', 2975),
  CHANNEL_PARK: o('switch_ivr.c', 'switch_ivr_park', 1002),
  CHANNEL_UNPARK: o('switch_ivr.c', 'switch_ivr_park', 1213),
  CHANNEL_BRIDGE: o('switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1689),
  CHANNEL_UNBRIDGE: o('switch_ivr_bridge.c', 'switch_ivr_multi_threaded_bridge', 1879),
  CHANNEL_HOLD: o('switch_ivr.c', 'switch_ivr_hold', 1558),
  CHANNEL_UNHOLD: o('switch_ivr.c', 'switch_ivr_unhold', 1638),
  CHANNEL_HANGUP: o('switch_channel.c', 'switch_channel_perform_hangup', 3447),
  CHANNEL_HANGUP_COMPLETE: o('switch_core_state_machine.c', 'switch_core_session_reporting_state', 943),
  CHANNEL_DESTROY: o('switch_core_session.c', 'switch_core_session_perform_destroy', 1588),
  CHANNEL_UUID: o('switch_core_session.c', 'switch_core_session_set_uuid', 2056),
  CHANNEL_DATA: o('mod_commands.c', 'uuid_dump_function', 6356),
  DTMF: o('switch_channel.c', 'switch_channel_dequeue_dtmf', 678),
  RECORD_START: o('switch_ivr_async.c', 'record_callback', 1482),
  RECORD_STOP: o('switch_ivr_async.c', 'record_callback', 1241),
  PLAYBACK_START: o('switch_ivr_play_say.c', 'switch_ivr_play_file', 1649),
  PLAYBACK_STOP: o('switch_ivr_play_say.c', 'switch_ivr_play_file', 2023),
  MEDIA_BUG_START: o('switch_core_media_bug.c', 'switch_core_media_bug_add', 85),
  MEDIA_BUG_STOP: o('switch_core_media_bug.c', 'switch_core_media_bug_destroy', 85),
  BACKGROUND_JOB: o('mod_event_socket.c', 'api_exec', 1572),
  HEARTBEAT: o('switch_core.c', 'send_heartbeat', 88),
  'CUSTOM/conference::maintenance': o('conference_member.c', 'conference_member_add_event_data', 782),
  CUSTOM: o('mod_event_socket.c', 'parse_command', 2154),
};

/** The origin for an event, falling back to a generic core location. */
export function originOf(name: string, subclass?: string): EventOrigin {
  return (subclass && EVENT_ORIGINS[`${name}/${subclass}`]) || EVENT_ORIGINS[name] || o('switch_event.c', 'switch_event_fire_detailed', 1973);
}
