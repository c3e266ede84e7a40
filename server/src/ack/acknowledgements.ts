/**
 * "Request acknowledgement": recipients acknowledge a message once; every member sees who did, live. Reminders to
 * those who have not are stored with the message (ack_reminders) and sent by the reminder worker.
 */
import type { AckUpdate, MessageAck } from '../../../shared/schemas/index.js';
import type { Employee, StoredMessage } from '../domain/entities.js';
import { invalid, notFound } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { AppendMessageInput, Store } from '../ports/store.js';

/** Reminders stop an hour after the message, acknowledged or not. */
export const REMIND_FOR_MS = 60 * 60_000;

export interface AcknowledgementDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  /** ACK_REMINDER_MINUTES. */
  reminderMinutes: number;
}

export function createAcknowledgements(deps: AcknowledgementDeps) {
  const { store, clock } = deps;
  const intervalMs = Math.round(deps.reminderMinutes * 60_000);

  async function ackOf(message: StoredMessage): Promise<MessageAck> {
    const by = await store.acks.listForMessages([message.id]);
    return { total: message.ackOf ?? 0, by: by.map((a) => ({ employeeId: a.employeeId, at: a.at.toISOString() })) };
  }

  return {
    intervalMs,

    /** The first reminder of each recipient, to store with the message. */
    remindersFor(recipientIds: string[], now: Date): NonNullable<AppendMessageInput['ackReminders']> {
      const firstAt = new Date(now.getTime() + intervalMs);
      const untilAt = new Date(now.getTime() + REMIND_FOR_MS);
      return recipientIds.map((employeeId) => ({ employeeId, firstAt, untilAt }));
    },

    afterStored(): void {
      deps.events.publish('ack.scheduled', {});
    },

    /** Who acknowledged each of these messages (those that asked). */
    async views(messages: StoredMessage[]): Promise<Map<string, MessageAck>> {
      const asked = messages.filter((m) => (m.ackOf ?? 0) > 0);
      const views = new Map<string, MessageAck>(asked.map((m) => [m.id, { total: m.ackOf ?? 0, by: [] }]));
      if (asked.length === 0) return views;
      for (const a of await store.acks.listForMessages(asked.map((m) => m.id))) {
        views.get(a.messageId)?.by.push({ employeeId: a.employeeId, at: a.at.toISOString() });
      }
      return views;
    },

    async acknowledge(me: Employee, messageId: string): Promise<AckUpdate> {
      const message = await store.messages.findById(messageId);
      const members = message ? await store.conversations.memberIdsIfMember(message.conversationId, me.id) : null;
      // The same answer for a message that does not exist and one in someone else's conversation.
      if (!message || !members) throw notFound('No such message');
      if (!message.ackOf) throw invalid('This message did not ask for acknowledgement');
      if (message.senderId === me.id) throw invalid('The sender does not acknowledge their own message');
      const added = await store.acks.acknowledge(message.id, me.id, clock.now());
      const update: AckUpdate = { messageId: message.id, conversationId: message.conversationId, ...(await ackOf(message)) };
      if (added) deps.events.publish('ack.changed', { memberIds: members, update });
      return update;
    },
  };
}

export type Acknowledgements = ReturnType<typeof createAcknowledgements>;
