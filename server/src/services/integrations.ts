/**
 * Integrations: other systems (monitoring, CRM, HR) notify employees through /api/v1. Each speaks through its own
 * account, so a notification is an ordinary message in the recipient's direct conversation with it, with an SMS
 * by the same rules, limits and outbox as a colleague's "Notify immediately by SMS".
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CreateIntegrationBody, CreatedIntegration, IntegrationView, NotificationResult, NotifyBody } from '../../../shared/schemas/index.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import {
  INTEGRATION_LOGIN_PREFIX,
  isIntegrationAccount,
  UNUSABLE_PASSWORD_HASH,
  type ApiNotification,
  type Integration,
} from '../domain/sms-paths.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { renderOrExplain, type SmsTemplateService } from '../sms/templates.js';
import type { FloodGate } from '../ports/flood-gate.js';
import type { MessagingService } from './messaging.js';

export const DEFAULT_INTEGRATION_PER_MINUTE = 60;
const TOKEN_PREFIX = 'dpz_';

export interface IntegrationDeps {
  store: Store;
  clock: Clock;
  /** Shared by the processes like the employees' limits; one bucket per integration. */
  floodGate: FloodGate;
  messaging: MessagingService;
  templates: SmsTemplateService;
  timeZone: string;
  messageMaxLength: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function toIntegrationView(integration: Integration): IntegrationView {
  return {
    id: integration.id,
    name: integration.name,
    perMinute: integration.perMinute,
    createdAt: integration.createdAt.toISOString(),
    revokedAt: integration.revokedAt?.toISOString() ?? null,
  };
}

/** JSON with object keys sorted, so that the same request hashes the same however its fields were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The client id of one recipient's message, fixed by the notification: a retry (or a racing twin) appends under
 * the same (sender, client id), which the store stores once — and so plans its SMS once.
 */
function clientIdFor(notificationId: string, recipientId: string): string {
  const hex = createHash('sha256').update(`${notificationId}:${recipientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function createIntegrationService(deps: IntegrationDeps) {
  const { store, clock } = deps;
  async function accountOf(integration: Integration): Promise<Employee> {
    const account = await store.employees.findById(integration.employeeId);
    if (!account) throw new Error(`integration ${integration.id} has no account`);
    return account;
  }

  async function recipientsOf(logins: string[]): Promise<Employee[]> {
    const unique = [...new Set(logins.map((l) => l.trim()))];
    const found = await Promise.all(unique.map(async (login) => ({ login, employee: await store.employees.findByLogin(login) })));
    const unknown = found.filter((f) => !f.employee || !f.employee.active || isIntegrationAccount(f.employee)).map((f) => f.login);
    if (unknown.length > 0) {
      throw new DomainError('VALIDATION_FAILED', `No active employee with the login(s): ${unknown.join(', ')}`, {
        field: 'recipients/logins',
        unknownRecipients: unknown,
      });
    }
    // Two spellings of one login ("Anna", "anna") are one recipient.
    return [...new Map(found.map((f) => [(f.employee as Employee).id, f.employee as Employee])).values()];
  }

  async function textsFor(integration: Integration, body: NotifyBody, recipients: Employee[], now: Date): Promise<Record<string, string>> {
    if ((body.text === undefined) === (body.template === undefined)) throw invalid('Give either text or template, not both');
    if (body.text !== undefined && body.variables !== undefined) throw invalid('variables go with a template only');
    const texts: Record<string, string> = {};
    const template = body.template === undefined ? null : await deps.templates.find(body.template);
    for (const recipient of recipients) {
      const text = template
        ? renderOrExplain(template.text, {
            recipientName: recipient.name,
            senderName: integration.name,
            now,
            timeZone: deps.timeZone,
            variables: body.variables ?? {},
          })
        : (body.text as string).trim();
      if (!text) throw invalid('text must not be empty');
      if (text.length > deps.messageMaxLength) {
        throw new DomainError('VALIDATION_FAILED', `text must not have more than ${deps.messageMaxLength} characters`, {
          field: 'text',
          rule: 'maxLength',
          limit: deps.messageMaxLength,
        });
      }
      texts[recipient.id] = text;
    }
    return texts;
  }

  /** Stores each recipient's message (and SMS) unless already stored: safe to run again for the same notification. */
  async function deliver(account: Employee, notification: ApiNotification): Promise<void> {
    for (const recipientId of notification.recipientIds) {
      const existing = await store.messages.findBySenderClientId(account.id, clientIdFor(notification.id, recipientId));
      if (existing) continue;
      const conversation = await deps.messaging.openDirect(account, recipientId);
      await deps.messaging.send(account, {
        conversationId: conversation.id,
        clientId: clientIdFor(notification.id, recipientId),
        text: notification.texts[recipientId] ?? '',
        notifySms: notification.sms === 'now',
      });
    }
  }

  async function result(account: Employee, notification: ApiNotification): Promise<NotificationResult> {
    const recipients = new Map((await store.employees.findByIds(notification.recipientIds)).map((e) => [e.id, e]));
    const messages = await Promise.all(
      notification.recipientIds.map((id) => store.messages.findBySenderClientId(account.id, clientIdFor(notification.id, id))),
    );
    const stored = messages.filter((m) => m !== null);
    const dispatches = new Map((await store.sms.listForMessages(stored.map((m) => m.id))).map((d) => [d.messageId, d]));
    return {
      id: notification.id,
      createdAt: notification.createdAt.toISOString(),
      sms: notification.sms,
      recipients: notification.recipientIds.map((id, i) => {
        const message = messages[i] ?? null;
        const dispatch = message ? dispatches.get(message.id) : undefined;
        return {
          login: recipients.get(id)?.login ?? '',
          name: recipients.get(id)?.name ?? '',
          messageId: message?.id ?? null,
          conversationId: message?.conversationId ?? null,
          sms: dispatch ? { status: dispatch.status, reason: dispatch.reason, parts: dispatch.parts } : null,
        };
      }),
    };
  }

  return {
    async list(): Promise<IntegrationView[]> {
      return (await store.integrations.list()).map(toIntegrationView);
    },

    async create(actor: Employee, body: CreateIntegrationBody): Promise<CreatedIntegration> {
      const name = body.name.trim();
      if (!name) throw new DomainError('VALIDATION_FAILED', 'name must not be empty', { field: 'name', rule: 'required' });
      const id = randomUUID();
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const account = await store.employees.create({
        id: randomUUID(),
        login: `${INTEGRATION_LOGIN_PREFIX}${id}`,
        name,
        title: null,
        role: 'employee',
        active: false,
        mobileRaw: null,
        mobileE164: null,
        mobilePrivate: false,
        passwordHash: UNUSABLE_PASSWORD_HASH,
      });
      const integration = await store.integrations.create({
        id,
        name,
        employeeId: account.id,
        tokenHash: hashToken(token),
        perMinute: body.perMinute ?? DEFAULT_INTEGRATION_PER_MINUTE,
        createdBy: actor.id,
        createdAt: clock.now(),
        revokedAt: null,
      });
      return { integration: toIntegrationView(integration), token };
    },

    async revoke(id: string): Promise<IntegrationView> {
      const revoked = await store.integrations.revoke(id, clock.now());
      if (!revoked) throw notFound('No such integration');
      return toIntegrationView(revoked);
    },

    /** The live integration behind an `Authorization: Bearer` header; anything else is UNAUTHENTICATED. */
    async authenticate(header: string | undefined): Promise<Integration> {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      // Looked up by hash: the token itself is never compared, so its bytes cannot leak through timing.
      const found = match ? await store.integrations.findByTokenHash(hashToken(match[1] as string)) : null;
      if (!found || found.revokedAt !== null) throw new DomainError('UNAUTHENTICATED', 'A valid integration token is required');
      return found;
    },

    async notify(integration: Integration, body: NotifyBody, idempotencyKey: string | null): Promise<{ result: NotificationResult; created: boolean }> {
      if (!(await deps.floodGate.take(`integration:${integration.id}`, [{ name: 'requests', perMinute: integration.perMinute }]))) {
        throw new DomainError('RATE_LIMITED', `At most ${integration.perMinute} requests per minute`, {
          retryAfterMs: Math.ceil(60_000 / integration.perMinute),
        });
      }
      const now = clock.now();
      const recipients = await recipientsOf(body.recipients.logins);
      const texts = await textsFor(integration, body, recipients, now);
      const requestHash = createHash('sha256').update(canonical(body)).digest('hex');
      const claim = await store.apiNotifications.claim({
        id: randomUUID(),
        integrationId: integration.id,
        idempotencyKey,
        requestHash,
        recipientIds: recipients.map((r) => r.id),
        texts,
        sms: body.sms,
        createdAt: now,
      });
      if (!claim.created && claim.notification.requestHash !== requestHash) {
        throw new DomainError('CONFLICT', 'This Idempotency-Key was already used for a different request');
      }
      const account = await accountOf(integration);
      // Also for a repeat: it finishes what an interrupted first attempt left undone, and stores nothing twice.
      await deliver(account, claim.notification);
      return { result: await result(account, claim.notification), created: claim.created };
    },

    async status(integration: Integration, id: string): Promise<NotificationResult> {
      const notification = await store.apiNotifications.findById(id);
      // Another integration's notification does not exist for this one.
      if (!notification || notification.integrationId !== integration.id) throw notFound('No such notification');
      return result(await accountOf(integration), notification);
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;
