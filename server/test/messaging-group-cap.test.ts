/**
 * MAX_GROUPS_PER_EMPLOYEE: nobody ends up in more groups than the cap, however many colleagues add them at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol.js';
import type { ConversationSummary } from '../../shared/schemas/index.js';
import { call, closeAll } from './support/messaging.js';
import { PEOPLE, request, startTestApp, TEST_PASSWORD, type ClientSocket, type TestApp } from './support/test-app.js';

const CAP = 5;

describe('groups per employee', () => {
  let t: TestApp;
  const tabs: ClientSocket[] = [];
  beforeAll(async () => {
    // One companion per adder, so that each adder's groups have a member without touching anyone else's count.
    const companions = [1, 2, 3].map((i) => ({ login: `companion${i}`, name: `Companion ${i}`, password: TEST_PASSWORD }));
    t = await startTestApp({ env: { MAX_GROUPS_PER_EMPLOYEE: String(CAP) }, people: [...PEOPLE, ...companions] });
  });
  afterAll(async () => {
    closeAll(tabs);
    await t.stop({ remove: true });
  });

  const groupsOf = async (login: string) =>
    (await t.store.conversations.listForEmployee(await t.idOf(login))).filter((c) => c.conversation.kind === 'group').length;

  it('three colleagues adding one person to many groups in parallel never pass the cap', async () => {
    const adders = await Promise.all(['anna', 'bartek', 'celina'].map((login) => t.connectAs(login)));
    tabs.push(...adders);
    const ewa = await t.idOf('ewa');
    // Each adder makes groups without ewa, then all add her to all of them at once.
    const groups: Array<{ socket: ClientSocket; id: string }> = [];
    for (const [i, socket] of adders.entries()) {
      for (let g = 0; g < 4; g += 1) {
        const memberIds = [await t.idOf(`companion${i + 1}`)];
        const group = await call(socket, 'conversation:createGroup', { name: `g${i}-${g}`, memberIds });
        groups.push({ socket, id: group.id });
      }
    }
    const answers = await Promise.all(groups.map(({ socket, id }) => request(socket, 'conversation:addMembers', { conversationId: id, memberIds: [ewa] })));
    const ok = answers.filter((a) => a.ok).length;
    const refused = answers.filter((a): a is Extract<Ack<unknown>, { ok: false }> => !a.ok);
    expect(ok).toBe(CAP);
    expect(refused).toHaveLength(groups.length - CAP);
    for (const answer of refused) {
      expect(answer.error.code).toBe('TOO_MANY_GROUPS');
      expect(answer.error.limit).toBe(CAP);
      expect(answer.error.message).toContain('Ewa Lewandowska');
    }
    expect(await groupsOf('ewa')).toBe(CAP);
  });

  it('creating groups counts too, for the creator and the members, also in parallel', async () => {
    const darek = await t.connectAs('darek');
    tabs.push(darek);
    const filip = await t.idOf('filip');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => request(darek, 'conversation:createGroup', { name: `d${i}`, memberIds: [filip] })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(CAP);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error.code))).toEqual(Array(12 - CAP).fill('TOO_MANY_GROUPS'));
    expect(await groupsOf('darek')).toBe(CAP);
    expect(await groupsOf('filip')).toBe(CAP);
    // Direct conversations are not groups and stay possible.
    expect((await request(darek, 'conversation:openDirect', { employeeId: filip })).ok).toBe(true);
  });
});
