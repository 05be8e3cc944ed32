import { describe, expect, it } from 'vitest';
import { defaultQueuePromptPath, DEFAULT_HOLD_MUSIC, spokenWait } from './queue-prompts.ts';

describe('queue prompts', () => {
  it('speaks a wait in whole minutes rounded up, under a minute as such', () => {
    expect([0, 59, 60, 61, 120, 121].map(spokenWait)).toEqual(['less than a minute', 'less than a minute', 'about 1 minute', 'about 2 minutes', 'about 2 minutes', 'about 3 minutes']);
  });

  it('plays the queue music, the switch default without one, and TTS text for spoken prompts', () => {
    expect(defaultQueuePromptPath({ kind: 'hold-music', queueId: 'q', musicOnHold: 'moh/q.wav' })).toBe('moh/q.wav');
    expect(defaultQueuePromptPath({ kind: 'hold-music', queueId: 'q', musicOnHold: null })).toBe(DEFAULT_HOLD_MUSIC);
    expect(defaultQueuePromptPath({ kind: 'wait-estimate', queueId: 'q', estimatedWaitSeconds: 200, position: 3 })).toBe('say:You are number 3 in the queue. Your estimated wait time is about 4 minutes.');
    expect(defaultQueuePromptPath({ kind: 'callback-offer', queueId: 'q', key: '*' })).toBe('say:Press * to be called back, keeping your place in the queue.');
  });
});
