/**
 * Departments and bulk SMS over real HTTP against the fake SMSAPI on loopback: a department comes in through the
 * import and the admin form and reaches colleagues (never a number); a bulk to a department sends exactly one SMS
 * per eligible recipient and tells why not for the rest; a retried bulk sends nothing twice; parallel bulks cannot
 * pass the daily bulk limit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API } from '../../shared/http.js';
import type { BulkJobView, BulkPreview, BulkProgress, Colleague, DirectoryEntry, ImportRow, SmsTemplate } from '../../shared/schemas/index.js';
import { startFakeSmsapi, type FakeSmsapi } from '../src/dev/fake-smsapi.js';
import { employee, expectNoPhoneDigits, startSmsApp, type SmsTestApp } from './support/sms.js';
import type { Clock } from '../src/ports/clock.js';
import type { Store } from '../src/ports/store.js';
import { RETRY_FIRST_MS } from '../src/services/bulk-sms-runner.js';
import { FakeClock } from './support/http-client.js';
import { beforeStoreCall, PEOPLE, TEST_PASSWORD } from './support/test-app.js';

interface Answer<T> {
  status: number;
  body: T;
}

/** The test company with departments: Sprzedaż has two who can get an SMS and three who cannot (each another reason). */
const DEPARTMENTS: Record<string, string> = {
  anna: 'Zarząd',
  bartek: '  Sprzedaż ',
  celina: 'Sprzedaż',
  darek: 'Magazyn',
  ewa: 'Sprzedaż',
  filip: 'Sprzedaż',
};
const PEOPLE_WITH_DEPARTMENTS: ImportRow[] = [
  ...PEOPLE.map((p) => ({ ...p, department: DEPARTMENTS[p.login] ?? null })),
  { login: 'gosia', name: 'Gosia Kamińska', mobile: '+48 600 700 800', department: 'Sprzedaż', title: 'Handlowiec', password: TEST_PASSWORD },
];

async function call<T>(t: SmsTestApp, method: string, path: string, cookie: string, body?: unknown): Promise<Answer<T>> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: unknown }) : null;
  // An error answer is { error: ErrorBody }: the tests look at the ErrorBody.
  return { status: response.status, body: (response.status >= 400 && parsed?.error ? parsed.error : parsed) as T };
}

/** Waits (asking for the summary again) until no SMS of the job is still on its way to the gateway. */
const settled = (t: SmsTestApp, cookie: string, id: string) =>
  vi.waitFor(
    async () => {
      const answer = await call<BulkJobView>(t, 'GET', API.adminBulkSmsJob(id), cookie);
      expect(answer.body.finished).toBe(true);
      expect(answer.body.recipients.every((r) => r.sms === null || !['queued', 'unconfirmed'].includes(r.sms.status))).toBe(true);
      return answer.body;
    },
    { timeout: 10_000, interval: 50 },
  );

describe('departments and bulk SMS', () => {
  let fake: FakeSmsapi;
  let t: SmsTestApp;
  let admin: string;

  beforeAll(async () => {
    fake = await startFakeSmsapi();
    t = await startSmsApp(fake, { people: PEOPLE_WITH_DEPARTMENTS });
    admin = await t.signIn('anna');
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await t.stop({ remove: true });
    await fake.close();
  });

  it('imports departments trimmed, shows them to colleagues without any number, and lets admins change them', async () => {
    const bartek = await t.signIn('bartek');
    const colleagues = await call<Colleague[]>(t, 'GET', API.employees, bartek);
    const byLogin = new Map(colleagues.body.map((c) => [c.login, c]));
    expect(byLogin.get('bartek')?.department).toBe('Sprzedaż');
    expect(byLogin.get('darek')?.department).toBe('Magazyn');
    expectNoPhoneDigits(colleagues.body);

    const gosiaId = await t.idOf('gosia');
    const changed = await call<DirectoryEntry>(t, 'PATCH', API.adminEmployee(gosiaId), admin, { department: '  Obsługa klienta  ' });
    expect(changed.body.department).toBe('Obsługa klienta');
    const tooLong = await call<{ code: string; field: string }>(t, 'PATCH', API.adminEmployee(gosiaId), admin, { department: 'x'.repeat(101) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'department' });
    const cleared = await call<DirectoryEntry>(t, 'PATCH', API.adminEmployee(gosiaId), admin, { department: 'Sprzedaż' });
    expect(cleared.body.department).toBe('Sprzedaż');
    // Nobody without a department carries the field at all.
    await t.store.employees.update(await t.idOf('ewa'), { department: null });
    const again = await call<Colleague[]>(t, 'GET', API.employees, bartek);
    expect(again.body.find((c) => c.login === 'ewa')).not.toHaveProperty('department');
    await t.store.employees.update(await t.idOf('ewa'), { department: 'Sprzedaż' });
  });

  it('previews who will and will not get the SMS, with reasons and the estimated points', async () => {
    const preview = await call<BulkPreview>(t, 'POST', API.adminBulkSmsPreview, admin, {
      recipients: { departments: ['sprzedaż'] },
      text: 'Zebranie o 15:00',
    });
    expect(preview.status).toBe(200);
    const byName = new Map(preview.body.recipients.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(['Bartek Nowak', 'Celina Wiśniewska', 'Ewa Lewandowska', 'Filip Wójcik', 'Gosia Kamińska']);
    expect(byName.get('Bartek Nowak')).toMatchObject({ canReceive: true, reason: null, parts: 1 });
    expect(byName.get('Celina Wiśniewska')).toMatchObject({ canReceive: false, reason: { code: 'mobile_private' } });
    expect(byName.get('Ewa Lewandowska')).toMatchObject({ canReceive: false, reason: { code: 'no_mobile' } });
    expect(byName.get('Filip Wójcik')).toMatchObject({ canReceive: false, reason: { code: 'mobile_invalid' } });
    expect(preview.body).toMatchObject({ willReceive: 2, wontReceive: 3, parts: 2, pointsPerPart: 0.16, estimatedPoints: 0.32 });
    expectNoPhoneDigits(preview.body);
  });

  it('sends a template to a department: one personalised message and exactly one SMS per eligible recipient; a retry sends nothing twice', async () => {
    const template = await call<SmsTemplate>(t, 'POST', API.adminSmsTemplates, admin, { name: 'Zebranie działu', text: '{imię}, zebranie o {godz}. {nadawca}' });
    expect(template.status).toBe(201);
    const anna = await employee(t, 'anna');
    const id = randomUUID();
    const body = { id, recipients: { departments: ['Sprzedaż'] }, templateId: template.body.id, variables: { godz: '15:00' } };

    const first = await call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ total: 5, finished: false });
    await anna.log.waitFor<BulkProgress>('bulk:progress', (p) => p.jobId === id && p.stored === 5 && p.total === 5 && p.finished);
    const summary = await settled(t, admin, id);
    const byName = new Map(summary.recipients.map((r) => [r.name, r]));
    expect(byName.get('Bartek Nowak')?.sms).toMatchObject({ status: 'sent', reason: null });
    expect(byName.get('Gosia Kamińska')?.sms).toMatchObject({ status: 'sent', reason: null });
    expect(byName.get('Celina Wiśniewska')?.sms).toMatchObject({ status: 'not_sent', reason: { code: 'mobile_private' } });
    expect(byName.get('Ewa Lewandowska')?.sms).toMatchObject({ status: 'not_sent', reason: { code: 'no_mobile' } });
    expect(byName.get('Filip Wójcik')?.sms).toMatchObject({ status: 'not_sent', reason: { code: 'mobile_invalid' } });
    expect(fake.accepted.map((s) => [s.to, s.message]).sort()).toEqual([
      ['48512345678', 'Bartek, zebranie o 15:00. Anna Kowalska'],
      ['48600700800', 'Gosia, zebranie o 15:00. Anna Kowalska'],
    ]);
    // Each in their own direct conversation with the sender, as an ordinary message.
    const message = await t.store.messages.findById(byName.get('Gosia Kamińska')?.messageId ?? '');
    expect(message).toMatchObject({ text: 'Gosia, zebranie o 15:00. Anna Kowalska', notifySms: true, senderId: anna.id });
    const direct = await t.store.conversations.findForMember(message!.conversationId, await t.idOf('gosia'));
    expect(direct?.conversation.kind).toBe('direct');

    const retried = await call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, body);
    expect(retried.status).toBe(200);
    expect(retried.body.recipients.map((r) => r.messageId)).toEqual(summary.recipients.map((r) => r.messageId));
    const together = await Promise.all([1, 2, 3].map(() => call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, body)));
    expect(together.map((a) => a.status)).toEqual([200, 200, 200]);
    await anna.log.settle();
    expect(fake.accepted).toHaveLength(2);
    expect((await t.store.sms.report({ senderId: anna.id, offset: 0, limit: 100 })).total).toBe(5);

    const reused = await call<{ code: string }>(t, 'POST', API.adminBulkSms, admin, { ...body, variables: { godz: '16:00' } });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('CONFLICT');
    const listed = await call<BulkJobView[]>(t, 'GET', API.adminBulkSms, admin);
    expect(listed.body.map((j) => j.id)).toContain(id);
  });

  it('selects by title and by hand, refuses non-admins, and explains bad requests', async () => {
    const preview = await call<BulkPreview>(t, 'POST', API.adminBulkSmsPreview, admin, {
      recipients: { titles: ['HANDLOWIEC'], employeeIds: [await t.idOf('darek')] },
      text: 'Test',
    });
    expect(preview.body.recipients.map((r) => r.name).sort()).toEqual(['Darek Zieliński', 'Gosia Kamińska']);

    const bartek = await t.signIn('bartek');
    const refused = await call<{ code: string }>(t, 'POST', API.adminBulkSms, bartek, { id: randomUUID(), recipients: { departments: ['Sprzedaż'] }, text: 'x' });
    expect(refused.status).toBe(403);

    const cases: Array<[unknown, Record<string, unknown>]> = [
      [{ recipients: {}, text: 'x' }, { field: 'recipients', rule: 'required' }],
      [{ recipients: { departments: ['Nie ma takiego'] }, text: 'x' }, { field: 'recipients' }],
      [{ recipients: { departments: ['Sprzedaż'] }, text: 'x', templateId: 'y' }, { field: 'text' }],
      [{ recipients: { departments: ['Sprzedaż'] } }, { field: 'text' }],
      [{ recipients: { employeeIds: ['nobody'] }, text: 'x' }, { field: 'recipients/employeeIds', unknownRecipients: ['nobody'] }],
      [{ recipients: { departments: ['Sprzedaż'] }, text: 'x', extra: 1 }, { rule: 'unknown_field' }],
    ];
    for (const [body, expected] of cases) {
      const answer = await call<Record<string, unknown>>(t, 'POST', API.adminBulkSmsPreview, admin, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', ...expected });
    }
    const noId = await call<Record<string, unknown>>(t, 'POST', API.adminBulkSms, admin, { recipients: { departments: ['Sprzedaż'] }, text: 'x' });
    expect(noId.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect(fake.accepted).toHaveLength(0);
  });
});

/** Holds every caller until `count` of them arrived, then lets them all go at once. */
function barrier(count: number) {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= count) release();
    await all;
  };
}

describe('bulk SMS limits', () => {
  let fake: FakeSmsapi;
  let t: SmsTestApp;
  let admin: string;
  let beforeClaim: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    fake = await startFakeSmsapi();
    t = await startSmsApp(fake, {
      people: PEOPLE_WITH_DEPARTMENTS,
      env: { BULK_SMS_PER_DAY: '3', BULK_SMS_MAX_RECIPIENTS: '5' },
      // Every parallel bulk reaches the store's claim before any of them claims: whatever the service checked
      // before that step is stale for all but one of them, so only a check inside the claim can hold the limit.
      wrapStore: (store) => beforeStoreCall(store, 'bulkJobs', 'claim', () => beforeClaim?.() ?? Promise.resolve()),
    });
    admin = await t.signIn('anna');
  });
  afterAll(async () => {
    await t.stop({ remove: true });
    await fake.close();
  });

  it('lets parallel bulks together reserve no more SMS than the daily limit', async () => {
    // Each bulk reaches 2 (Bartek, Gosia); a limit of 3 leaves room for one bulk only, however they interleave.
    const bulk = () => call<BulkJobView & { code?: string; remaining?: number; limit?: number }>(t, 'POST', API.adminBulkSms, admin, {
      id: randomUUID(),
      recipients: { departments: ['Sprzedaż'] },
      text: 'Pilne: zebranie',
    });
    beforeClaim = barrier(4);
    const answers = await Promise.all([bulk(), bulk(), bulk(), bulk()]);
    beforeClaim = null;
    expect(answers.map((a) => a.status).sort()).toEqual([202, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.body).toMatchObject({ code: 'BULK_LIMIT_REACHED', limit: 3, remaining: 1 });
    }
    await settled(t, admin, answers.find((a) => a.status === 202)!.body.id);
    expect(fake.accepted).toHaveLength(2);
    const preview = await call<BulkPreview>(t, 'POST', API.adminBulkSmsPreview, admin, { recipients: { departments: ['Sprzedaż'] }, text: 'x' });
    expect(preview.body.remainingToday).toBe(1);
  });

  it('refuses more recipients than BULK_SMS_MAX_RECIPIENTS, naming the limit', async () => {
    const all = await call<Record<string, unknown>>(t, 'POST', API.adminBulkSmsPreview, admin, {
      recipients: { departments: ['Sprzedaż', 'Magazyn'] },
      text: 'x',
    });
    expect(all.status).toBe(400);
    expect(all.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'recipients', rule: 'range', limit: 5 });
  });
});

describe('bulk SMS in the background', () => {
  const running: SmsTestApp[] = [];
  let fake: FakeSmsapi;
  let beforeAppend: (() => Promise<void>) | null = null;
  let beforeClaim: (() => Promise<void>) | null = null;
  let beforeResume: (() => Promise<void>) | null = null;
  const startApp = async (options: { dataDir?: string; clock?: Clock } = {}) => {
    const t = await startSmsApp(fake, {
      ...(options.dataDir ? { dataDir: options.dataDir, people: null } : { people: PEOPLE_WITH_DEPARTMENTS }),
      ...(options.clock ? { deps: { clock: options.clock } } : {}),
      wrapStore: (store) =>
        [
          (s: Store) => beforeStoreCall(s, 'messages', 'append', () => beforeAppend?.() ?? Promise.resolve()),
          (s: Store) => beforeStoreCall(s, 'bulkJobs', 'claim', () => beforeClaim?.() ?? Promise.resolve()),
          (s: Store) => beforeStoreCall(s, 'bulkJobs', 'unfinished', () => beforeResume?.() ?? Promise.resolve()),
        ].reduce((wrapped, wrap) => wrap(wrapped), store),
    });
    running.push(t);
    return t;
  };
  const bulkTo = (id: string) => ({ id, recipients: { departments: ['Sprzedaż'] }, text: 'Zebranie o 15:00' });

  beforeAll(async () => {
    fake = await startFakeSmsapi();
  });
  afterEach(async () => {
    beforeAppend = null;
    beforeClaim = null;
    beforeResume = null;
    for (const t of running.splice(0)) await t.stop({ remove: true }).catch(() => undefined);
    fake.reset();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers 202 before any message is stored, and the job then runs to its end', async () => {
    const t = await startApp();
    const admin = await t.signIn('anna');
    const anna = await employee(t, 'anna');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    beforeAppend = () => gate;
    const id = randomUUID();

    const answer = await call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, bulkTo(id));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id, total: 5, finished: false });
    expect(answer.body.recipients.every((r) => r.messageId === null)).toBe(true);
    const meanwhile = await call<BulkJobView>(t, 'GET', API.adminBulkSmsJob(id), admin);
    expect(meanwhile.body).toMatchObject({ finished: false });
    expect(meanwhile.body.recipients.filter((r) => r.messageId !== null)).toHaveLength(0);
    // A retry while it runs answers the same job and queues nothing twice.
    const retried = await call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, bulkTo(id));
    expect(retried.status).toBe(202);

    open();
    await anna.log.waitFor<BulkProgress>('bulk:progress', (p) => p.jobId === id && p.finished && p.stored === 5);
    const summary = await settled(t, admin, id);
    expect(summary.recipients.filter((r) => r.messageId !== null)).toHaveLength(5);
    expect(fake.accepted).toHaveLength(2);
  });

  it('resumes a job interrupted by a restart and sends nothing twice (one SQLite file, two processes in turn)', async () => {
    const first = await startApp();
    const admin = await first.signIn('anna');
    // The process "dies" at the third recipient: two messages are stored, the rest not.
    let appends = 0;
    beforeAppend = async () => {
      appends += 1;
      if (appends >= 3) throw new Error('the process stopped here');
    };
    const id = randomUUID();
    expect((await call<BulkJobView>(first, 'POST', API.adminBulkSms, admin, bulkTo(id))).status).toBe(202);
    await first.app.services.bulkRunner.idle();
    const interrupted = await call<BulkJobView>(first, 'GET', API.adminBulkSmsJob(id), admin);
    expect(interrupted.body.finished).toBe(false);
    const storedBefore = interrupted.body.recipients.filter((r) => r.messageId !== null);
    expect(storedBefore.map((r) => r.name)).toEqual(['Bartek Nowak', 'Celina Wiśniewska']);
    // Bartek's SMS went out from the first process.
    await vi.waitFor(() => expect(fake.accepted).toHaveLength(1), { timeout: 10_000, interval: 50 });
    await first.app.services.dispatcher?.drain();
    await first.stop();
    running.splice(running.indexOf(first), 1);

    beforeAppend = null;
    const second = await startApp({ dataDir: first.dataDir });
    const admin2 = await second.signIn('anna');
    const summary = await settled(second, admin2, id);
    expect(summary.recipients.filter((r) => r.messageId !== null)).toHaveLength(5);
    // The two messages stored before the restart are the same ones, not copies.
    for (const before of storedBefore) {
      expect(summary.recipients.find((r) => r.employeeId === before.employeeId)?.messageId).toBe(before.messageId);
    }
    await second.app.services.dispatcher?.drain();
    expect(fake.requests).toHaveLength(2);
    expect(fake.accepted.map((s) => s.to).sort()).toEqual(['48512345678', '48600700800']);
    const anna = await employee(second, 'anna');
    expect((await second.store.sms.report({ senderId: anna.id, offset: 0, limit: 100 })).total).toBe(5);
  });
  /** Each eligible recipient's number among the SMS the fake accepted, once each: Bartek and Gosia of Sprzedaż. */
  const expectOneSmsEach = () => expect(fake.accepted.map((s) => s.to).sort()).toEqual(['48512345678', '48600700800']);

  it('makes one job of the same id posted by several requests at once, and sends each recipient one SMS', async () => {
    const t = await startApp();
    const admin = await t.signIn('anna');
    const id = randomUUID();
    // Every request has looked the id up (not there yet) before any of them claims it.
    beforeClaim = barrier(5);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, bulkTo(id))));
    beforeClaim = null;
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([id]));

    const summary = await settled(t, admin, id);
    await t.app.services.bulkRunner.idle();
    await t.app.services.dispatcher?.drain();
    expect((await call<BulkJobView[]>(t, 'GET', API.adminBulkSms, admin)).body.filter((j) => j.id === id)).toHaveLength(1);
    expect(new Set(summary.recipients.map((r) => r.messageId)).size).toBe(5);
    expectOneSmsEach();
    const anna = await employee(t, 'anna');
    expect((await t.store.sms.report({ senderId: anna.id, offset: 0, limit: 100 })).total).toBe(5);
  });

  it('lets two processes on one SQLite file resume the same unfinished job together and still sends each recipient once', async () => {
    const first = await startApp();
    const admin = await first.signIn('anna');
    // The process "dies" before its first message is stored: the whole job is left for the next start.
    beforeAppend = async () => {
      throw new Error('the process stopped here');
    };
    const id = randomUUID();
    expect((await call<BulkJobView>(first, 'POST', API.adminBulkSms, admin, bulkTo(id))).status).toBe(202);
    await first.app.services.bulkRunner.idle();
    expect((await first.store.bulkJobs.findById(id))?.finishedAt).toBeNull();
    await first.stop();
    running.splice(running.indexOf(first), 1);
    beforeAppend = null;

    // Both processes read the unfinished job before either delivers any of it, and both looked for Bartek's
    // message (not there) before either stores it: only the store's once-per-client-id append stands between them.
    beforeResume = barrier(2);
    const bothChecked = barrier(2);
    let appends = 0;
    beforeAppend = () => (++appends <= 2 ? bothChecked() : Promise.resolve());
    const [one, two] = await Promise.all([startApp({ dataDir: first.dataDir }), startApp({ dataDir: first.dataDir })]);
    beforeResume = null;
    const summary = await settled(one!, await one!.signIn('anna'), id);
    await Promise.all([one!.app.services.bulkRunner.idle(), two!.app.services.bulkRunner.idle()]);
    await Promise.all([one!.app.services.dispatcher?.drain(), two!.app.services.dispatcher?.drain()]);

    expect(appends).toBeGreaterThanOrEqual(2);
    expect(new Set(summary.recipients.map((r) => r.messageId)).size).toBe(5);
    expectOneSmsEach();
    expect(fake.requests).toHaveLength(2);
    const anna = await employee(one!, 'anna');
    expect((await one!.store.sms.report({ senderId: anna.id, offset: 0, limit: 100 })).total).toBe(5);
    // One message per recipient in the sender's conversations: no copy from the other process.
    for (const recipient of summary.recipients) {
      const message = await one!.store.messages.findById(recipient.messageId ?? '');
      const page = await one!.store.messages.listBefore(message!.conversationId, null, 50);
      expect(page.filter((m) => m.senderId === anna.id), recipient.name).toHaveLength(1);
    }
  });
  it('tries a job that failed again after a backoff that doubles, and then sends each recipient once', async () => {
    const clock = new FakeClock(Date.now());
    const t = await startApp({ clock });
    const admin = await t.signIn('anna');
    let failures = 0;
    beforeAppend = async () => {
      if (failures < 2) {
        failures += 1;
        throw new Error('the store is briefly unreachable');
      }
    };
    const id = randomUUID();
    expect((await call<BulkJobView>(t, 'POST', API.adminBulkSms, admin, bulkTo(id))).status).toBe(202);
    await t.app.services.bulkRunner.idle();
    expect(failures).toBe(1);
    expect((await t.store.bulkJobs.findById(id))?.finishedAt).toBeNull();

    // The clock's timers fire only when it moves: short of the backoff nothing is due.
    clock.advance(RETRY_FIRST_MS - 1);
    expect(failures).toBe(1);
    clock.advance(1);
    await vi.waitFor(() => expect(failures).toBe(2), { timeout: 10_000, interval: 20 });
    await t.app.services.bulkRunner.idle();
    // The second failure waits twice as long.
    clock.advance(RETRY_FIRST_MS);
    expect((await t.store.bulkJobs.findById(id))?.finishedAt).toBeNull();
    clock.advance(RETRY_FIRST_MS);
    const summary = await settled(t, admin, id);
    await t.app.services.bulkRunner.idle();
    await t.app.services.dispatcher?.drain();
    expect(failures).toBe(2);
    expect(new Set(summary.recipients.map((r) => r.messageId)).size).toBe(5);
    expectOneSmsEach();
  });
});
