/** The lazily loaded chunk: markdown-it, its emoji table and our configuration (see markdown.svelte.ts). */
export { renderMarkdown } from '../../../../shared/markdown/render.js';
export { messagePreview } from '../../../../shared/markdown/plain-text.js';
