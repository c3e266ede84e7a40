/**
 * Hostile and broken input: malformed payloads, oversized frames, unknown events and floods all get an error
 * ack naming the problem, and the server keeps serving everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Ack } from '../../shared/protocol.js';
import type { ConversationSummary, Message } from '../../shared/schemas/index.js';
import { nextEvent, request, requestUnchecked, startTestApp, type ClientSocket, type TestApp } from './support/test-app.js';
import { call, errorOf, history, openDirect, watch, send } from './support/messaging.js';

/** Emits anything at all, bypassing the typed contract (that is the point of these tests). */
const rawEmit = (socket: ClientSocket, ...args: unknown[]) => (socket as unknown as { emit: (...a: unknown[]) => void }).emit(...args);

describe('messaging: malformed, oversized and unknown events', () => {
  let t: TestApp;
  let anna: ClientSocket;
  let bartek: ClientSocket;
  let conversation: ConversationSummary;
  const valid = () => ({ conversationId: conversation.id, clientId: randomUUID(), text: 'fine' });

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', RATE_LIMIT_EVENTS_PER_MINUTE: '100000' } });
    anna = await t.connectAs('anna');
    bartek = await t.connectAs('bartek');
    conversation = await openDirect(t, anna, 'bartek');
  });
  afterAll(async () => t.stop({ remove: true }));

  const refused = async (event: string, payload: unknown, field: string) => {
    const error = errorOf(await requestUnchecked(anna, event, payload));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(field);
    return error;
  };

  it('names the missing field', async () => {
    const { clientId, text, conversationId } = valid();
    await refused('message:send', { conversationId, text }, 'clientId');
    await refused('message:send', { clientId, text }, 'conversationId');
    await refused('message:send', { conversationId, clientId }, 'text');
    await refused('message:catchUp', { conversationId }, 'afterSeq');
    await refused('receipt:mark', { conversationId, seq: 1 }, 'kind');
    await refused('conversation:openDirect', {}, 'employeeId');
  });

  it('names the field of the wrong type or value', async () => {
    await refused('message:send', { ...valid(), text: 42 }, 'text');
    await refused('message:send', { ...valid(), conversationId: 7 }, 'conversationId');
    await refused('message:send', { ...valid(), notifySms: 'yes' }, 'notifySms');
    await refused('message:history', { conversationId: conversation.id, limit: 'ten' }, 'limit');
    await refused('message:history', { conversationId: conversation.id, limit: 0 }, 'limit');
    await refused('message:history', { conversationId: conversation.id, beforeSeq: 1.5 }, 'beforeSeq');
    await refused('message:catchUp', { conversationId: conversation.id, afterSeq: -1 }, 'afterSeq');
    await refused('receipt:mark', { conversationId: conversation.id, seq: 1, kind: 'seen' }, 'kind');
    await refused('presence:set', { state: 'busy' }, 'state');
    await refused('conversation:createGroup', { name: 'Empty', memberIds: [] }, 'memberIds');
  });

  it('refuses unknown fields, naming them', async () => {
    const error = await refused('message:send', { ...valid(), senderId: randomUUID() }, 'senderId');
    expect(error.message).toBe('payload has unknown field "senderId"');
    await refused('message:history', { conversationId: conversation.id, seq: 3 }, '"seq"');
    await refused('conversation:list', { all: true }, '"all"');
  });

  it('refuses payloads that are not objects', async () => {
    for (const payload of ['hello', 42, true, null, [valid()]]) await refused('message:send', payload, 'payload');
    const twoPayloads = await new Promise<Ack<unknown>>((resolve) => rawEmit(anna, 'message:send', valid(), valid(), resolve));
    expect(errorOf(twoPayloads)).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('one payload') });
  });

  it('refuses a clientId that is not a UUID', async () => {
    for (const clientId of ['not-a-uuid', '', '1234', `${randomUUID()}x`]) await refused('message:send', { ...valid(), clientId }, 'clientId');
  });

  it('refuses empty and whitespace-only text, and text above MESSAGE_MAX_LENGTH', async () => {
    for (const text of ['', '   ', ' \n\t\r\n ']) await refused('message:send', { ...valid(), text }, 'text');
    const max = t.config.messageMaxLength;
    expect(max).toBe(4000);
    const tooLong = await refused('message:send', { ...valid(), text: 'x'.repeat(max + 1) }, 'text');
    expect(tooLong.message).toContain(String(max));
    // Surrounding whitespace does not count; exactly the maximum is fine.
    const longest = await send(anna, conversation.id, `  ${'y'.repeat(max)}\n`);
    expect(longest.text).toHaveLength(max);
    await refused('message:send', { ...valid(), text: 'z'.repeat(20_001) }, 'text');
  });

  it('answers a payload above 64 KB with PAYLOAD_TOO_LARGE', async () => {
    const big = errorOf(await request(anna, 'message:send', { ...valid(), text: 'x'.repeat(70_000) }));
    expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('64 KB') });
    const padded = errorOf(await requestUnchecked(anna, 'message:history', { conversationId: conversation.id, padding: 'p'.repeat(65 * 1024) }));
    expect(padded.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown events with UNKNOWN_EVENT, and ignores them without an ack', async () => {
    expect(errorOf(await requestUnchecked(anna, 'message:purge', { id: 'x' }))).toEqual({ code: 'UNKNOWN_EVENT', message: 'Unknown event "message:purge"' });
    expect(errorOf(await requestUnchecked(anna, '__proto__', {})).code).toBe('UNKNOWN_EVENT');
    expect(errorOf(await requestUnchecked(anna, 'x'.repeat(500), {})).message.length).toBeLessThan(100);
    rawEmit(anna, 'admin:dropAll', {});
    rawEmit(anna, 'message:send', { text: 'no ack, bad payload' });
    expect(anna.connected).toBe(true);
  });

  it('drops a connection whose frame exceeds the hard transport limit, and nobody else', async () => {
    const reckless = await t.connectAs('celina');
    const dropped = nextEvent<string>(reckless, 'disconnect');
    rawEmit(reckless, 'message:send', { ...valid(), text: 'x'.repeat(2 * 1024 * 1024) });
    expect(await dropped).toBe('transport close');
    expect(anna.connected && bartek.connected).toBe(true);
  });

  it('keeps serving after all of that: a normal send still works and nothing invalid was stored', async () => {
    const arrival = nextEvent<Message>(bartek, 'message:new');
    const sent = await send(anna, conversation.id, 'still here');
    expect((await arrival).id).toBe(sent.id);
    const page = await history(bartek, conversation.id);
    expect(page.messages.map((m) => m.text.slice(0, 10))).toEqual(['y'.repeat(10), 'still here']);
    expect((await fetch(`${t.url}/api/config`)).status).toBe(200);
  });
});

describe('messaging: flood limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '5', RATE_LIMIT_EVENTS_PER_MINUTE: '12' } });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('answers the 6th quick message with RATE_LIMITED, over all of the sender’s tabs, and not for others', async () => {
    const anna = await t.connectAs('anna');
    const annaOtherTab = await t.connectAs('anna');
    const bartek = await t.connectAs('bartek');
    const conversation = await openDirect(t, anna, 'bartek');
    const received: Message[] = [];
    bartek.on('message:new', (m) => received.push(m));

    for (let i = 1; i <= 5; i += 1) await send(anna, conversation.id, `quick ${i}`);
    const limited = errorOf(await request(anna, 'message:send', { conversationId: conversation.id, clientId: randomUUID(), text: 'quick 6' }));
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/slow down/i) });
    expect(errorOf(await request(annaOtherTab, 'message:send', { conversationId: conversation.id, clientId: randomUUID(), text: 'other tab' })).code).toBe(
      'RATE_LIMITED',
    );

    // Refused messages are not stored, and the recipient is not limited by the sender's flood.
    const page = await history(bartek, conversation.id);
    expect(page.messages.map((m) => m.text)).toEqual(['quick 1', 'quick 2', 'quick 3', 'quick 4', 'quick 5']);
    const reply = await send(bartek, conversation.id, 'calm down');
    expect(reply.seq).toBe(6);
    await watch([bartek], 'message:new').settle();
    expect(received.map((m) => m.text)).toEqual(['quick 1', 'quick 2', 'quick 3', 'quick 4', 'quick 5', 'calm down']);

    // Every command counts against the event limit (12 a minute): bartek has used 3 (history, send, the settle).
    for (let i = 4; i <= 12; i += 1) await call(bartek, 'conversation:list', {});
    expect(errorOf(await request(bartek, 'conversation:list', {})).code).toBe('RATE_LIMITED');
  });
});
