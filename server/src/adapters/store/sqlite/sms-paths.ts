/** SMS templates, integrations and their notifications in SQLite (issue 13). */
import type Database from 'better-sqlite3';
import { templateNameKey, type ApiNotification, type Integration, type SmsChoice, type SmsTemplateRecord } from '../../../domain/sms-paths.js';
import {
  TemplateNameTaken,
  type ApiNotificationRepository,
  type IntegrationRepository,
  type SmsTemplateRepository,
} from '../../../ports/sms-paths-store.js';
import { ms, msOrNull, recipientTexts } from './rows.js';
import { isUniqueViolation } from './sqlite-errors.js';

export interface TemplateRow {
  id: string;
  name: string;
  name_key: string;
  text: string;
  created_at: number;
  updated_at: number;
}

export interface IntegrationRow {
  id: string;
  name: string;
  employee_id: string;
  token_hash: string;
  per_minute: number;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ApiNotificationRow {
  id: string;
  integration_id: string;
  idempotency_key: string | null;
  request_hash: string;
  recipient_ids: string;
  texts: string;
  sms: string;
  if_unread_minutes: number | null;
  created_at: number;
}

export const toTemplate = (row: TemplateRow): SmsTemplateRecord => ({
  id: row.id,
  name: row.name,
  text: row.text,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export const toIntegration = (row: IntegrationRow): Integration => ({
  id: row.id,
  name: row.name,
  employeeId: row.employee_id,
  tokenHash: row.token_hash,
  perMinute: row.per_minute,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
});

export const toApiNotification = (row: ApiNotificationRow): ApiNotification => ({
  id: row.id,
  integrationId: row.integration_id,
  idempotencyKey: row.idempotency_key,
  requestHash: row.request_hash,
  ...recipientTexts(row),
  sms: row.sms as SmsChoice,
  ifUnreadMinutes: row.if_unread_minutes ?? null,
  createdAt: new Date(row.created_at),
});

export function createSmsTemplateRepository(db: Database.Database): SmsTemplateRepository {
  const insert = db.prepare<TemplateRow>(`
    INSERT INTO sms_templates (id, name, name_key, text, created_at, updated_at)
    VALUES (@id, @name, @name_key, @text, @created_at, @updated_at)`);
  const byId = db.prepare<[string], TemplateRow>('SELECT * FROM sms_templates WHERE id = ?');
  const byKey = db.prepare<[string], TemplateRow>('SELECT * FROM sms_templates WHERE name_key = ?');
  const all = db.prepare<[], TemplateRow>('SELECT * FROM sms_templates ORDER BY name_key, id');
  const patch = db.prepare<{ id: string; name: string | null; name_key: string | null; text: string | null; updated_at: number }, TemplateRow>(`
    UPDATE sms_templates
    SET name = coalesce(@name, name), name_key = coalesce(@name_key, name_key), text = coalesce(@text, text), updated_at = @updated_at
    WHERE id = @id RETURNING *`);
  const remove = db.prepare<[string]>('DELETE FROM sms_templates WHERE id = ?');

  const nameTaken = <T>(name: string, write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (isUniqueViolation(error, 'name_key')) throw new TemplateNameTaken(name);
      throw error;
    }
  };

  return {
    async create(template) {
      nameTaken(template.name, () =>
        insert.run({
          id: template.id,
          name: template.name,
          name_key: templateNameKey(template.name),
          text: template.text,
          created_at: ms(template.createdAt),
          updated_at: ms(template.updatedAt),
        }),
      );
      return template;
    },
    async update(id, changes) {
      const row = nameTaken(changes.name ?? '', () =>
        patch.get({
          id,
          name: changes.name ?? null,
          name_key: changes.name === undefined ? null : templateNameKey(changes.name),
          text: changes.text ?? null,
          updated_at: ms(changes.updatedAt),
        }),
      );
      return row ? toTemplate(row) : null;
    },
    async delete(id) {
      return remove.run(id).changes > 0;
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toTemplate(row) : null;
    },
    async findByName(name) {
      const row = byKey.get(templateNameKey(name));
      return row ? toTemplate(row) : null;
    },
    async list() {
      return all.all().map(toTemplate);
    },
  };
}

export function createIntegrationRepository(db: Database.Database): IntegrationRepository {
  const insert = db.prepare<IntegrationRow>(`
    INSERT INTO integrations (id, name, employee_id, token_hash, per_minute, created_by, created_at, revoked_at)
    VALUES (@id, @name, @employee_id, @token_hash, @per_minute, @created_by, @created_at, @revoked_at)`);
  const byId = db.prepare<[string], IntegrationRow>('SELECT * FROM integrations WHERE id = ?');
  const byToken = db.prepare<[string], IntegrationRow>('SELECT * FROM integrations WHERE token_hash = ?');
  const all = db.prepare<[], IntegrationRow>('SELECT * FROM integrations ORDER BY created_at DESC, id DESC');
  const revoke = db.prepare<[number, string], IntegrationRow>(
    'UPDATE integrations SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING *',
  );

  return {
    async create(integration) {
      insert.run({
        id: integration.id,
        name: integration.name,
        employee_id: integration.employeeId,
        token_hash: integration.tokenHash,
        per_minute: integration.perMinute,
        created_by: integration.createdBy,
        created_at: ms(integration.createdAt),
        revoked_at: msOrNull(integration.revokedAt),
      });
      return integration;
    },
    async list() {
      return all.all().map(toIntegration);
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toIntegration(row) : null;
    },
    async findByTokenHash(tokenHash) {
      const row = byToken.get(tokenHash);
      return row ? toIntegration(row) : null;
    },
    async revoke(id, at) {
      const row = revoke.get(ms(at), id);
      return row ? toIntegration(row) : null;
    },
  };
}

export function createApiNotificationRepository(db: Database.Database): ApiNotificationRepository {
  // INSERT OR IGNORE on the (integration, key) index: one statement, so two racing claims cannot both insert.
  const insert = db.prepare<ApiNotificationRow>(`
    INSERT INTO api_notifications (id, integration_id, idempotency_key, request_hash, recipient_ids, texts, sms, if_unread_minutes, created_at)
    VALUES (@id, @integration_id, @idempotency_key, @request_hash, @recipient_ids, @texts, @sms, @if_unread_minutes, @created_at)
    ON CONFLICT (integration_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`);
  const byKey = db.prepare<[string, string], ApiNotificationRow>(
    'SELECT * FROM api_notifications WHERE integration_id = ? AND idempotency_key = ?',
  );
  const byId = db.prepare<[string], ApiNotificationRow>('SELECT * FROM api_notifications WHERE id = ?');

  return {
    async claim(notification) {
      const inserted = insert.run({
        id: notification.id,
        integration_id: notification.integrationId,
        idempotency_key: notification.idempotencyKey,
        request_hash: notification.requestHash,
        recipient_ids: JSON.stringify(notification.recipientIds),
        texts: JSON.stringify(notification.texts),
        sms: notification.sms,
        if_unread_minutes: notification.ifUnreadMinutes,
        created_at: ms(notification.createdAt),
      });
      if (inserted.changes > 0 || notification.idempotencyKey === null) return { notification, created: true };
      const existing = byKey.get(notification.integrationId, notification.idempotencyKey) as ApiNotificationRow;
      return { notification: toApiNotification(existing), created: false };
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toApiNotification(row) : null;
    },
  };
}
