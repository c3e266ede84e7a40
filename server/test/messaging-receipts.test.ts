/**
 * Delivered/read receipts (never going backwards), unread counts in conversation:list, and typing indicators.
 */
import { describe, expect, it } from 'vitest';
import type { ReceiptUpdate } from '../../shared/protocol.js';
import type { ConversationSummary } from '../../shared/schemas/index.js';
import { nextEvent, request, type ClientSocket } from './support/test-app.js';
import { appPerBlock } from './support/app-lifecycle.js';
import { call, openDirect, watch, send, unwrap } from './support/messaging.js';

describe('messaging: receipts, unread counts and typing', () => {
  const { t, tab } = appPerBlock();
  const mark = async (socket: ClientSocket, conversationId: string, kind: 'delivered' | 'read', seq: number) =>
    expect(unwrap(await request(socket, 'receipt:mark', { conversationId, kind, seq }))).toBeNull();
  const summaryOf = async (socket: ClientSocket, conversationId: string): Promise<ConversationSummary> => {
    const found = (await call(socket, 'conversation:list', {})).find((c) => c.id === conversationId);
    if (!found) throw new Error(`conversation ${conversationId} is not in the list`);
    return found;
  };

  it('tells every tab of the sender when the recipient marks delivered, then read', async () => {
    const anna = await tab('anna');
    const annaOtherTab = await tab('anna');
    const bartek = await tab('bartek');
    const bartekId = await t.idOf('bartek');
    const annaId = await t.idOf('anna');
    const conversation = await openDirect(t, anna, 'bartek');
    for (const text of ['one', 'two', 'three']) await send(anna, conversation.id, text);

    let updates = [anna, annaOtherTab].map((s) => nextEvent<ReceiptUpdate>(s, 'receipt:update'));
    await mark(bartek, conversation.id, 'delivered', 3);
    for (const update of await Promise.all(updates)) {
      expect(update).toEqual({ conversationId: conversation.id, employeeId: bartekId, deliveredSeq: 3, readSeq: 0 });
    }

    updates = [anna, annaOtherTab].map((s) => nextEvent<ReceiptUpdate>(s, 'receipt:update'));
    await mark(bartek, conversation.id, 'read', 2);
    for (const update of await Promise.all(updates)) {
      expect(update).toEqual({ conversationId: conversation.id, employeeId: bartekId, deliveredSeq: 3, readSeq: 2 });
    }

    const members = (await summaryOf(anna, conversation.id)).members;
    expect(members.find((m) => m.employeeId === bartekId)).toMatchObject({ deliveredSeq: 3, readSeq: 2 });
    // What you send, you have read.
    expect(members.find((m) => m.employeeId === annaId)).toMatchObject({ deliveredSeq: 3, readSeq: 3 });
  });

  it('never moves a mark backwards: a lower seq changes nothing and announces nothing', async () => {
    const darek = await tab('darek');
    const ewa = await tab('ewa');
    const ewaId = await t.idOf('ewa');
    const conversation = await openDirect(t, darek, 'ewa');
    for (const text of ['a', 'b', 'c', 'd']) await send(darek, conversation.id, text);
    const raised = nextEvent<ReceiptUpdate>(darek, 'receipt:update', (u) => u.readSeq === 3);
    await mark(ewa, conversation.id, 'read', 3);
    expect(await raised).toMatchObject({ deliveredSeq: 3, readSeq: 3 });

    const quiet = watch<ReceiptUpdate>([darek], 'receipt:update');
    await mark(ewa, conversation.id, 'read', 1);
    await mark(ewa, conversation.id, 'delivered', 2);
    await mark(ewa, conversation.id, 'read', 3);
    expect(await quiet.settle()).toEqual([[]]);
    expect((await summaryOf(darek, conversation.id)).members.find((m) => m.employeeId === ewaId)).toMatchObject({ deliveredSeq: 3, readSeq: 3 });

    // Nor can a mark run ahead of the last message that exists.
    const clamped = nextEvent<ReceiptUpdate>(darek, 'receipt:update');
    await mark(ewa, conversation.id, 'read', 999);
    expect(await clamped).toMatchObject({ employeeId: ewaId, deliveredSeq: 4, readSeq: 4 });
  });

  it('counts unread messages per conversation for each member in conversation:list', async () => {
    const anna = await tab('anna');
    const celina = await tab('celina');
    const conversation = await openDirect(t, anna, 'celina');
    for (const text of ['1', '2', '3', '4']) await send(anna, conversation.id, text);

    expect(await summaryOf(celina, conversation.id)).toMatchObject({ unread: 4, lastSeq: 4 });
    expect(await summaryOf(anna, conversation.id)).toMatchObject({ unread: 0, lastSeq: 4 });

    await mark(celina, conversation.id, 'read', 3);
    expect((await summaryOf(celina, conversation.id)).unread).toBe(1);
    // Delivered is not read.
    await mark(celina, conversation.id, 'delivered', 4);
    expect((await summaryOf(celina, conversation.id)).unread).toBe(1);
    await mark(celina, conversation.id, 'read', 4);
    expect((await summaryOf(celina, conversation.id)).unread).toBe(0);

    await send(celina, conversation.id, 'reply');
    expect((await summaryOf(anna, conversation.id)).unread).toBe(1);
    expect((await summaryOf(celina, conversation.id)).unread).toBe(0);
  });

  it('sends typing:update to the other member’s tabs only', async () => {
    const anna = await tab('anna');
    const annaOtherTab = await tab('anna');
    const bartek = await tab('bartek');
    const bartekOtherTab = await tab('bartek');
    const celina = await tab('celina');
    const conversation = await openDirect(t, anna, 'bartek');

    const arrivals = [bartek, bartekOtherTab].map((s) => nextEvent<{ conversationId: string; employeeId: string }>(s, 'typing:update'));
    const elsewhere = watch([anna, annaOtherTab, celina], 'typing:update');
    expect(unwrap(await request(anna, 'typing:start', { conversationId: conversation.id }))).toBeNull();
    for (const update of await Promise.all(arrivals)) {
      expect(update).toEqual({ conversationId: conversation.id, employeeId: await t.idOf('anna') });
    }
    expect(await elsewhere.settle()).toEqual([[], [], []]);
  });
});
