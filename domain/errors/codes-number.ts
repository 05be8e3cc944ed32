import type { ErrorSpec } from './catalogue.ts';

/** Codes of phone numbers (DIDs) assigned to IVR flows. */
export const numberErrors = {
  NUMBER_COMMAND_INVALID: { status: 400, message: 'The number command is invalid' },
  NUMBER_NOT_ASSIGNED: { status: 404, message: 'The number is not assigned to a flow' },
  NUMBER_IN_USE: { status: 409, message: 'The number is assigned in another tenant' },
} as const satisfies Record<string, ErrorSpec>;
