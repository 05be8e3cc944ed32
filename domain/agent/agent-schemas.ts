import { z } from 'zod';
import type { AgentSkill, Proficiency } from '../shared/contact-center.ts';

/** Epoch milliseconds, as every command and event carries them. */
export const epochMs = z.int().nonnegative();

/** A non-empty identifier (agent, call, offer, queue). */
export const id = z.string().min(1).max(200);

/** Proficiency 1 (novice) to 5 (expert). */
export const proficiencySchema: z.ZodType<Proficiency> = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

/** One skill at a proficiency. */
export const agentSkillSchema: z.ZodType<AgentSkill> = z.object({ skill: z.string().min(1).max(100), proficiency: proficiencySchema });

/** An agent's skills: each skill at most once, so routing never has to pick between two proficiencies. */
export const agentSkillsSchema = z
  .array(agentSkillSchema)
  .max(200)
  .refine((skills) => new Set(skills.map((s) => s.skill)).size === skills.length, { message: 'a skill is listed twice' });

/**
 * How many calls of each channel the agent may hold at once. Only voice is routed today and a voice agent holds
 * one call, so voice is 0 (not routable for voice) or 1; other channels will arrive as a new event version.
 */
export const channelCapacitySchema = z.object({ voice: z.int().min(0).max(1) });
export type ChannelCapacity = z.infer<typeof channelCapacitySchema>;

/**
 * The offering queue's rules that govern this offer, copied into the offer so the agent stream decides alone
 * (and the audit trail shows which rules applied): ring timeout, wrap-up, max no-answer and the delays after a miss.
 */
export const offerPolicySchema = z.object({
  ringTimeoutSeconds: z.int().min(1).max(600),
  wrapUpSeconds: z.int().min(0).max(3600),
  maxNoAnswer: z.int().min(1).max(100),
  rejectDelaySeconds: z.int().min(0).max(3600),
  busyDelaySeconds: z.int().min(0).max(3600),
  noAnswerDelaySeconds: z.int().min(0).max(3600),
});
export type OfferPolicy = z.infer<typeof offerPolicySchema>;

/** Why an offer was not answered. All three count as consecutive misses toward `maxNoAnswer`. */
export const OFFER_MISS_REASONS = ['no_answer', 'rejected', 'busy'] as const;
export type OfferMissReason = (typeof OFFER_MISS_REASONS)[number];

/** Why an offer was withdrawn without the agent being at fault (no miss is counted). */
export const OFFER_CANCEL_REASONS = ['caller_abandoned', 'answered_elsewhere', 'rescinded', 'agent_logged_out', 'forced'] as const;
export type OfferCancelReason = (typeof OFFER_CANCEL_REASONS)[number];

/**
 * Why wrap-up ended: the agent finished (or chose ready, not ready or logout), the deadline passed, the queue has
 * no wrap-up time, or a supervisor forced a state.
 */
export const WRAP_UP_END_REASONS = ['agent', 'timeout', 'skipped', 'forced'] as const;
export type WrapUpEndReason = (typeof WRAP_UP_END_REASONS)[number];

/** States a supervisor may force an agent into. */
export const FORCEABLE_STATES = ['ready', 'not_ready', 'logged_out'] as const;
export type ForceableState = (typeof FORCEABLE_STATES)[number];

/** A not-ready reason code (`break`, `lunch`, `training`…): free text chosen by the tenant. */
export const reasonCodeSchema = z.string().min(1).max(100);
