/**
 * The messages of opened conversations: the newest page on first open, older pages on demand, and catch-up after a
 * live message skips ahead (a gap) or a reconnect, so a thread never shows a hole the server could fill.
 */
import type { ConversationSummary, Message } from '../../../../shared/schemas/index.js';
import { HISTORY_PAGE_SIZE } from '../../../../shared/limits.js';
import { ApiError, toApiError } from '../errors.js';
import { lowestSeq } from '../logic/thread.js';
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
      if (summary && thread.lastKnownSeq < summary.lastSeq) void this.catchUp(conversationId);
      return;
    }
    if (!socket.isConnected() || this.#opening.has(conversationId)) return; // the resync after connecting opens it
    this.#opening.add(conversationId);
    thread.status = 'loading';
    try {
      const page = await socket.request('message:history', { conversationId, limit: HISTORY_PAGE_SIZE });
      thread.loadNewest(page.messages, page.hasMore);
      this.#receipts.deliveredFrom(conversationId, page.messages);
      const latest = conversations.get(conversationId);
      if (latest && thread.lastKnownSeq < latest.lastSeq) void this.catchUp(conversationId);
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

  /** Fetches everything after the last contiguous seq, page by page, then fits in live messages held back. */
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
          const page = await socket.request('message:catchUp', { conversationId, afterSeq: thread.lastKnownSeq, limit: CATCH_UP_PAGE });
          const before = thread.lastKnownSeq;
          thread.addCatchUp(page.messages);
          this.#receipts.deliveredFrom(conversationId, page.messages);
          if (thread.lastKnownSeq > before) progressed = true;
          if (!page.hasMore || page.messages.length === 0) break;
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

  /**
   * After a (re)connect, with the fresh conversation list: catch up what moved on, report what reached this device,
   * open what is on screen.
   */
  resync(list: readonly ConversationSummary[]): void {
    const { conversations, openConversationId } = this.#context;
    for (const summary of list) {
      const thread = conversations.thread(summary.id);
      if (thread?.status === 'ready' && thread.lastKnownSeq < summary.lastSeq) void this.catchUp(summary.id);
      this.#receipts.markDelivered(summary.id, summary.lastSeq);
    }
    const open = openConversationId();
    if (open && conversations.thread(open)?.status !== 'ready') void this.open(open);
  }

  reset(): void {
    this.#opening.clear();
  }
}
