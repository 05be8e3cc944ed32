// The re-subscribing wrapper against a scripted stand-in for the client's subscription (EventStoreDB does not
// run here): drops, checkpoints, terminal errors, unsubscribe and backpressure.
import { EventEmitter } from 'node:events';
import { StreamDeletedError as EsdbStreamDeletedError, UnavailableError } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { StreamDeletedError } from '../errors.ts';
import { GENESIS_HASH } from '../hash-chain.ts';
import type { Position, RecordedEvent } from '../port.ts';
import { CHAIN_KEY, fromEsdbPosition, fromEsdbResolved, type EsdbResolvedLike } from './esdb-mapping.ts';
import { resubscribingSubscription, type EsdbSubscriptionSource } from './esdb-subscription.ts';

class ScriptedSource extends EventEmitter implements EsdbSubscriptionSource {
  paused = false;
  cancelled = false;
  readonly from: Position | undefined;
  readonly checkpoint: (p: Position) => void;
  constructor(from: Position | undefined, checkpoint: (p: Position) => void) {
    super();
    this.from = from;
    this.checkpoint = checkpoint;
  }
  pause() {
    this.paused = true;
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  async unsubscribe() {
    this.cancelled = true;
  }
  send(n: number, stream = 'call-1') {
    const resolved: EsdbResolvedLike = {
      event: {
        streamId: stream,
        id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
        revision: BigInt(n),
        type: stream.startsWith('$') ? '$metadata' : 'CallQueued',
        data: { n },
        metadata: { [CHAIN_KEY]: { prev: GENESIS_HASH, hash: 'ab'.repeat(32) } },
        created: new Date(0),
        position: pos(n),
      },
    };
    this.emit('data', resolved);
  }
}

const pos = (n: number): Position => ({ commit: BigInt(n * 10), prepare: BigInt(n * 10) });
const tick = () => new Promise((r) => setTimeout(r, 0));

function harness(onCheckpoint?: (p: Position) => void | Promise<void>) {
  const sources: ScriptedSource[] = [];
  const sub = resubscribingSubscription<Position>({
    open: (cursor, checkpoint) => {
      const s = new ScriptedSource(cursor, checkpoint);
      sources.push(s);
      return s;
    },
    cursorOf: (r) => (r.event?.position ? fromEsdbPosition(r.event.position) : undefined),
    cursorOfCheckpoint: (p) => p,
    map: (r) => fromEsdbResolved(r),
    backoffMs: () => 1,
    ...(onCheckpoint ? { onCheckpoint } : {}),
  });
  return { sub, sources };
}

async function take(it: AsyncIterator<RecordedEvent>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push((r.value.data as { n: number }).n);
  }
  return out;
}

describe('re-subscribing catch-up subscription', () => {
  it('re-opens after a drop strictly after the last received position, without gaps or duplicates', async () => {
    const { sub, sources } = harness();
    const it = sub[Symbol.asyncIterator]();
    sources[0]!.send(1);
    sources[0]!.send(2);
    sources[0]!.emit('error', new UnavailableError());
    await new Promise((r) => setTimeout(r, 20));
    expect(sources).toHaveLength(2);
    expect(sources[0]!.cancelled).toBe(true);
    expect(sources[1]!.from).toEqual(pos(2));
    sources[1]!.send(3);
    expect(await take(it, 3)).toEqual([1, 2, 3]);
    expect(sub.drops).toBe(1);
    await sub.unsubscribe();
  });

  it('skips system records but still resumes after them', async () => {
    const { sub, sources } = harness();
    const it = sub[Symbol.asyncIterator]();
    sources[0]!.send(1);
    sources[0]!.send(2, '$$call-1');
    sources[0]!.emit('end');
    await new Promise((r) => setTimeout(r, 20));
    expect(sources[1]!.from).toEqual(pos(2));
    sources[1]!.send(3);
    expect(await take(it, 2)).toEqual([1, 3]);
    await sub.unsubscribe();
  });

  it('reports a checkpoint only once the consumer has taken every event before it, and resumes from it', async () => {
    const seen: string[] = [];
    const { sub, sources } = harness((p) => {
      seen.push(`checkpoint ${p.commit}`);
    });
    const it = sub[Symbol.asyncIterator]();
    sources[0]!.send(1);
    sources[0]!.checkpoint(pos(5));
    sources[0]!.send(6);
    await tick();
    expect(seen).toEqual([]);
    for (let i = 0; i < 2; i++) for (const n of await take(it, 1)) seen.push(`event ${n}`);
    expect(seen).toEqual(['event 1', 'checkpoint 50', 'event 6']);
    sources[0]!.checkpoint(pos(9));
    sources[0]!.emit('error', new UnavailableError());
    await new Promise((r) => setTimeout(r, 20));
    expect(sources[1]!.from).toEqual(pos(9));
    await sub.unsubscribe();
  });

  it('surfaces a terminal error as the typed error instead of re-subscribing', async () => {
    const { sub, sources } = harness();
    const it = sub[Symbol.asyncIterator]();
    sources[0]!.send(1);
    sources[0]!.emit('error', EsdbStreamDeletedError.fromStreamName('call-1'));
    expect(await take(it, 1)).toEqual([1]);
    await expect(it.next()).rejects.toBeInstanceOf(StreamDeletedError);
    expect(sources).toHaveLength(1);
  });

  it('ends a waiting consumer and cancels the client call on unsubscribe', async () => {
    const { sub, sources } = harness();
    const it = sub[Symbol.asyncIterator]();
    const pending = it.next();
    await sub.unsubscribe();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(sources[0]!.cancelled).toBe(true);
    sources[0]!.send(1);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('pauses the client stream when the consumer lags and resumes it once drained', async () => {
    const { sub, sources } = harness();
    const it = sub[Symbol.asyncIterator]();
    for (let n = 1; n <= 2_500; n++) sources[0]!.send(n);
    expect(sources[0]!.paused).toBe(true);
    const got = await take(it, 2_100);
    expect(got[0]).toBe(1);
    expect(got[2_099]).toBe(2_100);
    expect(sources[0]!.paused).toBe(false);
    await sub.unsubscribe();
  });

  it('stops through a for-await break as well', async () => {
    const { sub, sources } = harness();
    sources[0]!.send(1);
    sources[0]!.send(2);
    const got: number[] = [];
    for await (const e of sub) {
      got.push((e.data as { n: number }).n);
      if (got.length === 1) break;
    }
    expect(got).toEqual([1]);
    expect(sources[0]!.cancelled).toBe(true);
  });
});

describe('client-side skips', () => {
  it('report the skipped position as one coalesced checkpoint', async () => {
    const seen: string[] = [];
    const sources: ScriptedSource[] = [];
    const sub = resubscribingSubscription<Position>({
      open: (cursor, checkpoint) => {
        const s = new ScriptedSource(cursor, checkpoint);
        sources.push(s);
        return s;
      },
      cursorOf: (r) => (r.event?.position ? fromEsdbPosition(r.event.position) : undefined),
      map: (r) => ((r.event?.data as { n: number }).n % 2 === 0 ? undefined : fromEsdbResolved(r)),
      checkpointOfSkipped: (r) => (r.event?.position ? fromEsdbPosition(r.event.position) : undefined),
      onCheckpoint: (p) => {
        seen.push(`checkpoint ${p.commit}`);
      },
    });
    const it = sub[Symbol.asyncIterator]();
    for (const n of [1, 2, 4, 5, 6]) sources[0]!.send(n);
    for (let i = 0; i < 2; i++) for (const n of await take(it, 1)) seen.push(`event ${n}`);
    await sub.unsubscribe();
    expect(seen).toEqual(['event 1', 'checkpoint 40', 'event 5']);
  });
});
