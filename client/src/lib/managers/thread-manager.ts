/**
 * The messages of opened conversations: the newest page on first open, older pages on demand, and catch-up after a
 * live message skips ahead (a gap) or a reconnect, so a thread never shows a hole the server could fill.
 */
import type { ConversationSummary, Message } from '../../../../shared/schemas/index.js';
import { HISTORY_PAGE_SIZE } from '../../../../shared/limits.js';
import { ApiError, toApiError } from '../errors.js';
import { lowestSeq } from '../logic/thread.js';
import type { Thread } from '../state/conversations.svelte.js';
import type { ManagerContext } from './context.js';
import type { ReceiptManager } from './receipt-manager.js';

export const CATCH_UP_PAGE = 200;

function isOffline(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT');
}

export class ThreadManager {
  readonly #context: ManagerContext;
  readonly #receipts: ReceiptManager;
  /** Conversations whose newest page is being fetched, so a second open does not fetch it again. */
  readonly #opening = new Set<string>();

  constructor(context: ManagerContext, receipts: ReceiptManager) {
    this.#context = context;
    this.#receipts = receipts;
  }

  /** Loads the newest page the first time a conversation is opened in this tab, and places the unread marker. */
  async open(conversationId: string): Promise<void> {
    const { conversations, socket, myId } = this.#context;
    const thread = conversations.ensureThread(conversationId);
    const summary = conversations.get(conversationId);
    const me = myId();
    const mine = summary?.members.find((m) => m.employeeId === me);
    thread.firstUnreadSeq = summary && mine && summary.unread > 0 ? mine.readSeq + 1 : null;
    if (thread.status === 'ready') {
      if (summary && this.#behind(thread, summary)) void this.catchUp(conversationId);
      return;
    }
    if (!socket.isConnected() || this.#opening.has(conversationId)) return; // the resync after connecting opens it
    this.#opening.add(conversationId);
    thread.status = 'loading';
    try {
      const syncedRev = summary?.lastRev ?? 0;
      const page = await socket.request('message:history', { conversationId, limit: HISTORY_PAGE_SIZE });
      thread.loadNewest(page.messages, page.hasMore, syncedRev);
      this.#receipts.deliveredFrom(conversationId, page.messages);
      const latest = conversations.get(conversationId);
      if (latest && this.#behind(thread, latest)) void this.catchUp(conversationId);
    } catch (error) {
      if (isOffline(error)) {
        conversations.dropThread(conversationId); // tried again after reconnecting
        return;
      }
      thread.status = 'error';
      const apiError = toApiError(error);
      if (apiError.code !== 'NOT_FOUND' && apiError.code !== 'FORBIDDEN') this.#context.report(apiError, 'history');
    } finally {
      this.#opening.delete(conversationId);
    }
  }

  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.#context.conversations.thread(conversationId);
    if (!thread || thread.status !== 'ready' || !thread.hasOlder || thread.loadingOlder) return;
    const beforeSeq = lowestSeq(thread.messages);
    if (beforeSeq === null || beforeSeq <= 1) {
      thread.hasOlder = false;
      return;
    }
    thread.loadingOlder = true;
    try {
      const page = await this.#context.socket.request('message:history', { conversationId, beforeSeq, limit: HISTORY_PAGE_SIZE });
      thread.addOlder(page.messages, page.hasMore);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'DISCONNECTED')) this.#context.report(error, 'older messages');
    } finally {
      thread.loadingOlder = false;
    }
  }

  /**
   * Shows a message that may be far back: at once when it is in the window, otherwise the window is replaced by the
   * page around it (paged both ways from there, or back to the newest with `showLatest`). Answers false when the
   * server does not have it (deleted conversation, no access).
   */
  async jumpTo(conversationId: string, messageId: string): Promise<boolean> {
    const { conversations, socket } = this.#context;
    const thread = conversations.thread(conversationId);
    if (!thread || thread.status !== 'ready') return false;
    if (!thread.messages.some((m) => m.id === messageId)) {
      try {
        const syncedRev = conversations.get(conversationId)?.lastRev ?? 0;
        const page = await socket.request('message:history', { conversationId, around: messageId, limit: HISTORY_PAGE_SIZE });
        if (!page.messages.some((m) => m.id === messageId)) return false;
        thread.replaceWindow(page.messages, page.hasMore, page.hasNewer ?? false, syncedRev);
        this.#receipts.deliveredFrom(conversationId, page.messages);
      } catch (error) {
        // NOT_FOUND: the original is gone; the caller says so where the user clicked.
        if (toApiError(error).code !== 'NOT_FOUND') this.#context.report(error, 'jump to message');
        return false;
      }
    }
    thread.scrollTarget = messageId;
    return true;
  }

  /** Pages forward from a window moved back in history; at the newest end it catches up what came meanwhile. */
  async loadNewer(conversationId: string): Promise<void> {
    const { conversations, socket } = this.#context;
    const thread = conversations.thread(conversationId);
    if (!thread || thread.status !== 'ready' || !thread.hasNewer || thread.loadingNewer) return;
    thread.loadingNewer = true;
    try {
      const page = await socket.request('message:catchUp', {
        conversationId,
        afterSeq: thread.lastKnownSeq,
        limit: HISTORY_PAGE_SIZE,
      });
      thread.addNewer(page.messages, page.hasMore);
      this.#receipts.deliveredFrom(conversationId, page.messages);
    } catch (error) {
      if (!isOffline(error)) this.#context.report(error, 'newer messages');
    } finally {
      thread.loadingNewer = false;
    }
    const latest = conversations.get(conversationId);
    if (!thread.hasNewer && latest && this.#behind(thread, latest)) void this.catchUp(conversationId);
  }

  /** Back from a window far in history to the newest page. */
  async showLatest(conversationId: string): Promise<void> {
    const { conversations, socket } = this.#context;
    const thread = conversations.thread(conversationId);
    if (!thread || thread.status !== 'ready' || !thread.hasNewer) return;
    try {
      const syncedRev = conversations.get(conversationId)?.lastRev ?? 0;
      const page = await socket.request('message:history', { conversationId, limit: HISTORY_PAGE_SIZE });
      thread.replaceWindow(page.messages, page.hasMore, false, syncedRev);
      const latest = conversations.get(conversationId);
      if (latest && this.#behind(thread, latest)) void this.catchUp(conversationId);
    } catch (error) {
      if (!isOffline(error)) this.#context.report(error, 'newest messages');
    }
  }

  /**
   * Fetches everything new or changed since the last rev this tab saw in order, page by page (upserted by id, the
   * higher rev winning), then fits in live messages held back.
   */
  async catchUp(conversationId: string): Promise<void> {
    const { conversations, socket } = this.#context;
    const thread = conversations.thread(conversationId);
    if (!thread || thread.status !== 'ready') return;
    if (thread.catchingUp) {
      thread.catchUpAgain = true;
      return;
    }
    thread.catchingUp = true;
    try {
      do {
        thread.catchUpAgain = false;
        let progressed = false;
        for (;;) {
          const page = await socket.request('message:catchUp', { conversationId, afterRev: thread.lastRev, limit: CATCH_UP_PAGE });
          const before = thread.lastRev;
          thread.addChanges(page.messages);
          this.#receipts.deliveredFrom(conversationId, page.messages);
          if (thread.lastRev > before) progressed = true;
          if (!page.hasMore || page.messages.length === 0 || thread.lastRev === before) break;
        }
        if (thread.drain()) {
          // Still a hole the server had nothing for: show what we hold rather than loop.
          if (progressed) thread.catchUpAgain = true;
          else thread.acceptPending();
        }
      } while (thread.catchUpAgain && socket.isConnected());
    } catch (error) {
      // Left for the next reconnect, which catches up every loaded conversation again.
      if (!isOffline(error)) this.#context.report(error, 'catch-up');
    } finally {
      thread.catchingUp = false;
    }
  }

  /** A live message for a loaded thread; one that skips ahead is held back and starts a catch-up. */
  receive(message: Message, fromOther: boolean): void {
    const thread = this.#context.conversations.thread(message.conversationId);
    if (thread?.status !== 'ready') return;
    if (thread.receive(message) === 'gap') void this.catchUp(message.conversationId);
    if (fromOther && !this.#context.visible() && thread.firstUnreadSeq === null) thread.firstUnreadSeq = message.seq;
  }

  /** A live edit, deletion or reaction; a change this tab cannot place (a rev or a message missed) starts a catch-up. */
  receiveUpdate(message: Message): void {
    const thread = this.#context.conversations.thread(message.conversationId);
    if (thread?.status !== 'ready') return;
    if (thread.applyUpdate(message) === 'gap') void this.catchUp(message.conversationId);
  }

  /** The list knows of messages or changes this thread has not got. */
  #behind(thread: Thread, summary: ConversationSummary): boolean {
    return (!thread.hasNewer && thread.lastKnownSeq < summary.lastSeq) || thread.lastRev < (summary.lastRev ?? 0);
  }

  /**
   * After a (re)connect, with the fresh conversation list: catch up what moved on, report what reached this device,
   * open what is on screen.
   */
  resync(list: readonly ConversationSummary[]): void {
    const { conversations, openConversationId } = this.#context;
    for (const summary of list) {
      const thread = conversations.thread(summary.id);
      if (thread?.status === 'ready' && this.#behind(thread, summary)) void this.catchUp(summary.id);
      this.#receipts.markDelivered(summary.id, summary.lastSeq);
    }
    const open = openConversationId();
    if (open && conversations.thread(open)?.status !== 'ready') void this.open(open);
  }

  reset(): void {
    this.#opening.clear();
  }
}
