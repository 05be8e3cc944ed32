/** Helpers for the projection tests: environments on PGlite and PostgreSQL, events, and waiting for a condition. */
import { randomUUID } from 'node:crypto';
import type { EventData, EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { createTestDatabase, type TestDatabase } from '../../infra/test-support/services.ts';
import { openProjectionEnvironment, type ProjectionEnvironment } from '../open-projection-environment.ts';

/** An environment and how to throw it away. */
export interface TestEnvironment extends ProjectionEnvironment {
  readonly label: string;
  /** Opens another environment on the same database (PostgreSQL only: a second process, say). */
  readonly reopen?: () => Promise<ProjectionEnvironment>;
  dispose(): Promise<void>;
}

/** PGlite in memory. */
export async function pgliteEnvironment(): Promise<TestEnvironment> {
  const env = await openProjectionEnvironment({ eventStoreUrl: 'pglite:memory' });
  return { ...env, label: 'PGlite', dispose: () => env.close() };
}

/** A fresh database on the local PostgreSQL. */
export async function postgresEnvironment(label: string): Promise<TestEnvironment> {
  const database: TestDatabase = await createTestDatabase(label);
  const env = await openProjectionEnvironment({ eventStoreUrl: database.url });
  const opened: ProjectionEnvironment[] = [env];
  return {
    ...env,
    label: 'PostgreSQL',
    async reopen() {
      const more = await openProjectionEnvironment({ eventStoreUrl: database.url });
      opened.push(more);
      return more;
    },
    async dispose() {
      for (const e of opened) await e.close().catch(() => undefined);
      await database.drop();
    },
  };
}

/** Appends `count` events spread over a few streams of three categories and twelve types. */
export async function appendSampleEvents(store: EventStore, count: number, seed = 0): Promise<void> {
  const categories = ['call', 'agent', 'queue'];
  const types = ['Started', 'Changed', 'Ended', 'Noted'];
  for (let i = 0; i < count; i += 1) {
    const n = i + seed;
    const stream = `${categories[n % 3]}-${n % 7}`;
    const event: EventData = { id: randomUUID(), type: `${categories[n % 3]}${types[n % 4]}`, data: { n } };
    await store.appendToStream(stream, event);
  }
}

/** Every event of the log, in order. */
export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}

/** Polls `check` until it returns true (a condition, not a duration: tests never assert on time). */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
