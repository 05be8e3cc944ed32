import type { ErrorSpec } from './catalogue.ts';

/** Codes the FreeSWITCH adapter, gateway and simulator raise. */
export const eslErrors = {} as const satisfies Record<string, ErrorSpec>;
