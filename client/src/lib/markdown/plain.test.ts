import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../../shared/markdown/render.js';
import { messagePreview } from '../../../../shared/markdown/plain-text.js';
import { longHistoryText } from '../../../../e2e/support/long-history.js';
import { plainParagraphs } from './plain.js';
import { roughPreview } from './rough-preview.js';

const PLAIN = [
  'Cześć, będę o 15:30 w biurze.',
  'Uwaga: dostawa przesunięta na czwartek!',
  'Ok',
  'Czy ktoś ma klucz do magazynu? Dzięki "z góry" (serio) — 100% pewne; 3 + 4 = 7, #pilne, @Anna',
  'Pierwszy akapit.\n\nDrugi akapit, bez formatowania.',
  'Zamówienie nr 2024 wysłane, 12,5 tys. zł. Faktura jutro.',
  ...Array.from({ length: 62 }, (_, i) => longHistoryText(i + 1)),
];

const MARKDOWN = [
  '**pilne**',
  'to jest _ważne_',
  'kod `npm test`',
  '~~stare~~',
  '[link](https://example.com)',
  'zobacz https://example.com/a',
  'zobacz www.example.com',
  'zobacz example.com',
  'strona depesza.pl',
  'adres 192.168.0.1',
  'kwota 12.5 tys.',
  ':+1: dzięki',
  '&amp; co dalej',
  '<b>nie</b>',
  '> cytat',
  '- punkt',
  '+ punkt',
  '-',
  '1. pierwszy',
  '2) drugi',
  'linia\ndruga linia',
  'akapit\n\n\ntrzy puste',
  ' wcięcie',
  'koniec ',
  'dwie  spacje',
  '    kod',
  'tab\tulator',
  'a\\b',
  'mailto:ktos@example.com',
  '',
];

describe('plainParagraphs', () => {
  it('finds plain text, which markdown-it renders as the same paragraphs escaped, and previews as the rough preview does', () => {
    for (const text of PLAIN) {
      const paragraphs = plainParagraphs(text);
      expect(paragraphs, text).not.toBeNull();
      const escaped = paragraphs!.map((p) => `<p>${p.replaceAll('"', '&quot;')}</p>\n`).join('');
      expect(renderMarkdown(text), text).toBe(escaped);
      expect(roughPreview(text), text).toBe(messagePreview(text));
    }
  });

  it('sends anything Markdown could change to the renderer', () => {
    for (const text of MARKDOWN) expect(plainParagraphs(text), JSON.stringify(text)).toBeNull();
  });

  it('is right about the ones it sends: most of them render differently from plain paragraphs', () => {
    const differing = MARKDOWN.filter((text) => text !== '' && renderMarkdown(text) !== `<p>${text}</p>\n`);
    expect(differing.length).toBeGreaterThan(MARKDOWN.length / 2);
  });
});
