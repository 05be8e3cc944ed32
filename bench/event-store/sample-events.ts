// The workload every store gets: the same event body, stream layout and per-writer stream ownership.
import { randomUUID } from 'node:crypto';

/** One event as the benchmarks write it (the port's EventData shape, which Emmett's also accepts). */
export interface SampleEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A realistic call-center event body (~300 bytes of JSON); ids are unique per event. */
export function sampleEvent(streamIndex: number, seq: number): SampleEvent {
  const callId = `c${streamIndex}`;
  return {
    id: randomUUID(),
    type: 'CallQueued',
    data: {
      callId,
      queueId: `queue-${streamIndex % 17}`,
      priority: seq % 5,
      skills: ['billing', 'fr-FR'],
      enqueuedAt: '2026-11-22T03:00:00.000Z',
      caller: { ani: '+33123456789', dnis: '+33900000000' },
      attempt: seq,
    },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'bench', tenant: 't1' },
  };
}

/** `count` events for stream `streamIndex`, numbered from `firstSeq`. */
export function sampleBatch(streamIndex: number, firstSeq: number, count: number): SampleEvent[] {
  const out: SampleEvent[] = [];
  for (let i = 0; i < count; i++) out.push(sampleEvent(streamIndex, firstSeq + i));
  return out;
}

/** The stream name of stream number `i` (category `call`, as Ledgerline names them). */
export function streamName(runId: string, i: number): string {
  return `call-${runId}${i}`;
}

/**
 * Round-robin over the streams one writer owns: writer `w` of `writers` owns every stream `i` with
 * `i % writers === w`, so concurrent writers never race on a stream and every expected revision is exact.
 */
export function ownedStreams(writer: number, writers: number, streams: number): () => number {
  const mine: number[] = [];
  for (let i = writer; i < streams; i += writers) mine.push(i);
  let k = 0;
  return () => mine[k++ % mine.length]!;
}
