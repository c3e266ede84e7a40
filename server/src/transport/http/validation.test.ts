import { describe, expect, it } from 'vitest';
import { Type, type TSchema } from 'typebox';
import { validatorCompiler } from './validation.js';

const Query = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })), open: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Body = Type.Object({ login: Type.String(), count: Type.Optional(Type.Integer()) }, { additionalProperties: false });

function validate(schema: TSchema, httpPart: string, value: unknown) {
  const fn = validatorCompiler({ schema, httpPart, method: 'POST', url: '/x' }) as (v: unknown) => { value?: unknown; error?: Error & { code?: string; details?: unknown } };
  return fn(value);
}

describe('HTTP validator compiler', () => {
  it('checks a body exactly as sent, without coercing types', () => {
    expect(validate(Body, 'body', { login: 'anna', count: 2 })).toEqual({ value: { login: 'anna', count: 2 } });
    for (const body of [{ login: 12345678 }, { login: ['anna'] }, { login: 'anna', count: '2' }]) {
      const result = validate(Body, 'body', body);
      expect(result.error?.message, JSON.stringify(body)).toMatch(/^(login|count) must be/);
      expect(result.error?.code).toBe('VALIDATION_FAILED');
    }
  });

  it('names an unknown or missing field', () => {
    expect(validate(Body, 'body', { login: 'a', remember: true }).error?.message).toBe('body has unknown field "remember"');
    expect(validate(Body, 'body', { login: 'a', remember: true }).error?.details).toEqual({ field: 'remember', rule: 'unknown_field' });
    expect(validate(Body, 'body', {}).error?.details).toEqual({ field: 'login', rule: 'required' });
    expect(validate(Body, 'body', {}).error?.message).toBe('body is missing "login"');
    expect(validate(Body, 'body', null).error?.message).toMatch(/^body must be object/);
  });

  it('converts query strings and fills their defaults', () => {
    expect(validate(Query, 'querystring', { page: '3', open: 'true' })).toEqual({ value: { page: 3, open: true } });
    expect(validate(Query, 'querystring', {})).toEqual({ value: { page: 1 } });
    expect(validate(Query, 'querystring', { page: 'zero' }).error?.message).toMatch(/^page must be integer/);
    expect(validate(Query, 'querystring', { page: '0' }).error?.message).toBe('page must be >= 1');
  });
});
