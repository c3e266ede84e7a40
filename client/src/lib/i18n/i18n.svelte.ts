/** The current language (from the browser, switchable, remembered) and `t`, which templates call directly. */
import type { Catalogue, MessageKey } from './en.js';
import { isLanguage, pickLanguage, translate, type Language, type Params } from './translate.js';
import { errorText, type FormName } from './error-words.js';

export type { MessageKey } from './en.js';
export type { Language } from './translate.js';

const STORAGE_KEY = 'depesza.language';

/**
 * Each catalogue is its own chunk and only the reader's language loads: a Polish office never downloads the English
 * words (both catalogues are complete, checked by their type and a unit test, so neither needs the other as fallback).
 */
const loaders: Record<Language, () => Promise<Catalogue>> = {
  en: () => import('./en.js').then((module) => module.en),
  pl: () => import('./pl.js').then((module) => module.pl),
};

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage disabled: use the browser's language.
  }
  return pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

class I18n {
  language = $state<Language>('en');
  #catalogue = $state.raw<Partial<Catalogue>>({});
  /** Resolves once the browser's (or the remembered) language is ready; main.ts waits for it before mounting. */
  readonly ready: Promise<void>;

  constructor() {
    document.documentElement.lang = 'en';
    this.ready = this.#use(initialLanguage());
  }

  async #use(language: Language): Promise<void> {
    try {
      this.#catalogue = await loaders[language]();
      this.language = language;
      document.documentElement.lang = language;
    } catch (error) {
      console.warn('[depesza] could not load the catalogue for', language, error);
      // Nothing to show words with yet: English rather than bare keys.
      if (language !== 'en' && Object.keys(this.#catalogue).length === 0) await this.#use('en');
    }
  }

  async setLanguage(language: Language): Promise<void> {
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered, still switched.
    }
    await this.#use(language);
  }

  t = (key: MessageKey, params?: Params): string => translate(this.language, this.#catalogue, {}, key, params);

  /** Whether the catalogue has this key (error words build keys from codes and fields). */
  has = (key: string): key is MessageKey => Object.hasOwn(this.#catalogue, key);

  time = (iso: string | Date): string =>
    new Date(iso).toLocaleTimeString(this.language, { hour: '2-digit', minute: '2-digit' });

  dateTime = (iso: string | Date): string =>
    new Date(iso).toLocaleString(this.language, { dateStyle: 'medium', timeStyle: 'short' });

  /** "Today", "Yesterday" or the full date, for day separators. */
  day = (date: Date): string => {
    const today = new Date();
    const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    const days = Math.round((startOf(today) - startOf(date)) / 86_400_000);
    if (days === 0) return this.t('conversation.today');
    if (days === 1) return this.t('conversation.yesterday');
    return date.toLocaleDateString(this.language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  };

  number = (value: number, digits = 2): string =>
    value.toLocaleString(this.language, { maximumFractionDigits: digits });

  /** An error in words in the current language, from its code and details (never the server's English message). */
  describeError = (error: unknown, form?: FormName): string => errorText(this, error, form);
}

export const i18n = new I18n();
export const t = i18n.t;
