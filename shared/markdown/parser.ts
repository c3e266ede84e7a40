/**
 * The one Markdown configuration both sides use: the client renders messages with it, the server turns the same
 * text into SMS and list previews, so what a mark means never differs between screen and phone.
 *
 * Safety comes from the configuration, not from cleaning HTML afterwards: raw HTML is off (typed tags stay text),
 * images are off (no remote loads from a message), and only http(s) and mailto links pass `validateLink`.
 */
import MarkdownIt from 'markdown-it';
import { bare as emoji } from 'markdown-it-emoji';
import { EMOJI_SHORTCODES } from './emoji.js';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Absolute http(s)/mailto URLs only; anything the URL parser rejects (relative, javascript:, data:, …) is refused. */
export function isSafeLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return SAFE_PROTOCOLS.has(parsed.protocol) && (parsed.protocol === 'mailto:' || parsed.hostname !== '');
  } catch {
    return false;
  }
}

export function createMarkdown() {
  const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false });
  // Chat text, not documents: a line starting with "#" or "---" stays what was typed.
  md.disable(['heading', 'lheading', 'hr', 'table', 'image', 'html_block', 'html_inline']);
  md.validateLink = isSafeLink;
  md.linkify.set({ fuzzyEmail: false });
  // Shortcodes only (":+1:"); ":)" and friends stay as typed, so code-like text is never turned into emoji.
  md.use(emoji, { defs: EMOJI_SHORTCODES, shortcuts: {} });
  return md;
}
