// PollingSubscription's wake-ups, with a scripted poll function and an idle interval of an hour: a poll that happens
// at all happened because of a wake-up (or a full batch), never because the idle interval ran out.
import { describe, expect, it } from 'vitest';
import type { Position, RecordedEvent } from '../port.ts';
import { PollingSubscription, type PollBatch, type Wake } from './polling-subscription.ts';

const HOUR = 3_600_000;
const at = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
const event = (n: number): RecordedEvent => ({
  id: `e${n}`,
  type: 'T',
  data: {},
  metadata: {},
  streamId: 'call-1',
  revision: BigInt(n),
  position: at(n),
  created: new Date(0),
  chain: { prev: '', hash: '' },
});

/** A subscription whose polls are answered by hand, one at a time. */
function scripted(options: { wants?: (stream: string) => boolean; heldBack?: boolean } = {}) {
  const wakers = new Set<Wake>();
  const pending: ((b: PollBatch) => void)[] = [];
  let polls = 0;
  const sub = new PollingSubscription({
    poll: () => {
      polls++;
      return new Promise<PollBatch>((resolve) => pending.push(resolve));
    },
    idleMs: HOUR,
    wakers,
    ...(options.wants ? { wants: options.wants } : {}),
    ...(options.heldBack ? { heldBack: true } : {}),
    onEnd: () => undefined,
  });
  const seen: RecordedEvent[] = [];
  const done = (async () => {
    for await (const e of sub) seen.push(e);
  })();
  return {
    sub,
    seen,
    done,
    polls: () => polls,
    wake: (stream: string, position: Position) => {
      for (const w of wakers) w(stream, ['T'], position);
    },
    /** Answers the oldest poll in flight. */
    answer: (batch: PollBatch) => pending.shift()!(batch),
  };
}

/** Lets every queued callback and timer of zero delay run. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

describe('PollingSubscription wake-ups', () => {
  it('Given a wake-up while a poll is in flight, When that poll comes back short, Then the next poll starts at once', async () => {
    const s = scripted();
    await settle();
    expect(s.polls()).toBe(1);
    s.wake('call-1', at(1)); // the append committed after the poll in flight read the log
    s.answer({ events: [], full: false, checkpoint: undefined });
    await settle();
    expect(s.polls()).toBe(2);
    s.answer({ events: [event(1)], full: false, checkpoint: at(1) });
    await settle();
    expect(s.seen.map((e) => e.id)).toEqual(['e1']);
    await s.sub.unsubscribe();
    await s.done;
  });

  it('Given a filter, When an append it would not deliver wakes the store, Then the sleeping subscription does not poll', async () => {
    const s = scripted({ wants: (stream) => stream.startsWith('call-') });
    await settle();
    s.answer({ events: [], full: false, checkpoint: at(0) });
    await settle();
    s.wake('timer-1', at(1));
    await settle();
    expect(s.polls()).toBe(1);
    s.wake('call-1', at(2));
    await settle();
    expect(s.polls()).toBe(2);
    s.answer({ events: [], full: false, checkpoint: at(2) });
    await s.sub.unsubscribe();
    await s.done;
  });

  it('Given a wanted append still held back from readers, When any other append commits, Then the subscription polls again until it has scanned past it', async () => {
    const s = scripted({ wants: (stream) => stream.startsWith('call-'), heldBack: true });
    await settle();
    s.answer({ events: [], full: false, checkpoint: at(1) });
    await settle();
    s.wake('call-1', at(5)); // committed behind an older transaction still running
    await settle();
    expect(s.polls()).toBe(2);
    s.answer({ events: [], full: false, checkpoint: at(3) }); // not visible yet
    await settle();
    const before = s.polls();
    s.wake('timer-1', at(6)); // unwanted, but it may have released the bound
    await settle();
    expect(s.polls()).toBeGreaterThan(before);
    // Answer every poll in flight until the held-back event is delivered.
    while (s.seen.length === 0) {
      s.answer({ events: [event(5)], full: false, checkpoint: at(6) });
      await settle();
    }
    const after = s.polls();
    s.wake('timer-2', at(7)); // nothing awaited any more: unwanted appends are ignored again
    await settle();
    expect(s.polls()).toBe(after);
    await s.sub.unsubscribe();
    await s.done;
  });
});
