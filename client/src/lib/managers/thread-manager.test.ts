import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
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
    socket.answer('message:history', ({ beforeSeq, limit }) => {
      const below = serverHolds.filter((m) => beforeSeq === undefined || m.seq < beforeSeq);
      const page = below.slice(-(limit ?? 50));
      return { messages: page, hasMore: below.length > page.length };
    });
    socket.answer('message:catchUp', ({ afterSeq }) => ({
      messages: serverHolds.filter((m) => m.seq > (afterSeq ?? 0)),
      hasMore: false,
    }));
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
    expect((await catchUp).afterSeq).toBe(3);
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
    socket.answer('message:catchUp', async ({ afterSeq }) => {
      await held;
      return { messages: serverHolds.filter((m) => m.seq > (afterSeq ?? 0)), hasMore: false };
    });
    const first = socket.next('message:catchUp');
    threads.receive(message(C, 5, BARTEK), true);
    await first;
    // While the first catch-up is out, 8 arrives past another hole (6 and 7).
    serverHolds = range(1, 8);
    threads.receive(message(C, 8, BARTEK), true);
    release();
    await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(socket.payloads('message:catchUp').map((p) => p.afterSeq)).toEqual([3, 8]);
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
});
