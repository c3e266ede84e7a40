import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // expect.poll waits on a condition (never a sleep); its default second is too short on a loaded two-core machine.
    expect: { poll: { timeout: 10_000 } },
    // Whole-app tests start real servers on port 0 and real SQLite files; two cores are enough for two forks.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Client state and managers use runes, which only the Svelte compiler understands; the browser condition
        // picks Svelte's client runtime (the server one renders once and never updates a $derived).
        extends: true,
        plugins: [svelte({ configFile: false })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'client',
          include: ['client/src/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
