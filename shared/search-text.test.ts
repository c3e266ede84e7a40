import { describe, expect, it } from 'vitest';
import { findMatches, foldText, parseSearchQuery, searchableWords } from './search-text.js';

describe('search text folding and queries', () => {
  it('folds Polish letters, ł included, and letter case, keeping one unit per letter', () => {
    expect(foldText('Zażółć gęślą jaźń ŁÓDŹ')).toBe('zazolc gesla jazn lodz');
    expect(searchableWords('Spotkanie: w Łodzi, 10:30!')).toBe(' spotkanie w lodzi 10 30 ');
    expect(searchableWords('?!')).toBe('');
  });

  it('parses words as prefixes and quoted phrases as whole words, an unclosed quote as typed so far', () => {
    expect(parseSearchQuery('Żółty  "spotkanie w Łodzi" sam')).toEqual([
      { words: ['zolty'], prefix: true },
      { words: ['spotkanie', 'w', 'lodzi'], prefix: false },
      { words: ['sam'], prefix: true },
    ]);
    expect(parseSearchQuery('"plan na jut')).toEqual([{ words: ['plan', 'na', 'jut'], prefix: true }]);
    expect(parseSearchQuery(' - "" ? ')).toEqual([]);
  });

  it('finds matches as ranges of the original text, decomposed accents and all', () => {
    const text = 'Jedziemy do Łodzi, potem do Lo\u0301dz\u0301 znowu';
    const ranges = findMatches(text, parseSearchQuery('lodz'));
    expect(ranges.map(([s, e]) => text.slice(s, e))).toEqual(['Łodzi', 'Lo\u0301dz\u0301']);
    const phrase = 'żółty samochód, samochód żółty';
    expect(findMatches(phrase, parseSearchQuery('"zolty samochod"')).map(([s, e]) => phrase.slice(s, e))).toEqual(['żółty samochód']);
  });
});
