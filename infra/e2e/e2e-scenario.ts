// The end-to-end runs' traffic (a seeded scenario for the simulator's generator) and how their results are read.
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { DEMO_NUMBER } from '../demo/demo-contact-center.ts';

/** The seeded inbound traffic of the end-to-end runs: `calls` calls at 0.4/s on the demo number. */
export const e2eScenario = (calls: number, ratePerSecond = 0.4) => ({
  seed: 'e2e-2000',
  arrivals: { ratePerSecond, maxCalls: calls },
  destinationNumber: DEMO_NUMBER,
  ivr: {
    prompts: [{ answers: [{ digits: '1', probability: 0.55 }, { digits: '2', probability: 0.33 }, { digits: '9', probability: 0.05 }] }],
    thinkTimeMs: [800, 3000] as [number, number],
  },
  patience: { kind: 'exponential' as const, mean: 150 },
  talkTime: { kind: 'exponential' as const, mean: 35 },
  callerHangsUpRate: 0.6,
  agents: { answerDelayMs: [1000, 4000] as [number, number], noAnswerRate: 0.03, busyRate: 0.01, rejectRate: 0.01 },
});

/** Every call stream of the log, with its events in order. */
export async function callStreams(store: EventStore): Promise<Map<string, RecordedEvent[]>> {
  const calls = new Map<string, RecordedEvent[]>();
  for await (const r of store.readAll()) {
    if (!r.streamId.startsWith('call-')) continue;
    const list = calls.get(r.streamId) ?? [];
    list.push(r);
    calls.set(r.streamId, list);
  }
  return calls;
}


/** Waits until every call stream has its CallEnded; on timeout, the error lists the calls still open and their events. */
export async function waitForEveryCallEnded(store: EventStore, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = [...(await callStreams(store))].filter(([, events]) => !events.some((e) => e.type === 'CallEnded'));
    if (open.length === 0) return;
    if (Date.now() > deadline) {
      const sample = open.slice(0, 5).map(([s, events]) => `${s}: ${events.map((e) => e.type).join(' ')}`);
      throw new Error(`${open.length} calls never ended in the log, e.g.\n${sample.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the log's head has not moved for `quietMs` (late timers — wrap-ups, ring backstops — have fired). */
export async function waitForQuietLog(store: EventStore, quietMs = 1500, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await store.headPosition(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error('the log never went quiet');
    await new Promise((r) => setTimeout(r, 200));
    const now = JSON.stringify(await store.headPosition(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}
