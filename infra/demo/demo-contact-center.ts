// The contact center the demo and the end-to-end runs use: two queues (sales, support) behind an IVR menu on number
// 5000, agents named like the simulator's directory users (1000, 1001, …) so the default agent endpoint `user/<id>`
// rings them.
import type { QueueSettingsInput } from '../../domain/queue/queue-settings.ts';
import type { ContactCenterSpec } from './seed-contact-center.ts';

export interface DemoOptions {
  readonly tenant?: string;
  /** How many agents (default 20); the first half take sales, the second half support, every fifth both. */
  readonly agents?: number;
  /** Seconds of after-call work (default 10). */
  readonly wrapUpSeconds?: number;
  /** Queue exits and callbacks on (the realistic demo) or off (the Erlang C check needs a plain M/M/N queue). */
  readonly exits?: boolean;
  /** Longest wait in a queue before the caller is sent to voicemail (default 300 s; with exits on). */
  readonly maxWaitSeconds?: number;
}

/** The DID callers dial. */
export const DEMO_NUMBER = '5000';

/** See the module comment. */
export function demoContactCenter(o: DemoOptions = {}): ContactCenterSpec {
  const n = o.agents ?? 20;
  const ids = Array.from({ length: n }, (_, i) => String(1000 + i));
  const sales = ids.filter((_, i) => i < n / 2 || i % 5 === 0);
  const support = ids.filter((_, i) => i >= n / 2 || i % 5 === 0);
  const exits = o.exits ?? true;
  const queue = (name: string, other: string): QueueSettingsInput => ({
    name,
    routing: { strategy: 'longest-idle' },
    serviceLevel: { thresholdSeconds: 20, formula: 'genesys', shortAbandonSeconds: 5 },
    wrapUp: { seconds: o.wrapUpSeconds ?? 10 },
    noAnswer: { maxNoAnswer: 3, ringTimeoutSeconds: 15, rejectDelaySeconds: 10, busyDelaySeconds: 30, noAnswerDelaySeconds: 30 },
    ...(exits
      ? {
          limits: { maxWait: { seconds: o.maxWaitSeconds ?? 300, exit: { kind: 'voicemail', mailbox: name.toLowerCase() } }, maxWaitNoAgent: null, maxLength: null },
          overflow: { queueId: other, afterSeconds: 60 },
          callback: { offerAfterSeconds: 30, key: '1', maxRetries: 2, retryIntervalSeconds: 60 },
          announcements: { estimatedWait: { enabled: true, everySeconds: 45 }, musicOnHold: 'local_stream://moh' },
        }
      : {}),
  });
  return {
    ...(o.tenant !== undefined ? { tenant: o.tenant } : {}),
    queues: [
      { id: 'sales', settings: queue('Sales', 'support'), agents: sales },
      { id: 'support', settings: queue('Support', 'sales'), agents: support },
    ],
    agents: ids.map((id) => ({ id })),
    flows: [
      {
        id: 'main',
        flow: {
          id: 'main',
          name: 'Main menu',
          start: 'welcome',
          defaultLanguage: 'en-US',
          nodes: {
            welcome: { kind: 'play', prompt: { id: 'welcome' }, next: 'menu' },
            menu: {
              kind: 'menu',
              prompt: { id: 'main-menu' },
              options: [
                { key: '1', next: 'sales' },
                { key: '2', next: 'support' },
                { key: '9', next: 'hours' },
              ],
              timeoutMs: 5000,
              maxRetries: 1,
              invalidPrompt: { id: 'invalid' },
              noInputPrompt: { id: 'no-input' },
              onExhausted: 'support',
            },
            sales: { kind: 'queue', queueId: 'sales', priority: 5 },
            support: { kind: 'queue', queueId: 'support', priority: 0 },
            hours: { kind: 'play', prompt: { id: 'opening-hours' }, next: 'bye' },
            bye: { kind: 'hangup', reason: 'self_served' },
          },
        },
      },
    ],
    numbers: { [DEMO_NUMBER]: 'main' },
  };
}
