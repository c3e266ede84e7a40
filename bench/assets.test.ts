import { describe, expect, it } from 'vitest';
import { initialAssets } from './lib/assets.js';

describe('initialAssets', () => {
  it('finds the entry script, module preloads and stylesheets of a Vite build', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <script type="module" crossorigin src="/assets/index-abc.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/svelte-def.js">
      <link rel="stylesheet" crossorigin href="/assets/index-123.css">
    </head><body><div id="app"></div></body></html>`;
    expect(initialAssets(html)).toEqual({ js: ['/assets/index-abc.js', '/assets/svelte-def.js'], css: ['/assets/index-123.css'] });
  });

  it('counts a file once', () => {
    const html = '<script type="module" src="/a.js"></script><link rel="modulepreload" href="/a.js">';
    expect(initialAssets(html).js).toEqual(['/a.js']);
  });
});
