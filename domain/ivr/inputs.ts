import { z } from 'zod';
import { VariableNameSchema, VariableValueSchema } from './flow-schema.ts';

// What the switch (and the look-up runner) tell the interpreter. Every input carries `at` (epoch ms): the
// interpreter reads no clock. `turn`, when present, must equal the turn of the Step that asked for the input;
// an input from an older turn is stale and ignored (a late PLAYBACK_STOP, a timer that fired after a digit).

const at = z.number().finite().min(0);
const turn = z.number().int().min(0).optional();

export const StartedInputSchema = z.strictObject({ kind: z.literal('started'), at });
export const PromptDoneInputSchema = z.strictObject({ kind: z.literal('prompt_done'), at, turn });
export const DtmfInputSchema = z.strictObject({
  kind: z.literal('dtmf'),
  at,
  turn,
  digits: z.string().regex(/^[0-9*#A-D]{1,64}$/, 'DTMF digits: 0-9 * # A-D'),
});
export const SpeechInputSchema = z.strictObject({
  kind: z.literal('speech'),
  at,
  turn,
  /** The recognised intent, or null when the recogniser matched nothing. */
  intent: z.string().max(64).nullable(),
  confidence: z.number().min(0).max(1),
});
export const TimeoutInputSchema = z.strictObject({ kind: z.literal('timeout'), at, turn });
export const LookupResultInputSchema = z.strictObject({
  kind: z.literal('lookup_result'),
  at,
  turn,
  name: z.string().min(1).max(64),
  ok: z.boolean(),
  outputs: z.record(z.string().max(64), VariableValueSchema).default({}),
});
export const CallerHangupInputSchema = z.strictObject({ kind: z.literal('caller_hangup'), at });

export const IvrInputSchema = z.discriminatedUnion('kind', [
  StartedInputSchema,
  PromptDoneInputSchema,
  DtmfInputSchema,
  SpeechInputSchema,
  TimeoutInputSchema,
  LookupResultInputSchema,
  CallerHangupInputSchema,
]);
export type IvrInput = z.input<typeof IvrInputSchema>;
export type ParsedIvrInput = z.output<typeof IvrInputSchema>;
export type IvrInputKind = IvrInput['kind'];

/** What `start` needs: when the call reached the IVR and what is known about the caller. */
export const IvrContextSchema = z.strictObject({
  at,
  callId: z.string().min(1).max(128).optional(),
  /** Caller and dialled numbers become the variables `caller.number` and `dialed.number`. */
  callerNumber: z.string().max(64).optional(),
  dialedNumber: z.string().max(64).optional(),
  /** Becomes the variable `caller.tier`, which `caller_tier` conditions read (a look-up may overwrite it). */
  callerTier: z.string().max(64).optional(),
  /** Overrides the flow's default language. */
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
  variables: z.record(VariableNameSchema, VariableValueSchema).default({}),
});
export type IvrContext = z.input<typeof IvrContextSchema>;
