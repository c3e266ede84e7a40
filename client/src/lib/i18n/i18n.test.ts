import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { pl } from './pl.js';
import { interpolate, pickLanguage, translate } from './translate.js';

describe('catalogues', () => {
  it('English and Polish have exactly the same keys', () => {
    expect(Object.keys(pl).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (entry: unknown) =>
      [...new Set(JSON.stringify(entry).match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(pl[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('have no empty strings', () => {
    for (const catalogue of [en, pl]) {
      for (const [key, value] of Object.entries(catalogue)) {
        const forms: string[] = typeof value === 'string' ? [value] : Object.values(value as Record<string, string>);
        for (const form of forms) expect(form.trim(), key).not.toBe('');
      }
    }
  });
});

describe('translate', () => {
  it('interpolates and picks Polish plural forms', () => {
    expect(translate('pl', pl, en, 'sidebar.unread', { count: 1 })).toBe('1 nieprzeczytana wiadomość');
    expect(translate('pl', pl, en, 'sidebar.unread', { count: 3 })).toBe('3 nieprzeczytane wiadomości');
    expect(translate('pl', pl, en, 'sidebar.unread', { count: 5 })).toBe('5 nieprzeczytanych wiadomości');
    expect(translate('en', en, en, 'sidebar.unread', { count: 1 })).toBe('1 unread message');
    expect(translate('en', en, en, 'conversation.typingOne', { name: 'Anna' })).toBe('Anna is typing…');
  });

  it('falls back to English, then to the key', () => {
    expect(translate('pl', {}, en, 'composer.send')).toBe('Send');
    expect(translate('pl', {}, {}, 'no.such.key')).toBe('no.such.key');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });

  it('picks the language from the browser', () => {
    expect(pickLanguage(['pl-PL', 'en-US'])).toBe('pl');
    expect(pickLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(pickLanguage(['fr'])).toBe('en');
  });
});
