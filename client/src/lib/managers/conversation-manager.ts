/**
 * Live changes to conversations: stored messages (a server event, or the ack of this tab's own send), summaries
 * added or removed, SMS outcomes under a message.
 */
import type { Message } from '../../../../shared/schemas/index.js';
import type { OutboxStore } from '../state/outbox.svelte.js';
import type { ManagerContext } from './context.js';
import type { ReceiptManager } from './receipt-manager.js';
import type { ThreadManager } from './thread-manager.js';

/** A burst of messages in conversations this tab did not know costs one list request. */
export const LIST_REFRESH_DELAY_MS = 300;

export interface ConversationManagerParts {
  threads: ThreadManager;
  receipts: ReceiptManager;
  outbox: OutboxStore;
  /** The conversation on screen was removed (I left it, or was removed from it). */
  leaveScreen(): void;
}

export class ConversationManager {
  readonly #context: ManagerContext;
  readonly #parts: ConversationManagerParts;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(context: ManagerContext, parts: ConversationManagerParts) {
    this.#context = context;
    this.#parts = parts;
    const { socket, conversations } = context;
    socket.on('message:new', (message) => this.receive(message));
    socket.on('message:updated', (message) => this.update(message));
    socket.on('conversation:upsert', (summary) => conversations.upsert(summary));
    socket.on('conversation:removed', ({ conversationId }) => {
      conversations.remove(conversationId);
      if (context.openConversationId() === conversationId) parts.leaveScreen();
    });
    socket.on('sms:update', ({ messageId, conversationId, dispatch }) => {
      conversations.thread(conversationId)?.updateSms(messageId, dispatch);
    });
  }

  /** A stored message reached this tab, as a live event or as the ack of our own send. */
  receive(message: Message): void {
    const { conversations, myId, visible, openConversationId } = this.#context;
    const me = myId();
    if (!me) return;
    const fromOther = message.senderId !== me;
    if (!fromOther && this.#parts.outbox.get(message.clientId)) this.#parts.outbox.remove(message.clientId);
    if (!conversations.get(message.conversationId)) this.#refreshListSoon();
    const viewing = openConversationId() === message.conversationId && visible();
    conversations.noteMessage(message, fromOther && !viewing, me);
    this.#parts.threads.receive(message, fromOther);
    if (fromOther) this.#parts.receipts.markDelivered(message.conversationId, message.seq);
  }

  /** An edit, deletion or reaction (a live event, or the ack of this tab's own change). */
  update(message: Message): void {
    this.#parts.threads.receiveUpdate(message);
    this.#context.conversations.noteChange(message);
  }

  /** A conversation we did not know about (just created by someone else): fetch the list once things settle. */
  #refreshListSoon(): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(async () => {
      this.#refreshTimer = null;
      try {
        this.#context.conversations.setAll(await this.#context.socket.request('conversation:list', {}));
      } catch {
        // The next reconnect refreshes it.
      }
    }, LIST_REFRESH_DELAY_MS);
  }

  reset(): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
  }
}
