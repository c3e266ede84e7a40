/**
 * The SMS report over real HTTP: filters, pagination, who sees what, the CSV export, and that no phone digits
 * appear in it. The app's clock starts on a fixed day and can jump, so date ranges are exact.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SmsReportPage, SmsReportRow } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { realTimer, type Clock } from '../src/ports/clock.js';
import {
  createGroup,
  employee,
  expectNoPhoneDigits,
  getText,
  onlyDispatch,
  openDirect,
  sendWithSms,
  startSmsApp,
  type Person,
  type SmsTestApp,
} from './support/sms.js';

/** A UTC date `daysAgo` days before today, as the report's filters take it. */
const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
// Recent days rather than a fixed date: the socket edge times session expiry with the real clock.
const DAY_1 = utcDay(3);
const GAP_DAY = utcDay(2);
const DAY_2 = utcDay(1);

/** Real time flowing from a chosen day, so that backoff and leases still work. */
class DayClock implements Clock {
  private base = Date.parse(`${DAY_1}T09:00:00Z`);
  private realStart = Date.now();
  now(): Date {
    return new Date(this.base + (Date.now() - this.realStart));
  }
  setTimer = realTimer;
  jumpTo(day: string): void {
    this.base = Date.parse(`${day}T09:00:00Z`);
    this.realStart = Date.now();
  }
}

let fake: FakeSmsapi;
let t: SmsTestApp;
let anna: Person; // admin
let bartek: Person; // employee
const ids: Record<string, string> = {};
/** Dispatch ids by what the test made of them. */
const made: Record<'annaToBartekDelivered' | 'annaToCelinaNotSent' | 'annaToDarekUndelivered' | 'annaToBartekQueued' | 'bartekToDarekSent' | 'bartekToEwaNotSent', string> = {
  annaToBartekDelivered: '',
  annaToCelinaNotSent: '',
  annaToDarekUndelivered: '',
  annaToBartekQueued: '',
  bartekToDarekSent: '',
  bartekToEwaNotSent: '',
};

async function report(person: Person, query: Record<string, string | number> = {}): Promise<SmsReportPage> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const answer = await getText(`${t.url}/api/sms/report${qs ? `?${qs}` : ''}`, person.cookie);
  expect(answer.status, answer.body).toBe(200);
  expectNoPhoneDigits(answer.body, 'report JSON');
  return JSON.parse(answer.body) as SmsReportPage;
}

const idsOf = (rows: SmsReportRow[]) => rows.map((r) => r.id).sort();
const sorted = (list: string[]) => [...list].sort();

beforeAll(async () => {
  const clock = new DayClock();
  fake = await startFakeSmsapi();
  // A long backoff: the dispatch meant to stay queued must not use up its attempts while the file runs.
  t = await startSmsApp(fake, { deps: { clock, smsDispatcher: { baseBackoffMs: 60_000, pollMs: 200 } } });
  anna = await employee(t, 'anna');
  bartek = await employee(t, 'bartek');
  for (const login of ['anna', 'bartek', 'celina', 'darek', 'ewa']) ids[login] = await t.idOf(login);

  // Day 1: Anna → Bartek (delivered), Celina (not sent: private), Darek (undelivered).
  const group = await createGroup(anna.socket, 'Raport', [ids.bartek!, ids.celina!, ids.darek!]);
  const chips = (await sendWithSms(anna.socket, group, 'Dzień pierwszy')).sms ?? [];
  const chipFor = (login: string) => chips.find((c) => c.recipientId === ids[login])!.id;
  made.annaToBartekDelivered = chipFor('bartek');
  made.annaToCelinaNotSent = chipFor('celina');
  made.annaToDarekUndelivered = chipFor('darek');
  await anna.log.waitForStatus(made.annaToBartekDelivered, 'sent');
  await anna.log.waitForStatus(made.annaToDarekUndelivered, 'sent');
  await fake.sendDeliveryReports([
    { msgIdOrIdx: made.annaToBartekDelivered, status: 'DELIVERED' },
    { msgIdOrIdx: made.annaToDarekUndelivered, status: 'UNDELIVERED' },
  ]);
  await anna.log.waitForStatus(made.annaToBartekDelivered, 'delivered');
  await anna.log.waitForStatus(made.annaToDarekUndelivered, 'undelivered');

  // Day 2: Bartek → Darek (sent), Bartek → Ewa (not sent), Anna → Bartek (stays queued: SMSAPI keeps failing).
  clock.jumpTo(DAY_2);
  made.bartekToDarekSent = onlyDispatch(await sendWithSms(bartek.socket, await openDirect(bartek.socket, ids.darek!), 'Dzień drugi')).id;
  await bartek.log.waitForStatus(made.bartekToDarekSent, 'sent');
  made.bartekToEwaNotSent = onlyDispatch(await sendWithSms(bartek.socket, await openDirect(bartek.socket, ids.ewa!), 'Ewa bez numeru')).id;
  // Error 8 (SMSAPI's own) rather than a 5xx, which leaves the outcome unknown (unconfirmed).
  fake.enqueue(...Array.from({ length: 50 }, () => ({ error: 8 })));
  const queued = await sendWithSms(anna.socket, await openDirect(anna.socket, ids.bartek!), 'Czeka w kolejce');
  made.annaToBartekQueued = onlyDispatch(queued).id;
  await vi.waitFor(() => expect(fake.requests.some((r) => r.fields.idx === made.annaToBartekQueued)).toBe(true));
  await t.app.services.dispatcher?.stop(); // keep it queued (retrying) for the rest of the file
});

afterAll(async () => {
  await t.stop({ remove: true });
  await fake.close();
});

describe('SMS report', () => {
  it('an admin sees every dispatch, newest first, with names and no numbers', async () => {
    const page = await report(anna);
    expect(page.total).toBe(6);
    expect(idsOf(page.rows)).toEqual(sorted(Object.values(made)));
    const times = page.rows.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const delivered = page.rows.find((r) => r.id === made.annaToBartekDelivered)!;
    expect(delivered).toMatchObject({
      senderId: ids.anna,
      senderName: 'Anna Kowalska',
      recipientId: ids.bartek,
      recipientName: 'Bartek Nowak',
      status: 'delivered',
      reason: null,
      parts: 1,
      points: 0.16,
    });
    expect(delivered.gatewayId).toBe(fake.accepted.find((sms) => sms.idx === delivered.id)?.id);
    expect(page.rows.find((r) => r.id === made.annaToCelinaNotSent)).toMatchObject({
      status: 'not_sent',
      reason: { code: 'mobile_private' },
      gatewayId: null,
    });
  });

  it('an employee sees only what they sent, whatever they ask for', async () => {
    const own = [made.bartekToDarekSent, made.bartekToEwaNotSent];
    expect(idsOf((await report(bartek)).rows)).toEqual(sorted(own));
    expect(idsOf((await report(bartek, { senderId: ids.anna! })).rows)).toEqual(sorted(own));
    // Reports about Bartek as a recipient are not his to see.
    expect((await report(bartek, { recipientId: ids.bartek! })).total).toBe(0);
    const csv = await getText(`${t.url}/api/sms/report.csv`, bartek.cookie);
    expect(csv.body).not.toContain('Anna Kowalska');
  });

  it('filters by status, including not sent and not delivered', async () => {
    const byStatus = async (status: string) => idsOf((await report(anna, { status })).rows);
    expect(await byStatus('queued')).toEqual([made.annaToBartekQueued]);
    expect(await byStatus('sent')).toEqual([made.bartekToDarekSent]);
    expect(await byStatus('delivered')).toEqual([made.annaToBartekDelivered]);
    expect(await byStatus('not_delivered')).toEqual([made.annaToDarekUndelivered]);
    expect(await byStatus('not_sent')).toEqual(sorted([made.annaToCelinaNotSent, made.bartekToEwaNotSent]));
    const unknown = await getText(`${t.url}/api/sms/report?status=lost`, anna.cookie);
    expect(unknown.status).toBe(400);
  });

  it('filters by date range, sender and recipient, combined', async () => {
    expect(idsOf((await report(anna, { from: DAY_1, to: DAY_1 })).rows)).toEqual(
      sorted([made.annaToBartekDelivered, made.annaToCelinaNotSent, made.annaToDarekUndelivered]),
    );
    expect(idsOf((await report(anna, { from: DAY_2 })).rows)).toEqual(
      sorted([made.bartekToDarekSent, made.bartekToEwaNotSent, made.annaToBartekQueued]),
    );
    expect((await report(anna, { from: GAP_DAY, to: GAP_DAY })).total).toBe(0);
    expect(idsOf((await report(anna, { senderId: ids.bartek! })).rows)).toEqual(sorted([made.bartekToDarekSent, made.bartekToEwaNotSent]));
    expect(idsOf((await report(anna, { recipientId: ids.darek! })).rows)).toEqual(
      sorted([made.annaToDarekUndelivered, made.bartekToDarekSent]),
    );
    expect(idsOf((await report(anna, { recipientId: ids.bartek!, to: DAY_1 })).rows)).toEqual([made.annaToBartekDelivered]);
    expect(idsOf((await report(anna, { senderId: ids.anna!, status: 'not_sent' })).rows)).toEqual([made.annaToCelinaNotSent]);
  });

  it('paginates on the server with the total of the filtered list', async () => {
    const all = (await report(anna)).rows.map((r) => r.id);
    const pages = await Promise.all([1, 2, 3, 4].map((page) => report(anna, { page, pageSize: 2 })));
    expect(pages.map((p) => p.total)).toEqual([6, 6, 6, 6]);
    expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 2, 0]);
    expect(pages.map((p) => [p.page, p.pageSize])).toEqual([[1, 2], [2, 2], [3, 2], [4, 2]]);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(all);
    const filtered = await report(anna, { status: 'not_sent', pageSize: 1 });
    expect(filtered.total).toBe(2);
    expect(filtered.rows).toHaveLength(1);
  });

  it('exports the same filtered rows as CSV with a header', async () => {
    for (const query of [{}, { status: 'not_sent' }, { from: DAY_1, to: DAY_1 }, { senderId: ids.bartek! }] as Array<Record<string, string>>) {
      const qs = new URLSearchParams(query).toString();
      const csv = await getText(`${t.url}/api/sms/report.csv${qs ? `?${qs}` : ''}`, anna.cookie);
      expect(csv.status).toBe(200);
      expect(csv.contentType).toMatch(/^text\/csv/);
      expectNoPhoneDigits(csv.body, 'report CSV');
      const lines = csv.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe('time,sender,recipient,status,reason,parts,points,gateway_id,source');
      const rows = (await report(anna, query)).rows;
      expect(lines.slice(1)).toEqual(
        rows.map((r) =>
          [r.createdAt, r.senderName, r.recipientName, r.status, r.reason?.code ?? '', r.parts ?? '', r.points ?? '', r.gatewayId ?? '', r.source.kind]
            .map((cell) => `"${String(cell)}"`)
            .join(','),
        ),
      );
    }
  });

  it('requires a signed-in employee', async () => {
    expect((await getText(`${t.url}/api/sms/report`)).status).toBe(401);
    expect((await getText(`${t.url}/api/sms/report.csv`)).status).toBe(401);
  });

  it('no phone digits in notifications or socket events of anyone involved', async () => {
    for (const person of [anna, bartek]) {
      expect(person.log.events.length).toBeGreaterThan(0);
      for (const { event, payload } of person.log.events) expectNoPhoneDigits(payload, event);
    }
  });
});
