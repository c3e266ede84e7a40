/**
 * Stored messages as one viewer sees them: the sender alone sees the SMS state of their own messages, and every
 * reply carries a quote of its original, made here from the original's current state (a deleted one quotes nothing).
 */
import type { Message } from '../../../shared/schemas/index.js';
import type { SmsDispatch, StoredMessage } from '../domain/entities.js';
import { toMessage, toSmsView } from '../domain/message-views.js';
import type { Store } from '../ports/store.js';

export type MessageViewer = (viewerId: string, messages: StoredMessage[]) => Promise<Message[]>;

export function createMessageViewer(store: Store): MessageViewer {
  async function originalsOf(messages: StoredMessage[]): Promise<Map<string, StoredMessage>> {
    const ids = [...new Set(messages.flatMap((m) => (m.replyToId ? [m.replyToId] : [])))];
    const found = await store.messages.findByIds(ids);
    return new Map(found.map((m) => [m.id, m]));
  }

  async function smsOf(viewerId: string, messages: StoredMessage[]) {
    const withSms = messages.filter((m) => m.notifySms && m.senderId === viewerId).map((m) => m.id);
    const byMessage = new Map<string, SmsDispatch[]>();
    if (withSms.length === 0) return { byMessage, names: new Map<string, string>() };
    const dispatches = await store.sms.listForMessages(withSms);
    const employees = await store.employees.findByIds([...new Set(dispatches.map((d) => d.recipientId))]);
    for (const d of dispatches) byMessage.set(d.messageId, [...(byMessage.get(d.messageId) ?? []), d]);
    return { byMessage, names: new Map(employees.map((e) => [e.id, e.name])) };
  }

  return async (viewerId, messages) => {
    const [originals, sms] = await Promise.all([originalsOf(messages), smsOf(viewerId, messages)]);
    return messages.map((m) => {
      const original = m.replyToId ? (originals.get(m.replyToId) ?? null) : null;
      const own = m.notifySms && m.senderId === viewerId;
      const views = own ? (sms.byMessage.get(m.id) ?? []).map((d) => toSmsView(d, sms.names.get(d.recipientId) ?? null)) : undefined;
      return toMessage(m, views, original);
    });
  };
}
