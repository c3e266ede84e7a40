/**
 * Splits message text into plain text and http(s) links. The result is rendered as text nodes and <a> elements,
 * never as HTML, and only http: and https: URLs (checked by the URL parser, not just the regex) become links.
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'"»”’]+$/;

/** Drops punctuation that ends a sentence rather than the URL, and a closing bracket with no opening one inside. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, '');
    for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
      if (url.endsWith(close) && count(url, open) < count(url, close)) url = url.slice(0, -1);
    }
    if (url === before) return url;
  }
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

export function safeHref(candidate: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname) return null;
  return parsed.href;
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  const push = (kind: 'text', value: string) => {
    if (!value) return;
    const previous = segments.at(-1);
    if (previous?.kind === kind) previous.text += value;
    else segments.push({ kind, text: value });
  };
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (!href) continue;
    push('text', text.slice(last, start));
    segments.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  push('text', text.slice(last));
  return segments;
}
