/**
 * Integrations: other systems (monitoring, CRM, HR) notify employees through /api/v1. Each speaks through its own
 * account, so a notification is an ordinary message in the recipient's direct conversation with it, with an SMS
 * by the same rules, limits and outbox as a colleague's "Notify immediately by SMS".
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CreateIntegrationBody, CreatedIntegration, IntegrationView, NotificationResult, NotifyBody } from '../../../shared/schemas/index.js';
import { groupKey } from '../domain/bulk-sms.js';
import { derivedClientId, requestHash as hashRequest } from '../domain/derived-client-id.js';
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
import type { SmsTemplateService } from '../sms/templates.js';
import { checkTextOrTemplate, outcomesOf, textsFor } from '../sms/per-recipient.js';
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


const clientIdFor = derivedClientId;

export function createIntegrationService(deps: IntegrationDeps) {
  const { store, clock } = deps;
  async function accountOf(integration: Integration): Promise<Employee> {
    const account = await store.employees.findById(integration.employeeId);
    if (!account) throw new Error(`integration ${integration.id} has no account`);
    return account;
  }

  function unknownRecipients(field: string, what: string, unknown: string[]): DomainError {
    return new DomainError('VALIDATION_FAILED', `No active employee with the ${what}: ${unknown.join(', ')}`, {
      field,
      unknownRecipients: unknown,
    });
  }

  async function byLogins(logins: string[]): Promise<Employee[]> {
    const unique = [...new Set(logins.map((l) => l.trim()))];
    const found = await Promise.all(unique.map(async (login) => ({ login, employee: await store.employees.findByLogin(login) })));
    const unknown = found.filter((f) => !f.employee || !f.employee.active || isIntegrationAccount(f.employee)).map((f) => f.login);
    if (unknown.length > 0) throw unknownRecipients('recipients/logins', 'login(s)', unknown);
    return found.map((f) => f.employee as Employee);
  }

  /** Everyone active in the departments; a department nobody active is in is named as unknown. */
  async function byDepartments(departments: string[]): Promise<Employee[]> {
    const people = (await store.employees.list()).filter((e) => !isIntegrationAccount(e) && e.department);
    const keys = new Map(departments.map((d) => [groupKey(d), d]));
    const inThem = people.filter((e) => keys.has(groupKey(e.department as string)));
    const unknown = [...keys].filter(([key]) => !inThem.some((e) => groupKey(e.department as string) === key)).map(([, name]) => name);
    if (unknown.length > 0) throw unknownRecipients('recipients/departments', 'department(s)', unknown);
    return inThem;
  }

  async function byGroups(groupIds: string[]): Promise<Employee[]> {
    const unique = [...new Set(groupIds)];
    const members = await Promise.all(unique.map((id) => store.conversations.groupMemberIds(id)));
    const unknown = unique.filter((_, i) => members[i] === null);
    if (unknown.length > 0) throw unknownRecipients('recipients/groups', 'group(s)', unknown);
    const people = await store.employees.findByIds(members.flatMap((ids) => ids ?? []));
    return people.filter((e) => e.active && !isIntegrationAccount(e));
  }

  /** Everyone matching any of logins, departments and groups, once. */
  async function recipientsOf(recipients: NotifyBody['recipients']): Promise<Employee[]> {
    const { logins, departments, groups } = recipients;
    if (!logins && !departments && !groups) {
      throw new DomainError('VALIDATION_FAILED', 'Give recipients: logins, departments or groups', { field: 'recipients', rule: 'required' });
    }
    const found = [
      ...(logins ? await byLogins(logins) : []),
      ...(departments ? await byDepartments(departments) : []),
      ...(groups ? await byGroups(groups) : []),
    ];
    // Two spellings of one login ("Anna", "anna"), or one person in a department and a group, are one recipient.
    const unique = [...new Map(found.map((e) => [e.id, e])).values()];
    if (unique.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'Nobody active matches the recipients', { field: 'recipients', rule: 'required' });
    }
    return unique;
  }

  async function textsForBody(integration: Integration, body: NotifyBody, recipients: Employee[], now: Date): Promise<Record<string, string>> {
    checkTextOrTemplate(body.text !== undefined, body.template !== undefined, body.variables !== undefined, 'template');
    const template = body.template === undefined ? null : await deps.templates.find(body.template);
    return textsFor(
      { template, text: body.text, variables: body.variables, senderName: integration.name, now, timeZone: deps.timeZone, messageMaxLength: deps.messageMaxLength },
      recipients,
    );
  }

  /** Stores each recipient's message (and SMS) unless already stored: safe to run again for the same notification. */
  async function deliver(account: Employee, notification: ApiNotification): Promise<void> {
    for (const recipientId of notification.recipientIds) {
      const existing = await store.messages.findBySenderClientId(account.id, clientIdFor(notification.id, recipientId));
      if (existing) continue;
      const conversation = await deps.messaging.openDirect(account, recipientId);
      await deps.messaging.send(
        account,
        {
          conversationId: conversation.id,
          clientId: clientIdFor(notification.id, recipientId),
          text: notification.texts[recipientId] ?? '',
          notifySms: notification.sms === 'now',
          ...(notification.ifUnreadMinutes !== null ? { smsIfUnreadMinutes: notification.ifUnreadMinutes } : {}),
        },
        // Another system picks its own delay: the composer's choices (SMS_IF_UNREAD_MINUTES) are for people.
        { anyIfUnreadDelay: true },
      );
    }
  }

  async function result(account: Employee, notification: ApiNotification): Promise<NotificationResult> {
    const outcomes = await outcomesOf(store, account.id, notification.id, notification.recipientIds);
    return {
      id: notification.id,
      createdAt: notification.createdAt.toISOString(),
      sms: notification.ifUnreadMinutes !== null ? { ifUnreadAfterMinutes: notification.ifUnreadMinutes } : notification.sms,
      recipients: outcomes.map(({ employee, ...outcome }) => ({ login: employee?.login ?? '', name: employee?.name ?? '', ...outcome })),
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
      const recipients = await recipientsOf(body.recipients);
      const texts = await textsForBody(integration, body, recipients, now);
      const requestHash = hashRequest(body);
      const claim = await store.apiNotifications.claim({
        id: randomUUID(),
        integrationId: integration.id,
        idempotencyKey,
        requestHash,
        recipientIds: recipients.map((r) => r.id),
        texts,
        sms: body.sms === 'never' ? 'never' : 'now',
        ifUnreadMinutes: typeof body.sms === 'object' ? body.sms.ifUnreadAfterMinutes : null,
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
