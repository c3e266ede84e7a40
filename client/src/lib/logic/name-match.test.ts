import { describe, expect, it } from 'vitest';
import { foldName, nameMatches } from './name-match.js';

describe('name matching', () => {
  it('ignores Polish diacritics, ł included, and case', () => {
    expect(foldName('Łukasz Żółć')).toBe('lukasz zolc');
    expect(nameMatches('Celina Wiśniewska', 'wisn')).toBe(true);
    expect(nameMatches('Łukasz Mały', 'lukasz')).toBe(true);
    expect(nameMatches('Darek Zieliński', 'ZIELINSKI')).toBe(true);
  });

  it('needs every typed word to start a word of the name, in any order', () => {
    expect(nameMatches('Anna Kowalska', 'kow an')).toBe(true);
    expect(nameMatches('Anna Kowalska', 'owal')).toBe(false);
    expect(nameMatches('Anna Kowalska', 'anna nowak')).toBe(false);
    expect(nameMatches('Anna Kowalska', '   ')).toBe(false);
  });
});
