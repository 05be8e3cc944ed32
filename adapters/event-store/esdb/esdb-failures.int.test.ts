// The adapter with the real client against servers that fail, which need no EventStoreDB: a port nobody listens
// on, and a socket that accepts connections and never answers (a hung server).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerlineError, type LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { EventData } from '../port.ts';
import { openEsdbEventStore, type EsdbAppendOptions } from './esdb-event-store.ts';

const event: EventData = { id: '00000000-0000-4000-8000-000000000001', type: 'CallQueued', data: { callId: 'c1' } };

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/** A port that was just free: connections to it are refused. */
async function closedPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('EventStoreDB adapter against failing servers', () => {
  const sockets: net.Socket[] = [];
  let silent: net.Server;
  let silentPort: number;

  beforeAll(async () => {
    silent = net.createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
    });
    silent.listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    silentPort = (silent.address() as net.AddressInfo).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('Given a server that refuses connections, When appending or reading, Then a retryable STORE_UNAVAILABLE', async () => {
    const store = await openEsdbEventStore(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    try {
      for (const call of [
        () => store.appendToStream('call-1', event, { expectedRevision: 'any' }),
        () => store.appendToStream('call-1', event, { expectedRevision: 0n }),
        () => store.headPosition(),
      ]) {
        const err = await failure(call);
        expect(isLedgerlineError(err, 'STORE_UNAVAILABLE')).toBe(true);
        expect((err as LedgerlineError).details).toMatchObject({ retryable: true, reason: 'unavailable' });
      }
    } finally {
      await store.close();
    }
  });

  it('Given a server that accepts connections and never answers, When appending with a deadline, Then a retryable TIMEOUT once it passes', async () => {
    const store = await openEsdbEventStore(`esdb://127.0.0.1:${silentPort}?tls=false`, { defaultDeadlineMs: 400 });
    try {
      const options: EsdbAppendOptions = { expectedRevision: 'no_stream', deadline: 300 };
      const err = await failure(() => store.appendToStream('call-1', event, options));
      expect(isLedgerlineError(err, 'TIMEOUT')).toBe(true);
      expect((err as LedgerlineError).details).toMatchObject({ retryable: true, operation: 'appendToStream' });
      expect(isLedgerlineError(await failure(() => store.getStreamMetadata('call-1')), 'TIMEOUT')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('Given a subscription to an unreachable server, When it keeps dropping, Then it re-subscribes until unsubscribed, and close() ends it', async () => {
    const store = await openEsdbEventStore(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    const sub = store.subscribeToAll({ filter: { streamNamePrefixes: ['call-'] } });
    const ended = (async () => {
      let n = 0;
      for await (const _e of sub) n++;
      return n;
    })();
    await new Promise((r) => setTimeout(r, 400));
    expect((sub as unknown as { drops: number }).drops).toBeGreaterThan(0);
    await store.close();
    expect(await ended).toBe(0);
  });

  it('Given bad input, When appending, Then the typed validation error comes first and nothing is sent', async () => {
    const store = await openEsdbEventStore(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
    try {
      expect(await failure(() => store.appendToStream('call-1', { ...event, id: 'not-a-uuid' }))).toMatchObject({ code: 'INVALID_EVENT' });
      expect(await failure(() => store.appendToStream('$call-1', event))).toMatchObject({ code: 'INVALID_STREAM_NAME' });
      expect(await failure(() => store.appendToStream('call-1', { ...event, type: '$system' }))).toMatchObject({ code: 'INVALID_EVENT' });
      expect(await failure(() => store.appendToStream('call-1', { ...event, metadata: { $chain: 'mine' } }))).toMatchObject({ code: 'INVALID_EVENT' });
      expect(await failure(() => store.appendToStream('call-1', event, { expectedRevision: -1n }))).toMatchObject({ code: 'INVALID_REVISION' });
    } finally {
      await store.close();
    }
  });

  it('Given a malformed connection string, When opening, Then UNSUPPORTED_STORE_URL', async () => {
    expect(await failure(() => openEsdbEventStore('esdb://'))).toMatchObject({ code: 'UNSUPPORTED_STORE_URL' });
  });
});
