import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { flowIdSchema } from './ivr-flow-events.ts';

/** Largest draft accepted, as canonical JSON text: keeps events well under the store's size limit. */
export const MAX_DRAFT_CHARS = 512 * 1024;

// CommandEnvelope fields (domain/decider.ts) plus the flow addressed (stream `ivrflow-<flowId>`).
const envelope = {
  commandId: z.string().min(1).max(200),
  at: z.int().nonnegative(),
  actor: z.string().min(1).max(200).optional(),
  flowId: flowIdSchema,
};

export const SaveIvrFlowDraftSchema = z.object({
  type: z.literal('SaveIvrFlowDraft'),
  ...envelope,
  flow: z.json().refine((f) => canonicalJson(f).length <= MAX_DRAFT_CHARS, { message: `the flow exceeds ${MAX_DRAFT_CHARS} characters` }),
});
export const PublishIvrFlowSchema = z.object({
  type: z.literal('PublishIvrFlow'),
  ...envelope,
  /** The draft's contentHash the publisher reviewed; a different current draft is refused (IVR_FLOW_DRAFT_CHANGED). */
  expectedDraftHash: z.string().regex(/^[0-9a-f]{40}$/).optional(),
});
export const RetireIvrFlowSchema = z.object({ type: z.literal('RetireIvrFlow'), ...envelope });

/** Every IVR flow command. */
export const ivrFlowCommandSchema = z.discriminatedUnion('type', [SaveIvrFlowDraftSchema, PublishIvrFlowSchema, RetireIvrFlowSchema]);

export type IvrFlowCommand = z.output<typeof ivrFlowCommandSchema>;
export type IvrFlowCommandType = IvrFlowCommand['type'];

/** Every command type, in the order docs and tests list them. */
export const IVR_FLOW_COMMAND_TYPES = ivrFlowCommandSchema.options.map((o) => o.shape.type.value) as readonly IvrFlowCommandType[];

/** Parses untrusted input into an IVR flow command, or throws IVR_FLOW_COMMAND_INVALID with the zod issues. */
export function parseIvrFlowCommand(input: unknown): IvrFlowCommand {
  const r = ivrFlowCommandSchema.safeParse(input);
  if (!r.success) {
    throw new LedgerlineError('IVR_FLOW_COMMAND_INVALID', `Invalid IVR flow command: ${z.prettifyError(r.error)}`, { issues: r.error.issues });
  }
  return r.data;
}
