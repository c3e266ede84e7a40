/** Small builders for manager tests: messages, conversation summaries, a context over fresh state. */
import type { ConversationSummary, Message, SmsDispatchView } from '../../../../../shared/schemas/index.js';
import { ConversationsState } from '../../state/conversations.svelte.js';
import type { ManagerContext } from '../context.js';
import type { FakeSocket } from './fake-socket.js';

export const ANNA = 'emp-anna';
export const BARTEK = 'emp-bartek';
export const CELINA = 'emp-celina';
export const DAREK = 'emp-darek';

/** A message as first sent: never edited, deleted or reacted to (issue 11's fields). */
export function unchanged(): Pick<Message, 'editedAt' | 'deleted' | 'replyTo' | 'reactions' | 'mentions' | 'mentionsAll'> {
  return { editedAt: null, deleted: null, replyTo: null, reactions: [], mentions: [], mentionsAll: false };
}

/** One SMS dispatch to a recipient, in `status`. */
export function dispatchTo(recipientId: string, status: SmsDispatchView['status']): SmsDispatchView {
  return { id: `d-${recipientId}-${status}`, recipientId, recipientName: recipientId, status, reason: null, updatedAt: '2025-01-01T12:00:00.000Z' };
}

export function message(conversationId: string, seq: number, senderId: string, extra: Partial<Message> = {}): Message {
  return {
    id: `${conversationId}-m${seq}`,
    conversationId,
    seq,
    senderId,
    clientId: `client-${conversationId}-${seq}`,
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq)).toISOString(),
    notifySms: false,
    rev: seq,
    ...unchanged(),
    ...extra,
  };
}

export function summary(id: string, memberIds: string[], extra: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    kind: memberIds.length > 2 ? 'group' : 'direct',
    name: memberIds.length > 2 ? 'Team' : null,
    members: memberIds.map((employeeId) => ({ employeeId, name: employeeId, deliveredSeq: 0, readSeq: 0 })),
    lastSeq: 0,
    lastRev: 0,
    lastActivityAt: '2025-01-01T12:00:00.000Z',
    unread: 0,
    lastMessage: null,
    unreadMentions: 0,
    ...extra,
  };
}

export interface TestContext extends ManagerContext {
  reported: { error: unknown; context: string }[];
  screen: { visible: boolean; open: string | null };
}

/** Signed in as `me`, the tab visible and nothing on screen unless a test says otherwise. */
export function testContext(socket: FakeSocket, me: string | undefined = ANNA): TestContext {
  const reported: TestContext['reported'] = [];
  const screen: TestContext['screen'] = { visible: true, open: null };
  return {
    socket,
    conversations: new ConversationsState(),
    myId: () => me,
    visible: () => screen.visible,
    openConversationId: () => screen.open,
    report: (error, context) => reported.push({ error, context }),
    reported,
    screen,
  };
}
