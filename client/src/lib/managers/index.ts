/**
 * The app's managers, wired to the real socket, state and router, and the one place a signed-out tab resets them.
 * Each subscribes to its socket events once, for the life of the page.
 */
import { reportError } from '../actions/report-error.js';
import { href, router } from '../router.svelte.js';
import { appSocket } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';
import { outbox } from '../state/outbox.svelte.js';
import { presence } from '../state/presence.svelte.js';
import { session } from '../state/session.svelte.js';
import type { ManagerContext } from './context.js';
import { ConversationManager } from './conversation-manager.js';
import { MessageActions } from './message-actions.svelte.js';
import { OutboxSender } from './outbox-sender.js';
import { ReceiptManager } from './receipt-manager.js';
import { SearchManager } from './search-manager.svelte.js';
import { notifier, notifySettings } from './notifications-wiring.js';
import { ThreadManager } from './thread-manager.js';
import { TypingManager } from './typing-manager.svelte.js';
import { DraftManager } from './draft-manager.svelte.js';
import { plainParagraphs } from '../markdown/plain.js';
import { markdown } from '../markdown/markdown.svelte.js';
import { ColleagueCard, ComposerRequests } from './colleague-card.svelte.js';
import { QuickSms } from './quick-sms.svelte.js';
import { request } from '../socket.js';

const context: ManagerContext = {
  socket: appSocket,
  conversations,
  myId: () => session.me?.id,
  visible: () => presence.visible,
  openConversationId: () => router.openConversationId,
  report: reportError,
};

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: drafts live in this tab only
  }
}

// Live list previews use the real Markdown parser: the first one that needs it fetches its chunk, and is made again
// once it is in. A plain sentence's rough preview is the same (client/src/lib/markdown/plain.test.ts).
conversations.previewOf = (text) => {
  if (plainParagraphs(text) === null) void markdown.load();
  return markdown.preview(text);
};

export { notifySettings };

export const drafts = new DraftManager(localStorageOrNull(), context.myId);
export const receipts = new ReceiptManager(context, window);
export const threads = new ThreadManager(context, receipts);
export const typing = new TypingManager(appSocket, context.myId);
export const conversationEvents = new ConversationManager(context, {
  threads,
  receipts,
  outbox,
  leaveScreen: () => router.go(href.home),
});
export const search = new SearchManager(appSocket);
export const outboxSender = new OutboxSender({
  socket: appSocket,
  outbox,
  maySend: () => session.status === 'signed-in',
  stored: (message) => conversationEvents.receive(message),
  queued: (entry) => typing.sent(entry.conversationId),
});

export const messageActions = new MessageActions({
  socket: appSocket,
  myId: context.myId,
  changed: (message) => conversationEvents.update(message),
});

// Issue 13: the colleague's card, its "Send SMS" request to the composer, and the start page's Quick SMS.
export const colleagueCard = new ColleagueCard();
export const composerRequests = new ComposerRequests();
export const quickSms = new QuickSms({
  openDirect: async (employeeId) => {
    const summary = await request('conversation:openDirect', { employeeId });
    conversations.upsert(summary);
    return summary;
  },
  preview: (conversationId) => request('sms:preview', { conversationId }),
  send: (conversationId, text, extras) => outboxSender.send(conversationId, text, true, { ...extras, smsSource: 'widget' }),
});

/** Forgets per-session bookkeeping so the next person signing in on this tab starts clean. */
export function resetManagers(): void {
  receipts.reset();
  threads.reset();
  typing.reset();
  conversationEvents.reset();
  outboxSender.reset();
  messageActions.reset();
  search.reset();
  notifier.reset();
  notifySettings.reset();
  drafts.reset();
  colleagueCard.reset();
  composerRequests.reset();
  quickSms.reset();
}
