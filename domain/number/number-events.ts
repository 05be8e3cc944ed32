import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../events/event-definition.ts';
import { flowIdSchema } from '../ivr-flow/ivr-flow-events.ts';

/**
 * A dialled number (DID): E.164 with its `+` (`+3225550100`) or bare digits as the carrier hands them over
 * (`3225550100`, a short code `1818`). Both spellings of one number share a stream: see `numberKey`.
 */
export const phoneNumberSchema = z.string().regex(/^\+?[0-9]{2,20}$/, 'a phone number: an optional + then 2 to 20 digits');
const base = { number: phoneNumberSchema.describe('The number as first assigned (E.164 with + or bare digits)'), at: z.int().nonnegative() };
const category = 'number';

export const NumberAssigned = defineEvent({
  type: 'NumberAssigned',
  category,
  schema: z.object({
    ...base,
    flowId: flowIdSchema.describe('The IVR flow that answers calls to the number from now on'),
    previousFlowId: flowIdSchema.nullable().describe('The flow that answered it until now (a reassignment), or null'),
  }),
  description: 'The number was routed to an IVR flow of the tenant: new calls to it run that flow.',
});

export const NumberReleased = defineEvent({
  type: 'NumberReleased',
  category,
  schema: z.object({ ...base, flowId: flowIdSchema.describe('The flow it answered until now') }),
  description: 'The number no longer routes to any flow of the tenant; calls to it are not ours until it is assigned again.',
});

/** Every number event definition: the registry imports exactly this name. */
export const numberEvents = [NumberAssigned, NumberReleased] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: z.output<S> } : never;

/** A number event as the decider emits it: `{ type, data }`. */
export type NumberEvent = EventOf<(typeof numberEvents)[number]>;
export type NumberEventType = NumberEvent['type'];
