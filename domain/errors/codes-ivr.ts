import type { ErrorSpec } from './catalogue.ts';

/** Codes the IVR flow validator and interpreter raise. */
export const ivrErrors = {} as const satisfies Record<string, ErrorSpec>;
