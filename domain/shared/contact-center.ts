// Vocabulary shared by queue configuration, routing and metrics (../shared/reference/contact-center.md).

/** Distribution strategies, by the names users know from mod_callcenter and app_queue. */
export const ROUTING_STRATEGIES = [
  'longest-idle',
  'round-robin',
  'least-talk-time',
  'fewest-calls',
  'top-down',
  'random',
  'ring-all',
  'ring-progressively',
] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** The four published service-level formulas. */
export const SERVICE_LEVEL_FORMULAS = ['asterisk-sl', 'asterisk-sl2', 'amazon', 'genesys'] as const;
export type ServiceLevelFormula = (typeof SERVICE_LEVEL_FORMULAS)[number];

/** Proficiency runs 1 (novice) to 5 (expert). */
export type Proficiency = 1 | 2 | 3 | 4 | 5;

/** An agent's skill. */
export interface AgentSkill {
  readonly skill: string;
  readonly proficiency: Proficiency;
}

/** A skill a call needs, at a minimum proficiency. */
export interface SkillRequirement {
  readonly skill: string;
  readonly minProficiency: Proficiency;
}

/**
 * After `afterSeconds` of waiting, the requirements become `requirements` (usually weaker).
 * An empty list means anyone staffed on the queue is eligible.
 */
export interface RelaxationStep {
  readonly afterSeconds: number;
  readonly requirements: readonly SkillRequirement[];
}

/** Where a caller goes when a queue limit is reached. */
export type ExitTarget =
  | { readonly kind: 'queue'; readonly queueId: string }
  | { readonly kind: 'voicemail'; readonly mailbox: string }
  | { readonly kind: 'callback' }
  | { readonly kind: 'hangup' };

/** Agent routing states as supervisors see them. */
export const AGENT_STATES = ['logged_out', 'ready', 'not_ready', 'offered', 'ringing', 'talking', 'wrap_up', 'break_out'] as const;
export type AgentState = (typeof AGENT_STATES)[number];
