/**
 * Receipts both ways: this tab reports what reached it and what is on screen (through the coalescing queue), and
 * applies everyone's receipt updates to the conversation summaries that "read by N of M" is computed from.
 */
import type { Message } from '../../../../shared/schemas/index.js';
import { highestSeq } from '../logic/thread.js';
import type { ManagerContext } from './context.js';
import { ReceiptQueue } from './receipt-queue.js';

export class ReceiptManager {
  readonly #context: ManagerContext;
  readonly #queue: ReceiptQueue;

  constructor(context: ManagerContext, page: EventTarget | null) {
    this.#context = context;
    this.#queue = new ReceiptQueue(context.socket, page);
    context.socket.on('receipt:update', (update) => context.conversations.applyReceipt(update, context.myId()));
  }

  #mine(conversationId: string) {
    const myId = this.#context.myId();
    return this.#context.conversations.get(conversationId)?.members.find((m) => m.employeeId === myId);
  }

  /** The message reached this device: delivered, unless the server already knows. */
  markDelivered(conversationId: string, seq: number): void {
    const mine = this.#mine(conversationId);
    if (seq <= 0 || (mine && mine.deliveredSeq >= seq)) return;
    this.#queue.queue(conversationId, seq, 'delivered');
  }

  /** A page of history or catch-up reached this device. */
  deliveredFrom(conversationId: string, messages: readonly Message[]): void {
    const myId = this.#context.myId();
    const fromOthers = messages.filter((m) => m.senderId !== myId);
    if (fromOthers.length) this.markDelivered(conversationId, highestSeq(fromOthers));
  }

  /** Read up to the newest message, when the conversation is on screen and the tab visible. */
  markRead(conversationId: string): void {
    const { conversations, myId, visible, openConversationId } = this.#context;
    const me = myId();
    const thread = conversations.thread(conversationId);
    if (!me || !thread || thread.status !== 'ready' || !conversations.get(conversationId)) return;
    if (!visible() || openConversationId() !== conversationId) return;
    const seq = highestSeq(thread.messages);
    if (seq <= 0) return;
    const mine = this.#mine(conversationId);
    if (!mine || mine.readSeq < seq) this.#queue.queue(conversationId, seq, 'read');
    conversations.markReadLocally(conversationId, seq, me);
  }

  flush(): void {
    this.#queue.flush();
  }

  reset(): void {
    this.#queue.reset();
  }
}
