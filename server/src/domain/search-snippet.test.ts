import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../shared/search-text.js';
import { makeSnippet } from './search-snippet.js';

describe('search snippet', () => {
  it('keeps a short text whole with the match offsets', () => {
    expect(makeSnippet('Spotkanie w Łodzi', parseSearchQuery('lodz'))).toEqual({
      text: 'Spotkanie w Łodzi',
      highlights: [[12, 17]],
      cutStart: false,
      cutEnd: false,
    });
  });

  it('cuts a long text around the first match, at a word start, and shifts the offsets', () => {
    const text = `${'bla '.repeat(100)}tu jest żółty samochód ${'koniec '.repeat(60)}`;
    const snippet = makeSnippet(text, parseSearchQuery('zolty'));
    expect(snippet.cutStart).toBe(true);
    expect(snippet.cutEnd).toBe(true);
    expect(snippet.text.startsWith('bla ')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(161);
    const [start, end] = snippet.highlights[0]!;
    expect(snippet.text.slice(start, end)).toBe('żółty');
  });

  it('never splits an emoji at either end', () => {
    const text = `${'😀'.repeat(120)} kot ${'😀'.repeat(120)}`;
    const snippet = makeSnippet(text, parseSearchQuery('kot'));
    expect(snippet.text).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    const [start, end] = snippet.highlights[0]!;
    expect(snippet.text.slice(start, end)).toBe('kot');
  });
});
