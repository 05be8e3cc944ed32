import type { QueueNode, VariableValue } from './flow-schema.ts';

// What the interpreter asks the outside world to do. The FreeSWITCH adapter carries them out (docs/ivr-flows.md
// maps each to ESL applications); `lookup` goes to the application's look-up runner, not the switch.

/** Play a recorded prompt (`prompt`, resolved per language by the media layer) or speak `text` with TTS. */
export interface PlayInstruction {
  readonly kind: 'play';
  readonly prompt?: string;
  readonly text?: string;
  readonly language: string;
  /** When true a key press stops playback (barge-in); the collector that follows receives the key. */
  readonly interruptible: boolean;
}

/** Collect keys after the preceding play (FreeSWITCH: play_and_get_digits with tries=1; retries are ours). */
export interface CollectDtmfInstruction {
  readonly kind: 'collect_dtmf';
  readonly min: number;
  readonly max: number;
  readonly terminator?: '#' | '*';
  readonly timeoutMs: number;
  readonly interDigitTimeoutMs?: number;
  /** The keys that mean something here (menus and fallbacks), so the collector may stop at the first one. */
  readonly validKeys?: readonly string[];
}

/** Listen for speech after the preceding play (FreeSWITCH: play_and_detect_speech). */
export interface ListenSpeechInstruction {
  readonly kind: 'listen_speech';
  readonly intents: readonly string[];
  readonly language: string;
  readonly timeoutMs: number;
  /** Keys also accepted meanwhile (the DTMF fallback options); empty when keys are ignored. */
  readonly dtmfKeys: readonly string[];
}

/** Run a named look-up with these inputs and answer with a `lookup_result` (or `timeout` after timeoutMs). */
export interface LookupInstruction {
  readonly kind: 'lookup';
  readonly name: string;
  readonly inputs: Readonly<Record<string, VariableValue>>;
  readonly timeoutMs: number;
}

export interface QueueInstruction {
  readonly kind: 'queue';
  readonly queueId: string;
  readonly priority: number;
  readonly skills: QueueNode['skills'];
  readonly language: string;
}

export interface TransferInstruction {
  readonly kind: 'transfer';
  readonly to: string;
}

export interface VoicemailInstruction {
  readonly kind: 'voicemail';
  readonly mailbox: string;
  readonly language: string;
}

export interface HangupInstruction {
  readonly kind: 'hangup';
  readonly reason: string;
}

export type SwitchInstruction =
  | PlayInstruction
  | CollectDtmfInstruction
  | ListenSpeechInstruction
  | LookupInstruction
  | QueueInstruction
  | TransferInstruction
  | VoicemailInstruction
  | HangupInstruction;
