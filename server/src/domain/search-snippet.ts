import type { SearchSnippet } from '../../../shared/schemas/index.js';
import { findMatches, type SearchTerm } from '../../../shared/search-text.js';

const SNIPPET_LENGTH = 160;
/** Context shown before the first match, so the match is not the snippet's very first word. */
const LEAD = 40;

/**
 * The part of a message around its first match with the matches' offsets: plain text and numbers, so the client
 * marks them with text nodes and never injects markup. A code point is never split.
 */
export function makeSnippet(text: string, terms: SearchTerm[]): SearchSnippet {
  const matches = findMatches(text, terms);
  const first = matches[0]?.[0] ?? 0;
  let start = Math.max(0, first - LEAD);
  if (text.length - start < SNIPPET_LENGTH) start = Math.max(0, text.length - SNIPPET_LENGTH);
  // Begin at a word boundary when one is near, and never inside a surrogate pair.
  if (start > 0) {
    const space = text.lastIndexOf(' ', start);
    if (space >= 0 && start - space < 15) start = space + 1;
    if (isLowSurrogate(text.charCodeAt(start))) start--;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const highlights = matches
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]): [number, number] => [Math.max(s, start) - start, Math.min(e, end) - start]);
  return { text: text.slice(start, end), highlights, cutStart: start > 0, cutEnd: end < text.length };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
