/**
 * The sender is told of an SMS to someone no longer in the directory as data too: no name, and no English words
 * standing in for one (the client says "someone no longer in the directory" in the sender's language).
 */
import { randomUUID } from 'node:crypto';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notification, SmsDispatchView } from '../../../shared/schemas/index.js';
import { openSqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import type { SmsDispatch } from '../domain/entities.js';
import { systemClock } from '../ports/clock.js';
import type { DomainEventMap } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import { createEventBus } from '../services/event-bus.js';
import { createNotificationService } from '../services/notifications.js';
import { newDispatch } from '../../test/store-contract.js';
import { newEmployee } from '../../test/support/store-per-test.js';
import { createSmsEscalation } from './urgent-sms.js';

describe('SMS outcome of a recipient no longer in the directory', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore({ file: ':memory:', searchIndexEveryMs: 0 });
  });
  afterEach(() => store.close());

  it('reaches the sender with no name and no sentence: the notification and the chip carry null', async () => {
    const sender = await store.employees.create(newEmployee({ login: 'anna', name: 'Anna Kowalska' }));
    const events = createEventBus((error) => {
      throw error;
    });
    const seen: { notifications: DomainEventMap['notification.created'][]; chips: DomainEventMap['sms.changed'][] } = { notifications: [], chips: [] };
    events.subscribe('notification.created', (event) => void seen.notifications.push(event));
    events.subscribe('sms.changed', (event) => void seen.chips.push(event));
    const notifications = createNotificationService({ store, clock: systemClock, events });
    const sms = createSmsEscalation({
      store,
      clock: systemClock,
      events,
      notifications,
      rules: { configured: true, maxParts: 3, normalize: true, senderPerHour: 30, senderPerDay: 200, recipientPerWindow: 10, recipientWindowMinutes: 10, ifUnreadMinutes: [5] },
    });
    const now = new Date();
    const gone: SmsDispatch = {
      // To someone in no directory.
      ...newDispatch(randomUUID(), { status: 'not_sent', reason: { code: 'no_mobile' }, toE164: null, nextAttemptAt: null }),
      messageId: randomUUID(),
      conversationId: randomUUID(),
      senderId: sender.id,
      createdAt: now,
      updatedAt: now,
    };

    await sms.report(gone);

    const [announced] = seen.notifications;
    expect(announced?.notification).toMatchObject({ recipientId: gone.recipientId, recipientName: null, status: 'not_sent' });
    expect(Value.Check(Notification, announced?.notification)).toBe(true);
    const [chip] = seen.chips;
    expect(chip?.dispatch).toMatchObject({ recipientId: gone.recipientId, recipientName: null });
    expect(Value.Check(SmsDispatchView, chip?.dispatch)).toBe(true);
    const stored = await notifications.list(sender.id);
    expect(stored.notifications.map((n) => n.recipientName)).toEqual([null]);
    // No words at all, in any language: only codes, ids and times.
    for (const payload of [announced, chip, stored]) expect(JSON.stringify(payload)).not.toMatch(/colleague|former|współpracown/i);
  });
});
