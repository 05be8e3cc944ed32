import { z } from 'zod';

// The JSON format of an IVR flow (docs/ivr-flows.md). The schema checks shapes only; graph rules (targets exist,
// reachability, input-free loops, duplicate keys, time zones) live in validate-flow.ts so each gets its own issue code.

/** Node ids: short, URL-safe, and never an Object.prototype name that a careless lookup could hit. */
export const NodeIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'node ids start with a letter; letters, digits, _ . - only; at most 64 chars');

/** Variable names: dotted identifiers (`caller.tier`, `account_id`). */
export const VariableNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/, 'variable names start with a letter; letters, digits, _ and . only');

/** A BCP 47-like language tag (`en-US`, `fr`, `pt-BR`). */
export const LanguageSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en-US');

/** The values variables hold. */
export const VariableValueSchema = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);
export type VariableValue = z.infer<typeof VariableValueSchema>;

/** One DTMF key a menu option answers to. */
export const DtmfKeySchema = z.string().regex(/^[0-9*#]$/, 'a single DTMF key: 0-9, * or #');

/**
 * A prompt: a recorded prompt id (the media layer resolves it per language) or text for TTS, either one string
 * or one text per language (the default language must be present; validate-flow checks it).
 */
export const PromptSchema = z.union([
  z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_./-]{1,128}$/, 'a prompt id: letters, digits, _ . / -') }),
  z.strictObject({
    text: z.union([z.string().min(1).max(2000), z.record(LanguageSchema, z.string().min(1).max(2000))]),
  }),
]);
export type Prompt = z.infer<typeof PromptSchema>;

const timeoutMs = z.number().int().min(500).max(120_000);
const retries = z.number().int().min(0).max(10);

/** A DTMF key leading to a node. */
export const DtmfOptionSchema = z.strictObject({ key: DtmfKeySchema, next: NodeIdSchema });
export type DtmfOption = z.infer<typeof DtmfOptionSchema>;

export const PlayNodeSchema = z.strictObject({
  kind: z.literal('play'),
  prompt: PromptSchema,
  /** When true a key press stops the prompt and moves on (the digit is discarded). */
  interruptible: z.boolean().default(false),
  next: NodeIdSchema,
});

export const MenuNodeSchema = z.strictObject({
  kind: z.literal('menu'),
  prompt: PromptSchema,
  options: z.array(DtmfOptionSchema).min(1).max(12),
  timeoutMs,
  maxRetries: retries,
  /** Played before the menu prompt again after a key that matches no option. */
  invalidPrompt: PromptSchema.optional(),
  /** Played before the menu prompt again after the caller pressed nothing. */
  noInputPrompt: PromptSchema.optional(),
  onExhausted: NodeIdSchema,
});

export const CollectNodeSchema = z.strictObject({
  kind: z.literal('collect'),
  prompt: PromptSchema,
  minDigits: z.number().int().min(1).max(32),
  maxDigits: z.number().int().min(1).max(32),
  /** The key that ends entry early; it is not part of the stored digits. */
  terminator: z.enum(['#', '*']).optional(),
  timeoutMs,
  interDigitTimeoutMs: timeoutMs.optional(),
  into: VariableNameSchema,
  maxRetries: retries,
  invalidPrompt: PromptSchema.optional(),
  noInputPrompt: PromptSchema.optional(),
  next: NodeIdSchema,
  onExhausted: NodeIdSchema,
});

export const SpeechNodeSchema = z.strictObject({
  kind: z.literal('speech'),
  prompt: PromptSchema,
  intents: z.array(z.strictObject({ intent: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), next: NodeIdSchema })).min(1).max(50),
  /** Recognitions below this confidence count as no-match. */
  minConfidence: z.number().min(0).max(1),
  timeoutMs,
  maxRetries: retries,
  /** Below the threshold or on no-match the caller is offered these keys instead (and may press them at any time). */
  dtmfFallback: z
    .strictObject({ prompt: PromptSchema, options: z.array(DtmfOptionSchema).min(1).max(12) })
    .optional(),
  invalidPrompt: PromptSchema.optional(),
  noInputPrompt: PromptSchema.optional(),
  onExhausted: NodeIdSchema,
});

export const LookupNodeSchema = z.strictObject({
  kind: z.literal('lookup'),
  /** A named look-up the application knows (`account-by-number`, `crm-caller`); the IVR never does IO itself. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  /** Parameter name → the variable its value comes from. */
  inputs: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/), VariableNameSchema).default({}),
  /** Result field → the variable it is stored into. */
  outputs: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]{0,63}$/), VariableNameSchema).default({}),
  timeoutMs,
  next: NodeIdSchema,
  onFailure: NodeIdSchema,
  onTimeout: NodeIdSchema,
});

export const SetNodeSchema = z.strictObject({
  kind: z.literal('set'),
  variable: VariableNameSchema,
  value: z.union([VariableValueSchema, z.strictObject({ fromVariable: VariableNameSchema })]),
  next: NodeIdSchema,
});

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/, 'HH:MM, 00:00 to 24:00');
/** An opening interval in local wall-clock time, [from, to). */
export const TimeRangeSchema = z.strictObject({ from: hhmm, to: hhmm });
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const BusinessHoursTestSchema = z.strictObject({
  kind: z.literal('business_hours'),
  /** IANA time zone, e.g. Europe/Paris. */
  timeZone: z.string().min(1).max(64),
  /** Local opening intervals per weekday; a missing day is closed. */
  weekly: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(TimeRangeSchema).max(8).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof TimeRangeSchema>>>),
  /** Local dates (YYYY-MM-DD) that are closed all day. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')).max(400).default([]),
});

export const CallerTierTestSchema = z.strictObject({
  kind: z.literal('caller_tier'),
  /** Matches when the variable `caller.tier` equals one of these. */
  in: z.array(z.string().min(1).max(64)).min(1),
});

export const VariableTestSchema = z.union([
  z.strictObject({
    kind: z.literal('variable'),
    variable: VariableNameSchema,
    op: z.enum(['eq', 'neq']),
    value: VariableValueSchema,
  }),
  z.strictObject({
    kind: z.literal('variable'),
    variable: VariableNameSchema,
    op: z.enum(['lt', 'lte', 'gt', 'gte']),
    value: z.number(),
  }),
  z.strictObject({
    kind: z.literal('variable'),
    variable: VariableNameSchema,
    op: z.literal('in'),
    value: z.array(VariableValueSchema).min(1).max(100),
  }),
  z.strictObject({ kind: z.literal('variable'), variable: VariableNameSchema, op: z.enum(['exists', 'absent']) }),
]);

export const ConditionTestSchema = z.union([BusinessHoursTestSchema, CallerTierTestSchema, VariableTestSchema]);
export type ConditionTest = z.infer<typeof ConditionTestSchema>;
export type BusinessHoursTest = z.infer<typeof BusinessHoursTestSchema>;

export const ConditionNodeSchema = z.strictObject({
  kind: z.literal('condition'),
  /** Evaluated in order; the first branch whose test holds wins. */
  branches: z.array(z.strictObject({ when: ConditionTestSchema, next: NodeIdSchema })).min(1).max(20),
  default: NodeIdSchema,
});

export const QueueNodeSchema = z.strictObject({
  kind: z.literal('queue'),
  queueId: z.string().min(1).max(128),
  priority: z.number().int().min(0).max(100).default(0),
  skills: z
    .array(z.strictObject({ skill: z.string().min(1).max(64), minProficiency: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]) }))
    .max(20)
    .default([]),
});

export const TransferNodeSchema = z.strictObject({
  kind: z.literal('transfer'),
  /** An E.164-style number (`+33123456789`) or a SIP URI (`sip:desk@pbx.example.com`). */
  to: z.union([
    z.string().regex(/^\+?[0-9]{2,20}$/, 'a phone number'),
    z.string().regex(/^sips?:[A-Za-z0-9_.!~*'()%+-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?(;[A-Za-z0-9=_.-]+)*$/, 'a SIP URI'),
  ]),
});

export const VoicemailNodeSchema = z.strictObject({ kind: z.literal('voicemail'), mailbox: z.string().min(1).max(128) });

export const HANGUP_REASONS = ['self_served', 'closed', 'no_input', 'invalid_input', 'rejected', 'other'] as const;
export const HangupNodeSchema = z.strictObject({ kind: z.literal('hangup'), reason: z.enum(HANGUP_REASONS) });

export const LanguageNodeSchema = z.strictObject({ kind: z.literal('language'), language: LanguageSchema, next: NodeIdSchema });

export const IvrNodeSchema = z.discriminatedUnion('kind', [
  PlayNodeSchema,
  MenuNodeSchema,
  CollectNodeSchema,
  SpeechNodeSchema,
  LookupNodeSchema,
  SetNodeSchema,
  ConditionNodeSchema,
  QueueNodeSchema,
  TransferNodeSchema,
  VoicemailNodeSchema,
  HangupNodeSchema,
  LanguageNodeSchema,
]);

/** Largest flow accepted: keeps validation and storage bounded. */
export const MAX_NODES = 500;

/** An IVR flow: a graph of nodes keyed by id, entered at `start`. */
export const IvrFlowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  start: NodeIdSchema,
  defaultLanguage: LanguageSchema,
  nodes: z.record(NodeIdSchema, IvrNodeSchema),
});

/** A validated flow, defaults applied. */
export type IvrFlow = z.infer<typeof IvrFlowSchema>;
/** A flow document as authors write it (defaulted fields optional). */
export type IvrFlowInput = z.input<typeof IvrFlowSchema>;
export type IvrNode = z.infer<typeof IvrNodeSchema>;
export type IvrNodeKind = IvrNode['kind'];
export type NodeOf<K extends IvrNodeKind> = Extract<IvrNode, { kind: K }>;
export type PlayNode = NodeOf<'play'>;
export type MenuNode = NodeOf<'menu'>;
export type CollectNode = NodeOf<'collect'>;
export type SpeechNode = NodeOf<'speech'>;
export type LookupNode = NodeOf<'lookup'>;
export type SetNode = NodeOf<'set'>;
export type ConditionNode = NodeOf<'condition'>;
export type QueueNode = NodeOf<'queue'>;
export type TransferNode = NodeOf<'transfer'>;
export type VoicemailNode = NodeOf<'voicemail'>;
export type HangupNode = NodeOf<'hangup'>;
export type LanguageNode = NodeOf<'language'>;

/** Node kinds that wait for the caller (keys or speech); a loop must pass through one of them. */
export const INPUT_NODE_KINDS: ReadonlySet<IvrNodeKind> = new Set(['menu', 'collect', 'speech']);
/** Node kinds that end the IVR. */
export const TERMINAL_NODE_KINDS: ReadonlySet<IvrNodeKind> = new Set(['queue', 'transfer', 'voicemail', 'hangup']);
