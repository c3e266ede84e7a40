/**
 * SMS templates: which placeholders a text uses and how it reads for one recipient. Pure and in shared/ because
 * the server renders per recipient (integrations) and the composer fills the same text in the browser; one
 * implementation means the preview and the message can never differ.
 */

/** Filled by Depesza itself; every other `{name}` is a free variable that the caller supplies. */
export const BUILT_IN_PLACEHOLDERS = ['imię', 'nazwisko', 'nadawca', 'data', 'godzina'] as const;
export type BuiltInPlaceholder = (typeof BUILT_IN_PLACEHOLDERS)[number];

/** Letters of any script (Polish ones included), digits, `_` and `-`; starts with a letter. Anything else is literal. */
const PLACEHOLDER = /\{(\p{L}[\p{L}\p{N}_-]{0,39})\}/gu;
export const VARIABLE_NAME = /^\p{L}[\p{L}\p{N}_-]{0,39}$/u;

export function isBuiltIn(name: string): name is BuiltInPlaceholder {
  return (BUILT_IN_PLACEHOLDERS as readonly string[]).includes(name);
}

/** The free variables a template needs, in order of first use, without repeats. */
export function freeVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!isBuiltIn(name)) seen.add(name);
  }
  return [...seen];
}

export interface RenderContext {
  /** The recipient's full name as in the directory: the first word is {imię}, the rest {nazwisko}. */
  recipientName: string | null;
  senderName: string;
  now: Date;
  /** IANA zone in which {data} and {godzina} are written (Europe/Warsaw for a Polish company). */
  timeZone: string;
  variables: Readonly<Record<string, string>>;
}

export type RenderResult =
  | { ok: true; text: string }
  /** `missing`: used by the text but not given; `unexpected`: given but not used, or a built-in given by hand. */
  | { ok: false; missing: string[]; unexpected: string[] };

function splitName(full: string): { first: string; last: string } {
  const words = full.trim().split(/\s+/);
  return { first: words[0] ?? '', last: words.slice(1).join(' ') };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** DD.MM.RRRR and GG:MM in the zone, as Polish texts write them, whatever the locale of the machine. */
export function dateAndTime(now: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    date: `${pad(get('day'))}.${pad(get('month'))}.${get('year')}`,
    time: `${pad(get('hour'))}:${pad(get('minute'))}`,
  };
}

/**
 * The text for one recipient, or which variables are wrong. With `recipientName: null` (a group, where one text
 * goes to everyone) {imię} and {nazwisko} stay as written, for the sender to replace.
 */
export function renderTemplate(text: string, context: RenderContext): RenderResult {
  const given = Object.keys(context.variables);
  const used = new Set(freeVariables(text));
  const missing = [...used].filter((name) => !Object.hasOwn(context.variables, name));
  const unexpected = given.filter((name) => isBuiltIn(name) || !used.has(name));
  if (missing.length > 0 || unexpected.length > 0) return { ok: false, missing, unexpected };

  const name = context.recipientName === null ? null : splitName(context.recipientName);
  const { date, time } = dateAndTime(context.now, context.timeZone);
  const builtIn: Record<BuiltInPlaceholder, string | null> = {
    imię: name?.first ?? null,
    nazwisko: name?.last ?? null,
    nadawca: context.senderName,
    data: date,
    godzina: time,
  };
  const rendered = text.replace(PLACEHOLDER, (whole, placeholder: string) => {
    if (isBuiltIn(placeholder)) return builtIn[placeholder] ?? whole;
    return context.variables[placeholder] ?? whole;
  });
  return { ok: true, text: rendered };
}
