// The shared tail window: Given a log and subscriptions standing in it, When they poll, Then each gets exactly its
// own filtered slice, concurrent polls share one read, a poll after an append never reuses an older read, and no two
// reads ever run at once.
import { describe, expect, it } from 'vitest';
import type { Position, RecordedEvent } from '../port.ts';
import { TailWindow } from './tail-window.ts';

const pos = (n: number): Position => ({ commit: BigInt(n), prepare: BigInt(n) });
const event = (n: number, streamId: string, type = 'Happened'): RecordedEvent => ({
  id: `e${n}`,
  type,
  data: {},
  metadata: {},
  streamId,
  revision: 0n,
  position: pos(n),
  created: new Date(0),
  chain: { prev: '0'.repeat(64), hash: `h${n}` },
});

/** A log in memory behind a read the test can hold open. */
function harness(options: { maxEvents?: number; batch?: number } = {}) {
  const log: RecordedEvent[] = [];
  let seq = 0;
  let now = 0;
  let running = 0;
  let maxRunning = 0;
  let gate: Promise<void> = Promise.resolve();
  const afters: (Position | undefined)[] = [];
  const window = new TailWindow({
    read: async (after) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      afters.push(after);
      // What is in the log when the read starts is what it returns.
      const snapshot = log.filter((e) => after === undefined || e.position.commit > after.commit).slice(0, options.batch ?? 1_000);
      await gate;
      running--;
      return snapshot;
    },
    appendSeq: () => seq,
    now: () => now,
    maxEvents: options.maxEvents ?? 1_000,
    freshMs: 1,
  });
  return {
    window,
    afters,
    append: (e: RecordedEvent) => {
      log.push(e);
      seq++;
    },
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        open();
        gate = Promise.resolve();
      };
    },
    tick: (ms: number) => (now += ms),
    maxRunning: () => maxRunning,
  };
}

const all = () => true;

describe('TailWindow', () => {
  it('serves nobody before it is anchored, then everybody at or after its start', () => {
    const h = harness();
    expect(h.window.covers(undefined)).toBe(false);
    h.window.anchor(pos(5));
    expect(h.window.covers(pos(4))).toBe(false);
    expect(h.window.covers(pos(5))).toBe(true);
    expect(h.window.covers(pos(9))).toBe(true);
    expect(h.window.covers(undefined)).toBe(false);
  });

  it('gives each subscription the events after its cursor that its filter accepts, with the position scanned to', async () => {
    const h = harness();
    h.window.anchor(undefined);
    h.append(event(1, 'call-1', 'CallArrived'));
    h.append(event(2, 'agent-1', 'AgentReady'));
    h.append(event(3, 'call-1', 'CallQueued'));
    await h.window.fresh();
    const calls = h.window.slice(undefined, 100, (e) => e.streamId.startsWith('call-'));
    expect(calls.events.map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(calls.checkpoint).toEqual(pos(3));
    expect(calls.full).toBe(false);
    const agentsAfter2 = h.window.slice(pos(2), 100, (e) => e.streamId.startsWith('agent-'));
    // Nothing of its own, but it scanned up to 3: its checkpoint moves on.
    expect(agentsAfter2.events).toEqual([]);
    expect(agentsAfter2.checkpoint).toEqual(pos(3));
    const limited = h.window.slice(undefined, 2, all);
    expect(limited.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(limited.full).toBe(true);
    expect(h.window.slice(pos(3), 100, all)).toEqual({ events: [], full: false, checkpoint: undefined });
  });

  it('concurrent polls with no append in between share one read', async () => {
    const h = harness();
    h.window.anchor(undefined);
    h.append(event(1, 'call-1'));
    const release = h.hold();
    const polls = [h.window.fresh(), h.window.fresh(), h.window.fresh()];
    release();
    await Promise.all(polls);
    expect(h.window.reads).toBe(1);
    // Still fresh: no append since, within freshMs.
    await h.window.fresh();
    expect(h.window.reads).toBe(1);
    h.tick(2);
    await h.window.fresh();
    expect(h.window.reads).toBe(2);
  });

  it('a poll after an append waits for a read that started after it (one more, shared), never two reads at once', async () => {
    const h = harness();
    h.window.anchor(undefined);
    h.append(event(1, 'call-1'));
    const release = h.hold();
    const first = h.window.fresh();
    // An append while that read is in flight: it may not see it.
    h.append(event(2, 'call-2'));
    const second = h.window.fresh();
    const third = h.window.fresh();
    release();
    await Promise.all([first, second, third]);
    expect(h.window.reads).toBe(2);
    expect(h.maxRunning()).toBe(1);
    expect(h.window.slice(undefined, 100, all).events.map((e) => e.id)).toEqual(['e1', 'e2']);
    // The second read asked for what follows the first one's tail: the window stays contiguous.
    expect(h.afters).toEqual([undefined, pos(1)]);
  });

  it('drops its oldest events beyond maxEvents: a subscription behind them is no longer covered', async () => {
    const h = harness({ maxEvents: 3 });
    h.window.anchor(undefined);
    for (let n = 1; n <= 5; n++) h.append(event(n, `call-${n}`));
    await h.window.fresh();
    expect(h.window.covers(undefined)).toBe(false);
    expect(h.window.covers(pos(1))).toBe(false);
    expect(h.window.covers(pos(2))).toBe(true);
    expect(h.window.slice(pos(2), 100, all).events.map((e) => e.id)).toEqual(['e3', 'e4', 'e5']);
  });

  it('a failed read leaves the window as it was, and the next poll reads again', async () => {
    let fail = true;
    const w = new TailWindow({
      read: async () => {
        if (fail) throw new Error('connection lost');
        return [event(1, 'call-1')];
      },
      appendSeq: () => 0,
      now: () => 0,
      maxEvents: 10,
      freshMs: 1,
    });
    w.anchor(undefined);
    await expect(w.fresh()).rejects.toThrow('connection lost');
    expect(w.slice(undefined, 10, all).events).toEqual([]);
    fail = false;
    await w.fresh();
    expect(w.slice(undefined, 10, all).events.map((e) => e.id)).toEqual(['e1']);
  });
});
