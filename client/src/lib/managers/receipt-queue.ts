/**
 * Outgoing read and delivered receipts. Coalesced: a burst of messages costs one receipt per conversation and kind,
 * not one per message. What still waits for the timer goes out at once on pagehide, so a read is not lost when the
 * tab closes right after a message arrived (the flaky CI failure that a 150 ms wait caused).
 */
import type { SocketPort } from '../socket.js';

export type ReceiptKind = 'delivered' | 'read';
export const RECEIPT_DELAY_MS = 150;

type Marks = Record<ReceiptKind, number>;

export class ReceiptQueue {
  readonly #socket: SocketPort;
  readonly #queued = new Map<string, Marks>();
  /** Highest seq already reported per conversation and kind, so nothing is sent twice. */
  readonly #reported = new Map<string, Marks>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `page` is the window in the app; its pagehide flushes for as long as the page lives. */
  constructor(socket: SocketPort, page: EventTarget | null) {
    this.#socket = socket;
    page?.addEventListener('pagehide', () => this.flush());
  }

  queue(conversationId: string, seq: number, kind: ReceiptKind): void {
    const done = this.#reported.get(conversationId);
    if (done && done[kind] >= seq) return;
    const entry = this.#queued.get(conversationId) ?? { delivered: 0, read: 0 };
    entry[kind] = Math.max(entry[kind], seq);
    this.#queued.set(conversationId, entry);
    this.#timer ??= setTimeout(() => this.flush(), RECEIPT_DELAY_MS);
  }

  /** Sends everything queued now. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = [...this.#queued];
    this.#queued.clear();
    for (const [conversationId, queued] of batch) {
      const done = this.#reported.get(conversationId) ?? { delivered: 0, read: 0 };
      this.#reported.set(conversationId, done);
      for (const kind of ['delivered', 'read'] as const) {
        const seq = queued[kind];
        if (seq <= done[kind]) continue;
        done[kind] = seq;
        this.#socket.request('receipt:mark', { conversationId, seq, kind }).catch(() => {
          // Not reported: forget it so the next chance (reconnect, next message) reports it again.
          if (done[kind] === seq) done[kind] = 0;
        });
      }
    }
  }

  /** Drops what waits (the signed-out session's receipts) and what was reported (the next person's differ). */
  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queued.clear();
    this.#reported.clear();
  }
}
