import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors.js';
import { RECEIPT_DELAY_MS, ReceiptQueue } from './receipt-queue.js';
import { FakeSocket } from './testing/fake-socket.js';

describe('ReceiptQueue', () => {
  let socket: FakeSocket;
  let page: EventTarget;
  let queue: ReceiptQueue;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    socket.answer('receipt:mark', () => null);
    page = new EventTarget();
    queue = new ReceiptQueue(socket, page);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces a burst into one receipt per conversation and kind, carrying the highest seq', async () => {
    for (const seq of [1, 2, 3]) queue.queue('c1', seq, 'delivered');
    queue.queue('c1', 2, 'read');
    queue.queue('c2', 5, 'delivered');
    queue.queue('c1', 1, 'read');
    expect(socket.sent).toEqual([]);

    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS - 1);
    expect(socket.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.payloads('receipt:mark')).toEqual([
      { conversationId: 'c1', seq: 3, kind: 'delivered' },
      { conversationId: 'c1', seq: 2, kind: 'read' },
      { conversationId: 'c2', seq: 5, kind: 'delivered' },
    ]);
  });

  it('never reports a seq at or below one already reported', async () => {
    queue.queue('c1', 4, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    queue.queue('c1', 3, 'read');
    queue.queue('c1', 4, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    queue.queue('c1', 5, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark').map((p) => p.seq)).toEqual([4, 5]);
  });

  it('reports a receipt again at the next chance when the server did not take it', async () => {
    socket.answer('receipt:mark', () => {
      throw new ApiError('INTERNAL', 'store hiccup');
    });
    queue.queue('c1', 2, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    socket.answer('receipt:mark', () => null);
    queue.queue('c1', 2, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark')).toEqual([
      { conversationId: 'c1', seq: 2, kind: 'read' },
      { conversationId: 'c1', seq: 2, kind: 'read' },
    ]);
  });

  it('sends what waits for its timer at once on pagehide, and only once', async () => {
    queue.queue('c1', 7, 'read');
    queue.queue('c1', 7, 'delivered');
    page.dispatchEvent(new Event('pagehide'));
    expect(socket.payloads('receipt:mark')).toEqual([
      { conversationId: 'c1', seq: 7, kind: 'delivered' },
      { conversationId: 'c1', seq: 7, kind: 'read' },
    ]);
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS * 10);
    expect(socket.payloads('receipt:mark')).toHaveLength(2);
  });

  it('a pagehide with nothing queued sends nothing', () => {
    page.dispatchEvent(new Event('pagehide'));
    expect(socket.sent).toEqual([]);
  });

  it('reset drops what waits and what was reported, so the next session starts clean', async () => {
    queue.queue('c1', 3, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    queue.queue('c1', 9, 'read');
    queue.reset();
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    queue.queue('c1', 3, 'read');
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark').map((p) => p.seq)).toEqual([3, 3]);
  });
});
