/**
 * Changing sent messages (issue 11): edit, delete (a tombstone: the text leaves the store), react. Each change
 * takes the conversation's next rev in its own transaction (see ports/store.ts `change`), and only after it
 * committed is it published (`message.changed`; the socket layer pushes `message:updated` to every member).
 */
import type { DeleteMessageRequest, EditMessageRequest, Message, ReactRequest } from '../../../shared/schemas/index.js';
import type { Employee } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import { checkEmoji, checkMentions, decideDelete, decideEdit, decideReaction, normaliseText } from '../domain/message-rules.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { ConversationWithMembers, MessageChange, Store } from '../ports/store.js';
import type { MessageViewer } from './message-viewer.js';

export interface MessageChangesDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  messageMaxLength: number;
  viewsFor: MessageViewer;
  mustBeMember: (conversationId: string, employeeId: string) => Promise<ConversationWithMembers>;
  /** After a delete committed, before it is answered (issue 12: the message's files go). */
  afterDelete?: (messageId: string) => Promise<void>;
}

export function createMessageChangesService(deps: MessageChangesDeps) {
  const { store, clock } = deps;

  /** Writes the change and, when something changed, tells every member; answers the changer's own view. */
  async function apply(me: Employee, found: ConversationWithMembers, messageId: string, decide: MessageChange): Promise<Message> {
    const result = await store.messages.change(found.conversation.id, messageId, decide);
    if (!result) throw notFound('No such message in this conversation');
    const [own] = await deps.viewsFor(me.id, [result.message]);
    if (result.changed) {
      const senderId = result.message.senderId;
      const [view] = await deps.viewsFor('', [result.message]);
      const [senderView] = senderId === me.id ? [own] : await deps.viewsFor(senderId, [result.message]);
      deps.events.publish('message.changed', { memberIds: found.members.map((m) => m.employeeId), senderId, view: view as Message, senderView: senderView as Message });
    }
    return own as Message;
  }

  return {
    async edit(me: Employee, request: EditMessageRequest): Promise<Message> {
      const found = await deps.mustBeMember(request.conversationId, me.id);
      const text = normaliseText(request.text, deps.messageMaxLength);
      const memberIds = found.members.map((m) => m.employeeId);
      const mentions = checkMentions(request, memberIds, found.conversation.kind);
      return apply(me, found, request.messageId, decideEdit(me.id, { text, ...mentions, at: clock.now() }));
    },

    async delete(me: Employee, request: DeleteMessageRequest): Promise<Message> {
      const found = await deps.mustBeMember(request.conversationId, me.id);
      const own = await apply(me, found, request.messageId, decideDelete({ id: me.id, isAdmin: me.role === 'admin' }, clock.now()));
      if (own.deleted && deps.afterDelete) await deps.afterDelete(own.id);
      return own;
    },

    async react(me: Employee, request: ReactRequest): Promise<Message> {
      checkEmoji(request.emoji);
      const found = await deps.mustBeMember(request.conversationId, me.id);
      return apply(me, found, request.messageId, decideReaction(me.id, request.emoji, request.add));
    },
  };
}

export type MessageChangesService = ReturnType<typeof createMessageChangesService>;
