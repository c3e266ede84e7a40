/**
 * "Send the correction by SMS" after editing an urgent message (issue 11): the edited text goes to the recipients
 * the original SMS reached, planned by the same SMS rules and caps as a send, and stored exactly once per edited
 * text (the store's `storeCorrection` keys it by the message's text rev), however many tabs ask at once.
 */
import type { Message, SmsCorrectionRequest } from '../../../shared/schemas/index.js';
import type { SmsStatus } from '../../../shared/schemas/index.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationWithMembers, Store } from '../ports/store.js';
import type { MessageViewer } from './message-viewer.js';
import type { SmsEscalation } from './sms-escalation.js';

/** The original SMS reached the gateway (and so, probably, the phone); the others never went out. */
const WENT_OUT: ReadonlySet<SmsStatus> = new Set(['sent', 'delivered', 'undelivered', 'unconfirmed', 'expired']);

export interface SmsCorrectionDeps {
  store: Store;
  clock: Clock;
  sms: SmsEscalation | null;
  viewsFor: MessageViewer;
  mustBeMember: (conversationId: string, employeeId: string) => Promise<ConversationWithMembers>;
}

export function createSmsCorrection(deps: SmsCorrectionDeps) {
  const { store } = deps;
  const noSms = () => new DomainError('NO_SMS_TO_CORRECT', 'No SMS went out for this message');

  return async function smsCorrection(me: Employee, request: SmsCorrectionRequest): Promise<Message> {
    await deps.mustBeMember(request.conversationId, me.id);
    const message = await store.messages.findById(request.messageId);
    if (!message || message.conversationId !== request.conversationId) throw notFound('No such message in this conversation');
    if (message.senderId !== me.id) throw new DomainError('NOT_YOUR_MESSAGE', 'Only the sender can send a correction');
    if (message.deletedAt) throw new DomainError('MESSAGE_DELETED', 'This message has been deleted');
    if (!message.notifySms || !deps.sms) throw noSms();
    if (message.editedAt === null) throw new DomainError('MESSAGE_NOT_EDITED', 'The message has not been edited');
    // Any rev from the latest edit on names the current text (a reaction since then does not change it).
    if (request.rev < message.textRev || request.rev > message.rev) {
      throw new DomainError('STALE_REV', `rev ${request.rev} is not the current text of this message (edited at rev ${message.textRev})`);
    }
    const dispatches = await store.sms.listForMessages([message.id]);
    const reachedIds = [...new Set(dispatches.filter((d) => WENT_OUT.has(d.status)).map((d) => d.recipientId))];
    if (reachedIds.length === 0) throw noSms();
    const recipients = await store.employees.findByIds(reachedIds);
    const now = deps.clock.now();
    const result = await store.messages.storeCorrection({
      messageId: message.id,
      conversationId: message.conversationId,
      senderId: me.id,
      textRev: message.textRev,
      createdAt: now,
      dispatches: deps.sms.plan({ sender: me, recipients, text: message.text, now }),
    });
    if (result.created) await deps.sms.afterStored({ message, dispatches: result.dispatches, created: true }, recipients);
    const [view] = await deps.viewsFor(me.id, [message]);
    return view as Message;
  };
}
