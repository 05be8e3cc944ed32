import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { flowIdSchema } from '../ivr-flow/ivr-flow-events.ts';
import { phoneNumberSchema } from './number-events.ts';

// CommandEnvelope fields (domain/decider.ts) plus the number addressed (stream `number-<tenant>.<digits>`).
const envelope = {
  commandId: z.string().min(1).max(200),
  at: z.int().nonnegative(),
  actor: z.string().min(1).max(200).optional(),
  number: phoneNumberSchema,
};

export const AssignNumberSchema = z.object({ type: z.literal('AssignNumber'), ...envelope, flowId: flowIdSchema });
export const ReleaseNumberSchema = z.object({ type: z.literal('ReleaseNumber'), ...envelope });

/** Every number command. */
export const numberCommandSchema = z.discriminatedUnion('type', [AssignNumberSchema, ReleaseNumberSchema]);

export type NumberCommand = z.output<typeof numberCommandSchema>;
export type NumberCommandType = NumberCommand['type'];

/** Every command type, in the order docs and tests list them. */
export const NUMBER_COMMAND_TYPES = numberCommandSchema.options.map((o) => o.shape.type.value) as readonly NumberCommandType[];

/** Parses untrusted input into a number command, or throws NUMBER_COMMAND_INVALID with the zod issues. */
export function parseNumberCommand(input: unknown): NumberCommand {
  const r = numberCommandSchema.safeParse(input);
  if (!r.success) throw new LedgerlineError('NUMBER_COMMAND_INVALID', `Invalid number command: ${z.prettifyError(r.error)}`, { issues: r.error.issues });
  return r.data;
}
