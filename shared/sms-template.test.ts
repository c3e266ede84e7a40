import { describe, expect, it } from 'vitest';
import { countSmsParts } from './sms-parts.js';
import { freeVariables, renderTemplate, type RenderContext } from './sms-template.js';

// 2026-03-09 06:05 UTC is 07:05 in Warsaw (CET): the zone, not the machine, decides the hour.
const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  recipientName: 'Żaneta Gęślińska-Łoś',
  senderName: 'Zabbix',
  now: new Date('2026-03-09T06:05:00Z'),
  timeZone: 'Europe/Warsaw',
  variables: {},
  ...overrides,
});

describe('SMS templates', () => {
  it('fills the built-in placeholders per recipient, Polish letters kept', () => {
    const result = renderTemplate('{imię} {nazwisko}: awaria, zgłasza {nadawca} {data} o {godzina}.', context());
    expect(result).toEqual({ ok: true, text: 'Żaneta Gęślińska-Łoś: awaria, zgłasza Zabbix 09.03.2026 o 07:05.' });
  });

  it('writes the date and hour in the configured zone across midnight and daylight saving', () => {
    const summer = renderTemplate('{data} {godzina}', context({ now: new Date('2026-07-31T22:30:00Z') }));
    expect(summer).toEqual({ ok: true, text: '01.08.2026 00:30' });
  });

  it('fills free variables, also with Polish names, and leaves other braces alone', () => {
    const text = 'Serwer {host} ({stan_usługi}) {nie ma} {} {1x}';
    expect(freeVariables(text)).toEqual(['host', 'stan_usługi']);
    const result = renderTemplate(text, context({ variables: { host: 'db-1', stan_usługi: 'nie działa $&' } }));
    expect(result).toEqual({ ok: true, text: 'Serwer db-1 (nie działa $&) {nie ma} {} {1x}' });
  });

  it('names every missing and every unexpected variable', () => {
    const result = renderTemplate('{host} {stan} {host}', context({ variables: { stan: 'x', nadmiar: 'y', imię: 'Jan' } }));
    expect(result).toEqual({ ok: false, missing: ['host'], unexpected: ['nadmiar', 'imię'] });
  });

  it('keeps the personal placeholders for the sender to replace when one text goes to a group', () => {
    expect(renderTemplate('{imię}, spotkanie {data}', context({ recipientName: null }))).toEqual({
      ok: true,
      text: '{imię}, spotkanie 09.03.2026',
    });
  });

  it('gives texts whose part count follows the recipient (one Polish letter switches to UCS-2)', () => {
    const template = `${'x'.repeat(61)} {imię}`;
    const plain = renderTemplate(template, context({ recipientName: 'Anna Nowak' }));
    const polish = renderTemplate(template, context({ recipientName: 'Łucja Nowak' }));
    if (!plain.ok || !polish.ok) throw new Error('render failed');
    expect(countSmsParts(plain.text, { normalize: false })).toMatchObject({ encoding: 'gsm7', parts: 1 });
    expect(countSmsParts(polish.text, { normalize: false })).toMatchObject({ encoding: 'ucs2', parts: 1, units: 67 });
    expect(countSmsParts(polish.text + 'abcd', { normalize: false })).toMatchObject({ encoding: 'ucs2', parts: 2 });
    expect(countSmsParts(polish.text, { normalize: true })).toMatchObject({ encoding: 'gsm7', parts: 1 });
  });
});
