import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles the client's runes (`*.svelte.ts` state classes) so they are tested as they run in the browser.
  plugins: [svelte()],
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
