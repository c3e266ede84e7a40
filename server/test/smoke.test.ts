import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { nextEvent, request, startTestApp, type TestApp } from './support/test-app.js';
import type { ConversationSummary, Message } from '../../shared/schemas/index.js';

describe('smoke: two employees chat over real sockets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.stop({ remove: true }));

  it('delivers a message live to the recipient', async () => {
    const anna = await t.connectAs('anna');
    const bartek = await t.connectAs('bartek');
    const opened = await request(anna, 'conversation:openDirect', { employeeId: await t.idOf('bartek') });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const arrival = nextEvent<Message>(bartek, 'message:new');
    const sent = await request(anna, 'message:send', { conversationId: opened.data.id, clientId: randomUUID(), text: '  Cześć!  ' });
    expect(sent.ok && sent.data.text).toBe('Cześć!');
    expect((await arrival).text).toBe('Cześć!');
  });
});
