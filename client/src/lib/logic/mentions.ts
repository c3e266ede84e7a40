/**
 * @mentions in the composer and in messages. A mention is written into the text as `@Full Name` (so the SMS and any
 * older client read naturally) and carried by id in `mentions`; `@wszyscy` / `@all` mean everyone in a group.
 * Matching ignores case and Polish diacritics: "@lukasz" finds Łukasz.
 */

export interface MentionCandidate {
  id: string;
  name: string;
}

export type Suggestion = { kind: 'member'; id: string; name: string } | { kind: 'all'; word: string };

/** The words that mention everyone; the first is what the picker inserts in that language. */
export const ALL_WORDS = ['wszyscy', 'all'] as const;

export const SUGGESTIONS_MAX = 8;

/** Lower case without diacritics; ł has no decomposition, so it is mapped by hand. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').toLowerCase();
}

/** The `@query` being typed just before the caret, or null when the caret is not in one. */
export function activeMention(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s(])@([^\s@]{0,40})$/u.exec(before);
  if (!match) return null;
  return { start: before.length - match[2]!.length - 1, query: match[2]! };
}

/** Members whose first name or surname starts with the query (and @all in groups), me left out. */
export function suggest(
  query: string,
  members: readonly MentionCandidate[],
  options: { myId: string; group: boolean; allWord: string },
): Suggestion[] {
  const q = fold(query);
  const found: Suggestion[] = members
    .filter((m) => m.id !== options.myId)
    .filter((m) => q === '' || fold(m.name).split(/\s+/).some((word) => word.startsWith(q)) || fold(m.name).startsWith(q))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({ kind: 'member' as const, id: m.id, name: m.name }));
  if (options.group) {
    const word = ALL_WORDS.find((w) => w.startsWith(q));
    if (word !== undefined || q === '') found.push({ kind: 'all', word: q === '' ? options.allWord : word! });
  }
  return found.slice(0, SUGGESTIONS_MAX);
}

/** Replaces the `@query` at `start` with the chosen mention and a space; returns the new text and caret. */
export function applySuggestion(
  text: string,
  caret: number,
  start: number,
  suggestion: Suggestion,
): { text: string; caret: number } {
  const label = suggestion.kind === 'member' ? suggestion.name : suggestion.word;
  // The rest of a word the caret was inside belongs to the query; punctuation right after stays and needs no space.
  const after = text.slice(caret).replace(/^[\p{L}\p{N}]*/u, '');
  const inserted = /^[\s,.;:!?)]/u.test(after) ? `@${label}` : `@${label} `;
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `@Name` not followed by a letter or digit (so "@Anna" is not found inside "@Annabel"). */
function mentionPattern(name: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])@${escape(name)}(?![\\p{L}\\p{N}])`, 'iu');
}

/** The ids of members mentioned in `text` and whether it mentions everyone (groups only), for sending. */
export function collectMentions(
  text: string,
  members: readonly MentionCandidate[],
  group: boolean,
): { mentions: string[]; mentionsAll: boolean } {
  const mentions = members.filter((m) => m.name.trim() !== '' && mentionPattern(m.name).test(text)).map((m) => m.id);
  const mentionsAll = group && ALL_WORDS.some((word) => mentionPattern(word).test(text));
  return { mentions: [...new Set(mentions)], mentionsAll };
}

export type Segment = { kind: 'text'; text: string } | { kind: 'mention'; text: string; id: string | 'all' };

/**
 * Splits a stored message's text into plain runs and the mentions it carries, for highlighting. Only what the
 * message says it mentions is highlighted: an "@" in the text alone proves nothing.
 */
export function mentionSegments(
  text: string,
  mentioned: readonly MentionCandidate[],
  mentionsAll: boolean,
): Segment[] {
  const labels: { label: string; id: string }[] = mentioned.map((m) => ({ label: m.name, id: m.id }));
  if (mentionsAll) for (const word of ALL_WORDS) labels.push({ label: word, id: 'all' });
  const usable = labels.filter((l) => l.label.trim() !== '').sort((a, b) => b.label.length - a.label.length);
  if (usable.length === 0) return [{ kind: 'text', text }];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])@(${usable.map((l) => escape(l.label)).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const index = match.index;
    if (index > last) segments.push({ kind: 'text', text: text.slice(last, index) });
    const found = usable.find((l) => l.label.toLowerCase() === match[1]!.toLowerCase())!;
    segments.push({ kind: 'mention', text: match[0], id: found.id });
    last = index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
