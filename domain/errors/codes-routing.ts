import type { ErrorSpec } from './catalogue.ts';

/** Codes routing, wait estimation and metrics raise. */
export const routingErrors = {} as const satisfies Record<string, ErrorSpec>;
