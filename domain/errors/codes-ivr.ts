import type { ErrorSpec } from './catalogue.ts';

/** Codes the IVR flow validator and interpreter raise. */
export const ivrErrors = {
  IVR_FLOW_INVALID: { status: 422, message: 'The IVR flow is invalid' },
  IVR_INPUT_INVALID: { status: 400, message: 'The IVR input does not match any input kind' },
  IVR_CONTEXT_INVALID: { status: 400, message: 'The IVR start context is invalid' },
  IVR_SESSION_INVALID: { status: 409, message: 'The IVR session does not belong to this flow' },
  IVR_SESSION_ENDED: { status: 409, message: 'The IVR session has already ended' },
  IVR_UNEXPECTED_INPUT: { status: 409, message: 'The IVR session cannot take this input now' },
  IVR_STEP_BUDGET_EXCEEDED: { status: 500, message: 'The IVR took too many automatic transitions in one step' },
} as const satisfies Record<string, ErrorSpec>;
