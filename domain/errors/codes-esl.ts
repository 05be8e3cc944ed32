import type { ErrorSpec } from './catalogue.ts';

/** Codes the FreeSWITCH adapter, gateway and simulator raise. */
export const eslErrors = {
  ESL_DISCONNECTED: { status: 503, message: 'The FreeSWITCH event socket is not connected' },
  ESL_AUTH_FAILED: { status: 502, message: 'FreeSWITCH rejected the event socket password' },
  ESL_TIMEOUT: { status: 504, message: 'FreeSWITCH did not answer the command in time' },
  ESL_NO_SUCH_CHANNEL: { status: 404, message: 'FreeSWITCH has no such channel' },
  ESL_COMMAND_FAILED: { status: 502, message: 'FreeSWITCH refused the command' },
  ESL_USAGE: { status: 500, message: 'FreeSWITCH rejected the command syntax' },
  ESL_ORIGINATE_FAILED: { status: 502, message: 'FreeSWITCH could not originate the leg' },
  ESL_INVALID_ARGUMENT: { status: 400, message: 'A value cannot be put into a FreeSWITCH command safely' },
  ESL_UNKNOWN_SWITCH: { status: 404, message: 'No connection to that FreeSWITCH' },
  ESL_MALFORMED_FRAME: { status: 502, message: 'FreeSWITCH sent a frame the adapter could not parse' },
} as const satisfies Record<string, ErrorSpec>;
