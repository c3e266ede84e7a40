/**
 * Group conversations: creating one, adding colleagues (who then see it and its history), leaving (no more
 * events, refused afterwards).
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ConversationSummary, Message } from '../../shared/schemas/index.js';
import { nextEvent, request, type ClientSocket } from './support/test-app.js';
import { appPerBlock } from './support/app-lifecycle.js';
import { call, errorOf, history, openDirect, watch, send } from './support/messaging.js';

const NOT_FOUND = { code: 'NOT_FOUND', message: 'No such conversation' };

describe('messaging: groups', () => {
  const { t, tab } = appPerBlock();
  const memberIdsOf = (c: ConversationSummary) => c.members.map((m) => m.employeeId).sort();

  it('creates a group, lets a member add a colleague who sees its history, and stops everything for one who leaves', async () => {
    const [anna, bartek, celina, darek] = await Promise.all(['anna', 'bartek', 'celina', 'darek'].map(tab)) as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    const [annaId, bartekId, celinaId, darekId] = (await Promise.all(['anna', 'bartek', 'celina', 'darek'].map((l) => t.idOf(l)))) as [string, string, string, string];

    const bartekLearns = nextEvent<ConversationSummary>(bartek, 'conversation:upsert');
    const group = await call(anna, 'conversation:createGroup', { name: '  Project X  ', memberIds: [bartekId, celinaId] });
    expect(group).toMatchObject({ kind: 'group', name: 'Project X', lastSeq: 0, unread: 0 });
    expect(memberIdsOf(group)).toEqual([annaId, bartekId, celinaId].sort());
    expect(group.members.find((m) => m.employeeId === bartekId)?.name).toBe('Bartek Nowak');
    expect(await bartekLearns).toMatchObject({ id: group.id, name: 'Project X' });
    expect((await call(darek, 'conversation:list', {})).some((c) => c.id === group.id)).toBe(false);

    const first = await send(anna, group.id, 'Kick-off at 10');
    const second = await send(bartek, group.id, 'OK');

    const darekLearns = nextEvent<ConversationSummary>(darek, 'conversation:upsert', (c) => c.id === group.id);
    const annaSeesGrowth = nextEvent<ConversationSummary>(anna, 'conversation:upsert', (c) => c.id === group.id);
    const grown = await call(bartek, 'conversation:addMembers', { conversationId: group.id, memberIds: [darekId] });
    expect(memberIdsOf(grown)).toEqual([annaId, bartekId, celinaId, darekId].sort());
    expect(memberIdsOf(await darekLearns)).toEqual(memberIdsOf(grown));
    expect(memberIdsOf(await annaSeesGrowth)).toEqual(memberIdsOf(grown));
    expect((await call(darek, 'conversation:list', {})).find((c) => c.id === group.id)).toMatchObject({ name: 'Project X', lastSeq: 2 });
    expect((await history(darek, group.id)).messages.map((m) => m.id)).toEqual([first.id, second.id]);

    const everyone = [anna, bartek, celina].map((s) => nextEvent<Message>(s, 'message:new', (m) => m.text === 'Hello, I am new'));
    const fromDarek = await send(darek, group.id, 'Hello, I am new');
    for (const received of await Promise.all(everyone)) expect(received.id).toBe(fromDarek.id);

    const celinaRemoved = nextEvent<{ conversationId: string }>(celina, 'conversation:removed');
    const annaSeesLeave = nextEvent<ConversationSummary>(anna, 'conversation:upsert', (c) => c.id === group.id && c.members.length === 3);
    expect(await call(celina, 'conversation:leave', { conversationId: group.id })).toEqual({ conversationId: group.id });
    expect(await celinaRemoved).toEqual({ conversationId: group.id });
    expect(memberIdsOf(await annaSeesLeave)).toEqual([annaId, bartekId, darekId].sort());
    expect((await call(celina, 'conversation:list', {})).some((c) => c.id === group.id)).toBe(false);

    const celinaHearsNothing = watch([celina], 'message:new');
    const othersHear = [anna, bartek, darek].map((s) => nextEvent<Message>(s, 'message:new', (m) => m.text === 'Celina left'));
    await send(anna, group.id, 'Celina left');
    await Promise.all(othersHear);
    const typingQuiet = watch([celina], 'typing:update');
    await call(anna, 'typing:start', { conversationId: group.id });
    expect(await celinaHearsNothing.settle()).toEqual([[]]);
    expect(await typingQuiet.settle()).toEqual([[]]);

    expect(errorOf(await request(celina, 'message:send', { conversationId: group.id, clientId: randomUUID(), text: 'Can I?' }))).toEqual(NOT_FOUND);
    expect(errorOf(await request(celina, 'message:history', { conversationId: group.id }))).toEqual(NOT_FOUND);
    expect(errorOf(await request(celina, 'message:catchUp', { conversationId: group.id, afterSeq: 0 }))).toEqual(NOT_FOUND);
    expect(errorOf(await request(celina, 'conversation:leave', { conversationId: group.id }))).toEqual(NOT_FOUND);
    expect(errorOf(await request(celina, 'conversation:addMembers', { conversationId: group.id, memberIds: [celinaId] }))).toEqual(NOT_FOUND);
  });

  it('refuses group-only commands on a direct conversation and unknown colleagues in a group', async () => {
    const anna = await tab('anna');
    const direct = await openDirect(t, anna, 'ewa');
    expect(errorOf(await request(anna, 'conversation:leave', { conversationId: direct.id })).code).toBe('VALIDATION_FAILED');
    expect(errorOf(await request(anna, 'conversation:addMembers', { conversationId: direct.id, memberIds: [await t.idOf('filip')] })).code).toBe(
      'VALIDATION_FAILED',
    );
    expect(errorOf(await request(anna, 'conversation:createGroup', { name: 'Ghosts', memberIds: [randomUUID()] })).code).toBe('VALIDATION_FAILED');
    expect(errorOf(await request(anna, 'conversation:createGroup', { name: '   ', memberIds: [await t.idOf('ewa')] }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('name'),
    });
    // Opening the same pair again, from either side, yields the same conversation.
    const ewa = await tab('ewa');
    expect((await openDirect(t, ewa, 'anna')).id).toBe(direct.id);
  });
});
