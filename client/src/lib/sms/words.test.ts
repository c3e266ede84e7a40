import { describe, expect, it } from 'vitest';
import { SMS_REASON_CODES, type SmsReason, type SmsReasonCode } from '../../../../shared/schemas/sms-reason.js';
import { SMS_STATUSES } from '../contract.js';
import { en, type MessageKey } from '../i18n/en.js';
import { pl } from '../i18n/pl.js';
import { translate, type Params } from '../i18n/translate.js';
import { foldLine, isFailedOutcome, outcomeLine, reasonText, smsTo, statusText, summaryLine, type Words } from './words.js';

/** Renders with one catalogue only (no English fallback), so a gap shows up as the raw key. */
function words(language: 'en' | 'pl'): Words {
  const catalogue = language === 'en' ? en : pl;
  return { language, t: (key: MessageKey, params?: Params) => translate(language, catalogue, {}, key, params) };
}
const EN = words('en');
const PL = words('pl');

/** One reason per code, with the parameters the server sends; a missing code fails to compile. */
const SAMPLES: Record<SmsReasonCode, SmsReason[]> = {
  not_configured: [{ code: 'not_configured' }],
  no_mobile: [{ code: 'no_mobile' }],
  mobile_private: [{ code: 'mobile_private' }],
  mobile_invalid: [{ code: 'mobile_invalid' }],
  sender_hour_limit: [{ code: 'sender_hour_limit', limit: 30 }],
  sender_day_limit: [{ code: 'sender_day_limit', limit: 1 }],
  recipient_limit: [{ code: 'recipient_limit', limit: 10, windowMinutes: 10 }],
  monthly_limit: [{ code: 'monthly_limit', limit: 500 }],
  too_long: [{ code: 'too_long', parts: 4, maxParts: 3 }],
  gateway_refused: (['invalid_number', 'opted_out', 'no_credit', 'bad_credentials', 'bad_sender', 'not_enabled', 'bad_message', 'other'] as const).map(
    (refusal) => ({ code: 'gateway_refused', gatewayCode: 13, refusal }),
  ),
  gateway_retrying: [
    { code: 'gateway_retrying', attempts: 2, rateLimited: false },
    { code: 'gateway_retrying', attempts: 1, rateLimited: true },
  ],
  unreachable: [{ code: 'unreachable', attempts: 5 }],
  delivery_failed: (['NOT_FOUND', 'EXPIRED', 'UNDELIVERED', 'FAILED', 'REJECTED', 'UNKNOWN', 'STOP'] as const).map((gatewayStatus) => ({
    code: 'delivery_failed',
    gatewayStatus,
  })),
  read_in_time: [
    { code: 'read_in_time', afterSeconds: 3 },
    { code: 'read_in_time', afterSeconds: 185 },
  ],
  acknowledged_in_time: [{ code: 'acknowledged_in_time' }],
  quiet_hours: [{ code: 'quiet_hours', releaseAt: '2025-03-04T06:00:00.000Z', localTime: '07:00' }],
};

// Words that only the English catalogue uses for SMS; none may leak into a Polish sentence.
const ENGLISH = /\b(the|not|sent|delivered|number|limit reached|gateway|per|attempts?|parts?|reason|private|recipient)\b/i;

describe('quiet hours', () => {
  it('tells the sender who is off until when, and when the SMS goes, on the company clock', () => {
    const held = { recipientName: 'Bartek Nowak', status: 'queued' as const, reason: { code: 'quiet_hours' as const, releaseAt: '2025-03-04T06:00:00.000Z', localTime: '07:00' } };
    expect(outcomeLine(PL, held)).toBe('Bartek Nowak ma wolne do 7:00 — SMS wyjdzie o 7:00');
    expect(outcomeLine(EN, held)).toBe('Bartek Nowak is off until 7:00 — the SMS goes at 7:00');
  });

  it('counts an SMS made unnecessary by an acknowledgement as not needed, not as a failure', () => {
    const outcome = { recipientName: 'Darek Zieliński', status: 'not_sent' as const, reason: { code: 'acknowledged_in_time' as const } };
    expect(outcomeLine(PL, outcome)).toBe('SMS do Darka Zielińskiego: nie było potrzeby — potwierdzono w porę');
    expect(isFailedOutcome(outcome)).toBe(false);
    expect(summaryLine(PL, [outcome, { status: 'sent', reason: null }])).toBe('SMS: 1 wysłany, 1 niepotrzebny');
  });
});

describe('SMS if unread', () => {
  it('says why no SMS was needed, in minutes from a minute on and in seconds below', () => {
    const chip = { recipientName: 'Bartek Nowak', status: 'not_sent' as const };
    expect(outcomeLine(PL, { ...chip, reason: { code: 'read_in_time', afterSeconds: 185 } })).toBe(
      'SMS do Bartka Nowaka: nie było potrzeby — przeczytane po 3 min',
    );
    expect(outcomeLine(EN, { ...chip, reason: { code: 'read_in_time', afterSeconds: 3 } })).toBe('SMS to Bartek Nowak: not needed — read after 3 s');
  });

  it('counts a message read in time as not needed, not as a failure', () => {
    const outcomes = [
      { status: 'not_sent' as const, reason: { code: 'read_in_time' as const, afterSeconds: 60 } },
      { status: 'sent' as const, reason: null },
    ];
    expect(summaryLine(PL, outcomes)).toBe('SMS: 1 wysłany, 1 niepotrzebny');
    expect(isFailedOutcome(outcomes[0]!)).toBe(false);
    expect(isFailedOutcome({ status: 'not_sent', reason: { code: 'no_mobile' } })).toBe(true);
  });

  it('shows a waiting SMS with the time it goes', () => {
    const line = outcomeLine(PL, { recipientName: 'Bartek Nowak', status: 'queued', reason: null, ifUnreadBy: '2025-03-03T09:05:00Z' });
    expect(line).toMatch(/^SMS do Bartka Nowaka: wyjdzie o \d\d:05, jeśli nie przeczyta$/);
  });
});

describe('SMS catalogues', () => {
  it.each(SMS_REASON_CODES)('word every variant of %s in both languages, with every parameter filled', (code) => {
    for (const reason of SAMPLES[code]) {
      for (const w of [EN, PL]) {
        const text = reasonText(w, reason) ?? '';
        expect(text, `${w.language} ${JSON.stringify(reason)}`).not.toMatch(/\{\w+\}|sms\.|^$/);
        expect(text.trim()).not.toBe('');
      }
      expect(reasonText(PL, reason), JSON.stringify(reason)).not.toMatch(ENGLISH);
      expect(summaryLine(PL, [{ status: 'not_sent', reason }])).not.toMatch(/\{\w+\}|sms\.short/);
      expect(summaryLine(EN, [{ status: 'not_sent', reason }])).not.toMatch(/\{\w+\}|sms\.short/);
    }
  });

  it.each(SMS_STATUSES)('word the status %s in both languages', (status) => {
    for (const w of [EN, PL]) expect(statusText(w, status)).not.toMatch(/^sms\.|\{/);
    expect(statusText(PL, status)).not.toMatch(ENGLISH);
    expect(summaryLine(PL, [{ status, reason: null }])).not.toMatch(/sms\.|\{/);
  });

  it('reads whole Polish sentences with the name in the genitive', () => {
    expect(outcomeLine(PL, { recipientName: 'Celina Wiśniewska', status: 'not_sent', reason: { code: 'mobile_private' } })).toBe(
      'SMS do Celiny Wiśniewskiej: nie wysłano — numer jest oznaczony jako prywatny',
    );
    expect(outcomeLine(PL, { recipientName: 'Darek Zieliński', status: 'delivered', reason: null })).toBe(
      'SMS do Darka Zielińskiego: dostarczono',
    );
    expect(outcomeLine(EN, { recipientName: 'Celina Wiśniewska', status: 'not_sent', reason: { code: 'mobile_private' } })).toBe(
      'SMS to Celina Wiśniewska: not sent — the mobile number is marked private',
    );
  });

  it('words a recipient no longer in the directory (the server sends no name) in both languages, in the case each needs', () => {
    const gone = { recipientName: null, status: 'not_sent' as const, reason: { code: 'no_mobile' as const } };
    expect(outcomeLine(EN, gone)).toBe('SMS to someone no longer in the directory: not sent — no mobile number in the directory');
    // "do" takes the genitive.
    expect(outcomeLine(PL, gone)).toBe('SMS do osoby, której nie ma już w kartotece: nie wysłano — brak numeru komórkowego w kartotece');
    expect(outcomeLine(PL, { recipientName: null, status: 'delivered', reason: null })).toBe('SMS do osoby, której nie ma już w kartotece: dostarczono');
    // The subject of the Polish sentence: the nominative.
    const held = { recipientName: null, status: 'queued' as const, reason: { code: 'quiet_hours' as const, releaseAt: '2025-03-04T06:00:00.000Z', localTime: '07:00' } };
    expect(outcomeLine(EN, held)).toBe('Someone no longer in the directory is off until 7:00 — the SMS goes at 7:00');
    expect(outcomeLine(PL, held)).toBe('Osoba, której nie ma już w kartotece, ma wolne do 7:00 — SMS wyjdzie o 7:00');
    expect(outcomeLine(PL, gone)).not.toMatch(ENGLISH);
  });

  it('needs no declension when the name is not certain', () => {
    expect(smsTo(PL, 'René Goscinny')).toBe('SMS — René Goscinny');
    expect(outcomeLine(PL, { recipientName: 'René Goscinny', status: 'sent', reason: null })).toBe('SMS — René Goscinny: wysłano');
  });

  it('uses Polish plurals in parameters', () => {
    expect(reasonText(PL, { code: 'sender_hour_limit', limit: 30 })).toBe('osiągnięto limit nadawcy (30 SMS-ów na godzinę)');
    expect(reasonText(PL, { code: 'sender_hour_limit', limit: 3 })).toBe('osiągnięto limit nadawcy (3 SMS-y na godzinę)');
    expect(reasonText(PL, { code: 'recipient_limit', limit: 1, windowMinutes: 1 })).toBe('osiągnięto limit odbiorcy (1 SMS na minutę)');
    expect(reasonText(PL, { code: 'recipient_limit', limit: 22, windowMinutes: 5 })).toBe(
      'osiągnięto limit odbiorcy (22 SMS-y na 5 minut)',
    );
    expect(reasonText(PL, { code: 'unreachable', attempts: 5 })).toBe('nie udało się połączyć z bramką SMS (po 5 próbach)');
    expect(reasonText(PL, { code: 'too_long', parts: 4, maxParts: 3 })).toBe('wiadomość jest za długa na SMS (4 części, najwyżej 3)');
    expect(reasonText(EN, { code: 'unreachable', attempts: 1 })).toBe('the SMS gateway could not be reached (after 1 attempt)');
  });

  it('summarises one urgent message in one line', () => {
    const outcomes = [
      { status: 'sent', reason: null },
      { status: 'sent', reason: null },
      { status: 'sent', reason: null },
      { status: 'not_sent', reason: { code: 'mobile_private' } },
      { status: 'not_sent', reason: { code: 'no_mobile' } },
    ] as const;
    expect(summaryLine(PL, outcomes)).toBe('SMS: 3 wysłane, 2 niewysłane (1 numer prywatny, 1 brak numeru)');
    expect(summaryLine(EN, outcomes)).toBe('SMS: 3 sent, 2 not sent (1 private number, 1 no number)');
    expect(
      summaryLine(PL, [
        { status: 'delivered', reason: null },
        { status: 'undelivered', reason: { code: 'delivery_failed', gatewayStatus: 'EXPIRED' } },
        ...Array.from({ length: 5 }, () => ({ status: 'not_sent' as const, reason: { code: 'mobile_invalid' as const } })),
      ]),
    ).toBe('SMS: 1 dostarczony, 5 niewysłanych (5 nieprawidłowych numerów), 1 niedostarczony (1 niedoręczony przez sieć)');
  });

  it('folds a group into one line', () => {
    const outcomes = [{ status: 'delivered' }, ...Array.from({ length: 4 }, () => ({ status: 'not_sent' as const }))] as const;
    expect(foldLine(PL, outcomes)).toBe('5 odbiorców: 1 dostarczono, 4 nie wysłano');
    expect(foldLine(EN, outcomes)).toBe('5 recipients: 1 delivered, 4 not sent');
  });

  it('shows a reason sentence from a server before issue 10 as it is', () => {
    expect(reasonText(PL, 'the mobile number is marked private')).toBe('the mobile number is marked private');
  });
});
