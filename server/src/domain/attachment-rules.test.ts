import { describe, expect, it } from 'vitest';
import { cleanContentType, cleanFileName, isInlineImage, smsAttachmentNote, smsTextWithAttachments } from './attachment-rules.js';

describe('attachment rules', () => {
  it('words the SMS note with the Polish plural forms', () => {
    const notes = [1, 2, 4, 5, 11, 12, 14, 21, 22, 24, 25, 101, 102, 112].map(smsAttachmentNote);
    expect(notes).toEqual([
      '(+ 1 załącznik)',
      '(+ 2 załączniki)',
      '(+ 4 załączniki)',
      '(+ 5 załączników)',
      '(+ 11 załączników)',
      '(+ 12 załączników)',
      '(+ 14 załączników)',
      '(+ 21 załączników)',
      '(+ 22 załączniki)',
      '(+ 24 załączniki)',
      '(+ 25 załączników)',
      '(+ 101 załączników)',
      '(+ 102 załączniki)',
      '(+ 112 załączników)',
    ]);
    expect(smsTextWithAttachments('Pilne', 0)).toBe('Pilne');
    expect(smsTextWithAttachments('', 3)).toBe('(+ 3 załączniki)');
  });

  it('keeps a file name without folders or control characters, and a type only when well-formed', () => {
    expect(cleanFileName('C:\\Users\\ala\\raport\u0000.pdf')).toBe('raport.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('gpj.\u202eexe')).toBe('gpj.exe');
    expect(cleanFileName('   ')).toBe('plik');
    expect(cleanContentType('Image/PNG; charset=x')).toBe('image/png');
    expect(cleanContentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(cleanContentType(undefined)).toBe('application/octet-stream');
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml', 'text/html'].map(isInlineImage)).toEqual([true, true, true, true, false, false]);
  });
});
