import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests (`*.test.ts`) and tests that need real services (`*.int.test.ts`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{domain,engine,adapters,projections,api,infra,bench}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'int',
          include: ['{domain,engine,adapters,projections,api,infra,bench}/**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: integration files share one PostgreSQL, NATS and ClickHouse.
          maxWorkers: 2,
        },
      },
    ],
  },
});
