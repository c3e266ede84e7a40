/** The store's parts for templates, integrations and integration notifications (issue 13); see store.ts. */
import type { ApiNotification, Integration, SmsTemplateRecord } from '../domain/sms-paths.js';

/** Thrown by create/update when another template has the same name (templateNameKey); nothing was written. */
export class TemplateNameTaken extends Error {
  constructor(readonly templateName: string) {
    super(`a template named ${JSON.stringify(templateName)} exists`);
    this.name = 'TemplateNameTaken';
  }
}

export interface SmsTemplateRepository {
  /** Throws TemplateNameTaken. */
  create(template: SmsTemplateRecord): Promise<SmsTemplateRecord>;
  /** Null when there is no such template; throws TemplateNameTaken. */
  update(id: string, patch: { name?: string; text?: string; updatedAt: Date }): Promise<SmsTemplateRecord | null>;
  delete(id: string): Promise<boolean>;
  findById(id: string): Promise<SmsTemplateRecord | null>;
  /** By templateNameKey. */
  findByName(name: string): Promise<SmsTemplateRecord | null>;
  /** By name. */
  list(): Promise<SmsTemplateRecord[]>;
}

export interface IntegrationRepository {
  create(integration: Integration): Promise<Integration>;
  /** Newest first, revoked ones included. */
  list(): Promise<Integration[]>;
  findById(id: string): Promise<Integration | null>;
  /** Revoked ones too: the caller decides. */
  findByTokenHash(tokenHash: string): Promise<Integration | null>;
  /** Sets revokedAt once (a second revoke keeps the first time); null when there is no such integration. */
  revoke(id: string, at: Date): Promise<Integration | null>;
}

export interface ApiNotificationRepository {
  /**
   * Stores the notification, or returns the one already stored under the same (integrationId, idempotencyKey):
   * one atomic step, so two identical requests racing get the same notification and only one is `created`.
   */
  claim(notification: ApiNotification): Promise<{ notification: ApiNotification; created: boolean }>;
  findById(id: string): Promise<ApiNotification | null>;
}
