import { describe, expect, it } from 'vitest';
import { mobileStatus, parseMobile } from './phone.js';

describe('parseMobile', () => {
  it.each([
    ['+48 501 234 567', '+48501234567'],
    ['501234567', '+48501234567'],
    ['501-234-567', '+48501234567'],
    ['0048501234567', '+48501234567'],
    ['(+48) 601 222 333', '+48601222333'],
  ])('reads the Polish mobile %s as %s (PL is the default region)', (input, e164) => {
    expect(parseMobile(input)).toEqual({ raw: input, e164 });
  });

  it('keeps the number as typed but without surrounding spaces', () => {
    expect(parseMobile('  512 345 678  ')).toEqual({ raw: '512 345 678', e164: '+48512345678' });
  });

  it.each([
    ['+44 7400 123456', '+447400123456'],
    ['+49 151 23456789', '+4915123456789'],
  ])('accepts the foreign mobile %s', (input, e164) => {
    expect(parseMobile(input)).toEqual({ raw: input, e164 });
  });

  it.each(['22 123 45 67', '+48 22 123 45 67'])('keeps the landline %s but gives it no E.164 form (no SMS)', (input) => {
    expect(parseMobile(input)).toEqual({ raw: input, e164: null });
  });

  it.each(['12 34', 'abc', '+48 501 234 56', 'call me maybe'])('keeps garbage %j as typed with no E.164 form', (input) => {
    expect(parseMobile(input)).toEqual({ raw: input, e164: null });
  });

  it.each(['', '   ', null, undefined])('reads %j as no number at all', (input) => {
    expect(parseMobile(input)).toEqual({ raw: null, e164: null });
  });
});

describe('mobileStatus', () => {
  const base = { mobileRaw: '+48 501 234 567', mobileE164: '+48501234567', mobilePrivate: false };

  it('is ok for a valid public mobile', () => {
    expect(mobileStatus(base)).toBe('ok');
  });

  it('is missing without a number, even when marked private', () => {
    expect(mobileStatus({ mobileRaw: null, mobileE164: null, mobilePrivate: false })).toBe('missing');
    expect(mobileStatus({ mobileRaw: null, mobileE164: null, mobilePrivate: true })).toBe('missing');
  });

  it('is private before invalid: a private number is never judged', () => {
    expect(mobileStatus({ ...base, mobilePrivate: true })).toBe('private');
    expect(mobileStatus({ mobileRaw: '12 34', mobileE164: null, mobilePrivate: true })).toBe('private');
  });

  it('is invalid for a public number that did not parse as a mobile', () => {
    expect(mobileStatus({ mobileRaw: '12 34', mobileE164: null, mobilePrivate: false })).toBe('invalid');
  });

  it('follows parseMobile end to end', () => {
    const of = (input: string | null, mobilePrivate = false) => {
      const parsed = parseMobile(input);
      return mobileStatus({ mobileRaw: parsed.raw, mobileE164: parsed.e164, mobilePrivate });
    };
    expect(of('512 345 678')).toBe('ok');
    expect(of('22 123 45 67')).toBe('invalid');
    expect(of('   ')).toBe('missing');
    expect(of('512 345 678', true)).toBe('private');
  });
});
