/**
 * The store contract for templates, integrations and integration notifications (issue 13); every adapter runs it
 * next to `runStoreContract`.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiNotification, Integration } from '../src/domain/sms-paths.js';
import { TemplateNameTaken } from '../src/ports/sms-paths-store.js';
import type { Store } from '../src/ports/store.js';
import { storePerTest, type MakeStore } from './support/store-per-test.js';

const T0 = Date.parse('2026-03-03T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T0 + offsetMs);

export function runSmsPathsContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract, SMS paths: ${name}`, () => {
    const store = storePerTest(makeStore);

    const template = (name: string, text = 'Awaria {host}') => ({ id: randomUUID(), name, text, createdAt: at(0), updatedAt: at(0) });

    const employee = async (login: string) =>
      store.employees.create({
        id: randomUUID(),
        login,
        name: login,
        title: null,
        role: 'employee',
        active: false,
        mobileRaw: null,
        mobileE164: null,
        mobilePrivate: false,
        passwordHash: '!',
      });

    const integration = async (overrides: Partial<Integration> = {}): Promise<Integration> => {
      const account = await employee(`integration:${randomUUID()}`);
      const admin = await employee(`admin-${randomUUID().slice(0, 8)}`);
      return store.integrations.create({
        id: randomUUID(),
        name: 'Zabbix',
        employeeId: account.id,
        tokenHash: randomUUID(),
        perMinute: 60,
        createdBy: admin.id,
        createdAt: at(0),
        revokedAt: null,
        ...overrides,
      });
    };

    describe('sms templates', () => {
      it('creates, lists by name, finds, updates and deletes', async () => {
        const b = await store.smsTemplates.create(template('Spotkanie przesunięte', '{imię}, spotkanie o {godzina}'));
        const a = await store.smsTemplates.create(template('Awaria sieci'));
        expect((await store.smsTemplates.list()).map((t) => t.name)).toEqual(['Awaria sieci', 'Spotkanie przesunięte']);
        expect(await store.smsTemplates.findById(b.id)).toEqual(b);
        expect((await store.smsTemplates.findByName('  AWARIA SIECI '))?.id).toBe(a.id);

        const updated = await store.smsTemplates.update(a.id, { text: 'Awaria {host} od {godzina}', updatedAt: at(1000) });
        expect(updated).toMatchObject({ id: a.id, name: 'Awaria sieci', text: 'Awaria {host} od {godzina}', updatedAt: at(1000) });
        const renamed = await store.smsTemplates.update(a.id, { name: 'Awaria', updatedAt: at(2000) });
        expect(renamed).toMatchObject({ name: 'Awaria', text: 'Awaria {host} od {godzina}' });
        expect(await store.smsTemplates.update(randomUUID(), { name: 'x', updatedAt: at(0) })).toBeNull();

        expect(await store.smsTemplates.delete(a.id)).toBe(true);
        expect(await store.smsTemplates.delete(a.id)).toBe(false);
        expect(await store.smsTemplates.findById(a.id)).toBeNull();
      });

      it('refuses a second template of the same name in any case, Polish letters included', async () => {
        await store.smsTemplates.create(template('Łączność'));
        await expect(store.smsTemplates.create(template('ŁĄCZNOŚĆ'))).rejects.toBeInstanceOf(TemplateNameTaken);
        const other = await store.smsTemplates.create(template('Lacznosc'));
        await expect(store.smsTemplates.update(other.id, { name: 'łączność', updatedAt: at(1) })).rejects.toBeInstanceOf(TemplateNameTaken);
        expect((await store.smsTemplates.findById(other.id))?.name).toBe('Lacznosc');
      });
    });

    describe('integrations', () => {
      it('finds by token hash, lists newest first and revokes once', async () => {
        const older = await integration({ createdAt: at(0) });
        const newer = await integration({ name: 'CRM', createdAt: at(1000), perMinute: 5 });
        expect((await store.integrations.list()).map((i) => i.id)).toEqual([newer.id, older.id]);
        expect(await store.integrations.findByTokenHash(newer.tokenHash)).toEqual(newer);
        expect(await store.integrations.findByTokenHash('nothing')).toBeNull();

        expect((await store.integrations.revoke(older.id, at(5000)))?.revokedAt).toEqual(at(5000));
        expect((await store.integrations.revoke(older.id, at(9000)))?.revokedAt).toEqual(at(5000));
        expect((await store.integrations.findById(older.id))?.revokedAt).toEqual(at(5000));
        expect(await store.integrations.revoke(randomUUID(), at(0))).toBeNull();
      });
    });

    describe('integration notifications', () => {
      const notification = (integrationId: string, key: string | null): ApiNotification => ({
        id: randomUUID(),
        integrationId,
        idempotencyKey: key,
        requestHash: 'hash-1',
        recipientIds: ['r1', 'r2'],
        texts: { r1: 'Cześć Ania', r2: 'Cześć Bartek' },
        sms: 'now',
        ifUnreadMinutes: key === null ? null : 2.5,
        createdAt: at(0),
      });

      it('stores one notification per idempotency key, also for claims racing each other', async () => {
        const { id } = await integration();
        const claims = await Promise.all(Array.from({ length: 8 }, () => store.apiNotifications.claim(notification(id, 'key-1'))));
        expect(claims.filter((c) => c.created)).toHaveLength(1);
        const winner = claims.find((c) => c.created)?.notification;
        expect(new Set(claims.map((c) => c.notification.id))).toEqual(new Set([winner?.id]));
        expect(await store.apiNotifications.findById(winner?.id ?? '')).toEqual(winner);
      });

      it('keeps keys apart per integration, and never dedupes requests without a key', async () => {
        const first = await integration();
        const second = await integration();
        expect((await store.apiNotifications.claim(notification(first.id, 'k'))).created).toBe(true);
        expect((await store.apiNotifications.claim(notification(second.id, 'k'))).created).toBe(true);
        expect((await store.apiNotifications.claim(notification(first.id, null))).created).toBe(true);
        expect((await store.apiNotifications.claim(notification(first.id, null))).created).toBe(true);
        expect(await store.apiNotifications.findById(randomUUID())).toBeNull();
      });
    });
  });
}
