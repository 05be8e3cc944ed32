import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore, Position } from '../../adapters/event-store/port.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';
import { parseNumberCommand } from '../../domain/number/number-commands.ts';
import { numberDecider } from '../../domain/number/number-decider.ts';
import { numberStream } from '../../domain/number/number-key.ts';
import { handleCommand } from '../command-handling/handle-command.ts';
import { NumberDirectory } from './number-directory.ts';

let store: EventStore;
let directory: NumberDirectory | undefined;
let n = 0;

/** Assigns or releases through the decider, as the API does; returns the append's position. */
async function run(tenant: string | undefined, number: string, flowId: string | null): Promise<Position> {
  const command = parseNumberCommand({ commandId: `cmd-${++n}`, at: 1000 + n, number, ...(flowId === null ? { type: 'ReleaseNumber' } : { type: 'AssignNumber', flowId }) });
  const outcome = await handleCommand(store, numberDecider, numberStream(tenant, number), command, tenant === undefined ? {} : { tenant });
  return outcome.position!;
}

async function started(onError?: (e: unknown) => void): Promise<NumberDirectory> {
  directory = new NumberDirectory({ store, ...(onError ? { onError } : {}) });
  await directory.start();
  await directory.ready;
  return directory;
}

beforeEach(async () => {
  store = await openEventStore('pglite:memory');
});
afterEach(async () => {
  await directory?.stop();
  directory = undefined;
  await store.close();
});

describe('NumberDirectory (PGlite)', () => {
  it('is ready at once on an empty log, and knows no number', async () => {
    const d = await started();
    expect(d.flowFor('+3225550100')).toBeUndefined();
    expect(d.list('acme')).toEqual([]);
  });

  it('catches up with the numbers already in the log before `ready` resolves', async () => {
    await run('acme', '+3225550100', 'main');
    await run(undefined, '3225550111', 'sales');
    await run('acme', '+3225550122', 'main');
    await run('acme', '+3225550122', null);
    // Unrelated streams are not the directory's business.
    await store.appendToStream('ivrflow-acme.main', [{ id: eventIdFor('other', 0), type: 'IvrFlowRetired', data: { flowId: 'main', at: 1 } }]);
    const d = await started();
    expect(d.flowFor('+3225550100')).toEqual({ tenant: 'acme', flowId: 'main' });
    expect(d.flowFor('3225550100')).toEqual({ tenant: 'acme', flowId: 'main' });
    expect(d.flowFor('+3225550111')).toEqual({ tenant: undefined, flowId: 'sales' });
    expect(d.flowFor('+3225550122')).toBeUndefined();
    expect(d.list('acme').map((a) => [a.number, a.flowId, a.routed])).toEqual([['+3225550100', 'main', true]]);
    expect(d.list(undefined).map((a) => a.number)).toEqual(['3225550111']);
  });

  it('follows assignments, reassignments and releases made after it started', async () => {
    const d = await started();
    await d.caughtUpTo(await run('acme', '+3225550100', 'main'));
    expect(d.flowFor('+3225550100')).toEqual({ tenant: 'acme', flowId: 'main' });
    await d.caughtUpTo(await run('acme', '+3225550100', 'sales'));
    expect(d.flowFor('+3225550100')).toEqual({ tenant: 'acme', flowId: 'sales' });
    expect(d.get('acme', '3225550100')).toMatchObject({ number: '+3225550100', flowId: 'sales', assignedAt: expect.any(Number), routed: true });
    expect(d.get('acme', '+3225550100')!.assignedAt).toBeLessThan(1000 + n);
    await d.caughtUpTo(await run('acme', '+3225550100', null));
    expect(d.flowFor('+3225550100')).toBeUndefined();
    expect(d.get('acme', '+3225550100')).toBeUndefined();
  });

  it('gives a number two tenants claim to the first assignment in the log, and hands it over on release', async () => {
    await run('acme', '+3225550100', 'main');
    await run('globex', '3225550100', 'front');
    const d = await started();
    expect(d.flowFor('3225550100')).toEqual({ tenant: 'acme', flowId: 'main' });
    expect(d.get('globex', '3225550100')).toMatchObject({ flowId: 'front', routed: false });
    expect(d.get('acme', '3225550100')).toMatchObject({ routed: true });
    // A reassignment inside acme keeps acme's place in line.
    await d.caughtUpTo(await run('acme', '+3225550100', 'sales'));
    expect(d.flowFor('3225550100')).toEqual({ tenant: 'acme', flowId: 'sales' });
    await d.caughtUpTo(await run('acme', '+3225550100', null));
    expect(d.flowFor('3225550100')).toEqual({ tenant: 'globex', flowId: 'front' });
    expect(d.list('globex')).toEqual([{ tenant: 'globex', number: '3225550100', flowId: 'front', assignedAt: expect.any(Number), routed: true }]);
  });

  it('skips an unreadable number event, reports it, and keeps following the log', async () => {
    await store.appendToStream('number-acme.3225550199', [{ id: eventIdFor('bad', 0), type: 'NumberAssigned', data: { number: 'nope' } }]);
    const errors: unknown[] = [];
    const d = await started((e) => errors.push(e));
    expect(errors).toHaveLength(1);
    expect(d.flowFor('3225550199')).toBeUndefined();
    await d.caughtUpTo(await run('acme', '+3225550100', 'main'));
    expect(d.flowFor('+3225550100')).toEqual({ tenant: 'acme', flowId: 'main' });
  });

  it('answers undefined for a DID that is not a number, and applying an event twice changes nothing', async () => {
    const d = await started();
    await d.caughtUpTo(await run('acme', '+3225550100', 'main'));
    expect(d.flowFor('sip:reception@acme')).toBeUndefined();
    expect(d.flowFor('')).toBeUndefined();
    const recorded = [];
    for await (const e of store.readStream('number-acme.3225550100')) recorded.push(e);
    const [assigned] = recorded;
    await d.caughtUpTo(await run('acme', '+3225550100', null));
    d.apply(assigned!);
    expect(d.flowFor('+3225550100')).toBeUndefined();
  });

  it('after stop(), check() throws and waiting for a later position rejects', async () => {
    const d = await started();
    d.check();
    await d.stop();
    expect(() => d.check()).toThrow();
    await expect(d.caughtUpTo({ commit: 10n ** 12n, prepare: 0n })).rejects.toThrow(/stopped/);
    directory = undefined;
  });
});
