/**
 * Issue 11's conversation list over real sockets: the last message's plain-text preview, latest activity first, and
 * a direct conversation that reaches the colleague only with its first message (live, before the message).
 */
import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../shared/schemas/index.js';
import { nextEvent } from './support/test-app.js';
import { appPerBlock } from './support/app-lifecycle.js';
import { call, openDirect, send } from './support/messaging.js';

describe('messaging: the conversation list', () => {
  const { t, tab } = appPerBlock();

  it('lists an empty direct conversation for its opener only, and hands it to the colleague with the first message', async () => {
    const [ewa, filip] = await Promise.all([tab('ewa'), tab('filip')]);
    const direct = await openDirect(t, ewa, 'filip');
    expect(direct).toMatchObject({ lastSeq: 0, lastMessage: null, unreadMentions: 0 });
    expect((await call(ewa, 'conversation:list', {})).map((c) => c.id)).toContain(direct.id);
    expect((await call(filip, 'conversation:list', {})).map((c) => c.id)).not.toContain(direct.id);

    const learns = nextEvent<ConversationSummary>(filip, 'conversation:upsert', (c) => c.id === direct.id);
    const message = await send(ewa, direct.id, '**Pilne**: oddzwoń [tu](https://example.com)');
    expect(await learns).toMatchObject({
      id: direct.id,
      unread: 1,
      lastMessage: { id: message.id, senderId: message.senderId, preview: 'Pilne: oddzwoń tu (https://example.com)', deleted: false },
    });
    const listed = (await call(filip, 'conversation:list', {})).find((c) => c.id === direct.id);
    expect(listed?.lastMessage).toEqual({
      id: message.id,
      senderId: message.senderId,
      preview: 'Pilne: oddzwoń tu (https://example.com)',
      at: message.createdAt,
      deleted: false,
    });
  });

  it('sorts by latest activity and trims long previews', async () => {
    const darek = await tab('darek');
    const withAnna = await openDirect(t, darek, 'anna');
    const withBartek = await openDirect(t, darek, 'bartek');
    await send(darek, withBartek.id, 'pierwsza');
    await send(darek, withAnna.id, `${'długa '.repeat(40)}koniec`);
    let list = await call(darek, 'conversation:list', {});
    expect(list.map((c) => c.id).slice(0, 2)).toEqual([withAnna.id, withBartek.id]);
    const preview = list[0]!.lastMessage!.preview;
    expect([...preview]).toHaveLength(100);
    expect(preview.endsWith('…')).toBe(true);

    await send(darek, withBartek.id, 'druga');
    list = await call(darek, 'conversation:list', {});
    expect(list.map((c) => c.id).slice(0, 2)).toEqual([withBartek.id, withAnna.id]);
    expect(list[0]!.lastMessage?.preview).toBe('druga');
  });
});
