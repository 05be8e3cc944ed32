import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests (`*.test.ts`), tests that need real services (`*.int.test.ts`), and the
// end-to-end runs under infra/e2e and the demo (services too, one file at a time).
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
          exclude: ['node_modules/**', 'infra/e2e/**', 'infra/demo/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: integration files share one PostgreSQL, NATS and ClickHouse.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          // Whole-system runs (thousands of calls over ESL, real serve processes): one file at a time, after the
          // integration tests, so each has the machine to itself and no run's timing depends on another's.
          include: ['infra/e2e/**/*.int.test.ts', 'infra/demo/**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 1_500_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
