// GET /v1/ivr-flows: the tenant's flows, including ones another process wrote, never another tenant's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../engine/command-handling/handle-command.ts';
import { ivrFlowDecider } from '../../domain/ivr-flow/ivr-flow-decider.ts';
import { parseIvrFlowCommand } from '../../domain/ivr-flow/ivr-flow-commands.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { SIMPLE_FLOW } from '../testing/route-table.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

describe('GET /v1/ivr-flows', () => {
  let h: Harness;
  let admin: string;
  let auditor: string;
  let globex: string;
  let agent: string;

  beforeAll(async () => {
    h = await startHarness();
    // A flow already in the log before the app ever listed flows (written by another process).
    const save = parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: 'seed-1', at: 10, actor: 'system:test', flowId: 'legacy', flow: SIMPLE_FLOW('legacy') });
    await handleCommand(h.store, ivrFlowDecider, tenantStream('ivrflow', 'acme', 'legacy'), save, { tenant: 'acme' });
    admin = await h.key('admin', 'acme');
    auditor = await h.key('auditor', 'acme');
    globex = await h.key('admin', 'globex');
    agent = await h.key('agent', 'acme', 'a1');
  });
  afterAll(async () => h.close());

  it('lists the tenant\'s flows with status, latest version and draft, sorted by id', async () => {
    expect((await h.call('PUT', '/v1/ivr-flows/main/draft', { key: admin, body: { flow: SIMPLE_FLOW('main') } })).statusCode).toBe(200);
    expect((await h.call('POST', '/v1/ivr-flows/main/publish', { key: admin })).statusCode).toBe(200);
    await h.call('PUT', '/v1/ivr-flows/other/draft', { key: globex, body: { flow: SIMPLE_FLOW('other') } });
    const r = await h.call('GET', '/v1/ivr-flows', { key: auditor });
    expect(r.statusCode).toBe(200);
    const flows = r.json().flows as { flowId: string; status: string; latestVersion: number | null; draftHash: string | null }[];
    expect(flows.map((f) => [f.flowId, f.status, f.latestVersion])).toEqual([
      ['legacy', 'draft', null],
      ['main', 'published', 1],
    ]);
    const legacy = (await h.call('GET', '/v1/ivr-flows/legacy', { key: auditor })).json();
    expect(flows[0]!.draftHash).toBe(legacy.draft.contentHash);
    const theirs = await h.call('GET', '/v1/ivr-flows', { key: globex });
    expect(theirs.json().flows.map((f: { flowId: string }) => f.flowId)).toEqual(['other']);
  });

  it('picks up flows written later by another process', async () => {
    const save = parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: 'seed-2', at: 20, actor: 'system:test', flowId: 'cli-made', flow: SIMPLE_FLOW('cli-made') });
    await handleCommand(h.store, ivrFlowDecider, tenantStream('ivrflow', 'acme', 'cli-made'), save, { tenant: 'acme' });
    let ids: string[] = [];
    for (let i = 0; i < 200 && !ids.includes('cli-made'); i++) {
      ids = (await h.call('GET', '/v1/ivr-flows', { key: admin })).json().flows.map((f: { flowId: string }) => f.flowId);
      if (!ids.includes('cli-made')) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(ids).toContain('cli-made');
  });

  it('is refused to agent keys (403) and anonymous callers (401)', async () => {
    expect((await h.call('GET', '/v1/ivr-flows', { key: agent })).statusCode).toBe(403);
    expect((await h.call('GET', '/v1/ivr-flows')).statusCode).toBe(401);
  });
});
