/**
 * The use cases, wired to a store, a clock, an SMS gateway (or none) and the domain event bus. Nothing here knows
 * about HTTP or sockets: services publish what changed on the bus and the transports subscribe.
 */
import type { Config } from './config.js';
import type { ScryptParams } from './domain/password.js';
import type { FloodGate } from './ports/flood-gate.js';
import type { PresencePeers } from './ports/presence-peers.js';
import type { Clock } from './ports/clock.js';
import type { DomainEvents } from './ports/events.js';
import type { FileStore } from './ports/file-store.js';
import type { SmsGateway } from './ports/sms-gateway.js';
import type { SmsAccount } from './ports/sms-account.js';
import { createSmsBalance } from './sms/balance.js';
import type { Store } from './ports/store.js';
import { createAttachmentService } from './services/attachments.js';
import { createAuthService } from './services/auth.js';
import { createDirectoryService } from './services/directory.js';
import { createMessagingService } from './services/messaging.js';
import { createSearchService } from './services/search.js';
import { createNotifySettingsService } from './services/notify-settings.js';
import { createNotificationService } from './services/notifications.js';
import { createPresenceService, PRESENCE_BATCH_MS } from './services/presence.js';
import { createSmsDispatcher, DEFAULT_LEASE_MS } from './sms/outbox-worker.js';
import { createSmsReportService } from './sms/report.js';
import { createSmsTemplateService } from './sms/templates.js';
import { createIntegrationService } from './services/integrations.js';
import { createBulkSmsService } from './services/bulk-sms.js';
import { createBulkSmsRunner } from './services/bulk-sms-runner.js';
import { createSmsEscalation } from './sms/urgent-sms.js';
import { createAcknowledgements } from './ack/acknowledgements.js';
import { createReminderWorker } from './ack/reminder-worker.js';
import { createSmsInbound } from './sms/inbound.js';
import { callbackSecretFor } from './sms/smsapi/gateway-from-config.js';

export interface ServiceDeps {
  config: Config;
  store: Store;
  clock: Clock;
  events: DomainEvents;
  gateway: SmsGateway | null;
  files: FileStore;
  floodGate: FloodGate;
  /** The other processes, when there are (a Socket.IO adapter): presence is merged with theirs. */
  presencePeers?: PresencePeers | null;
  /** The gateway account's balance reader (SMSAPI /profile); none without SMS. */
  account?: SmsAccount | null;
  passwordParams?: ScryptParams | undefined;
  smsDispatcher?: { baseBackoffMs?: number; pollMs?: number; leaseMs?: number } | undefined;
  onDispatcherError: (error: unknown) => void;
}

export function createServices(deps: ServiceDeps) {
  const { config, store, clock, events, gateway } = deps;
  const passwordParams = deps.passwordParams ? { passwordParams: deps.passwordParams } : {};
  const auth = createAuthService({
    store,
    clock,
    events,
    sessionTtlHours: config.sessionTtlHours,
    maxPendingChecks: config.signInMaxPendingChecks,
    ...passwordParams,
  });
  const directory = createDirectoryService({ store, events, checkCurrentPassword: auth.checkCurrentPassword, ...passwordParams });
  const notifications = createNotificationService({ store, clock, events });
  const sms = createSmsEscalation({
    store,
    clock,
    events,
    notifications,
    rules: { configured: gateway !== null, ...config.sms, timeZone: config.timeZone },
    ...(gateway ? { leaseOnInsertMs: deps.smsDispatcher?.leaseMs ?? DEFAULT_LEASE_MS } : {}),
  });
  const balance = deps.account
    ? createSmsBalance({
        account: deps.account,
        store,
        clock,
        events,
        refreshMinutes: config.sms.balanceRefreshMinutes,
        warnBelow: config.sms.balanceWarnPoints,
        monthlyLimit: config.sms.monthlyLimit,
      })
    : null;
  const dispatcher = gateway
    ? createSmsDispatcher({
        store,
        gateway,
        clock,
        maxAttempts: config.sms.maxAttempts,
        deadlineDecider: sms.deadlineDecider,
        onChange: (dispatch) => sms.report(dispatch),
        recordResult: async (dispatch, patch, expected) => {
          const updated = await sms.recordResult(dispatch, patch, expected);
          if (updated?.status === 'sent') balance?.afterSend();
          return updated;
        },
        onError: deps.onDispatcherError,
        ...deps.smsDispatcher,
      })
    : null;
  if (dispatcher) events.subscribe('sms.queued', ({ leased }) => (leased ? dispatcher.sendLeased(leased) : dispatcher.wake()));
  const acknowledgements = createAcknowledgements({ store, clock, events, reminderMinutes: config.ackReminderMinutes });
  const reminders = createReminderWorker({
    store,
    clock,
    events,
    intervalMs: acknowledgements.intervalMs,
    onError: deps.onDispatcherError,
    ...(deps.smsDispatcher?.pollMs !== undefined ? { pollMs: deps.smsDispatcher.pollMs } : {}),
  });
  events.subscribe('ack.scheduled', () => reminders.wake());
  const attachments = createAttachmentService({ store, files: deps.files, clock, maxBytes: config.attachmentMaxBytes });
  const messaging = createMessagingService({
    store,
    clock,
    events,
    messageMaxLength: config.messageMaxLength,
    sms: sms.escalation,
    acks: acknowledgements,
    attachments,
    groupsPerEmployee: config.groupsPerEmployee,
  });
  const templates = createSmsTemplateService({ store, clock, messageMaxLength: config.messageMaxLength });
  const smsInbound = createSmsInbound({
    store,
    clock,
    events,
    acknowledge: (me, messageId) => acknowledgements.acknowledge(me, messageId),
    // Without a secret the inbound address answers nothing, so this service is never reached.
    salt: callbackSecretFor(config) ?? '',
    messageMaxLength: config.messageMaxLength,
  });
  const bulkRunner = createBulkSmsRunner({ store, clock, events, messaging, onError: deps.onDispatcherError });
  const bulkSms = createBulkSmsService({
    store,
    clock,
    events,
    runner: bulkRunner,
    sms,
    templates,
    timeZone: config.timeZone,
    messageMaxLength: config.messageMaxLength,
    limits: config.bulkSms,
  });
  return {
    auth,
    bulkSms,
    bulkRunner,
    smsInbound,
    balance,
    directory,
    notifications,
    sms,
    dispatcher,
    acknowledgements,
    reminders,
    messaging,
    attachments,
    presence: createPresenceService(events, PRESENCE_BATCH_MS, deps.presencePeers ?? null),
    smsReport: createSmsReportService({ store }),
    templates,
    integrations: createIntegrationService({
      store,
      clock,
      floodGate: deps.floodGate,
      messaging,
      templates,
      timeZone: config.timeZone,
      messageMaxLength: config.messageMaxLength,
    }),
    search: createSearchService({ store }),
    notifySettings: createNotifySettingsService({ store, clock, events }),
  };
}

export type Services = ReturnType<typeof createServices>;
