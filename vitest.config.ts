import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'client/src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Whole-app tests start real servers on port 0 and real SQLite files; two cores are enough for two forks.
    pool: 'forks',
    maxWorkers: 2,
  },
});
