// What a queued caller hears, as prompts the manager asks for, and the default way each is played: the queue's
// music on hold as it is configured, spoken prompts as TTS text (`say:`), as the inbound manager plays IVR text.

/** A prompt for a queued caller. `queueId` is the bare queue id (a custom promptPath may pick per-queue files). */
export type QueuePrompt =
  | { readonly kind: 'hold-music'; readonly queueId: string; readonly musicOnHold: string | null }
  | { readonly kind: 'wait-estimate'; readonly queueId: string; readonly estimatedWaitSeconds: number; readonly position: number }
  | { readonly kind: 'comfort'; readonly queueId: string }
  | { readonly kind: 'callback-offer'; readonly queueId: string; readonly key: string }
  | { readonly kind: 'callback-confirmed'; readonly queueId: string };

/** Music played when a queue has none configured (FreeSWITCH's default music-on-hold stream). */
export const DEFAULT_HOLD_MUSIC = 'local_stream://moh';

/** The spoken wait: under a minute, or whole minutes rounded up (a caller told "2 minutes" should not wait 3). */
export function spokenWait(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`;
}

/** The text of a spoken prompt. */
export function promptText(p: Exclude<QueuePrompt, { kind: 'hold-music' }>): string {
  switch (p.kind) {
    case 'wait-estimate':
      return `You are number ${p.position} in the queue. Your estimated wait time is ${spokenWait(p.estimatedWaitSeconds)}.`;
    case 'comfort':
      return 'Thank you for waiting. All our agents are busy; please stay on the line.';
    case 'callback-offer':
      return `Press ${p.key} to be called back, keeping your place in the queue.`;
    case 'callback-confirmed':
      return 'Thank you. We will call you back as soon as an agent is free. You can hang up now.';
  }
}

/** The default path of a prompt: the queue's music on hold (or the switch default), `say:<text>` otherwise. */
export function defaultQueuePromptPath(p: QueuePrompt): string {
  return p.kind === 'hold-music' ? (p.musicOnHold ?? DEFAULT_HOLD_MUSIC) : `say:${promptText(p)}`;
}
