/**
 * Catch-up: what a recipient missed while disconnected comes back exactly — no gap, no duplicate — after a client
 * disconnect and after a server restart on the same SQLite file. Acknowledged messages survive the restart.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Message } from '../../shared/schemas/index.js';
import { nextEvent } from './support/test-app.js';
import { appsPerTest, HIGH_LIMITS } from './support/app-lifecycle.js';
import { call, catchUpAll, history, openDirect, send } from './support/messaging.js';

describe('messaging: catch-up', () => {
  // A restart test stops its first app itself, keeping the file for the second.
  const { start, stopKeepingFile, tab: reconnect } = appsPerTest({ env: HIGH_LIMITS });

  it('after a client disconnect returns exactly the messages sent meanwhile, paged by hasMore', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const bartekCookie = await t.signIn('bartek');
    let bartek = await reconnect(t, bartekCookie);
    const conversation = await openDirect(t, anna, 'bartek');

    const seenLive: Message[] = [];
    bartek.on('message:new', (m) => seenLive.push(m));
    for (let i = 1; i <= 3; i += 1) {
      const arrival = nextEvent<Message>(bartek, 'message:new', (m) => m.text === `before ${i}`);
      await send(anna, conversation.id, `before ${i}`);
      await arrival;
    }
    const lastSeen = Math.max(...seenLive.map((m) => m.seq));
    expect(lastSeen).toBe(3);

    const gone = nextEvent(bartek, 'disconnect');
    bartek.disconnect();
    await gone;
    const missed: Message[] = [];
    for (let i = 1; i <= 7; i += 1) missed.push(await send(anna, conversation.id, `while away ${i}`));

    bartek = await reconnect(t, bartekCookie);
    const caughtUp = await catchUpAll(bartek, conversation.id, lastSeen, 3);
    expect(caughtUp.pages).toBe(3);
    expect(caughtUp.messages.map((m) => ({ id: m.id, seq: m.seq, text: m.text }))).toEqual(
      missed.map((m) => ({ id: m.id, seq: m.seq, text: m.text })),
    );

    // The last page reports hasMore: false, and a catch-up from the newest seq is empty.
    const tail = await call(bartek, 'message:catchUp', { conversationId: conversation.id, afterSeq: 9, limit: 3 });
    expect(tail).toMatchObject({ hasMore: false });
    expect(tail.messages.map((m) => m.seq)).toEqual([10]);
    expect(await call(bartek, 'message:catchUp', { conversationId: conversation.id, afterSeq: 10 })).toEqual({ messages: [], hasMore: false });

    // Live delivery resumes on the new socket.
    const arrival = nextEvent<Message>(bartek, 'message:new');
    const next = await send(anna, conversation.id, 'back online');
    expect((await arrival).id).toBe(next.id);
    expect(next.seq).toBe(11);
  });

  it('after a server restart returns exactly the missed messages, keeps every acked one, and still refuses a duplicate', async () => {
    const first = await start();
    const annaCookie = await first.signIn('anna');
    const bartekCookie = await first.signIn('bartek');
    const anna = await reconnect(first, annaCookie);
    const bartek = await reconnect(first, bartekCookie);
    const conversation = await openDirect(first, anna, 'bartek');

    const seen: Message[] = [];
    bartek.on('message:new', (m) => seen.push(m));
    const arrived = nextEvent<Message>(bartek, 'message:new', (m) => m.text === 'seen 2');
    await send(anna, conversation.id, 'seen 1');
    await send(anna, conversation.id, 'seen 2');
    await arrived;
    const lastSeen = Math.max(...seen.map((m) => m.seq));
    const gone = nextEvent(bartek, 'disconnect');
    bartek.disconnect();
    await gone;

    // A burst fired at once: every ack received before the stop must still be there afterwards.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => send(anna, conversation.id, `missed ${i}`)));
    const retriedClientId = burst[0]?.clientId as string;
    await stopKeepingFile(first);

    const second = await start(first.dataDir);
    expect(second.dataDir).toBe(first.dataDir);
    // Sessions are stored, so both browsers reconnect with the cookies they already have.
    const bartekAgain = await reconnect(second, bartekCookie);
    const annaAgain = await reconnect(second, annaCookie);

    const caughtUp = await catchUpAll(bartekAgain, conversation.id, lastSeen, 15);
    const expected = [...burst].sort((a, b) => a.seq - b.seq);
    expect(caughtUp.messages.map((m) => ({ id: m.id, seq: m.seq, text: m.text }))).toEqual(
      expected.map((m) => ({ id: m.id, seq: m.seq, text: m.text })),
    );
    expect(caughtUp.messages.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => lastSeen + 1 + i));

    const full = await history(annaAgain, conversation.id);
    expect(full.hasMore).toBe(false);
    expect(full.messages.map((m) => m.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(new Set(full.messages.map((m) => m.id)).size).toBe(42);

    // The client's outbox retries a message whose ack it lost in the restart: same message, nothing new.
    const bartekLive: Message[] = [];
    bartekAgain.on('message:new', (m) => bartekLive.push(m));
    const retried = await send(annaAgain, conversation.id, 'missed 0', retriedClientId);
    expect(retried.id).toBe(burst[0]?.id);
    expect(retried.seq).toBe(burst[0]?.seq);
    const freshArrival = nextEvent<Message>(bartekAgain, 'message:new', (m) => m.text === 'after restart');
    const fresh = await send(annaAgain, conversation.id, 'after restart', randomUUID());
    expect(fresh.seq).toBe(43);
    expect((await freshArrival).id).toBe(fresh.id);
    expect(bartekLive.map((m) => m.id)).toEqual([fresh.id]);
    const list = await call(bartekAgain, 'conversation:list', {});
    expect(list.find((c) => c.id === conversation.id)?.lastSeq).toBe(43);
  });

  it('keeps every message acked before a stop that lands in the middle of a burst; retrying the outbox adds no duplicate', async () => {
    const first = await start();
    const annaCookie = await first.signIn('anna');
    const anna = await reconnect(first, annaCookie);
    const conversation = await openDirect(first, anna, 'bartek');

    const outbox = Array.from({ length: 60 }, (_, i) => ({ conversationId: conversation.id, clientId: randomUUID(), text: `burst ${i}` }));
    const acked: Message[] = [];
    const tenAcked = new Promise<void>((resolve) => {
      for (const payload of outbox) {
        anna.emit('message:send', payload, (answer) => {
          if (answer.ok) acked.push(answer.data);
          if (acked.length === 10) resolve();
        });
      }
    });
    await tenAcked;
    await stopKeepingFile(first);
    const ackedBeforeStop = [...acked];
    expect(ackedBeforeStop.length).toBeGreaterThanOrEqual(10);

    const second = await start(first.dataDir);
    const annaAgain = await reconnect(second, annaCookie);
    const afterRestart = await catchUpAll(annaAgain, conversation.id, 0, 500);
    const storedById = new Map(afterRestart.messages.map((m) => [m.id, m]));
    for (const message of ackedBeforeStop) expect(storedById.get(message.id)?.seq).toBe(message.seq);
    expect(afterRestart.messages.map((m) => m.seq)).toEqual(afterRestart.messages.map((_, i) => i + 1));

    // The client retries everything it holds without an ack (here: the whole outbox, as after a reload).
    const retried = await Promise.all(outbox.map((payload) => send(annaAgain, payload.conversationId, payload.text, payload.clientId)));
    for (const message of ackedBeforeStop) expect(retried.find((m) => m.clientId === message.clientId)?.id).toBe(message.id);
    const final = await catchUpAll(annaAgain, conversation.id, 0, 500);
    expect(final.messages).toHaveLength(outbox.length);
    expect(final.messages.map((m) => m.seq)).toEqual(outbox.map((_, i) => i + 1));
    expect(new Set(final.messages.map((m) => m.clientId))).toEqual(new Set(outbox.map((p) => p.clientId)));
  });
});
