import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type ChainedEvent } from '../hash-chain.ts';
import { validateEvents } from '../validation.ts';
import { buildChainedEvents, stripChain } from './esdb-mapping.ts';
import { verifyReadableChains } from './esdb-verify.ts';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** `count` chained events of one stream, as the adapter would read them back. */
function stream(name: string, count: number, firstId = 1): ChainedEvent[] {
  const list = validateEvents(
    name,
    Array.from({ length: count }, (_, i) => ({ id: id(firstId + i), type: 'E', data: { i } })),
  );
  return buildChainedEvents(name, list, 0n, GENESIS_HASH).map((e, i) => {
    const { metadata, chain } = stripChain(JSON.parse(JSON.stringify(e.metadata)));
    return { streamId: name, revision: BigInt(i), id: e.id, type: e.type, data: e.data, metadata, chain: chain! };
  });
}

async function* each<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

function verify(streams: Record<string, ChainedEvent[]>) {
  return verifyReadableChains(Object.keys(streams), (name) => each(streams[name]!));
}

describe('verifying what EventStoreDB can still read', () => {
  it('Given whole streams, Then the shared verifier accepts them and the totals add up', async () => {
    expect(await verify({ 'a-1': stream('a-1', 3), 'b-1': stream('b-1', 2, 10), 'c-1': [] })).toEqual({ ok: true, streams: 2, events: 5 });
  });

  it('Given a stream truncated before revision 3, Then it verifies from revision 3 on, anchored at its stored prev', async () => {
    expect(await verify({ 'a-1': stream('a-1', 5).slice(3) })).toEqual({ ok: true, streams: 1, events: 2 });
  });

  it('Given a truncated stream whose visible events were edited, Then the edit is found', async () => {
    const events = stream('a-1', 5).slice(3);
    events[1] = { ...events[1]!, data: { i: 99 } };
    expect(await verify({ 'a-1': events })).toMatchObject({ ok: false, streamId: 'a-1', revision: 4n, problem: 'hash_mismatch' });
  });

  it('Given a truncated stream with a gap after its anchor, Then the missing revision is reported', async () => {
    const events = stream('a-1', 6);
    expect(await verify({ 'a-1': [events[2]!, events[4]!, events[5]!] })).toMatchObject({ ok: false, revision: 3n, problem: 'missing_revision' });
  });

  it('Given an edited event in a whole stream after a good one, Then the report counts both streams walked', async () => {
    const bad = stream('b-1', 3, 10);
    bad[1] = { ...bad[1]!, chain: { ...bad[1]!.chain, prev: GENESIS_HASH } };
    expect(await verify({ 'a-1': stream('a-1', 2), 'b-1': bad })).toMatchObject({ ok: false, streams: 2, streamId: 'b-1', revision: 1n, problem: 'prev_mismatch' });
  });
});
