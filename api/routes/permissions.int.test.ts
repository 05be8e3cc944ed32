// Each role against every /v1 route: forbidden exactly where the permission matrix says so, and never 401/500 with a valid key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Role } from '../auth/roles.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { ROUTES } from '../testing/route-table.ts';

describe('role × route matrix', () => {
  let h: Harness;
  const keys = {} as Record<Role, string>;
  beforeAll(async () => {
    h = await startHarness({ rateLimit: { capacity: 10_000, refillPerSecond: 1_000 } });
    for (const role of ROLES) keys[role] = await h.key(role, 'acme', role === 'agent' ? 'a1' : undefined);
  });
  afterAll(async () => h.close());

  for (const route of ROUTES) {
    it(`${route.method} ${route.pattern} (${route.permission})`, async () => {
      for (const role of ROLES) {
        const r = await h.call(route.method, route.url, { key: keys[role], ...(route.body !== undefined ? { body: route.body } : {}) });
        const allowed = PERMISSIONS[role].has(route.permission);
        expect({ role, status: r.statusCode, code: allowed ? undefined : r.json().error?.code }).toEqual({
          role,
          status: allowed ? expect.not.toBeOneOf([401, 403, 500]) : 403,
          code: allowed ? undefined : 'FORBIDDEN',
        });
      }
    });
  }

  it('lets an agent key act only on its own agent (403 for another agent of the same tenant)', async () => {
    const own = await h.call('GET', '/v1/agents/a1', { key: keys.agent });
    expect(own.statusCode).not.toBe(403);
    for (const [method, url, body] of [
      ['GET', '/v1/agents/a2', undefined],
      ['POST', '/v1/agents/a2/ready', undefined],
      ['POST', '/v1/agents/a2/login', { skills: [], capacity: { voice: 1 } }],
      ['POST', '/v1/calls/c-9/disposition', { wrapUpCode: 'X', agentId: 'a2' }],
    ] as const) {
      const r = await h.call(method, url, { key: keys.agent, ...(body ? { body } : {}) });
      expect([url, r.statusCode, r.json().error.code]).toEqual([url, 403, 'FORBIDDEN']);
    }
  });
});
