import { describe, expect, it } from 'vitest';
import { countSmsParts, stripPolishDiacritics } from './parts.js';

const plain = { normalize: false };
const normalized = { normalize: true };

describe('countSmsParts: GSM-7', () => {
  it('counts empty text as one part', () => {
    expect(countSmsParts('', plain)).toEqual({ encoding: 'gsm7', parts: 1, units: 0 });
  });

  it('fits 160 characters in one part and splits 161 into two', () => {
    expect(countSmsParts('a'.repeat(160), plain)).toEqual({ encoding: 'gsm7', parts: 1, units: 160 });
    expect(countSmsParts('a'.repeat(161), plain)).toEqual({ encoding: 'gsm7', parts: 2, units: 161 });
  });

  it('puts 153 characters in each part of a long message', () => {
    expect(countSmsParts('a'.repeat(306), plain).parts).toBe(2);
    expect(countSmsParts('a'.repeat(307), plain).parts).toBe(3);
    expect(countSmsParts('a'.repeat(153 * 10), plain).parts).toBe(10);
    expect(countSmsParts('a'.repeat(153 * 10 + 1), plain).parts).toBe(11);
  });

  it('counts every extension character as two units', () => {
    for (const char of ['^', '{', '}', '\\', '[', ']', '~', '|', '€']) {
      expect(countSmsParts(char, plain)).toEqual({ encoding: 'gsm7', parts: 1, units: 2 });
    }
    expect(countSmsParts('€'.repeat(80), plain)).toEqual({ encoding: 'gsm7', parts: 1, units: 160 });
    expect(countSmsParts('a' + '€'.repeat(80), plain)).toEqual({ encoding: 'gsm7', parts: 2, units: 161 });
  });

  it('never splits an extension character across a part boundary', () => {
    // 152 units then a 2-unit character: it cannot straddle the 153 boundary, so it opens part two.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(countSmsParts(text, plain)).toEqual({ encoding: 'gsm7', parts: 3, units: 306 });
    // Without the boundary rule the same 306 units would be exactly 2 parts.
    expect(countSmsParts('a'.repeat(306), plain).parts).toBe(2);
  });

  it('keeps GSM-7 for the accented letters that are in the alphabet', () => {
    expect(countSmsParts('èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà¡¿§£¥$@_ΔΦΓΛΩΠΨΣΘΞ\n\r', plain).encoding).toBe('gsm7');
  });
});

describe('countSmsParts: UCS-2', () => {
  it('switches to UCS-2 for Polish letters: 70 per single part, 67 per part when split', () => {
    expect(countSmsParts('ą'.repeat(70), plain)).toEqual({ encoding: 'ucs2', parts: 1, units: 70 });
    expect(countSmsParts('ą'.repeat(71), plain)).toEqual({ encoding: 'ucs2', parts: 2, units: 71 });
    expect(countSmsParts('ą'.repeat(134), plain).parts).toBe(2);
    expect(countSmsParts('ą'.repeat(135), plain).parts).toBe(3);
  });

  it('makes the whole text UCS-2 for a single non-GSM character', () => {
    expect(countSmsParts('a'.repeat(69) + 'ł', plain)).toEqual({ encoding: 'ucs2', parts: 1, units: 70 });
    expect(countSmsParts('a'.repeat(70) + 'ł', plain)).toEqual({ encoding: 'ucs2', parts: 2, units: 71 });
  });

  it('counts an extension character as one unit in UCS-2', () => {
    expect(countSmsParts('ż€', plain)).toEqual({ encoding: 'ucs2', parts: 1, units: 2 });
  });

  it('counts an emoji as two UTF-16 units and never splits it', () => {
    expect(countSmsParts('😀', plain)).toEqual({ encoding: 'ucs2', parts: 1, units: 2 });
    expect(countSmsParts('😀'.repeat(35), plain)).toEqual({ encoding: 'ucs2', parts: 1, units: 70 });
    // 66 units then a pair: the pair opens part two, so 66 + 2 + 66 = 134 units need three parts.
    expect(countSmsParts('a'.repeat(66) + '😀' + 'a'.repeat(66), plain)).toEqual({
      encoding: 'ucs2',
      parts: 3,
      units: 134,
    });
  });

  it('treats lower-case ç and curly quotes as outside GSM-7', () => {
    expect(countSmsParts('ç', plain).encoding).toBe('ucs2');
    expect(countSmsParts('„cześć”', normalized).encoding).toBe('ucs2');
  });
});

describe('normalize', () => {
  it('strips every Polish diacritic and nothing else', () => {
    expect(stripPolishDiacritics('ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ')).toBe('acelnoszz ACELNOSZZ');
    expect(stripPolishDiacritics('Zażółć gęślą jaźń — é ü 😀')).toBe('Zazolc gesla jazn — é ü 😀');
  });

  it('keeps Polish text at GSM-7 when normalizing', () => {
    const text = 'Pilne: awaria serwera w Łodzi, proszę o kontakt. Zażółć gęślą jaźń.';
    expect(countSmsParts(text, plain).encoding).toBe('ucs2');
    expect(countSmsParts(text, normalized)).toEqual({ encoding: 'gsm7', parts: 1, units: text.length });
  });

  it('changes the part count: 100 Polish letters are 2 UCS-2 parts or 1 GSM-7 part', () => {
    const text = 'ż'.repeat(100);
    expect(countSmsParts(text, plain).parts).toBe(2);
    expect(countSmsParts(text, normalized).parts).toBe(1);
  });
});
