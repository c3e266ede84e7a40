/**
 * An error in the user's words, from its code and `details` only: the server's `message` is English for logs and
 * is never shown. Validation names the field in the words of the form the user is looking at ("Podaj login",
 * "Hasło musi mieć co najmniej 8 znaków").
 */
import type { ValidationDetails } from '../contract.js';
import { ApiError } from '../errors.js';
import type { MessageKey } from './en.js';
import type { Params } from './translate.js';

/** The form an error is shown in: some fields mean something else there (a group's `name`). */
export type FormName = 'signIn' | 'profile' | 'password' | 'directory' | 'group';

export interface ErrorWords {
  t: (key: MessageKey, params?: Params) => string;
  has: (key: string) => key is MessageKey;
}

/** "/memberIds/3" or "memberIds[3]" → "memberIds". */
function fieldName(field: string): string {
  return field.replace(/^\//, '').split(/[/.[]/)[0] ?? '';
}

export function validationText(words: ErrorWords, details: ValidationDetails, form?: FormName): string {
  const { t } = words;
  const field = fieldName(details.field);
  const limit = details.limit ?? 0;
  const params: Params = { chars: t('validation.chars', { count: limit }), members: t('group.memberCount', { count: limit }), limit };
  for (const key of [form ? `validation.${form}.${field}.${details.rule}` : '', `validation.${field}.${details.rule}`]) {
    if (key && words.has(key)) return t(key, params);
  }
  const label = `field.${field}`;
  if (!words.has(label)) return t('errors.VALIDATION_FAILED');
  const needsLimit = details.rule === 'minLength' || details.rule === 'maxLength';
  if (needsLimit && details.limit === undefined) return t('errors.VALIDATION_FAILED');
  return t(`validation.${details.rule}`, { ...params, field: t(label) });
}

/** "3 min" or "40 s": whole minutes from a minute up, rounded up so the user never comes back too early. */
function waitText(words: ErrorWords, ms: number): string {
  if (ms >= 60_000) return words.t('errors.wait.minutes', { count: Math.ceil(ms / 60_000) });
  return words.t('errors.wait.seconds', { count: Math.max(1, Math.ceil(ms / 1000)) });
}

export function errorText(words: ErrorWords, error: unknown, form?: FormName): string {
  const { t } = words;
  if (!(error instanceof ApiError)) return t('errors.INTERNAL');
  const details = error.details;
  if (error.code === 'VALIDATION_FAILED' && details && 'field' in details) return validationText(words, details, form);
  if (error.code === 'TOO_MANY_ATTEMPTS' || error.code === 'RATE_LIMITED') {
    if (details && 'retryAfterMs' in details) return t(`errors.${error.code}.retry`, { wait: waitText(words, details.retryAfterMs) });
  }
  if (error.code === 'CONFLICT' && form === 'directory') return t('errors.CONFLICT.directory');
  if (error.code === 'BULK_LIMIT_REACHED' && details && 'remaining' in details && typeof details.remaining === 'number') {
    return t('errors.BULK_LIMIT_REACHED.remaining', { count: details.remaining });
  }
  return t(`errors.${error.code}`);
}
