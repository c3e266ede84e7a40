/**
 * Message Markdown to HTML for the client. Loaded lazily (markdown-it and the emoji table are most of its weight),
 * so the first screen does not wait for it. Every link opens in a new tab without giving it `window.opener` or
 * the page address.
 */
import { createMarkdown } from './parser.js';

const md = createMarkdown();
type RenderRule = NonNullable<typeof md.renderer.rules.link_open>;

const renderAsIs: RenderRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
const defaultLinkOpen = md.renderer.rules.link_open ?? renderAsIs;
const linkOpen: RenderRule = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};
md.renderer.rules.link_open = linkOpen;

export function renderMarkdown(source: string): string {
  return md.render(source);
}
