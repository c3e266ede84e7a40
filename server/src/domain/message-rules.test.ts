import { describe, expect, it } from 'vitest';
import type { StoredMessage } from './entities.js';
import { DomainError } from './errors.js';
import { checkEmoji, checkMentions, decideReaction } from './message-rules.js';
import { excerptOf } from './message-views.js';

const base: StoredMessage = {
  id: 'm1',
  conversationId: 'c1',
  seq: 1,
  senderId: 'anna',
  clientId: 'x',
  text: 'hej',
  createdAt: new Date(0),
  notifySms: false,
  rev: 1,
  textRev: 1,
  editedAt: null,
  deletedAt: null,
  deletedBy: null,
  replyToId: null,
  reactions: [],
  mentions: [],
  mentionsAll: false,
};

const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('message rules', () => {
  it('accepts one emoji grapheme (with skin tone, flag, ZWJ family, keycap) and nothing else', () => {
    for (const emoji of ['👍', '❤️', '👍🏽', '🇵🇱', '👨‍👩‍👧', '#️⃣']) expect(codeOf(() => checkEmoji(emoji))).toBeNull();
    for (const other of ['a', '1', '👍👍', ':+1:', ' 👍', '<b>']) expect(codeOf(() => checkEmoji(other))).toBe('VALIDATION_FAILED');
  });

  it('keeps reactions in order of first reaction and drops an emoji nobody holds any more', () => {
    const add = (m: StoredMessage, who: string, emoji: string) => ({ ...m, ...decideReaction(who, emoji, true)(m) });
    const withBoth = add(add(add(base, 'b', '✅'), 'c', '👍'), 'c', '✅');
    expect(withBoth.reactions).toEqual([
      { emoji: '✅', employeeIds: ['b', 'c'] },
      { emoji: '👍', employeeIds: ['c'] },
    ]);
    expect(decideReaction('c', '👍', false)(withBoth)).toEqual({ reactions: [{ emoji: '✅', employeeIds: ['b', 'c'] }] });
    expect(decideReaction('b', '👍', false)(withBoth)).toBeNull();
  });

  it('names the first mention that is not a member, and keeps @all to groups', () => {
    expect(checkMentions({ mentions: ['b', 'b', 'c'] }, ['a', 'b', 'c'], 'group')).toEqual({ mentions: ['b', 'c'], mentionsAll: false });
    expect(() => checkMentions({ mentions: ['b', 'zed'] }, ['a', 'b'], 'group')).toThrow(expect.objectContaining({ code: 'MENTION_NOT_MEMBER', details: { field: 'mentions/1' } }));
    expect(codeOf(() => checkMentions({ mentionsAll: true }, ['a', 'b'], 'direct'))).toBe('MENTION_ALL_NOT_IN_GROUP');
  });

  it('cuts a reply excerpt on a code point, never inside a surrogate pair', () => {
    const text = `${'a'.repeat(139)}😀😀tail`;
    const excerpt = excerptOf(text);
    expect(Array.from(excerpt)).toHaveLength(141);
    expect(excerpt.endsWith('😀…')).toBe(true);
    expect(excerptOf('krótki')).toBe('krótki');
  });
});
