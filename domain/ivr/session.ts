import type { HANGUP_REASONS, QueueNode, VariableValue } from './flow-schema.ts';

/**
 * Where a session stands:
 * `new` (created, waiting for `started`), `playing` (a play node waits for `prompt_done`), `collecting` (menu or
 * collect waits for keys), `listening` (speech node waits for speech, or keys when it has a DTMF fallback),
 * `fallback` (speech node fell back to keys), `looking_up` (waits for `lookup_result`), `ended`.
 */
export type IvrPhase = 'new' | 'playing' | 'collecting' | 'listening' | 'fallback' | 'looking_up' | 'ended';

/** How the IVR ended. */
export type IvrOutcome =
  | { readonly kind: 'queued'; readonly node: string; readonly queueId: string; readonly priority: number; readonly skills: QueueNode['skills'] }
  | { readonly kind: 'transferred'; readonly node: string; readonly to: string }
  | { readonly kind: 'voicemail'; readonly node: string; readonly mailbox: string }
  | { readonly kind: 'self_served'; readonly node: string }
  | { readonly kind: 'hangup'; readonly node: string; readonly reason: (typeof HANGUP_REASONS)[number] }
  /** The caller hung up before the flow reached a terminal node. */
  | { readonly kind: 'abandoned'; readonly node: string };

/** One node entered, and when. */
export interface PathEntry {
  readonly node: string;
  readonly at: number;
}

/** The whole state of one caller's trip through a flow: plain JSON, so it can be stored and replayed. */
export interface IvrSession {
  readonly flowId: string;
  readonly callId?: string;
  readonly phase: IvrPhase;
  /** The current node; always a node of the flow. */
  readonly node: string;
  /** Increases with every prompt-and-wait the interpreter issues; inputs may echo it to be matched. */
  readonly turn: number;
  readonly language: string;
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** Failed attempts (invalid or no input) at each input node since it was last entered. */
  readonly retries: Readonly<Record<string, number>>;
  /** Nodes entered, in order. */
  readonly path: readonly PathEntry[];
  readonly startedAt: number;
  readonly lastInputAt: number;
  readonly outcome?: IvrOutcome;
}
