/**
 * Hash-chain verification over what EventStoreDB still lets us read. Events hidden by `truncateBefore`,
 * `maxCount`, `maxAge` or a soft delete cannot be read back (PostgreSQL keeps the rows, EventStoreDB does not
 * serve them), so a stream whose first readable revision is above 0 is verified from that event on, with its
 * stored `prev` taken as the anchor. Streams that start at revision 0 go through the shared `verifyChainLinks`.
 */
import { chainHash, contentHash, GENESIS_HASH, verifyChainLinks, type ChainedEvent } from '../hash-chain.ts';
import type { ChainReport } from '../port.ts';

/** Walks each named stream (in the given order) and returns the first broken link, or ok with totals. */
export async function verifyReadableChains(
  streamNames: AsyncIterable<string> | Iterable<string>,
  read: (stream: string) => AsyncIterable<ChainedEvent>,
): Promise<ChainReport> {
  let streams = 0;
  let events = 0;
  for await (const name of streamNames) {
    const it = read(name)[Symbol.asyncIterator]();
    try {
      const first = await it.next();
      if (first.done) continue;
      const rest: AsyncIterable<ChainedEvent> = { [Symbol.asyncIterator]: () => it };
      const report = first.value.revision === 0n ? await verifyChainLinks(prepend(first.value, rest)) : await verifyAnchored(first.value, rest);
      streams += report.streams;
      events += report.events;
      if (!report.ok) return { ...report, streams, events };
    } finally {
      await it.return?.();
    }
  }
  return { ok: true, streams, events };
}

async function* prepend(first: ChainedEvent, rest: AsyncIterable<ChainedEvent>): AsyncGenerator<ChainedEvent> {
  yield first;
  yield* rest;
}

/** One stream from its first readable event `first` (revision > 0), trusting `first.chain.prev`. */
async function verifyAnchored(first: ChainedEvent, rest: AsyncIterable<ChainedEvent>): Promise<ChainReport> {
  let count = 0;
  let prevHash = first.chain.prev;
  let nextRevision = first.revision;
  const fail = (e: ChainedEvent, revision: bigint, problem: 'hash_mismatch' | 'prev_mismatch' | 'missing_revision', detail: string): ChainReport => ({
    ok: false,
    streams: 1,
    events: count,
    streamId: e.streamId,
    revision,
    problem,
    detail,
  });
  for await (const e of prepend(first, rest)) {
    count++;
    if (e.revision !== nextRevision) {
      const detail = e.revision > nextRevision ? `revision ${nextRevision} is missing (next stored is ${e.revision})` : `revision ${e.revision} appears again`;
      return fail(e, e.revision > nextRevision ? nextRevision : e.revision, 'missing_revision', detail);
    }
    if (e.chain.prev !== prevHash) return fail(e, e.revision, 'prev_mismatch', `chain.prev ${e.chain.prev} is not the previous hash ${prevHash}`);
    if (e.revision === 0n && e.chain.prev !== GENESIS_HASH) return fail(e, e.revision, 'prev_mismatch', 'revision 0 must link to the genesis hash');
    let expected: string;
    try {
      expected = chainHash(prevHash, e.streamId, e.revision, contentHash(e));
    } catch (err) {
      return fail(e, e.revision, 'hash_mismatch', `content cannot be hashed: ${(err as Error).message}`);
    }
    if (expected !== e.chain.hash) return fail(e, e.revision, 'hash_mismatch', `stored hash ${e.chain.hash} but content hashes to ${expected}`);
    prevHash = e.chain.hash;
    nextRevision++;
  }
  return { ok: true, streams: 1, events: count };
}
