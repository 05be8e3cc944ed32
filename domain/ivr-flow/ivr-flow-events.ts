import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../events/event-definition.ts';
import { IvrFlowSchema } from '../ivr/flow-schema.ts';

/** A flow id: the same shape as the `id` inside the flow JSON, which must equal it at publish. */
export const flowIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, and _ . -');
const hash = z.string().regex(/^[0-9a-f]{40}$/);
const base = { flowId: flowIdSchema, at: z.int().nonnegative() };
const category = 'ivrflow';

export const IvrFlowDraftSaved = defineEvent({
  type: 'IvrFlowDraftSaved',
  category,
  schema: z.object({ ...base, flow: z.json(), contentHash: hash }),
  description: 'A draft of the flow was saved as written (drafts need not be valid; publishing validates).',
});

export const IvrFlowPublished = defineEvent({
  type: 'IvrFlowPublished',
  category,
  schema: z.object({ ...base, version: z.int().positive(), contentHash: hash, flow: IvrFlowSchema }),
  description: 'The draft passed validation and became version `version`: immutable, and what calls record they ran.',
});

export const IvrFlowRetired = defineEvent({
  type: 'IvrFlowRetired',
  category,
  schema: z.object(base),
  description: 'The flow takes no new calls and cannot change again; its published versions stay readable.',
});

/** Every IVR flow event definition: the registry imports exactly this name. */
export const ivrFlowEvents = [IvrFlowDraftSaved, IvrFlowPublished, IvrFlowRetired] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: z.output<S> } : never;

/** An IVR flow event as the decider emits it: `{ type, data }`. */
export type IvrFlowEvent = EventOf<(typeof ivrFlowEvents)[number]>;
export type IvrFlowEventType = IvrFlowEvent['type'];
