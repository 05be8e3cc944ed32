// Channel running states (CS_*, switch_channel_state_t) and call states (CCS_*), with their numbers.

export const CHANNEL_STATES = [
  'CS_NEW', 'CS_INIT', 'CS_ROUTING', 'CS_SOFT_EXECUTE', 'CS_EXECUTE', 'CS_EXCHANGE_MEDIA', 'CS_PARK',
  'CS_CONSUME_MEDIA', 'CS_HIBERNATE', 'CS_RESET', 'CS_HANGUP', 'CS_REPORTING', 'CS_DESTROY',
] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

export const CALL_STATES = ['DOWN', 'DIALING', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'RING_WAIT', 'HANGUP', 'UNHELD'] as const;
export type CallState = (typeof CALL_STATES)[number];

export const stateNumber = (s: ChannelState): number => CHANNEL_STATES.indexOf(s);
export const callStateNumber = (s: CallState): number => CALL_STATES.indexOf(s);
