import { describe, expect, it } from 'vitest';
import { VALIDATION_RULES, type ValidationDetails } from '../contract.js';
import { ApiError, errorFromBody } from '../errors.js';
import { en, type MessageKey } from './en.js';
import { errorText, type FormName } from './error-words.js';
import { pl } from './pl.js';
import { translate, type Params } from './translate.js';

const PL = { t: (key: MessageKey, params?: Params) => translate('pl', pl, {}, key, params), has: (key: string): key is MessageKey => Object.hasOwn(pl, key) };
const EN = { t: (key: MessageKey, params?: Params) => translate('en', en, {}, key, params), has: (key: string): key is MessageKey => Object.hasOwn(en, key) };

function validation(details: ValidationDetails): ApiError {
  return errorFromBody({ error: { code: 'VALIDATION_FAILED', message: 'login must not have fewer than 1 characters', ...details } }, 400);
}

describe('errors in words', () => {
  it('names the field the way each form asks for it', () => {
    expect(errorText(PL, validation({ field: 'login', rule: 'required' }), 'signIn')).toBe('Podaj login.');
    expect(errorText(PL, validation({ field: '/newPassword', rule: 'minLength', limit: 8 }), 'password')).toBe(
      'Nowe hasło musi mieć co najmniej 8 znaków.',
    );
    expect(errorText(PL, validation({ field: 'password', rule: 'minLength', limit: 8 }), 'directory')).toBe(
      'Hasło musi mieć co najmniej 8 znaków.',
    );
    expect(errorText(PL, validation({ field: 'title', rule: 'maxLength', limit: 2 }), 'directory')).toBe(
      'Stanowisko może mieć najwyżej 2 znaki.',
    );
    expect(errorText(PL, validation({ field: 'name', rule: 'required' }), 'group')).toBe('Podaj nazwę grupy.');
    expect(errorText(PL, validation({ field: 'name', rule: 'required' }), 'directory')).toBe('Podaj imię i nazwisko.');
    expect(errorText(PL, validation({ field: 'memberIds/0', rule: 'maxLength', limit: 100 }), 'group')).toBe(
      'Grupa może mieć najwyżej 100 osób.',
    );
    expect(errorText(EN, validation({ field: 'login', rule: 'required' }), 'signIn')).toBe('Enter a login.');
    expect(errorText(EN, validation({ field: 'password', rule: 'minLength', limit: 8 }))).toBe('The password needs at least 8 characters.');
  });

  it('words every rule for every known field in both languages without the English message', () => {
    const fields = Object.keys(en).filter((key) => key.startsWith('field.')).map((key) => key.slice('field.'.length));
    const forms: (FormName | undefined)[] = [undefined, 'signIn', 'profile', 'password', 'directory', 'group'];
    for (const field of fields) {
      for (const rule of VALIDATION_RULES) {
        for (const form of forms) {
          for (const words of [PL, EN]) {
            const text = errorText(words, validation({ field, rule, limit: 3 }), form);
            expect(text, `${field} ${rule} ${form}`).not.toMatch(/\{\w+\}|^validation\.|^field\.|fewer than/);
          }
        }
      }
    }
  });

  it('falls back to the generic sentence for a field it has no word for', () => {
    expect(errorText(PL, validation({ field: 'clientId', rule: 'format' }))).toBe('Niektóre dane są niepoprawne.');
  });

  it('tells the wait from retryAfterMs', () => {
    const throttled = (code: string, retryAfterMs: number) =>
      errorFromBody({ error: { code, message: 'Too many attempts, try again in 3 minutes', retryAfterMs } }, 429);
    expect(errorText(PL, throttled('TOO_MANY_ATTEMPTS', 150_000))).toBe('Zbyt wiele prób. Spróbuj ponownie za 3 min.');
    expect(errorText(PL, throttled('RATE_LIMITED', 4_200))).toBe('Za często. Spróbuj ponownie za 5 s.');
    expect(errorText(EN, throttled('TOO_MANY_ATTEMPTS', 60_000))).toBe('Too many attempts. Try again in 1 min.');
  });

  it('never shows the server message', () => {
    const conflict = errorFromBody({ error: { code: 'CONFLICT', message: 'The login "anna" is already taken' } }, 409);
    expect(errorText(PL, conflict, 'directory')).toBe('Ten login jest już zajęty.');
    expect(errorText(PL, errorFromBody({ error: { code: 'VALIDATION_FAILED', message: 'body/login must match' } }, 400))).toBe(
      'Niektóre dane są niepoprawne.',
    );
  });

  it('drops details that do not match the contract', () => {
    const odd = errorFromBody({ error: { code: 'VALIDATION_FAILED', message: '', field: 'login', rule: 'nonsense' } }, 400);
    expect(odd.details).toBeUndefined();
  });
});
