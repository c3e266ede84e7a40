/**
 * Conversations and messages: who may see what, sending with exactly-once storage, history, catch-up and
 * receipts. What changed is published as domain events after the store committed; SMS escalation goes through the
 * SmsEscalation hook.
 */
import { randomUUID } from 'node:crypto';
import type {
  AddMembersRequest,
  CatchUpRequest,
  ConversationSummary,
  CreateGroupRequest,
  HistoryPage,
  HistoryRequest,
  Message,
  MessageAck,
  ReceiptRequest,
  SendMessageRequest,
} from '../../../shared/schemas/index.js';
import { uuidv7 as newMessageId } from '../../../shared/ids.js';
import { HISTORY_PAGE_SIZE } from '../../../shared/limits.js';
import type { Employee, StoredMessage } from '../domain/entities.js';
import { checkMentions, normaliseText } from '../domain/message-rules.js';
import { smsTextWithAttachments } from '../domain/attachment-rules.js';
import { createMessageChangesService } from './message-changes.js';
import { createMessageViewer } from './message-viewer.js';
import { createSmsCorrection } from './sms-correction.js';
import type { SmsEscalation } from './sms-escalation.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import { toConversationSummary, toMessage, toSmsView } from '../domain/message-views.js';
import type { AttachmentView } from '../../../shared/schemas/index.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import { AttachmentsUnavailable, GroupCapReached, type AppendMessageInput, type ConversationWithMembers, type DispatchPlanner, type NewDispatch, type Store } from '../ports/store.js';

export type { SmsEscalation };

/** "Request acknowledgement", implemented by ack/acknowledgements.ts. */
export interface AckHook {
  remindersFor(recipientIds: string[], now: Date): NonNullable<AppendMessageInput['ackReminders']>;
  afterStored(): void;
  views(messages: StoredMessage[]): Promise<Map<string, MessageAck>>;
}

/** File attachments, implemented by services/attachments.ts (issue 12). */
export interface AttachmentHook {
  viewsFor(messages: StoredMessage[]): Promise<Map<string, AttachmentView[]>>;
  releaseForMessage(messageId: string): Promise<void>;
}

export interface MessagingDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  messageMaxLength: number;
  sms: SmsEscalation | null;
  acks?: AckHook | null;
  attachments?: AttachmentHook | null;
  /** Groups one employee may be a member of (MAX_GROUPS_PER_EMPLOYEE). */
  groupsPerEmployee: number;
}

const NO_SUCH_CONVERSATION = 'No such conversation';

/** Where unread mentions can be: conversations the viewer has not read to the end. */
function unreadMarks(viewerId: string, list: ConversationWithMembers[]): Array<{ conversationId: string; afterSeq: number }> {
  return list.flatMap(({ conversation, members }) => {
    const readSeq = members.find((m) => m.employeeId === viewerId)?.readSeq ?? 0;
    return conversation.lastSeq > readSeq ? [{ conversationId: conversation.id, afterSeq: readSeq }] : [];
  });
}

export function createMessagingService(deps: MessagingDeps) {
  const { store, clock } = deps;

  /** Members only; the same error whether the conversation is missing or not theirs. */
  async function mustBeMember(conversationId: string, employeeId: string): Promise<ConversationWithMembers> {
    const found = await store.conversations.findForMember(conversationId, employeeId);
    if (!found) throw notFound(NO_SUCH_CONVERSATION);
    return found;
  }

  async function namesFor(ids: Iterable<string>): Promise<Map<string, Employee>> {
    const employees = await store.employees.findByIds([...new Set(ids)]);
    return new Map(employees.map((e) => [e.id, e]));
  }

  async function activeColleagues(ids: string[]): Promise<Employee[]> {
    const unique = [...new Set(ids)];
    const found = await store.employees.findByIds(unique);
    const active = found.filter((e) => e.active);
    if (active.length !== unique.length) throw invalid('Some of the chosen colleagues do not exist or are no longer active');
    return active;
  }

  /** The store's cap refusal in words the sender can act on: who is full, and the cap. */
  async function withGroupCap<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof GroupCapReached)) throw error;
      const names = [...(await namesFor(error.employeeIds)).values()].map((e) => e.name).join(', ');
      throw new DomainError('TOO_MANY_GROUPS', `Already in ${deps.groupsPerEmployee} groups, the most allowed: ${names}`, {
        limit: deps.groupsPerEmployee,
      });
    }
  }

  /** The answer to a repeated send: the stored message as first acknowledged, unless the id was used elsewhere. */
  async function repeated(me: Employee, request: SendMessageRequest, existing: StoredMessage): Promise<Message> {
    if (existing.conversationId !== request.conversationId) throw new DomainError('CONFLICT', 'This message id was already used');
    const [view] = await viewsFor(me.id, [existing]);
    return view as Message;
  }

  /** Summaries as `viewerId` sees them: the newest message, and the mentions of the viewer not yet read. */
  async function summariesFor(viewerId: string, list: ConversationWithMembers[]): Promise<ConversationSummary[]> {
    const [names, last, mentions] = await Promise.all([
      namesFor(list.flatMap((c) => c.members.map((m) => m.employeeId))),
      store.messages.lastOf(list.filter((c) => c.conversation.lastSeq > 0).map((c) => c.conversation.id)),
      store.messages.countMentions(viewerId, unreadMarks(viewerId, list)),
    ]);
    return list.map((c) =>
      toConversationSummary(c, viewerId, names, {
        lastMessage: last.get(c.conversation.id) ?? null,
        unreadMentions: mentions.get(c.conversation.id) ?? 0,
      }),
    );
  }

  /** Pushes each member their own view of the conversation (unread differs per member). */
  async function announce(found: ConversationWithMembers, to: string[] = found.members.map((m) => m.employeeId)): Promise<void> {
    const views = await Promise.all(
      to.map(async (employeeId) => ({ employeeId, summary: (await summariesFor(employeeId, [found]))[0] as ConversationSummary })),
    );
    deps.events.publish('conversation.changed', { views });
  }

  /** A direct conversation appears in the colleague's list with its first message. */
  async function announceFirstMessage(conversationId: string, senderId: string, others: string[]): Promise<void> {
    const found = await store.conversations.findForMember(conversationId, senderId);
    if (found?.conversation.kind === 'direct') await announce(found, others);
  }

  async function summary(found: ConversationWithMembers, viewerId: string): Promise<ConversationSummary> {
    const [view] = await summariesFor(viewerId, [found]);
    return view as ConversationSummary;
  }

  const baseViews = createMessageViewer(store);
  /** The viewer's views, with who acknowledged the messages that asked for it. */
  async function viewsFor(viewerId: string, messages: StoredMessage[]): Promise<Message[]> {
    const views = await baseViews(viewerId, messages);
    const acks = deps.acks ? await deps.acks.views(messages) : new Map<string, MessageAck>();
    const files = deps.attachments ? await deps.attachments.viewsFor(messages) : new Map<string, AttachmentView[]>();
    if (acks.size === 0 && files.size === 0) return views;
    return views.map((view) => ({
      ...view,
      ...(acks.has(view.id) ? { ack: acks.get(view.id) as MessageAck } : {}),
      ...(files.has(view.id) ? { attachments: files.get(view.id) as AttachmentView[] } : {}),
    }));
  }

  /** The sender's own unattached uploads, in the append's transaction; any other is named in the error. */
  async function appendWithAttachments(input: AppendMessageInput) {
    try {
      return await store.messages.append(input);
    } catch (error) {
      if (!(error instanceof AttachmentsUnavailable)) throw error;
      const index = (input.attachmentIds ?? []).indexOf(error.ids[0] ?? '');
      throw new DomainError('ATTACHMENT_UNAVAILABLE', 'attachmentIds names a file that is not your own unsent upload', { field: `attachmentIds/${index}` });
    }
  }

  /** A reply's original: a message of the same conversation that is not deleted. */
  async function replyTarget(conversationId: string, replyToId: string | undefined): Promise<StoredMessage | null> {
    if (replyToId === undefined) return null;
    const original = await store.messages.findById(replyToId);
    if (!original || original.conversationId !== conversationId) {
      throw new DomainError('REPLY_TARGET_INVALID', 'replyToId is not a message of this conversation', { field: 'replyToId' });
    }
    if (original.deletedAt) throw new DomainError('MESSAGE_DELETED', 'The message replied to has been deleted');
    return original;
  }

  /** Mentions are checked against the members; @all needs the conversation's kind, read only then. */
  async function mentionsFor(me: Employee, request: SendMessageRequest, memberIds: string[]) {
    if (!request.mentionsAll && !request.mentions?.length) return { mentions: [], mentionsAll: false };
    const kind = request.mentionsAll ? (await mustBeMember(request.conversationId, me.id)).conversation.kind : 'group';
    return checkMentions(request, memberIds, kind);
  }

  /** Up to limit/2 messages before the target and after it, the target included (for a jump to a reply's original). */
  async function around(me: Employee, conversationId: string, messageId: string, limit: number): Promise<HistoryPage> {
    const target = await store.messages.findById(messageId);
    if (!target || target.conversationId !== conversationId) throw notFound('No such message in this conversation');
    const half = Math.max(1, Math.floor(limit / 2));
    const olderAndTarget = await store.messages.listBefore(conversationId, target.seq + 1, half + 2);
    const newer = await store.messages.listAfter(conversationId, target.seq, half + 1);
    const page = [...olderAndTarget.slice(0, half + 1).reverse(), ...newer.slice(0, half)];
    return { messages: await viewsFor(me.id, page), hasMore: olderAndTarget.length > half + 1, hasNewer: newer.length > half };
  }

  const attachments = deps.attachments;
  const changes = createMessageChangesService({
    store,
    clock,
    events: deps.events,
    messageMaxLength: deps.messageMaxLength,
    viewsFor,
    mustBeMember,
    ...(attachments ? { afterDelete: (id: string) => attachments.releaseForMessage(id) } : {}),
  });

  return {
    mustBeMember,
    edit: changes.edit,
    delete: changes.delete,
    react: changes.react,
    smsCorrection: createSmsCorrection({ store, clock, sms: deps.sms, viewsFor, mustBeMember }),

    async listConversations(employeeId: string): Promise<ConversationSummary[]> {
      return summariesFor(employeeId, await store.conversations.listForEmployee(employeeId));
    },

    async openDirect(me: Employee, otherId: string): Promise<ConversationSummary> {
      if (otherId === me.id) throw invalid('A direct conversation needs a colleague other than yourself');
      await activeColleagues([otherId]);
      const found = await store.conversations.openDirect({ id: randomUUID(), a: me.id, b: otherId, createdAt: clock.now() });
      // The colleague hears of an empty conversation only with its first message (their list refreshes then).
      await announce(found, found.conversation.lastSeq > 0 ? undefined : [me.id]);
      return summary(found, me.id);
    },

    async createGroup(me: Employee, request: CreateGroupRequest): Promise<ConversationSummary> {
      const name = request.name.trim();
      if (!name) throw invalid('name must not be empty');
      const members = await activeColleagues([me.id, ...request.memberIds]);
      const found = await withGroupCap(() =>
        store.conversations.createGroup({
          id: randomUUID(),
          name,
          createdBy: me.id,
          memberIds: members.map((m) => m.id),
          createdAt: clock.now(),
          maxGroupsPerMember: deps.groupsPerEmployee,
        }),
      );
      await announce(found);
      return summary(found, me.id);
    },

    async addMembers(me: Employee, request: AddMembersRequest): Promise<ConversationSummary> {
      const found = await mustBeMember(request.conversationId, me.id);
      if (found.conversation.kind !== 'group') throw invalid('Members can be added to group conversations only');
      const added = await activeColleagues(request.memberIds);
      const updated = await withGroupCap(() =>
        store.conversations.addMembers(request.conversationId, added.map((e) => e.id), clock.now(), deps.groupsPerEmployee),
      );
      if (!updated) throw notFound(NO_SUCH_CONVERSATION);
      await announce(updated);
      return summary(updated, me.id);
    },

    async leave(me: Employee, conversationId: string): Promise<{ conversationId: string }> {
      const found = await mustBeMember(conversationId, me.id);
      if (found.conversation.kind !== 'group') throw invalid('You can leave group conversations only');
      await store.conversations.removeMember(conversationId, me.id);
      deps.events.publish('conversation.left', { conversationId, employeeId: me.id });
      const rest = await store.conversations.findForMember(conversationId, found.members.find((m) => m.employeeId !== me.id)?.employeeId ?? '');
      if (rest) await announce(rest);
      return { conversationId };
    },

    /**
     * `options` come from other services, never from the wire: `bulk` (a bulk SMS, which has limits of its own
     * instead of the sender's), `anyIfUnreadDelay` (an integration picks its own "SMS if unread" delay).
     */
    async send(me: Employee, request: SendMessageRequest, options: { bulk?: boolean; anyIfUnreadDelay?: boolean } = {}): Promise<Message> {
      const attachmentIds = request.attachmentIds ?? [];
      // Files may go without words.
      const text = attachmentIds.length > 0 && request.text.trim() === '' ? '' : normaliseText(request.text, deps.messageMaxLength);
      // The hot path: member ids only, not the conversation with everyone's marks.
      const memberIds = await store.conversations.memberIdsIfMember(request.conversationId, me.id);
      if (!memberIds) throw notFound(NO_SUCH_CONVERSATION);
      if (request.smsIfUnreadMinutes !== undefined && request.notifySms !== true) {
        throw invalid('smsIfUnreadMinutes needs notifySms: true');
      }
      if (request.smsIgnoreQuietHours === true && request.notifySms !== true) throw invalid('smsIgnoreQuietHours needs notifySms: true');
      if (request.smsIfUnacknowledged === true && (request.smsIfUnreadMinutes === undefined || request.requestAck !== true)) {
        throw invalid('smsIfUnacknowledged needs smsIfUnreadMinutes and requestAck: true');
      }
      const mentions = await mentionsFor(me, request, memberIds);
      const original = await replyTarget(request.conversationId, request.replyToId);
      const notifySms = request.notifySms === true && deps.sms !== null;
      // A repeat of an acknowledged send gets the same answer and writes nothing (and plans no second SMS). The
      // append finds repeats itself, inside its transaction; an SMS send looks first so as not to plan for nothing.
      if (notifySms) {
        const existing = await store.messages.findBySenderClientId(me.id, request.clientId);
        if (existing) return repeated(me, request, existing);
      }
      const now = clock.now();
      let recipients: Employee[] = [];
      let dispatches: DispatchPlanner | NewDispatch[] = [];
      if (notifySms && deps.sms) {
        recipients = await store.employees.findByIds(memberIds.filter((id) => id !== me.id));
        dispatches = deps.sms.plan({
          sender: me,
          recipients,
          text: smsTextWithAttachments(text, attachmentIds.length),
          now,
          ifUnreadMinutes: request.smsIfUnreadMinutes ?? null,
          ...(options.bulk ? { senderCapsExempt: true } : {}),
          ...(options.anyIfUnreadDelay ? { anyIfUnreadDelay: true } : {}),
          ifUnacknowledged: request.smsIfUnacknowledged === true,
          ignoreQuietHours: request.smsIgnoreQuietHours === true,
          // Where it was asked for, for the SMS report (issue 13); a bulk send is always 'bulk'.
          origin: options.bulk ? 'bulk' : (request.smsSource ?? 'chat'),
        });
      }
      const others = memberIds.filter((id) => id !== me.id);
      const ackReminders = request.requestAck === true && deps.acks ? deps.acks.remindersFor(others, now) : [];
      const result = await appendWithAttachments({
        id: newMessageId(),
        conversationId: request.conversationId,
        senderId: me.id,
        clientId: request.clientId,
        text,
        createdAt: now,
        notifySms,
        dispatches,
        replyToId: original?.id ?? null,
        ...mentions,
        ...(ackReminders.length > 0 ? { ackReminders } : {}),
        ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      });
      if (!result.created) return repeated(me, request, result.message);
      const names = new Map(recipients.map((r) => [r.id, r.name]));
      const sms = result.message.notifySms ? result.dispatches.map((d) => toSmsView(d, names.get(d.recipientId) ?? null)) : undefined;
      const ack: Partial<Message> = result.message.ackOf ? { ack: { total: result.message.ackOf, by: [] } } : {};
      if (attachmentIds.length > 0 && attachments) {
        ack.attachments = (await attachments.viewsFor([result.message])).get(result.message.id) ?? [];
      }
      const own = { ...toMessage(result.message, sms, original), ...ack };
      deps.events.publish('message.stored', { memberIds, senderId: me.id, view: { ...toMessage(result.message, undefined, original), ...ack }, senderView: own });
      if (ackReminders.length > 0) deps.acks?.afterStored();
      // After the publish, never before it: an await between the append and its event would let later messages'
      // events overtake this one. The colleague's tab, which does not know the conversation yet, also refreshes its
      // list on the message itself.
      if (result.message.seq === 1) await announceFirstMessage(request.conversationId, me.id, memberIds.filter((id) => id !== me.id));
      if (notifySms && deps.sms) await deps.sms.afterStored(result, recipients);
      return own;
    },

    async history(me: Employee, request: HistoryRequest): Promise<HistoryPage> {
      await mustBeMember(request.conversationId, me.id);
      const limit = request.limit ?? HISTORY_PAGE_SIZE;
      if (request.around !== undefined) {
        if (request.beforeSeq !== undefined) throw invalid('around and beforeSeq cannot be used together');
        return around(me, request.conversationId, request.around, limit);
      }
      const newestFirst = await store.messages.listBefore(request.conversationId, request.beforeSeq ?? null, limit + 1);
      const page = newestFirst.slice(0, limit).reverse();
      return { messages: await viewsFor(me.id, page), hasMore: newestFirst.length > limit };
    },

    async catchUp(me: Employee, request: CatchUpRequest): Promise<HistoryPage> {
      await mustBeMember(request.conversationId, me.id);
      const limit = request.limit ?? 200;
      if ((request.afterSeq === undefined) === (request.afterRev === undefined)) {
        throw new DomainError('VALIDATION_FAILED', 'Give exactly one of afterSeq and afterRev', { field: 'afterRev', rule: 'required' });
      }
      const found =
        request.afterRev !== undefined
          ? await store.messages.listAfterRev(request.conversationId, request.afterRev, limit + 1)
          : await store.messages.listAfter(request.conversationId, request.afterSeq ?? 0, limit + 1);
      return { messages: await viewsFor(me.id, found.slice(0, limit)), hasMore: found.length > limit };
    },

    async markReceipt(me: Employee, request: ReceiptRequest): Promise<null> {
      const found = await mustBeMember(request.conversationId, me.id);
      const before = found.members.find((m) => m.employeeId === me.id);
      const after = await store.conversations.markReceipt(request.conversationId, me.id, request.kind, request.seq);
      if (after && (after.deliveredSeq !== before?.deliveredSeq || after.readSeq !== before?.readSeq)) {
        deps.events.publish('receipt.moved', {
          memberIds: found.members.map((m) => m.employeeId),
          update: { conversationId: request.conversationId, employeeId: me.id, deliveredSeq: after.deliveredSeq, readSeq: after.readSeq },
        });
        if (after.readSeq !== before?.readSeq) await deps.sms?.afterRead(request.conversationId, me.id, after.readSeq);
      }
      return null;
    },

    async typing(me: Employee, conversationId: string): Promise<null> {
      const found = await mustBeMember(conversationId, me.id);
      const others = found.members.map((m) => m.employeeId).filter((id) => id !== me.id);
      deps.events.publish('typing.started', { recipientIds: others, conversationId, employeeId: me.id });
      return null;
    },
  };
}

export type MessagingService = ReturnType<typeof createMessagingService>;
