import { describe, expect, it } from 'vitest';
import { checkSmsEligibility, type SmsEligibilityInput } from './eligibility.js';

const NUMBER = '+48500600700';

function input(overrides: Partial<SmsEligibilityInput> = {}): SmsEligibilityInput {
  return {
    smsConfigured: true,
    recipient: { mobileRaw: '500 600 700', mobileE164: NUMBER, mobilePrivate: false },
    counts: { senderLastHour: 0, senderLastDay: 0, recipientWindow: 0 },
    limits: { senderPerHour: 30, senderPerDay: 200, recipientPerWindow: 10, recipientWindowMinutes: 10 },
    text: 'Awaria, zadzwoń',
    maxParts: 3,
    normalize: false,
    ...overrides,
  };
}

const everythingWrong = input({
  smsConfigured: false,
  recipient: { mobileRaw: null, mobileE164: null, mobilePrivate: true },
  counts: { senderLastHour: 99, senderLastDay: 999, recipientWindow: 99 },
  text: 'ą'.repeat(1000),
  maxParts: 1,
});

describe('checkSmsEligibility', () => {
  it('queues a valid recipient with the part count and the E.164 number', () => {
    expect(checkSmsEligibility(input())).toEqual({ ok: true, parts: 1, toE164: NUMBER });
  });

  it('accepts an E.164 number stored without the plus sign', () => {
    const recipient = { mobileRaw: '500600700', mobileE164: '48500600700', mobilePrivate: false };
    expect(checkSmsEligibility(input({ recipient }))).toEqual({ ok: true, parts: 1, toE164: NUMBER });
  });

  it('1: refuses when SMS is not configured, before anything else', () => {
    expect(checkSmsEligibility(everythingWrong)).toEqual({ ok: false, reason: { code: 'not_configured' } });
  });

  it('2: refuses without a mobile number, before private, invalid, limits and length', () => {
    const result = checkSmsEligibility({ ...everythingWrong, smsConfigured: true });
    expect(result).toEqual({ ok: false, reason: { code: 'no_mobile' } });
    const blank = { mobileRaw: '   ', mobileE164: null, mobilePrivate: false };
    expect(checkSmsEligibility(input({ recipient: blank }))).toMatchObject({ reason: { code: 'no_mobile' } });
  });

  it('3: refuses a private number, before invalid, limits and length', () => {
    const result = checkSmsEligibility({
      ...everythingWrong,
      smsConfigured: true,
      recipient: { mobileRaw: 'not a number', mobileE164: null, mobilePrivate: true },
    });
    expect(result).toEqual({ ok: false, reason: { code: 'mobile_private' } });
  });

  it('4: refuses an invalid number, before limits and length', () => {
    const result = checkSmsEligibility({
      ...everythingWrong,
      smsConfigured: true,
      recipient: { mobileRaw: '12', mobileE164: null, mobilePrivate: false },
    });
    expect(result).toEqual({ ok: false, reason: { code: 'mobile_invalid' } });
  });

  it('4: refuses a stored E.164 value that is not E.164', () => {
    for (const mobileE164 of ['0048500600700', '+48 500', 'abc', '+1234567890123456']) {
      const recipient = { mobileRaw: '500600700', mobileE164, mobilePrivate: false };
      expect(checkSmsEligibility(input({ recipient }))).toMatchObject({ ok: false, reason: { code: 'mobile_invalid' } });
    }
  });

  it('5: refuses at the sender hourly limit, before length', () => {
    const counts = { senderLastHour: 30, senderLastDay: 30, recipientWindow: 10 };
    expect(checkSmsEligibility(input({ counts, text: 'ą'.repeat(1000) }))).toEqual({
      ok: false,
      reason: { code: 'sender_hour_limit', limit: 30 },
    });
    expect(checkSmsEligibility(input({ counts: { ...counts, senderLastHour: 29, recipientWindow: 0 } }))).toMatchObject({
      ok: true,
    });
  });

  it('5: refuses at the sender daily limit, before the recipient limit', () => {
    const counts = { senderLastHour: 5, senderLastDay: 200, recipientWindow: 10 };
    expect(checkSmsEligibility(input({ counts }))).toEqual({
      ok: false,
      reason: { code: 'sender_day_limit', limit: 200 },
    });
  });

  it('refuses at the company\'s monthly limit after the per-person limits; 0 means none', () => {
    const limits = { senderPerHour: 30, senderPerDay: 200, recipientPerWindow: 10, recipientWindowMinutes: 10, monthly: 500 };
    const month = (n: number) => ({ senderLastHour: 0, senderLastDay: 0, recipientWindow: 0, month: n });
    expect(checkSmsEligibility(input({ limits, counts: month(499) }))).toMatchObject({ ok: true });
    expect(checkSmsEligibility(input({ limits, counts: month(500) }))).toEqual({ ok: false, reason: { code: 'monthly_limit', limit: 500 } });
    expect(checkSmsEligibility(input({ limits: { ...limits, monthly: 0 }, counts: month(10_000) }))).toMatchObject({ ok: true });
    expect(checkSmsEligibility(input({ limits, counts: { ...month(500), recipientWindow: 10 } }))).toMatchObject({ reason: { code: 'recipient_limit' } });
  });

  it('5: refuses at the recipient limit, naming the window', () => {
    const counts = { senderLastHour: 0, senderLastDay: 0, recipientWindow: 10 };
    expect(checkSmsEligibility(input({ counts }))).toEqual({
      ok: false,
      reason: { code: 'recipient_limit', limit: 10, windowMinutes: 10 },
    });
    const limits = { senderPerHour: 30, senderPerDay: 200, recipientPerWindow: 3, recipientWindowMinutes: 1 };
    expect(checkSmsEligibility(input({ limits, counts: { ...counts, recipientWindow: 3 } }))).toMatchObject({
      reason: { code: 'recipient_limit', limit: 3, windowMinutes: 1 },
    });
  });

  it('6: refuses a text needing more parts than allowed', () => {
    expect(checkSmsEligibility(input({ text: 'ą'.repeat(202), maxParts: 3 }))).toEqual({
      ok: false,
      reason: { code: 'too_long', parts: 4, maxParts: 3 },
    });
    expect(checkSmsEligibility(input({ text: 'ą'.repeat(201), maxParts: 3 }))).toEqual({
      ok: true,
      parts: 3,
      toE164: NUMBER,
    });
  });

  it('6: counts parts after normalization when it is on', () => {
    const text = 'ą'.repeat(150);
    expect(checkSmsEligibility(input({ text, maxParts: 1 }))).toMatchObject({ ok: false, reason: { code: 'too_long' } });
    expect(checkSmsEligibility(input({ text, maxParts: 1, normalize: true }))).toEqual({
      ok: true,
      parts: 1,
      toE164: NUMBER,
    });
  });

  it('never puts digits of the number in a reason', () => {
    const recipients = [
      { mobileRaw: '500600700', mobileE164: NUMBER, mobilePrivate: true },
      { mobileRaw: '500600', mobileE164: null, mobilePrivate: false },
    ];
    const reasons = [
      ...recipients.map((recipient) => checkSmsEligibility(input({ recipient }))),
      checkSmsEligibility(input({ counts: { senderLastHour: 30, senderLastDay: 0, recipientWindow: 0 } })),
      checkSmsEligibility(input({ text: 'x'.repeat(2000) })),
    ].map((result) => (result.ok ? '' : JSON.stringify(result.reason)));
    for (const reason of reasons) {
      expect(reason).not.toBe('');
      expect(reason).not.toMatch(/500|600|700/);
    }
  });
});
