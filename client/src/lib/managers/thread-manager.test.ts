import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { ApiError } from '../errors.js';
import { ReceiptManager } from './receipt-manager.js';
import { FakeSocket } from './testing/fake-socket.js';
import { ANNA, BARTEK, message, summary, testContext, type TestContext } from './testing/fixtures.js';
import { ThreadManager } from './thread-manager.js';

const C = 'c1';
const range = (from: number, to: number): Message[] =>
  Array.from({ length: to - from + 1 }, (_, i) => message(C, from + i, BARTEK));

describe('ThreadManager', () => {
  let socket: FakeSocket;
  let context: TestContext;
  let threads: ThreadManager;
  /** What the "server" holds for c1; catch-up answers from it. */
  let serverHolds: Message[];

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    context = testContext(socket);
    threads = new ThreadManager(context, new ReceiptManager(context, null));
    socket.answer('receipt:mark', () => null);
    serverHolds = range(1, 3);
    context.conversations.setAll([summary(C, [ANNA, BARTEK], { lastSeq: 3 })]);
    socket.answer('message:history', ({ beforeSeq, around, limit = 50 }) => {
      if (around !== undefined) {
        const at = serverHolds.findIndex((m) => m.id === around);
        if (at < 0) throw new ApiError('NOT_FOUND', 'no such message');
        const from = Math.max(0, at - limit / 2);
        const page = serverHolds.slice(from, at + limit / 2 + 1);
        return { messages: page, hasMore: from > 0, hasNewer: at + limit / 2 + 1 < serverHolds.length };
      }
      const below = serverHolds.filter((m) => beforeSeq === undefined || m.seq < beforeSeq);
      const page = below.slice(-limit);
      return { messages: page, hasMore: below.length > page.length };
    });
    socket.answer('message:catchUp', ({ afterSeq, afterRev, limit = 500 }) => {
      const after =
        afterRev !== undefined
          ? serverHolds.filter((m) => m.rev > afterRev).sort((a, b) => a.rev - b.rev)
          : serverHolds.filter((m) => m.seq > (afterSeq ?? 0));
      return { messages: after.slice(0, limit), hasMore: after.length > limit };
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const seqs = () => context.conversations.thread(C)?.messages.map((m) => m.seq);

  it('opens with the newest page', async () => {
    await threads.open(C);
    expect(context.conversations.thread(C)?.status).toBe('ready');
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('holds back a live message that skips ahead and shows it once the catch-up fills the gap', async () => {
    await threads.open(C);
    serverHolds = range(1, 5);
    const catchUp = socket.next('message:catchUp');
    threads.receive(message(C, 5, BARTEK), true);
    // Not shown beyond the hole: 4 is missing.
    expect(seqs()).toEqual([1, 2, 3]);
    expect((await catchUp).afterRev).toBe(3);
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4, 5]));
    expect(context.conversations.thread(C)?.pending).toEqual([]);
    expect(context.conversations.thread(C)?.lastKnownSeq).toBe(5);
  });

  it('shows what it holds when the server has nothing for the hole, instead of asking forever', async () => {
    await threads.open(C);
    const catchUp = socket.next('message:catchUp');
    threads.receive(message(C, 6, BARTEK), true);
    await catchUp;
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 6]));
    expect(socket.payloads('message:catchUp')).toHaveLength(1);
  });

  it('a next-in-line live message is shown at once without a catch-up', async () => {
    await threads.open(C);
    threads.receive(message(C, 4, BARTEK), true);
    expect(seqs()).toEqual([1, 2, 3, 4]);
    expect(socket.payloads('message:catchUp')).toEqual([]);
  });

  it('a second gap while catching up is caught up in the same run', async () => {
    await threads.open(C);
    serverHolds = range(1, 5);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    socket.answer('message:catchUp', async ({ afterRev }) => {
      await held;
      return { messages: serverHolds.filter((m) => m.rev > (afterRev ?? 0)), hasMore: false };
    });
    const first = socket.next('message:catchUp');
    threads.receive(message(C, 5, BARTEK), true);
    await first;
    // While the first catch-up is out, 8 arrives past another hole (6 and 7).
    serverHolds = range(1, 8);
    threads.receive(message(C, 8, BARTEK), true);
    release();
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(socket.payloads('message:catchUp').map((p) => p.afterRev)).toEqual([3, 8]);
  });

  it('pages older messages on demand', async () => {
    serverHolds = range(1, 60);
    context.conversations.setAll([summary(C, [ANNA, BARTEK], { lastSeq: 60 })]);
    await threads.open(C);
    expect(seqs()?.[0]).toBe(11);
    expect(context.conversations.thread(C)?.hasOlder).toBe(true);
    await threads.loadOlder(C);
    expect(seqs()).toEqual(range(1, 60).map((m) => m.seq));
    expect(context.conversations.thread(C)?.hasOlder).toBe(false);
  });

  it('drops a thread it could not open while offline, so the resync after connecting opens it', async () => {
    socket.connected = false;
    await threads.open(C);
    socket.connected = true;
    context.screen.open = C;
    threads.resync([summary(C, [ANNA, BARTEK], { lastSeq: 3 })]);
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3]));
  });

  it('after a reconnect catches up a loaded thread the list shows behind', async () => {
    await threads.open(C);
    serverHolds = range(1, 7);
    threads.resync([summary(C, [ANNA, BARTEK], { lastSeq: 7 })]);
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]));
  });

  /** The server's copy of message `seq`, changed: it takes the conversation's next rev. */
  function changeOnServer(seq: number, change: Partial<Message>): Message {
    const rev = Math.max(...serverHolds.map((m) => m.rev)) + 1;
    const changed = { ...serverHolds.find((m) => m.seq === seq)!, ...change, rev };
    serverHolds = serverHolds.map((m) => (m.seq === seq ? changed : m));
    return changed;
  }
  const byId = (seq: number) => context.conversations.thread(C)?.messages.filter((m) => m.seq === seq);

  it('applies a live edit in place, and a stale copy arriving later does not undo it', async () => {
    await threads.open(C);
    const stale = serverHolds[1]!;
    const edited = changeOnServer(2, { text: 'poprawione', editedAt: '2025-01-01T13:00:00.000Z' });
    threads.receiveUpdate(edited);
    expect(byId(2)).toEqual([edited]);
    threads.receive(stale, true);
    expect(byId(2)).toEqual([edited]);
    expect(context.conversations.thread(C)?.lastRev).toBe(4);
    expect(socket.payloads('message:catchUp')).toEqual([]);
  });

  it('after a reconnect catches up edits, deletions and reactions missed while offline, each message once', async () => {
    await threads.open(C);
    const edited = changeOnServer(1, { text: 'edited offline', editedAt: '2025-01-01T13:00:00.000Z' });
    const deleted = changeOnServer(2, { text: '', deleted: { at: '2025-01-01T13:01:00.000Z', byId: BARTEK } });
    const reacted = changeOnServer(3, { reactions: [{ emoji: '👍', employeeIds: [BARTEK] }] });
    // The list after reconnecting says nothing new was sent, only that the conversation changed.
    threads.resync([summary(C, [ANNA, BARTEK], { lastSeq: 3, lastRev: 6 })]);
    await vi.waitFor(() => expect(context.conversations.thread(C)?.messages).toEqual([edited, deleted, reacted]));
    expect(socket.payloads('message:catchUp').map((p) => p.afterRev)).toEqual([3]);
  });

  it('a change seen out of order does not hide the one missed before it from the next catch-up', async () => {
    await threads.open(C);
    const missed = changeOnServer(1, { text: 'missed edit' });
    const seen = changeOnServer(2, { text: 'seen edit' });
    threads.receiveUpdate(seen);
    expect(context.conversations.thread(C)?.lastRev).toBe(3);
    threads.resync([summary(C, [ANNA, BARTEK], { lastSeq: 3, lastRev: 5 })]);
    await vi.waitFor(() => expect(byId(1)).toEqual([missed]));
    expect(byId(2)).toEqual([seen]);
    expect(socket.payloads('message:catchUp').map((p) => p.afterRev)).toEqual([3]);
  });

  it('a reply in the window quotes its original as edited or deleted, without waiting for a reload', async () => {
    serverHolds = [...range(1, 3), message(C, 4, ANNA, { replyTo: { messageId: `${C}-m2`, senderId: BARTEK, excerpt: 'message 2', deleted: false } })];
    context.conversations.setAll([summary(C, [ANNA, BARTEK], { lastSeq: 4 })]);
    await threads.open(C);
    threads.receiveUpdate(changeOnServer(2, { text: 'poprawione', editedAt: '2025-01-01T13:00:00.000Z' }));
    expect(byId(4)?.[0]?.replyTo).toMatchObject({ excerpt: 'poprawione', deleted: false });
    threads.receiveUpdate(changeOnServer(2, { text: '', deleted: { at: '2025-01-01T13:01:00.000Z', byId: BARTEK } }));
    expect(byId(4)?.[0]?.replyTo).toEqual({ messageId: `${C}-m2`, senderId: BARTEK, excerpt: '', deleted: true });
  });

  it('an update of a message beyond what it holds catches up instead of guessing its place', async () => {
    await threads.open(C);
    serverHolds = range(1, 4);
    const reacted = changeOnServer(4, { reactions: [{ emoji: '✅', employeeIds: [ANNA] }] });
    const catchUp = socket.next('message:catchUp');
    threads.receiveUpdate(reacted);
    await catchUp;
    await vi.waitFor(() => expect(byId(4)).toEqual([reacted]));
    expect(seqs()).toEqual([1, 2, 3, 4]);
  });

  describe('jumping to a message far back', () => {
    beforeEach(() => {
      serverHolds = range(1, 300);
      context.conversations.setAll([summary(C, [ANNA, BARTEK], { lastSeq: 300 })]);
    });

    it('replaces the window with the page around it and marks it to scroll to', async () => {
      await threads.open(C);
      expect(seqs()?.[0]).toBe(251);
      expect(await threads.jumpTo(C, `${C}-m100`)).toBe(true);
      const thread = context.conversations.thread(C)!;
      expect(seqs()).toEqual(range(75, 125).map((m) => m.seq));
      expect(thread.hasOlder).toBe(true);
      expect(thread.hasNewer).toBe(true);
      expect(thread.scrollTarget).toBe(`${C}-m100`);
    });

    it('jumps without a request when the message is already loaded', async () => {
      await threads.open(C);
      expect(await threads.jumpTo(C, `${C}-m280`)).toBe(true);
      expect(socket.payloads('message:history')).toHaveLength(1);
      expect(seqs()?.[0]).toBe(251);
    });

    it('pages both ways from there, holds back live messages until it reaches the newest, never showing one twice', async () => {
      await threads.open(C);
      await threads.jumpTo(C, `${C}-m100`);
      await threads.loadOlder(C);
      expect(seqs()?.[0]).toBe(25);
      // A new message while the window is far back: not shown out of order.
      serverHolds = range(1, 301);
      context.conversations.noteMessage(serverHolds[300]!, true);
      threads.receive(serverHolds[300]!, true);
      expect(seqs()?.at(-1)).toBe(125);
      const thread = context.conversations.thread(C)!;
      while (thread.hasNewer) await threads.loadNewer(C);
      await vi.waitFor(() => expect(seqs()).toEqual(range(25, 301).map((m) => m.seq)));
      expect(thread.lastKnownSeq).toBe(301);
      // Live again: the next one joins at the end.
      threads.receive(message(C, 302, BARTEK), true);
      expect(seqs()?.at(-1)).toBe(302);
    });

    it('goes back to the newest page', async () => {
      await threads.open(C);
      await threads.jumpTo(C, `${C}-m100`);
      await threads.showLatest(C);
      const thread = context.conversations.thread(C)!;
      expect(seqs()).toEqual(range(251, 300).map((m) => m.seq));
      expect(thread.hasNewer).toBe(false);
      expect(thread.hasOlder).toBe(true);
    });

    it('applies a live change to a message in the moved window', async () => {
      await threads.open(C);
      await threads.jumpTo(C, `${C}-m100`);
      const edited = changeOnServer(100, { text: 'edited far back' });
      threads.receiveUpdate(edited);
      expect(byId(100)).toEqual([edited]);
    });

    it('answers false for a message the server does not have', async () => {
      await threads.open(C);
      expect(await threads.jumpTo(C, 'gone')).toBe(false);
      expect(seqs()?.[0]).toBe(251);
    });
  });
});
