import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../i18n/en.js';
import { pl } from '../i18n/pl.js';
import { translate, type Params } from '../i18n/translate.js';
import { BOM, localTimestamp, reportCsv, type ReportCsvRow } from './report-csv.js';

const words = (language: 'en' | 'pl') => ({
  language,
  t: (key: MessageKey, params?: Params) => translate(language, language === 'pl' ? pl : en, en, key, params),
});

const rows: ReportCsvRow[] = [
  {
    createdAt: '2026-03-01T09:05:07.000Z',
    senderName: 'Anna Kowalska',
    recipientName: 'Celina Wiśniewska',
    status: 'not_sent',
    reason: { code: 'mobile_private' },
    parts: null,
    points: null,
    gatewayId: null,
    source: { kind: 'chat' },
  },
  {
    createdAt: '2026-03-01T09:05:07.000Z',
    senderName: '=HYPERLINK("x")',
    recipientName: 'Bartek "B" Nowak',
    status: 'delivered',
    reason: null,
    parts: 1,
    points: 0.165,
    gatewayId: 'abc',
    source: { kind: 'integration', integrationId: 'i-1' },
  },
];

describe('SMS report CSV', () => {
  it('is Polish for a Polish exporter: BOM, semicolons, decimal commas, reasons in words', () => {
    const csv = reportCsv(words('pl'), rows);
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('"Czas";"Nadawca";"Odbiorca";"Stan";"Przyczyna";"Części";"Koszt (punkty)";"Id w bramce";"Źródło"');
    expect(lines[1]).toBe(
      `"${localTimestamp(rows[0]!.createdAt)}";"Anna Kowalska";"Celina Wiśniewska";"nie wysłano";"numer jest oznaczony jako prywatny";"";"";"";"czat"`,
    );
    expect(lines[2]).toContain('"0,165"');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toContain('"Bartek ""B"" Nowak"');
    expect(lines[2]).toContain('"integracja: =HYPERLINK(""x"")"');
    expect(csv).not.toMatch(/marked private|not sent/);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('is English with commas for an English exporter', () => {
    const lines = reportCsv(words('en'), rows).slice(1).split('\r\n');
    expect(lines[0]).toBe('"Time","Sender","Recipient","Status","Reason","Parts","Cost (points)","Gateway id","Source"');
    expect(lines[1]).toContain('"not sent","the mobile number is marked private"');
    expect(lines[2]).toContain('"0.165"');
  });

  it('writes times in the local zone', () => {
    const d = new Date('2026-03-01T09:05:07.000Z');
    expect(localTimestamp(d.toISOString())).toBe(
      `2026-03-0${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:07`,
    );
  });
});
