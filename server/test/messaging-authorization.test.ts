/**
 * Authorization on every conversation command: a non-member gets exactly the answer a made-up conversation id
 * gets, so nobody can read, write to, or even learn of a conversation they are not in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ConversationSummary } from '../../shared/schemas/index.js';
import { requestUnchecked, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';
import { call, errorOf, history, openDirect, watch, send } from './support/messaging.js';

const NOT_FOUND = { code: 'NOT_FOUND', message: 'No such conversation' };

/** Every command that names a conversation, as a payload builder. */
const COMMANDS: Array<[event: string, variant: string, payload: (conversationId: string, someoneId: string) => unknown]> = [
  ['message:send', '', (conversationId) => ({ conversationId, clientId: randomUUID(), text: 'let me in' })],
  ['message:history', 'newest page', (conversationId) => ({ conversationId })],
  ['message:history', 'older page', (conversationId) => ({ conversationId, beforeSeq: 2, limit: 1 })],
  ['message:catchUp', '', (conversationId) => ({ conversationId, afterSeq: 0 })],
  ['receipt:mark', 'delivered', (conversationId) => ({ conversationId, seq: 1, kind: 'delivered' })],
  ['receipt:mark', 'read', (conversationId) => ({ conversationId, seq: 1, kind: 'read' })],
  ['typing:start', '', (conversationId) => ({ conversationId })],
  ['sms:preview', '', (conversationId) => ({ conversationId })],
  ['conversation:addMembers', '', (conversationId, someoneId) => ({ conversationId, memberIds: [someoneId] })],
  ['conversation:leave', '', (conversationId) => ({ conversationId })],
];

describe('messaging: authorization', () => {
  let t: TestApp;
  let anna: ClientSocket;
  let bartek: ClientSocket;
  let darek: ClientSocket;
  let direct: ConversationSummary;
  let group: ConversationSummary;

  beforeAll(async () => {
    t = await startTestApp();
    [anna, bartek, darek] = (await Promise.all(['anna', 'bartek', 'darek'].map((l) => t.connectAs(l)))) as [ClientSocket, ClientSocket, ClientSocket];
    direct = await openDirect(t, anna, 'bartek');
    group = await call(anna, 'conversation:createGroup', { name: 'Board', memberIds: [await t.idOf('bartek')] });
    for (const id of [direct.id, group.id]) {
      await send(anna, id, 'secret one');
      await send(bartek, id, 'secret two');
    }
  });
  afterAll(async () => t.stop({ remove: true }));

  for (const [event, variant, payload] of COMMANDS) {
    it(`${event}${variant ? ` (${variant})` : ''}: a non-member gets the same NOT_FOUND as for a conversation that does not exist`, async () => {
      const someoneId = await t.idOf('darek');
      const missing = await requestUnchecked(darek, event, payload(randomUUID(), someoneId));
      expect(errorOf(missing)).toEqual(NOT_FOUND);
      for (const conversation of [direct, group]) {
        expect(await requestUnchecked(darek, event, payload(conversation.id, someoneId))).toEqual(missing);
      }
      // A member asking about a conversation that does not exist gets the same answer too.
      expect(await requestUnchecked(anna, event, payload(randomUUID(), someoneId))).toEqual(missing);
    });
  }

  it('leaves the conversations untouched and sends the non-member nothing', async () => {
    const nothing = watch([darek], 'message:new');
    const typingNothing = watch([darek], 'typing:update');
    await send(anna, direct.id, 'still private');
    await call(bartek, 'typing:start', { conversationId: group.id });
    expect(await nothing.settle()).toEqual([[]]);
    expect(await typingNothing.settle()).toEqual([[]]);

    for (const conversation of [direct, group]) {
      const page = await history(anna, conversation.id);
      expect(page.messages.some((m) => m.text === 'let me in')).toBe(false);
      const summary = (await call(anna, 'conversation:list', {})).find((c) => c.id === conversation.id);
      expect(summary?.members.map((m) => m.employeeId).sort()).toEqual([await t.idOf('anna'), await t.idOf('bartek')].sort());
    }
    expect(await call(darek, 'conversation:list', {})).toEqual([]);
  });
});
