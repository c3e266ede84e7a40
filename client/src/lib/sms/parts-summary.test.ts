import { describe, expect, it } from 'vitest';
import { partsSummary } from './parts-summary.js';
import { fillForComposer } from './template-fill.js';

describe('the editor SMS length', () => {
  it('counts UCS-2 for Polish letters and shows what it would be without them', () => {
    const text = `Zażółć gęślą jaźń ${'x'.repeat(60)}`;
    const summary = partsSummary(text, false);
    expect(summary.sent).toMatchObject({ encoding: 'ucs2', parts: 2 });
    expect(summary.withoutPolish).toMatchObject({ encoding: 'gsm7', parts: 1 });
    expect(summary.normalized).toBe(false);
  });

  it('with SMS_NORMALIZE counts the stripped text, which is what goes out', () => {
    const summary = partsSummary('Zażółć gęślą jaźń', true);
    expect(summary.sent).toMatchObject({ encoding: 'gsm7', parts: 1 });
    expect(summary).toMatchObject({ withoutPolish: null, normalized: true });
  });

  it('says nothing extra for a plain text', () => {
    expect(partsSummary('Hello', false)).toMatchObject({ sent: { encoding: 'gsm7', parts: 1, units: 5 }, withoutPolish: null });
  });
});

describe('the template picker', () => {
  const context = { senderName: 'Anna Kowalska', now: new Date('2026-03-09T06:05:00Z'), timeZone: 'Europe/Warsaw' };

  it('fills what the conversation knows and leaves free variables for the sender', () => {
    const text = '{imię} {nazwisko}, {nadawca}: spotkanie {data} {godzina} w {sala}';
    expect(fillForComposer(text, { ...context, recipientName: 'Bartek Nowak' })).toBe(
      'Bartek Nowak, Anna Kowalska: spotkanie 09.03.2026 07:05 w {sala}',
    );
    expect(fillForComposer(text, { ...context, recipientName: null })).toBe(
      '{imię} {nazwisko}, Anna Kowalska: spotkanie 09.03.2026 07:05 w {sala}',
    );
  });
});
