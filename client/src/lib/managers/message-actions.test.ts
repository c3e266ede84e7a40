import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { ApiError } from '../errors.js';
import { OutboxStore } from '../state/outbox.svelte.js';
import { ConversationManager } from './conversation-manager.js';
import { MessageActions } from './message-actions.svelte.js';
import { ReceiptManager } from './receipt-manager.js';
import { FakeSocket } from './testing/fake-socket.js';
import { ANNA, BARTEK, dispatchTo, message, summary, testContext, type TestContext } from './testing/fixtures.js';
import { MemoryStore } from './testing/memory-store.js';
import { ThreadManager } from './thread-manager.js';

const C = 'c1';
const sent = (status: 'sent' | 'not_sent') => dispatchTo(BARTEK, status);

describe('MessageActions', () => {
  let socket: FakeSocket;
  let context: TestContext;
  let actions: MessageActions;
  let server: Message[];
  let rev: number;

  /** The "server" stores a change with the conversation's next rev. */
  function store(id: string, change: Partial<Message>): Message {
    const changed = { ...server.find((m) => m.id === id)!, ...change, rev: ++rev };
    server = server.map((m) => (m.id === id ? changed : m));
    return changed;
  }
  const shown = (seq: number) => context.conversations.thread(C)?.messages.find((m) => m.seq === seq);

  beforeEach(async () => {
    socket = new FakeSocket();
    socket.answer('receipt:mark', () => null);
    context = testContext(socket, ANNA);
    const receipts = new ReceiptManager(context, null);
    const threads = new ThreadManager(context, receipts);
    const outbox = new OutboxStore(() => new MemoryStore());
    const events = new ConversationManager(context, { threads, receipts, outbox, leaveScreen: () => {} });
    actions = new MessageActions({ socket, myId: context.myId, changed: (m) => events.update(m) });
    server = [
      message(C, 1, ANNA, { text: 'Zebranie o 10', notifySms: true, sms: [sent('sent')] }),
      message(C, 2, BARTEK, { text: 'ok' }),
    ];
    rev = 2;
    context.conversations.setAll([summary(C, [ANNA, BARTEK], { lastSeq: 2 })]);
    socket.answer('message:history', () => ({ messages: server, hasMore: false }));
    socket.answer('message:edit', ({ messageId, text }) =>
      store(messageId, { text, editedAt: '2025-01-01T12:10:00.000Z', sms: undefined }),
    );
    socket.answer('message:delete', ({ messageId }) =>
      store(messageId, { text: '', reactions: [], deleted: { at: '2025-01-01T12:11:00.000Z', byId: ANNA } }),
    );
    socket.answer('message:react', ({ messageId, emoji, add }) => {
      const current = server.find((m) => m.id === messageId)!;
      const others = current.reactions.filter((r) => r.emoji !== emoji);
      const ids = (current.reactions.find((r) => r.emoji === emoji)?.employeeIds ?? []).filter((id) => id !== ANNA);
      const next = add ? [...ids, ANNA] : ids;
      return store(messageId, { reactions: next.length ? [...others, { emoji, employeeIds: next }] : others });
    });
    await threads.open(C);
  });

  it('edits my message: the thread shows the new text at once, and the composer leaves edit mode', async () => {
    actions.startEdit(shown(1)!);
    expect(actions.mode(C)?.kind).toBe('edit');
    const stored = await actions.saveEdit(C, '  Zebranie o 11 ', { mentions: [], mentionsAll: false });
    expect(socket.payloads('message:edit')).toEqual([
      { conversationId: C, messageId: `${C}-m1`, text: 'Zebranie o 11', mentions: [], mentionsAll: false },
    ]);
    expect(shown(1)).toMatchObject({ text: 'Zebranie o 11', rev: 3, editedAt: stored?.editedAt });
    expect(actions.mode(C)).toBeNull();
  });

  it('an unchanged text saves nothing', async () => {
    actions.startEdit(shown(2)!);
    await actions.saveEdit(C, 'ok', { mentions: [], mentionsAll: false });
    expect(socket.payloads('message:edit')).toEqual([]);
    expect(actions.mode(C)).toBeNull();
  });

  it('after editing an urgent message whose SMS went out, offers the correction once and sends it for that rev', async () => {
    socket.answer('message:smsCorrection', ({ messageId }) => server.find((m) => m.id === messageId)!);
    actions.startEdit(shown(1)!);
    await actions.saveEdit(C, 'Zebranie o 11', { mentions: [], mentionsAll: false });
    expect(actions.correctionOffer(C)?.id).toBe(`${C}-m1`);
    await actions.sendSmsCorrection(C);
    expect(socket.payloads('message:smsCorrection')).toEqual([{ conversationId: C, messageId: `${C}-m1`, rev: 3 }]);
    expect(actions.correctionOffer(C)).toBeNull();
    expect(await actions.sendSmsCorrection(C)).toBeNull();
    expect(socket.payloads('message:smsCorrection')).toHaveLength(1);
  });

  it('offers no correction when the SMS reached nobody', async () => {
    server = server.map((m) => (m.seq === 1 ? { ...m, sms: [sent('not_sent')] } : m));
    context.conversations.thread(C)!.replaceWindow(server, false, false, 2);
    actions.startEdit(shown(1)!);
    await actions.saveEdit(C, 'Zebranie o 11', { mentions: [], mentionsAll: false });
    expect(actions.correctionOffer(C)).toBeNull();
  });

  it('deletes: the thread shows the tombstone, and an edit of that message in progress ends', async () => {
    actions.startEdit(shown(1)!);
    await actions.remove(shown(1)!);
    expect(shown(1)).toMatchObject({ text: '', deleted: { byId: ANNA } });
    expect(actions.mode(C)).toBeNull();
  });

  it('a reaction toggles: added, then taken back, each applied in place', async () => {
    await actions.toggleReaction(shown(2)!, '👍');
    expect(shown(2)?.reactions).toEqual([{ emoji: '👍', employeeIds: [ANNA] }]);
    await actions.toggleReaction(shown(2)!, '👍');
    expect(shown(2)?.reactions).toEqual([]);
    expect(socket.payloads('message:react').map((p) => p.add)).toEqual([true, false]);
  });

  it('the live event of my own change arriving after its ack changes nothing more, and an older one loses', async () => {
    const first = await actions.toggleReaction(shown(2)!, '❤️');
    const second = await actions.toggleReaction(shown(2)!, '😂');
    socket.emit('message:updated', second);
    socket.emit('message:updated', first);
    expect(shown(2)?.reactions.map((r) => r.emoji)).toEqual(['❤️', '😂']);
    expect(context.conversations.thread(C)?.messages).toHaveLength(2);
  });

  it('keeps the mode per conversation: replying here does not touch another', () => {
    actions.startReply(shown(2)!);
    expect(actions.mode(C)).toMatchObject({ kind: 'reply', message: { seq: 2 } });
    expect(actions.mode('other')).toBeNull();
    actions.cancel(C);
    expect(actions.mode(C)).toBeNull();
  });

  it('a refused change leaves the thread as it was and tells the caller', async () => {
    socket.answer('message:delete', () => {
      throw new ApiError('NOT_YOUR_MESSAGE', 'not yours');
    });
    await expect(actions.remove(shown(2)!)).rejects.toMatchObject({ code: 'NOT_YOUR_MESSAGE' });
    expect(shown(2)).toMatchObject({ text: 'ok', deleted: null });
  });
});
