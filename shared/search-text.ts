/**
 * Polish-aware text folding and search-query parsing, shared by both store adapters, the search service and the
 * client. Folding is per code point (lower case, combining marks dropped, ł→l), so a folded string can be mapped
 * back to the original for highlighting. `ł` needs its own rule: it has no Unicode decomposition, so neither NFD
 * nor SQLite's `remove_diacritics` turns it into `l`.
 */

const MARK = /\p{M}/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

function foldCodePoint(cp: string): string {
  return cp.normalize('NFD').replace(MARK, '').toLowerCase().replace(/ł/g, 'l');
}

/** The folded text and, for each of its UTF-16 units, the index of the original unit it came from. */
export interface FoldedText {
  folded: string;
  origin: number[];
}

export function foldWithOrigin(text: string): FoldedText {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const cp of text) {
    const piece = foldCodePoint(cp);
    folded += piece;
    for (let i = 0; i < piece.length; i++) origin.push(index);
    index += cp.length;
  }
  return { folded, origin };
}

export function foldText(text: string): string {
  return foldWithOrigin(text).folded;
}

/** A run of letters and digits in folded text: [start, end) offsets. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

export function tokenize(folded: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const isWord = i < folded.length && WORD_CHAR.test(folded[i] as string);
    if (isWord && start < 0) start = i;
    else if (!isWord && start >= 0) {
      tokens.push({ word: folded.slice(start, i), start, end: i });
      start = -1;
    }
  }
  return tokens;
}

/** The folded words of `text` separated by single spaces with a space at both ends: what the MongoDB adapter stores. */
export function searchableWords(text: string): string {
  const words = tokenize(foldText(text)).map((t) => t.word);
  return words.length === 0 ? '' : ` ${words.join(' ')} `;
}

/**
 * One condition of a query: these folded words next to each other, in order. `prefix`: the last word may be the
 * start of a longer word (a word being typed); a quoted phrase matches whole words, unless its quote is not closed.
 */
export interface SearchTerm {
  words: string[];
  prefix: boolean;
}

export const SEARCH_QUERY_MAX_TERMS = 10;

/**
 * `żółty "spotkanie w Łodzi" sam` → three terms, all required: `zolty*`, the phrase `spotkanie w lodzi`, `sam*`.
 * A word without letters or digits is dropped; an empty result means there is nothing to search for.
 */
export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const parts = query.split('"');
  parts.forEach((part, index) => {
    const quoted = index % 2 === 1;
    if (quoted) {
      const words = tokenize(foldText(part)).map((t) => t.word);
      const closed = index < parts.length - 1;
      if (words.length > 0) terms.push({ words, prefix: !closed });
      return;
    }
    for (const chunk of part.split(/\s+/)) {
      const words = tokenize(foldText(chunk)).map((t) => t.word);
      if (words.length > 0) terms.push({ words, prefix: true });
    }
  });
  return terms.slice(0, SEARCH_QUERY_MAX_TERMS);
}

/** Where the terms occur in `text`, as [start, end) ranges of the ORIGINAL text (whole words), sorted, merged. */
export function findMatches(text: string, terms: SearchTerm[]): Array<[number, number]> {
  const { folded, origin } = foldWithOrigin(text);
  const tokens = tokenize(folded);
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    const n = term.words.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) {
        const token = (tokens[i + j] as Token).word;
        const word = term.words[j] as string;
        ok = j === n - 1 && term.prefix ? token.startsWith(word) : token === word;
      }
      if (!ok) continue;
      const first = tokens[i] as Token;
      const last = tokens[i + n - 1] as Token;
      const end = last.end < origin.length ? (origin[last.end] as number) : text.length;
      ranges.push([origin[first.start] as number, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
