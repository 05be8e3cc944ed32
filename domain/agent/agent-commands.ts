import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import {
  agentSkillsSchema,
  channelCapacitySchema,
  epochMs,
  FORCEABLE_STATES,
  id,
  OFFER_CANCEL_REASONS,
  OFFER_MISS_REASONS,
  offerPolicySchema,
  reasonCodeSchema,
  WRAP_UP_END_REASONS,
} from './agent-schemas.ts';

// CommandEnvelope fields (domain/decider.ts) plus the agent the command addresses (its stream is `agent-<agentId>`).
const envelope = { commandId: id, at: epochMs, actor: z.string().min(1).max(200).optional(), agentId: id };

export const LogInSchema = z.object({
  type: z.literal('LogIn'),
  ...envelope,
  skills: agentSkillsSchema,
  capacity: channelCapacitySchema,
  /** Start ready instead of not ready (`login`). */
  ready: z.boolean().default(false),
});
export const MakeReadySchema = z.object({ type: z.literal('MakeReady'), ...envelope });
export const MakeNotReadySchema = z.object({ type: z.literal('MakeNotReady'), ...envelope, reasonCode: reasonCodeSchema });
export const OfferCallSchema = z.object({
  type: z.literal('OfferCall'),
  ...envelope,
  offerId: id,
  callId: id,
  queueId: id,
  policy: offerPolicySchema,
});
export const RecordRingingSchema = z.object({ type: z.literal('RecordRinging'), ...envelope, offerId: id });
export const RecordTalkingSchema = z.object({ type: z.literal('RecordTalking'), ...envelope, offerId: id });
export const HoldCallSchema = z.object({ type: z.literal('HoldCall'), ...envelope, offerId: id });
export const RetrieveCallSchema = z.object({ type: z.literal('RetrieveCall'), ...envelope, offerId: id });
export const StartWrapUpSchema = z.object({ type: z.literal('StartWrapUp'), ...envelope, offerId: id });
export const ExtendWrapUpSchema = z.object({
  type: z.literal('ExtendWrapUp'),
  ...envelope,
  offerId: id,
  bySeconds: z.int().min(1).max(3600),
});
export const EndWrapUpSchema = z.object({
  type: z.literal('EndWrapUp'),
  ...envelope,
  offerId: id,
  /** `timeout` comes from the engine's timer and is refused before the (possibly extended) deadline. */
  reason: z.enum(WRAP_UP_END_REASONS).exclude(['skipped', 'forced']),
});
export const RecordOfferMissedSchema = z.object({
  type: z.literal('RecordOfferMissed'),
  ...envelope,
  offerId: id,
  reason: z.enum(OFFER_MISS_REASONS),
});
export const CancelOfferSchema = z.object({
  type: z.literal('CancelOffer'),
  ...envelope,
  offerId: id,
  reason: z.enum(OFFER_CANCEL_REASONS).exclude(['agent_logged_out', 'forced']),
});
export const LogOutSchema = z.object({ type: z.literal('LogOut'), ...envelope });
export const ChangeSkillsSchema = z.object({ type: z.literal('ChangeSkills'), ...envelope, skills: agentSkillsSchema });
export const ForceStateSchema = z.object({
  type: z.literal('ForceState'),
  ...envelope,
  to: z.enum(FORCEABLE_STATES),
  reasonCode: reasonCodeSchema.optional(),
});

/** Every agent command. */
export const agentCommandSchema = z.discriminatedUnion('type', [
  LogInSchema,
  MakeReadySchema,
  MakeNotReadySchema,
  OfferCallSchema,
  RecordRingingSchema,
  RecordTalkingSchema,
  HoldCallSchema,
  RetrieveCallSchema,
  StartWrapUpSchema,
  ExtendWrapUpSchema,
  EndWrapUpSchema,
  RecordOfferMissedSchema,
  CancelOfferSchema,
  LogOutSchema,
  ChangeSkillsSchema,
  ForceStateSchema,
]);

export type AgentCommand = z.output<typeof agentCommandSchema>;
/** A command as callers may write it (defaults not yet applied). */
export type AgentCommandInput = z.input<typeof agentCommandSchema>;
export type AgentCommandType = AgentCommand['type'];
export type AgentCommandOf<T extends AgentCommandType> = Extract<AgentCommand, { type: T }>;

/** Every command type, in the order docs and tests list them. */
export const AGENT_COMMAND_TYPES = agentCommandSchema.options.map((o) => o.shape.type.value) as readonly AgentCommandType[];

/** Parses untrusted input into an agent command, or throws AGENT_COMMAND_INVALID with the zod issues. */
export function parseAgentCommand(input: unknown): AgentCommand {
  const r = agentCommandSchema.safeParse(input);
  if (!r.success) {
    throw new LedgerlineError('AGENT_COMMAND_INVALID', `Invalid agent command: ${z.prettifyError(r.error)}`, { issues: r.error.issues });
  }
  return r.data;
}
