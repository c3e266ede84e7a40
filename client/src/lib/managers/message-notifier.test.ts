import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket } from './testing/fake-socket.js';
import { ANNA, BARTEK, message } from './testing/fixtures.js';
import { MessageNotifier, trimForNotification } from './message-notifier.js';

describe('MessageNotifier', () => {
  let socket: FakeSocket;
  let shown: Array<{ title: string; body: string; tag: string; conversationId: string }>;
  let sounds: number;
  let leader: boolean;
  let onScreen: Set<string>;
  let muted: Set<string>;
  let settings: { isMuted(id: string): boolean; doNotDisturb: boolean; sound: boolean };

  beforeEach(() => {
    socket = new FakeSocket();
    shown = [];
    sounds = 0;
    leader = true;
    onScreen = new Set();
    muted = new Set();
    settings = { isMuted: (id) => muted.has(id), doNotDisturb: false, sound: true };
    new MessageNotifier({
      socket,
      coordinator: { get isLeader() { return leader; }, showsAnywhere: (id) => onScreen.has(id) },
      myId: () => BARTEK,
      settings,
      permitted: () => true,
      title: (m) => `Anna · ${m.conversationId}`,
      show: (n) => shown.push(n),
      playSound: () => sounds++,
    });
  });

  it('notifies once per message from someone else, with a trimmed text and a sound', () => {
    const long = message('c1', 1, ANNA, { text: `Pilne:\n${'bardzo '.repeat(40)}` });
    socket.emit('message:new', long);
    socket.emit('message:new', long);
    socket.emit('message:new', message('c1', 2, BARTEK));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: 'Anna · c1', tag: long.id, conversationId: 'c1' });
    expect(shown[0]!.body.startsWith('Pilne: bardzo')).toBe(true);
    expect(shown[0]!.body.length).toBeLessThanOrEqual(140);
    expect(sounds).toBe(1);
  });

  it('stays quiet in a tab that is not the leader, for a conversation on screen, or a muted one', () => {
    leader = false;
    socket.emit('message:new', message('c1', 1, ANNA));
    leader = true;
    onScreen.add('c1');
    socket.emit('message:new', message('c1', 2, ANNA));
    muted.add('c2');
    socket.emit('message:new', message('c2', 1, ANNA));
    expect(shown).toEqual([]);
    socket.emit('message:new', message('c2', 2, ANNA, { notifySms: true }));
    expect(shown.map((n) => n.conversationId)).toEqual(['c2']);
  });

  it('plays no sound when switched off', () => {
    settings.sound = false;
    socket.emit('message:new', message('c1', 1, ANNA));
    expect(shown).toHaveLength(1);
    expect(sounds).toBe(0);
  });

  it('trims on whole code points', () => {
    expect(trimForNotification('😀'.repeat(200))).toBe(`${'😀'.repeat(139)}…`);
  });
});
