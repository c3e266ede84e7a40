/**
 * Most chat messages are plain sentences, for which the Markdown renderer (its chunk is the client's largest) would
 * give plain paragraphs. This cheap check finds them, so they are shown without loading it; anything that could mean
 * something to the configuration in shared/markdown/parser.ts (marks, code, links and fuzzy links, emoji shortcodes,
 * entities, lists, quotes, line breaks, spacing Markdown would fold) goes to the renderer. Unit tests hold the
 * answer to what markdown-it renders.
 */

const MARKUP = /[\\`*_~[\]<>&|\t\r]|:\/\/|mailto:|:[\w+-]+:|www\.|\.[\p{L}\p{N}]| {2}/iu;
/** A list item's start: "-", "+" (with "*" excluded above) or "1." / "1)" followed by a space or the end. */
const LIST_START = /^(?:[-+]|\d{1,9}[.)])(?:\s|$)/;

/** The paragraphs of a message that needs no Markdown (one blank line between single-line paragraphs), or null. */
export function plainParagraphs(text: string): string[] | null {
  if (text === '' || MARKUP.test(text)) return null;
  const paragraphs = text.split('\n\n');
  for (const paragraph of paragraphs) {
    if (paragraph === '' || paragraph.includes('\n') || paragraph !== paragraph.trim() || LIST_START.test(paragraph)) return null;
  }
  return paragraphs;
}
