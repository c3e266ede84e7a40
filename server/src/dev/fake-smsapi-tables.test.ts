/** The fake SMSAPI and the production code read SMSAPI's documents separately; here the two readings must agree. */
import { describe, expect, it } from 'vitest';
import { countSmsParts } from '../sms/parts.js';
import { smsapiReportStatuses } from '../sms/smsapi/delivery-callback.js';
import { fakePartCount, fakeReportStatus } from './fake-smsapi-tables.js';

describe('fake SMSAPI tables against the production ones', () => {
  it('know the same delivery-report statuses by code and by name', () => {
    for (const entry of smsapiReportStatuses) {
      expect(fakeReportStatus(entry.code)).toEqual({ code: entry.code, name: entry.name });
      expect(fakeReportStatus(entry.name.toLowerCase())).toEqual({ code: entry.code, name: entry.name });
    }
    for (let code = 380; code < 440; code++) {
      const known = smsapiReportStatuses.some((entry) => entry.code === code);
      expect(fakeReportStatus(code) !== null, String(code)).toBe(known);
    }
  });

  it('count the same parts for GSM, escaped, Polish and emoji texts around every boundary', () => {
    const pieces = ['a', 'ą', '€', '[', '😀', 'Ł', ' ', 'ç', 'Ç', '\f'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 400; round++) {
      const base = pieces[next() % 3] as string;
      const length = [69, 70, 71, 134, 135, 159, 160, 161, 306, 307, 459][next() % 11] as number;
      const chars = Array.from({ length }, () => (next() % 10 < 8 ? base : (pieces[next() % pieces.length] as string)));
      const text = chars.join('');
      for (const normalize of [false, true]) {
        expect(fakePartCount(text, normalize), JSON.stringify({ text, normalize })).toBe(countSmsParts(text, { normalize }).parts);
      }
    }
  });
});
