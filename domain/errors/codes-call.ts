import type { ErrorSpec } from './catalogue.ts';

/** Codes the call decider raises. */
export const callErrors = {} as const satisfies Record<string, ErrorSpec>;
