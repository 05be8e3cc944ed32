import type { FastifyInstance } from 'fastify';

/** A named dependency check for `/readyz`; it throws (or rejects) when the dependency is not usable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

/** `/healthz`: the process serves. `/readyz`: every dependency answers within its timeout. */
export async function registerHealthRoutes(app: FastifyInstance, opts: { checks: readonly ReadinessCheck[] }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      opts.checks.map(async ({ name, check }) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
          ]);
          return { name, ok: true as const };
        } catch (e) {
          return { name, ok: false as const, error: e instanceof Error ? e.message : String(e) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
}
