/**
 * Issue 11 over real sockets: edits, deletions and reactions reach every member live and through catch-up by rev
 * (after a disconnect and after a restart on the same SQLite file); a deleted text is gone from the database file;
 * only the sender edits, the sender or an admin deletes; replies, mentions and history around a message.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message } from '../../shared/schemas/index.js';
import { connectWithCookie, nextEvent, request, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';
import { appsPerTest, HIGH_LIMITS } from './support/app-lifecycle.js';
import { call, errorOf, openDirect, send, watch } from './support/messaging.js';

/** Every change after `afterRev`, page by page, as the client does it. */
async function catchUpByRev(socket: ClientSocket, conversationId: string, afterRev: number, limit?: number): Promise<Message[]> {
  const all: Message[] = [];
  let cursor = afterRev;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await call(socket, 'message:catchUp', { conversationId, afterRev: cursor, ...(limit ? { limit } : {}) });
    all.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) return all;
    cursor = last.rev;
  }
  throw new Error('catch-up does not end');
}

describe('message changes (issue 11)', () => {
  const { start, stopKeepingFile, tabs } = appsPerTest({ env: HIGH_LIMITS });
  async function group(t: TestApp, creator: ClientSocket, logins: string[]): Promise<ConversationSummary> {
    return call(creator, 'conversation:createGroup', { name: 'Oddział', memberIds: await Promise.all(logins.map((l) => t.idOf(l))) });
  }

  it('pushes edits, deletions and reactions to every member tab live, each with the next rev', async () => {
    const t = await start();
    const bartekCookie = await t.signIn('bartek');
    const bartek = await connectWithCookie(t.url, bartekCookie, undefined, tabs);
    const [darek1, darek2] = await t.tabsOf('darek', 2);
    const anna = await t.connectAs('anna');
    const conversation = await group(t, bartek, ['anna', 'darek']);
    const sent = await send(bartek, conversation.id, 'Spotkanie o 10');
    expect(sent).toMatchObject({ rev: 1, editedAt: null, deleted: null, replyTo: null, reactions: [], mentions: [], mentionsAll: false });

    const updates = watch<Message>([anna, darek1 as ClientSocket, darek2 as ClientSocket, bartek], 'message:updated');
    const edited = await call(bartek, 'message:edit', { conversationId: conversation.id, messageId: sent.id, text: 'Spotkanie o 11' });
    const reacted = await call(darek1 as ClientSocket, 'message:react', { conversationId: conversation.id, messageId: sent.id, emoji: '👍', add: true });
    // Adding the same reaction again changes nothing and tells nobody.
    const repeated = await call(darek2 as ClientSocket, 'message:react', { conversationId: conversation.id, messageId: sent.id, emoji: '👍', add: true });
    const deleted = await call(bartek, 'message:delete', { conversationId: conversation.id, messageId: sent.id });
    expect(edited).toMatchObject({ rev: 2, text: 'Spotkanie o 11' });
    expect(edited.editedAt).not.toBeNull();
    expect(reacted).toMatchObject({ rev: 3, reactions: [{ emoji: '👍', employeeIds: [await t.idOf('darek')] }] });
    expect(repeated.rev).toBe(3);
    expect(deleted).toMatchObject({ rev: 4, text: '', reactions: [], deleted: { byId: await t.idOf('bartek') } });

    const seen = await updates.settle();
    for (const list of seen) expect(list.map((m) => [m.rev, m.text])).toEqual([
      [2, 'Spotkanie o 11'],
      [3, 'Spotkanie o 11'],
      [4, ''],
    ]);
    expect((await call(anna, 'conversation:list', {})).find((c) => c.id === conversation.id)?.lastRev).toBe(4);
  });

  it('carries new and changed messages through catch-up by rev after a disconnect: nothing missed, nothing twice', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const bartekCookie = await t.signIn('bartek');
    let bartek = await connectWithCookie(t.url, bartekCookie, undefined, tabs);
    const conversation = await openDirect(t, anna, 'bartek');
    const first = await send(anna, conversation.id, 'pierwsza');
    const second = await send(anna, conversation.id, 'druga');
    const lastRev = second.rev;

    const gone = nextEvent(bartek, 'disconnect');
    bartek.disconnect();
    await gone;
    await call(anna, 'message:edit', { conversationId: conversation.id, messageId: first.id, text: 'pierwsza poprawiona' });
    const third = await send(anna, conversation.id, 'trzecia');
    await call(anna, 'message:react', { conversationId: conversation.id, messageId: third.id, emoji: '✅', add: true });
    await call(anna, 'message:delete', { conversationId: conversation.id, messageId: second.id });
    await call(anna, 'message:edit', { conversationId: conversation.id, messageId: first.id, text: 'pierwsza po raz drugi' });

    bartek = await connectWithCookie(t.url, bartekCookie, undefined, tabs);
    const caught = await catchUpByRev(bartek, conversation.id, lastRev, 2);
    expect(caught.map((m) => [m.id, m.rev, m.text, m.deleted !== null, m.reactions.length])).toEqual([
      [third.id, 5, 'trzecia', false, 1],
      [second.id, 6, '', true, 0],
      [first.id, 7, 'pierwsza po raz drugi', false, 0],
    ]);
    expect(await call(bartek, 'message:catchUp', { conversationId: conversation.id, afterRev: 7 })).toEqual({ messages: [], hasMore: false });
    // The seq catch-up still answers new messages only, as before.
    expect((await call(bartek, 'message:catchUp', { conversationId: conversation.id, afterSeq: 2 })).messages.map((m) => m.id)).toEqual([third.id]);
    expect(errorOf(await request(bartek, 'message:catchUp', { conversationId: conversation.id }))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('keeps revs and changes across a server restart on the same SQLite file', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const conversation = await openDirect(t, anna, 'bartek');
    const kept = await send(anna, conversation.id, 'przed restartem');
    await call(anna, 'message:react', { conversationId: conversation.id, messageId: kept.id, emoji: '🙏', add: true });
    await stopKeepingFile(t);

    const again = await start(t.dataDir);
    const bartek = await again.connectAs('bartek');
    const annaAgain = await again.connectAs('anna');
    const live = nextEvent<Message>(bartek, 'message:updated');
    const edited = await call(annaAgain, 'message:edit', { conversationId: conversation.id, messageId: kept.id, text: 'po restarcie' });
    expect(edited.rev).toBe(3);
    expect((await live).rev).toBe(3);
    const caught = await catchUpByRev(bartek, conversation.id, 0);
    expect(caught.map((m) => [m.rev, m.text, m.reactions.map((r) => r.emoji)])).toEqual([[3, 'po restarcie', ['🙏']]]);
  });

  it('removes a deleted text from the database file and its WAL, and from history', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const conversation = await openDirect(t, anna, 'bartek');
    const secret = `hasło-${randomUUID()}`;
    const file = path.join(t.dataDir, 'depesza.sqlite');
    const bytesOnDisk = () => {
      const db = new Database(file);
      db.pragma('busy_timeout = 5000');
      try {
        // TRUNCATE: every page into the main file and the WAL emptied. The app's checkpoint thread may hold the
        // checkpoint lock at that moment (busy, log -1): try again until one truncation has really happened.
        let result: unknown;
        for (let attempt = 0; attempt < 50; attempt++) {
          result = db.pragma('wal_checkpoint(TRUNCATE)');
          if ((result as Array<{ busy: number }>)[0]?.busy === 0) break;
        }
        expect(result).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
      } finally {
        db.close();
      }
      return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    };
    // Long enough to spill onto overflow pages, which a delete frees whole: without secure_delete their bytes stay.
    const sent = await send(anna, conversation.id, `Kod do drzwi: ${secret} ${'i jeszcze długi opis. '.repeat(170)}${secret}`);
    await send(anna, conversation.id, 'zostaje');
    expect(bytesOnDisk().includes(Buffer.from(secret))).toBe(true);

    await call(anna, 'message:delete', { conversationId: conversation.id, messageId: sent.id });
    expect(bytesOnDisk().includes(Buffer.from(secret))).toBe(false);
    const page = await call(anna, 'message:history', { conversationId: conversation.id });
    expect(page.messages.map((m) => m.text)).toEqual(['', 'zostaje']);
  });

  it('lets only the sender edit, and the sender or an admin delete (recording who)', async () => {
    const t = await start();
    const bartek = await t.connectAs('bartek');
    const darek = await t.connectAs('darek');
    const anna = await t.connectAs('anna');
    const ewa = await t.connectAs('ewa');
    const conversation = await group(t, bartek, ['darek', 'anna']);
    const sent = await send(bartek, conversation.id, 'moja wiadomość');
    const ref = { conversationId: conversation.id, messageId: sent.id };

    expect(errorOf(await request(darek, 'message:edit', { ...ref, text: 'cudza' }))).toMatchObject({ code: 'NOT_YOUR_MESSAGE' });
    expect(errorOf(await request(darek, 'message:delete', ref))).toMatchObject({ code: 'NOT_YOUR_MESSAGE' });
    expect(errorOf(await request(anna, 'message:edit', { ...ref, text: 'admin też nie' }))).toMatchObject({ code: 'NOT_YOUR_MESSAGE' });
    expect(errorOf(await request(ewa, 'message:delete', ref))).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(await request(bartek, 'message:edit', { ...ref, text: '   ' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await call(darek, 'message:history', { conversationId: conversation.id })).messages[0]?.text).toBe('moja wiadomość');

    const removed = await call(anna, 'message:delete', ref);
    expect(removed.deleted).toMatchObject({ byId: await t.idOf('anna') });
    expect(errorOf(await request(bartek, 'message:edit', { ...ref, text: 'wskrzeszona' }))).toMatchObject({ code: 'MESSAGE_DELETED' });
    expect(errorOf(await request(darek, 'message:react', { ...ref, emoji: '👍', add: true }))).toMatchObject({ code: 'MESSAGE_DELETED' });
  });

  it('validates reactions: one emoji, idempotent add and remove, at most 20 different', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const conversation = await openDirect(t, anna, 'bartek');
    const sent = await send(anna, conversation.id, 'reakcje');
    const ref = { conversationId: conversation.id, messageId: sent.id };
    for (const emoji of ['a', '👍👍', ':+1:']) {
      expect(errorOf(await request(anna, 'message:react', { ...ref, emoji, add: true }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'emoji' });
    }
    const many = ['👍', '✅', '❤️', '😂', '😮', '🙏', '🎉', '🔥', '👀', '💯', '🚀', '👏', '🤔', '😢', '😡', '🙌', '💪', '🤝', '⭐', '🍕'];
    for (const emoji of many) await call(anna, 'message:react', { ...ref, emoji, add: true });
    expect(errorOf(await request(anna, 'message:react', { ...ref, emoji: '🌵', add: true }))).toMatchObject({ code: 'TOO_MANY_REACTIONS', limit: 20 });
    const removed = await call(anna, 'message:react', { ...ref, emoji: '👍', add: false });
    expect(removed.reactions).toHaveLength(19);
    const again = await call(anna, 'message:react', { ...ref, emoji: '👍', add: false });
    expect(again.rev).toBe(removed.rev);
  });

  it('replies quote their original from the same conversation only, and mentions name members only', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const bartek = await t.connectAs('bartek');
    const direct = await openDirect(t, anna, 'bartek');
    const other = await openDirect(t, anna, 'darek');
    const original = await send(anna, direct.id, `${'długi tekst '.repeat(20)}koniec`);
    const elsewhere = await send(anna, other.id, 'gdzie indziej');

    const arrival = nextEvent<Message>(bartek, 'message:new');
    const reply = await call(bartek, 'message:send', { conversationId: direct.id, clientId: randomUUID(), text: 'odpowiedź', replyToId: original.id, mentions: [await t.idOf('anna')] });
    expect(reply.replyTo).toMatchObject({ messageId: original.id, senderId: await t.idOf('anna'), deleted: false });
    expect(Array.from(reply.replyTo?.excerpt ?? '')).toHaveLength(141);
    expect((await arrival).replyTo).toEqual(reply.replyTo);
    expect(reply.mentions).toEqual([await t.idOf('anna')]);

    const bad = { conversationId: direct.id, clientId: randomUUID(), text: 'x' };
    expect(errorOf(await request(bartek, 'message:send', { ...bad, replyToId: elsewhere.id }))).toMatchObject({ code: 'REPLY_TARGET_INVALID', field: 'replyToId' });
    expect(errorOf(await request(bartek, 'message:send', { ...bad, mentions: [await t.idOf('anna'), await t.idOf('darek')] }))).toMatchObject({
      code: 'MENTION_NOT_MEMBER',
      field: 'mentions/1',
    });
    expect(errorOf(await request(bartek, 'message:send', { ...bad, mentionsAll: true }))).toMatchObject({ code: 'MENTION_ALL_NOT_IN_GROUP' });

    await call(anna, 'message:delete', { conversationId: direct.id, messageId: original.id });
    const page = await call(bartek, 'message:history', { conversationId: direct.id });
    expect(page.messages.find((m) => m.id === reply.id)?.replyTo).toEqual({ messageId: original.id, senderId: await t.idOf('anna'), excerpt: '', deleted: true });
  });

  it('answers history around a message with half a page on each side', async () => {
    const t = await start();
    const anna = await t.connectAs('anna');
    const conversation = await openDirect(t, anna, 'bartek');
    const sent: Message[] = [];
    for (let i = 1; i <= 30; i++) sent.push(await send(anna, conversation.id, `m${i}`));
    const target = sent[9] as Message;
    const page = await call(anna, 'message:history', { conversationId: conversation.id, around: target.id, limit: 10 });
    expect(page.messages.map((m) => m.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: true });
    const atEnd = await call(anna, 'message:history', { conversationId: conversation.id, around: (sent[28] as Message).id, limit: 10 });
    expect(atEnd.messages.map((m) => m.seq)).toEqual([24, 25, 26, 27, 28, 29, 30]);
    expect(atEnd).toMatchObject({ hasMore: true, hasNewer: false });
    const other = await openDirect(t, anna, 'darek');
    expect(errorOf(await request(anna, 'message:history', { conversationId: other.id, around: target.id }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('message changes under concurrency (issue 11)', () => {
  let t: TestApp;
  afterEach(async () => t?.stop({ remove: true }));

  it('loses no reaction when members react at the same moment, and the rev log holds the message once', async () => {
    t = await startTestApp({ env: HIGH_LIMITS });
    const [anna, bartek, darek] = await Promise.all(['anna', 'bartek', 'darek'].map((login) => t.connectAs(login))) as [ClientSocket, ClientSocket, ClientSocket];
    const conversation = await call(anna, 'conversation:createGroup', { name: 'Reakcje', memberIds: [await t.idOf('bartek'), await t.idOf('darek')] });
    const sent = await send(anna, conversation.id, 'kto jest?');
    const emoji = ['👍', '✅', '❤️', '😂', '😮', '🙏'];
    const ref = { conversationId: conversation.id, messageId: sent.id };
    const answers = await Promise.all(
      [anna, bartek, darek].flatMap((socket) => emoji.map((e) => call(socket, 'message:react', { ...ref, emoji: e, add: true }))),
    );
    const revs = answers.map((m) => m.rev);
    expect(new Set(revs).size).toBe(18);
    expect(Math.max(...revs)).toBe(19);
    const [latest] = await catchUpByRev(bartek, conversation.id, 0);
    expect(latest?.rev).toBe(19);
    expect(latest?.reactions.map((r) => [r.emoji, r.employeeIds.length])).toEqual(
      expect.arrayContaining(emoji.map((e) => [e, 3])),
    );
    expect(await catchUpByRev(bartek, conversation.id, 0)).toHaveLength(1);
  });

  it('holds the cap of 20 different reactions when members add new ones at the same moment', async () => {
    t = await startTestApp({ env: HIGH_LIMITS });
    const [anna, bartek, darek] = await Promise.all(['anna', 'bartek', 'darek'].map((login) => t.connectAs(login))) as [ClientSocket, ClientSocket, ClientSocket];
    const conversation = await call(anna, 'conversation:createGroup', { name: 'Limit', memberIds: [await t.idOf('bartek'), await t.idOf('darek')] });
    const sent = await send(anna, conversation.id, 'reagujcie');
    const ref = { conversationId: conversation.id, messageId: sent.id };
    const emoji = ['👍', '✅', '❤️', '😂', '😮', '🙏', '🎉', '🔥', '👀', '💯', '🚀', '👏', '🤔', '😢', '😡', '🙌', '💪', '🤝', '⭐', '🍕', '🌵', '🍎', '🎈', '🐱', '🌞', '🍀', '🎸', '📌', '🧀', '🚲'];
    const sockets = [anna, bartek, darek];
    const answers = await Promise.all(emoji.map((e, i) => request(sockets[i % 3] as ClientSocket, 'message:react', { ...ref, emoji: e, add: true })));
    const accepted = answers.filter((answer) => answer.ok);
    expect(accepted).toHaveLength(20);
    for (const answer of answers) if (!answer.ok) expect(errorOf(answer)).toMatchObject({ code: 'TOO_MANY_REACTIONS', limit: 20 });
    const [latest] = await catchUpByRev(bartek, conversation.id, 0);
    expect(latest?.reactions).toHaveLength(20);
  });
});
