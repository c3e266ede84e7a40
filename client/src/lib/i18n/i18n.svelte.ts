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

/**
 * One formatter per language and style: building an Intl formatter (what toLocaleTimeString does on every call) is
 * costly, and the message list formats a time for each visible message on every update.
 */
const DATE_STYLES = {
  time: { hour: '2-digit', minute: '2-digit' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  day: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: Language, style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  const key = `${language} ${style}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(language, DATE_STYLES[style])));
  return format;
}

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

  time = (iso: string | Date): string => formatter(this.language, 'time').format(new Date(iso));

  dateTime = (iso: string | Date): string => formatter(this.language, 'dateTime').format(new Date(iso));

  /** "Today", "Yesterday" or the full date, for day separators. */
  day = (date: Date): string => {
    const today = new Date();
    const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    const days = Math.round((startOf(today) - startOf(date)) / 86_400_000);
    if (days === 0) return this.t('conversation.today');
    if (days === 1) return this.t('conversation.yesterday');
    return formatter(this.language, 'day').format(date);
  };

  number = (value: number, digits = 2): string =>
    value.toLocaleString(this.language, { maximumFractionDigits: digits });

  /** An error in words in the current language, from its code and details (never the server's English message). */
  describeError = (error: unknown, form?: FormName): string => errorText(this, error, form);
}

export const i18n = new I18n();
export const t = i18n.t;
