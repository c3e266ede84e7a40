/**
 * Two-way SMS (issue 14): an SMS reply from an employee's number lands in the conversation of the urgent SMS it
 * answers, as a message from that employee marked "via SMS"; "OK"/"TAK"/"POTWIERDZAM" also acknowledges that
 * message when it asked for acknowledgement. Anything else is kept for admins, without the number.
 *
 * Which SMS a reply answers: the newest urgent SMS (by its message's time) that the gateway took for that
 * employee at that very number. SMSAPI's two-way callback says nothing about which SMS was replied to, and the
 * newest is what the person on the phone most likely saw last.
 *
 * Exactly once: the message is appended under clientId `sms:<MsgId>`, which the store keeps unique per sender in
 * the append's own transaction, so a repeated or concurrent callback finds the message already there; admins'
 * rows are keyed by MsgId; an acknowledgement is once per person. Nothing is published for a repeat.
 */
import { createHmac } from 'node:crypto';
import type { InboundSmsList } from '../../../shared/schemas/index.js';
import { uuidv7 as newMessageId } from '../../../shared/ids.js';
import { parseMobile } from '../domain/phone.js';
import type { Employee, InboundSmsReason } from '../domain/entities.js';
import { toMessage } from '../domain/message-views.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import { replyNumberToE164, type SmsReply } from './smsapi/inbound-callback.js';

export type InboundOutcome = 'landed' | 'repeat' | 'kept_for_admins' | 'empty';

export interface SmsInboundDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  acknowledge: (me: Employee, messageId: string) => Promise<unknown>;
  /** Salts the hash admins see instead of the number (the callback secret: the server's own, never shown). */
  salt: string;
  /** MESSAGE_MAX_LENGTH: a longer reply is cut there rather than lost (SMSAPI would not send it again). */
  messageMaxLength: number;
}

const ACK_WORDS = new Set(['OK', 'TAK', 'POTWIERDZAM']);

/** "ok", " Tak! ", "Potwierdzam." — letters only, upper case, diacritics dropped. */
export function isAckWord(text: string): boolean {
  const letters = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/\P{L}/gu, '').toUpperCase();
  return ACK_WORDS.has(letters);
}

export const INBOUND_LIST_LIMIT = 200;

/** At most `max` UTF-16 units (how MESSAGE_MAX_LENGTH counts), never half a surrogate pair. */
function cutTo(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max) break;
    out += point;
  }
  return out;
}

export function createSmsInbound(deps: SmsInboundDeps) {
  const { store, clock } = deps;

  const senderKey = (e164: string) => createHmac('sha256', deps.salt).update(e164).digest('hex').slice(0, 16);

  async function keep(reply: SmsReply, e164: string, reason: InboundSmsReason): Promise<InboundOutcome> {
    const now = clock.now();
    const created = await store.inboundSms.record({
      gatewayId: reply.gatewayId,
      senderKey: senderKey(e164),
      reason,
      text: reply.text,
      sentAt: reply.sentAt ?? now,
      receivedAt: now,
    });
    return created ? 'kept_for_admins' : 'repeat';
  }

  /** The employee a reply is from and the SMS it answers, or why there is none. */
  async function match(e164: string) {
    const owners = (await store.employees.list()).filter((e) => e.active && e.mobileE164 === e164);
    if (owners.length === 0) return { reason: 'unknown_number' as const };
    const open = owners.filter((e) => !e.mobilePrivate);
    if (open.length === 0) return { reason: 'private_number' as const };
    let best: { employee: Employee; dispatch: NonNullable<Awaited<ReturnType<Store['sms']['latestSentTo']>>> } | null = null;
    for (const employee of open) {
      const dispatch = await store.sms.latestSentTo(employee.id, e164);
      if (dispatch && (!best || dispatch.createdAt > best.dispatch.createdAt)) best = { employee, dispatch };
    }
    return best ?? { reason: 'no_conversation' as const };
  }

  return {
    async receive(reply: SmsReply): Promise<InboundOutcome> {
      const e164 = parseMobile(replyNumberToE164(reply.from)).e164 ?? replyNumberToE164(reply.from);
      const found = await match(e164);
      if ('reason' in found) return keep(reply, e164, found.reason);
      const { employee, dispatch } = found;
      const memberIds = await store.conversations.memberIdsIfMember(dispatch.conversationId, employee.id);
      if (!memberIds) return keep(reply, e164, 'no_conversation');
      const original = await store.messages.findById(dispatch.messageId);
      const text = cutTo(reply.text.replace(/\r\n?/g, '\n').trim(), deps.messageMaxLength).trim();
      if (text === '') return 'empty';
      const acknowledges = isAckWord(text) && (original?.ackOf ?? 0) > 0 && !original?.deletedAt;
      {
        const result = await store.messages.append({
          id: newMessageId(clock.now().getTime()),
          conversationId: dispatch.conversationId,
          senderId: employee.id,
          clientId: `sms:${reply.gatewayId}`,
          text,
          createdAt: clock.now(),
          notifySms: false,
          dispatches: [],
          replyToId: original && !original.deletedAt ? original.id : null,
          viaSms: true,
        });
        if (result.created) {
          const view = toMessage(result.message, undefined, original);
          deps.events.publish('message.stored', { memberIds, senderId: employee.id, view, senderView: view });
        }
        if (acknowledges && original) await deps.acknowledge(employee, original.id);
        return result.created ? 'landed' : 'repeat';
      }
    },

    async list(): Promise<InboundSmsList> {
      const rows = await store.inboundSms.list(INBOUND_LIST_LIMIT);
      return {
        items: rows.map((r) => ({
          id: r.gatewayId,
          senderKey: r.senderKey,
          reason: r.reason,
          text: r.text,
          sentAt: r.sentAt.toISOString(),
          receivedAt: r.receivedAt.toISOString(),
        })),
      };
    },
  };
}

export type SmsInbound = ReturnType<typeof createSmsInbound>;
