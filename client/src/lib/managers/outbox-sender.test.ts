import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../../shared/schemas/index.js';
import { ApiError, type ClientErrorCode } from '../errors.js';
import { loadOutbox, RETRY_BASE_MS } from '../logic/outbox.js';
import { OutboxStore } from '../state/outbox.svelte.js';
import { OutboxSender, SEND_TIMEOUT_MS } from './outbox-sender.js';
import { FakeSocket, NO_ANSWER } from './testing/fake-socket.js';
import { ANNA, unchanged } from './testing/fixtures.js';
import { MemoryStore } from './testing/memory-store.js';

/** The server's side of message:send: one stored message per client id, a repeat acked with the stored copy. */
class FakeMessageStore {
  readonly byClientId = new Map<string, Message>();

  answer(socket: FakeSocket): void {
    socket.answer('message:send', ({ conversationId, clientId, text, notifySms }) => {
      let stored = this.byClientId.get(clientId);
      if (!stored) {
        stored = {
          id: `m${this.byClientId.size + 1}`,
          conversationId,
          seq: this.byClientId.size + 1,
          senderId: ANNA,
          clientId,
          text,
          createdAt: new Date().toISOString(),
          notifySms: notifySms ?? false,
          rev: this.byClientId.size + 1,
          ...unchanged(),
        };
        this.byClientId.set(clientId, stored);
      }
      return stored;
    });
  }
}

/** One browser tab of Anna's: its own socket and outbox, sharing the browser's storage. */
function tab(storage: MemoryStore, connected = true) {
  const socket = new FakeSocket();
  socket.connected = connected;
  const outbox = new OutboxStore(() => storage);
  outbox.load(ANNA);
  const stored: Message[] = [];
  const sender = new OutboxSender({ socket, outbox, maySend: () => true, stored: (m) => stored.push(m) });
  return { socket, outbox, sender, stored };
}

/** A tab whose first send of "hello" the server refuses with `code`; resolves once it was sent. */
async function refusedSend(storage: MemoryStore, code: ClientErrorCode) {
  const anna = tab(storage);
  anna.socket.answer('message:send', () => {
    throw new ApiError(code, `refused: ${code}`);
  });
  const first = anna.socket.next('message:send');
  anna.sender.send('c1', 'hello', false);
  await first;
  return anna;
}

describe('OutboxSender', () => {
  let storage: MemoryStore;

  beforeEach(() => {
    vi.useFakeTimers();
    storage = new MemoryStore();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('carries where an SMS was asked for (card, widget), only with an SMS', async () => {
    const server = new FakeMessageStore();
    const anna = tab(storage);
    server.answer(anna.socket);
    const withSms = anna.socket.next('message:send');
    anna.sender.send('c1', 'z wizytówki', true, { smsSource: 'card' });
    expect(await withSms).toMatchObject({ notifySms: true, smsSource: 'card' });
    const withoutSms = anna.socket.next('message:send');
    anna.sender.send('c1', 'bez SMS', false, { smsSource: 'widget' });
    expect(await withoutSms).not.toHaveProperty('smsSource');
  });

  it('stores the message before sending and forgets it once the server acks', async () => {
    const server = new FakeMessageStore();
    const anna = tab(storage);
    server.answer(anna.socket);
    const sent = anna.socket.next('message:send');
    expect(anna.sender.send('c1', '  hello  ', false)).toBe(true);
    expect(loadOutbox(storage, ANNA).map((e) => e.text)).toEqual(['hello']);
    const payload = await sent;
    await vi.waitFor(() => expect(anna.stored.map((m) => m.clientId)).toEqual([payload.clientId]));
    expect(anna.outbox.entries).toEqual([]);
    expect(loadOutbox(storage, ANNA)).toEqual([]);
  });

  it('keeps a reply and its mentions with the stored message, so a reload sends them too', async () => {
    const first = tab(storage, false);
    first.sender.send('c1', '@Bartek Nowak tak', false, { replyToId: 'm7', mentions: ['emp-bartek'], mentionsAll: false });
    // The tab is reloaded before it could send: the next one restores the message from storage.
    const second = tab(storage);
    const sent = second.socket.next('message:send');
    second.sender.kick();
    expect(await sent).toMatchObject({ text: '@Bartek Nowak tak', replyToId: 'm7', mentions: ['emp-bartek'] });
    expect((await sent).mentionsAll).toBeUndefined();
  });

  it("an unsent message older than the server's window for repeats is shown as failed, never sent under its client id; Retry sends it as a new message", async () => {
    vi.setSystemTime(new Date('2026-03-02T10:00:00Z'));
    const before = tab(storage, false);
    before.sender.send('c1', 'stara', false);
    const oldId = before.outbox.entries[0]?.clientId ?? '';
    // Back a week later: the server may have stored it and forgotten the client id since.
    vi.setSystemTime(new Date('2026-03-09T10:00:00Z'));
    const anna = tab(storage);
    new FakeMessageStore().answer(anna.socket);
    const first = anna.socket.next('message:send');
    anna.sender.send('c1', 'nowa', false);
    // Oldest first: had the old one been sent, it would have gone before this one.
    expect(await first).toMatchObject({ text: 'nowa' });
    expect(anna.socket.payloads('message:send').map((p) => p.clientId)).not.toContain(oldId);
    const expired = anna.outbox.get(oldId);
    expect(expired).toMatchObject({ state: 'failed', error: { code: 'OUTBOX_EXPIRED' } });
    expect(loadOutbox(storage, ANNA).find((e) => e.clientId === oldId)?.state).toBe('failed');

    const again = anna.socket.next('message:send');
    anna.sender.retry(oldId);
    const resent = await again;
    expect(resent).toMatchObject({ text: 'stara' });
    expect(resent.clientId).not.toBe(oldId);
    await vi.waitFor(() => expect(anna.outbox.entries).toEqual([]));
  });

  it('refuses an empty message', () => {
    const anna = tab(storage);
    expect(anna.sender.send('c1', '   ', false)).toBe(false);
    expect(anna.outbox.entries).toEqual([]);
  });

  it('after a TIMEOUT keeps the message sending and sends it again with the same client id after the backoff', async () => {
    const server = new FakeMessageStore();
    const anna = tab(storage);
    anna.socket.answer('message:send', () => NO_ANSWER);
    const first = anna.socket.next('message:send');
    anna.sender.send('c1', 'are you there?', false);
    const { clientId } = await first;

    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS);
    // Timed out: nothing was stored as far as this tab knows, and it is not shown as failed.
    expect(anna.stored).toEqual([]);
    expect(anna.outbox.entries.map((e) => e.state)).toEqual(['sending']);
    expect(anna.socket.payloads('message:send')).toHaveLength(1);

    server.answer(anna.socket);
    const second = anna.socket.next('message:send');
    await vi.advanceTimersByTimeAsync(RETRY_BASE_MS * 1.2);
    expect((await second).clientId).toBe(clientId);
    await vi.waitFor(() => expect(anna.stored).toHaveLength(1));
    expect(anna.outbox.entries).toEqual([]);
    expect(server.byClientId.size).toBe(1);
  });

  it('a reconnect cuts the backoff short', async () => {
    const anna = await refusedSend(storage, 'SERVICE_UNAVAILABLE');
    const second = anna.socket.next('message:send');
    anna.sender.kick(true);
    await second;
    expect(anna.socket.payloads('message:send')).toHaveLength(2);
  });

  it('two tabs restoring the same stored outbox store each message once and lose none', async () => {
    const server = new FakeMessageStore();
    // Tab A is offline: its message waits in the shared storage.
    const a = tab(storage, false);
    a.sender.send('c1', 'first', false);
    // Tab B opens (it restores A's message), and while it sends, A writes another.
    const b = tab(storage);
    expect(b.outbox.entries.map((e) => e.text)).toEqual(['first']);
    server.answer(b.socket);
    b.sender.send('c1', 'second', false);
    a.sender.send('c1', 'third', false);
    await vi.waitFor(() => expect(b.stored.map((m) => m.text)).toEqual(['first', 'second']));
    // B's removals did not wipe what A stored meanwhile.
    expect(loadOutbox(storage, ANNA).map((e) => e.text)).toEqual(['third']);

    // A comes online and still holds "first": the server answers the repeat with the copy it stored for B.
    server.answer(a.socket);
    a.socket.connected = true;
    a.sender.kick(true);
    await vi.waitFor(() => expect(a.stored.map((m) => m.text)).toEqual(['first', 'third']));
    expect(a.stored[0]).toEqual(b.stored[0]);
    expect([...server.byClientId.values()].map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(loadOutbox(storage, ANNA)).toEqual([]);
    expect(a.outbox.entries).toEqual([]);
  });

  it('sends oldest first, one at a time', async () => {
    const anna = tab(storage, false);
    anna.sender.send('c1', 'one', false);
    anna.sender.send('c2', 'two', false);
    anna.sender.send('c1', 'three', false);
    const server = new FakeMessageStore();
    server.answer(anna.socket);
    anna.socket.connected = true;
    anna.sender.kick(true);
    await vi.waitFor(() => expect(anna.stored).toHaveLength(3));
    expect(anna.socket.payloads('message:send').map((p) => p.text)).toEqual(['one', 'two', 'three']);
  });

  it('marks a message the server refuses for good as failed; Retry sends it again, Discard forgets it', async () => {
    const anna = await refusedSend(storage, 'FORBIDDEN');
    await vi.waitFor(() => expect(anna.outbox.entries[0]?.state).toBe('failed'));
    expect(anna.outbox.entries[0]?.error?.code).toBe('FORBIDDEN');
    expect(loadOutbox(storage, ANNA)[0]?.state).toBe('failed');

    const again = anna.socket.next('message:send');
    anna.sender.retry(anna.outbox.entries[0]!.clientId);
    await again;
    await vi.waitFor(() => expect(anna.outbox.entries[0]?.state).toBe('failed'));
    anna.sender.discard(anna.outbox.entries[0]!.clientId);
    expect(anna.outbox.entries).toEqual([]);
    expect(loadOutbox(storage, ANNA)).toEqual([]);
  });

  it('stops when the session is gone and keeps the message stored for the next sign-in', async () => {
    const anna = await refusedSend(storage, 'UNAUTHENTICATED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(anna.socket.payloads('message:send')).toHaveLength(1);
    expect(loadOutbox(storage, ANNA).map((e) => [e.text, e.state])).toEqual([['hello', 'sending']]);
  });
});
