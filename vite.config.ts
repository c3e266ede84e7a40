import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precompress } from './scripts/precompress.js';

// The client lives in client/; the server serves dist/client. In development the Vite server forwards the REST API and
// the Socket.IO connection to the Fastify server so the session cookie stays same-origin.
const server = 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'client',
  plugins: [svelte(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // Brotli at its best level (scripts/precompress.ts) takes a second or two, on purpose; no need to warn.
      checks: { pluginTimings: false },
      output: {
        // Two initial files (the Svelte runtime, the app) instead of many small shared chunks: fewer requests, better
        // gzip. Socket.IO's client, the secondary pages, the Polish catalogue and the Markdown renderer (markdown-it and its
        // emoji table, loaded after the first screen) load as their own chunks.
        codeSplitting: {
          groups: [
            { name: 'socket.io', test: /[\\/]node_modules[\\/](socket\.io-|engine\.io-|@socket\.io[\\/])/ },
            { name: 'svelte', test: /[\\/]node_modules[\\/]svelte[\\/]/, tags: ['$initial'] },
            // Only what the first screen imports statically ('$initial'); everything behind an import() splits off.
            { name: 'app', test: /[\\/](client[\\/]src|shared)[\\/]/, tags: ['$initial'] },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/socket.io': { target: server, ws: true },
    },
  },
});
