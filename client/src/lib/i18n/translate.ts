/**
 * Pure catalogue lookup, kept apart from the reactive language state so it can be unit-tested without Svelte.
 */
export type PluralForms = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Entry = string | PluralForms;
export type Params = Record<string, string | number>;

export const LANGUAGES = ['en', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Picks the first supported language from a list of BCP 47 tags (navigator.languages), English otherwise. */
export function pickLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

export function interpolate(template: string, params: Params | undefined): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Looks a key up in `catalogue`, then in `fallback`, and falls back to the key itself so a gap is visible. */
export function translate(
  language: string,
  catalogue: Readonly<Record<string, Entry>>,
  fallback: Readonly<Record<string, Entry>>,
  key: string,
  params?: Params,
): string {
  const entry = catalogue[key] ?? fallback[key];
  if (entry === undefined) return key;
  if (typeof entry === 'string') return interpolate(entry, params);
  const count = Number(params?.['count'] ?? 0);
  const form = entry[pluralCategory(language, count)] ?? entry.other;
  return interpolate(form, params);
}
