import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { receiptFor } from '../logic/receipts.js';
import { OutboxStore } from '../state/outbox.svelte.js';
import { ConversationManager, LIST_REFRESH_DELAY_MS } from './conversation-manager.js';
import { RECEIPT_DELAY_MS } from './receipt-queue.js';
import { ReceiptManager } from './receipt-manager.js';
import { FakeSocket } from './testing/fake-socket.js';
import { ANNA, BARTEK, CELINA, DAREK, message, summary, testContext, type TestContext } from './testing/fixtures.js';
import { MemoryStore } from './testing/memory-store.js';
import { ThreadManager } from './thread-manager.js';

const G = 'group-1';

describe('ConversationManager with receipts', () => {
  let socket: FakeSocket;
  let context: TestContext;
  let receipts: ReceiptManager;
  let events: ConversationManager;
  let leftScreen: number;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    socket.answer('receipt:mark', () => null);
    context = testContext(socket);
    receipts = new ReceiptManager(context, null);
    const threads = new ThreadManager(context, receipts);
    const outbox = new OutboxStore(() => new MemoryStore());
    outbox.load(ANNA);
    leftScreen = 0;
    events = new ConversationManager(context, { threads, receipts, outbox, leaveScreen: () => leftScreen++ });
    context.conversations.setAll([summary(G, [ANNA, BARTEK, CELINA, DAREK])]);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** What Anna sees under her message `seq` in the group. */
  const readBy = (seq: number) => {
    const group = context.conversations.get(G)!;
    return receiptFor(seq, group.kind, group.members, ANNA);
  };

  it('"read by N of M": a reply counts as read by its sender even before their receipt arrives', () => {
    events.receive(message(G, 1, ANNA)); // the ack of Anna's send
    expect(readBy(1)).toEqual({ kind: 'group', read: 0, total: 3 });

    socket.emit('message:new', message(G, 2, BARTEK));
    expect(readBy(1)).toEqual({ kind: 'group', read: 1, total: 3 });

    // Bartek's coalesced receipt for seq 1 arrives after his reply: it must not take his read mark back.
    socket.emit('receipt:update', { conversationId: G, employeeId: BARTEK, deliveredSeq: 1, readSeq: 1 });
    expect(readBy(1)).toEqual({ kind: 'group', read: 1, total: 3 });

    socket.emit('receipt:update', { conversationId: G, employeeId: CELINA, deliveredSeq: 2, readSeq: 2 });
    expect(readBy(1)).toEqual({ kind: 'group', read: 2, total: 3 });
    expect(readBy(2)).toEqual({ kind: 'group', read: 2, total: 3 }); // Bartek by sending it, Celina by her receipt
  });

  it('my own message never counts me among its readers', () => {
    events.receive(message(G, 1, ANNA));
    socket.emit('message:new', message(G, 2, ANNA, { clientId: 'from-my-other-tab' }));
    expect(readBy(1)).toEqual({ kind: 'group', read: 0, total: 3 });
    expect(context.conversations.get(G)?.unread).toBe(0);
  });

  it('a colleague\'s message is unread while I am elsewhere, and its delivery is reported once for a burst', async () => {
    for (const seq of [1, 2, 3]) socket.emit('message:new', message(G, seq, BARTEK));
    expect(context.conversations.get(G)?.unread).toBe(3);
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark')).toEqual([{ conversationId: G, seq: 3, kind: 'delivered' }]);
  });

  it('reads what is on screen: one read receipt, my badge cleared at once', async () => {
    context.screen.open = G;
    socket.answer('message:history', () => ({ messages: [message(G, 1, BARTEK), message(G, 2, CELINA)], hasMore: false }));
    context.conversations.upsert({ ...context.conversations.get(G)!, lastSeq: 2, unread: 2 });
    const threads = new ThreadManager(context, receipts);
    await threads.open(G);
    receipts.markRead(G);
    expect(context.conversations.get(G)?.unread).toBe(0);
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark')).toContainEqual({ conversationId: G, seq: 2, kind: 'read' });
  });

  it('does not read while the tab is hidden', async () => {
    context.screen.open = G;
    context.screen.visible = false;
    socket.answer('message:history', () => ({ messages: [message(G, 1, BARTEK)], hasMore: false }));
    await new ThreadManager(context, receipts).open(G);
    receipts.markRead(G);
    await vi.advanceTimersByTimeAsync(RECEIPT_DELAY_MS);
    expect(socket.payloads('receipt:mark').filter((p) => p.kind === 'read')).toEqual([]);
  });

  it('a message in a conversation this tab does not know fetches the list once', async () => {
    socket.answer('conversation:list', () => [summary(G, [ANNA, BARTEK, CELINA, DAREK]), summary('new', [ANNA, DAREK])]);
    socket.emit('message:new', message('new', 1, DAREK));
    socket.emit('message:new', message('new', 2, DAREK));
    await vi.advanceTimersByTimeAsync(LIST_REFRESH_DELAY_MS);
    expect(socket.payloads('conversation:list')).toHaveLength(1);
    expect(context.conversations.get('new')).toBeDefined();
  });

  it('leaves the screen when the conversation on it is removed', () => {
    context.screen.open = G;
    socket.emit('conversation:removed', { conversationId: G });
    expect(context.conversations.get(G)).toBeUndefined();
    expect(leftScreen).toBe(1);
  });
});

describe('ConversationManager and the conversation list (issue 11)', () => {
  let socket: FakeSocket;
  let context: TestContext;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    socket.answer('receipt:mark', () => null);
    context = testContext(socket);
    const receipts = new ReceiptManager(context, null);
    const threads = new ThreadManager(context, receipts);
    const outbox = new OutboxStore(() => new MemoryStore());
    outbox.load(ANNA);
    new ConversationManager(context, { threads, receipts, outbox, leaveScreen: () => {} });
    context.conversations.setAll([
      summary('older', [ANNA, BARTEK], { lastActivityAt: '2025-01-01T10:00:00.000Z' }),
      summary(G, [ANNA, BARTEK, CELINA], { lastActivityAt: '2025-01-01T11:00:00.000Z' }),
    ]);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('a live message moves its conversation to the top with a plain-text preview of it', () => {
    expect(context.conversations.ordered.map((c) => c.id)).toEqual([G, 'older']);
    socket.emit('message:new', message('older', 1, BARTEK, { text: '**Pilne**:  zadzwoń', createdAt: '2025-01-01T12:00:00.000Z' }));
    expect(context.conversations.ordered.map((c) => c.id)).toEqual(['older', G]);
    expect(context.conversations.get('older')?.lastMessage).toEqual({
      id: 'older-m1',
      senderId: BARTEK,
      preview: 'Pilne: zadzwoń',
      at: '2025-01-01T12:00:00.000Z',
      deleted: false,
    });
  });

  it('counts unread mentions of me or everyone, and clears them when I have read the conversation', () => {
    socket.emit('message:new', message(G, 1, BARTEK, { mentions: [ANNA] } as Partial<Message>));
    socket.emit('message:new', message(G, 2, BARTEK, { mentions: [CELINA] } as Partial<Message>));
    socket.emit('message:new', message(G, 3, CELINA, { mentionsAll: true } as Partial<Message>));
    expect(context.conversations.get(G)).toMatchObject({ unread: 3, unreadMentions: 2 });
    expect(context.conversations.totalUnreadMentions).toBe(2);

    socket.emit('receipt:update', { conversationId: G, employeeId: ANNA, deliveredSeq: 3, readSeq: 3 });
    expect(context.conversations.get(G)).toMatchObject({ unread: 0, unreadMentions: 0 });
  });
});

describe('ConversationsState live previews', () => {
  it('makes a live message’s preview again when a better converter arrives (the Markdown chunk)', async () => {
    const { ConversationsState } = await import('../state/conversations.svelte.js');
    const state = new ConversationsState();
    state.setAll([summary('c', [ANNA, BARTEK])]);
    state.noteMessage(message('c', 1, BARTEK, { text: 'zobacz [plan](https://example.com)' }), true, ANNA);
    const rough = state.lastPreview(state.get('c')!);
    expect(rough).toBe('zobacz [plan](https://example.com)');
    state.previewOf = (text) => text.replace(/\[(.*)\]\((.*)\)/, '$1 ($2)');
    expect(state.lastPreview(state.get('c')!)).toBe('zobacz plan (https://example.com)');
  });
});
