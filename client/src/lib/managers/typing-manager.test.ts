import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './testing/fake-socket.js';
import { ANNA, BARTEK, CELINA, message } from './testing/fixtures.js';
import { TYPING_THROTTLE_MS, TYPING_VISIBLE_MS, TypingManager } from './typing-manager.svelte.js';

describe('TypingManager', () => {
  let socket: FakeSocket;
  let typing: TypingManager;

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    typing = new TypingManager(socket, () => ANNA);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the others at most once per throttle window per conversation', async () => {
    for (let i = 0; i < 5; i++) typing.noteTyping('c1');
    typing.noteTyping('c2');
    expect(socket.payloads('typing:start')).toEqual([{ conversationId: 'c1' }, { conversationId: 'c2' }]);
    await vi.advanceTimersByTimeAsync(TYPING_THROTTLE_MS);
    typing.noteTyping('c1');
    expect(socket.payloads('typing:start')).toHaveLength(3);
  });

  it('after sending, the next keystroke is news again', () => {
    typing.noteTyping('c1');
    typing.sent('c1');
    typing.noteTyping('c1');
    expect(socket.payloads('typing:start')).toHaveLength(2);
  });

  it('shows a colleague typing until the notice runs out', async () => {
    socket.emit('typing:update', { conversationId: 'c1', employeeId: BARTEK });
    socket.emit('typing:update', { conversationId: 'c1', employeeId: ANNA }); // my other tab
    expect(typing.typingIn('c1')).toEqual([BARTEK]);
    await vi.advanceTimersByTimeAsync(TYPING_VISIBLE_MS - 1_000);
    expect(typing.typingIn('c1')).toEqual([BARTEK]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(typing.typingIn('c1')).toEqual([]);
  });

  it('ends when their message arrives or they go offline', () => {
    socket.emit('typing:update', { conversationId: 'c1', employeeId: BARTEK });
    socket.emit('typing:update', { conversationId: 'c1', employeeId: CELINA });
    socket.emit('message:new', message('c1', 1, BARTEK));
    expect(typing.typingIn('c1')).toEqual([CELINA]);
    socket.emit('presence:update', { entries: [{ employeeId: CELINA, state: 'offline' }] });
    expect(typing.typingIn('c1')).toEqual([]);
  });

  it('reset forgets who was typing and the throttle', () => {
    socket.emit('typing:update', { conversationId: 'c1', employeeId: BARTEK });
    typing.noteTyping('c1');
    typing.reset();
    expect(typing.typingIn('c1')).toEqual([]);
    typing.noteTyping('c1');
    expect(socket.payloads('typing:start')).toHaveLength(2);
  });
});
