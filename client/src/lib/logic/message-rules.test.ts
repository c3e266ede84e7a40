import { describe, expect, it } from 'vitest';
import { ANNA, BARTEK, dispatchTo, message } from '../managers/testing/fixtures.js';
import { canDelete, canEdit, canReact, lastEditable, needsSmsCorrection, reactedWith, singleEmoji } from './message-rules.js';

const dispatch = (status: 'sent' | 'not_sent' | 'delivered') => dispatchTo(BARTEK, status);
const tombstone = { at: '2025-01-01T12:00:00.000Z', byId: ANNA };

describe('message rules', () => {
  it('lets me edit and delete my own messages, an admin delete anyone\'s, nobody touch a tombstone', () => {
    const mine = message('c', 1, ANNA);
    const theirs = message('c', 2, BARTEK);
    expect([canEdit(mine, ANNA), canEdit(theirs, ANNA)]).toEqual([true, false]);
    expect([canDelete(theirs, ANNA, false), canDelete(theirs, ANNA, true)]).toEqual([false, true]);
    const gone = message('c', 3, ANNA, { deleted: tombstone });
    expect([canEdit(gone, ANNA), canDelete(gone, ANNA, true), canReact(gone)]).toEqual([false, false, false]);
  });

  it('↑ edits my newest message still there', () => {
    const list = [message('c', 1, ANNA), message('c', 2, ANNA, { deleted: tombstone }), message('c', 3, BARTEK)];
    expect(lastEditable(list, ANNA)?.seq).toBe(1);
    expect(lastEditable(list, 'nobody')).toBeNull();
  });

  it('offers an SMS correction only for my edited urgent message whose SMS went out', () => {
    const base = { notifySms: true, editedAt: '2025-01-01T12:05:00.000Z', sms: [dispatch('sent')] };
    expect(needsSmsCorrection(message('c', 1, ANNA, base), ANNA)).toBe(true);
    expect(needsSmsCorrection(message('c', 1, ANNA, { ...base, editedAt: null }), ANNA)).toBe(false);
    expect(needsSmsCorrection(message('c', 1, ANNA, { ...base, sms: [dispatch('not_sent')] }), ANNA)).toBe(false);
    expect(needsSmsCorrection(message('c', 1, ANNA, { ...base, notifySms: false }), ANNA)).toBe(false);
    expect(needsSmsCorrection(message('c', 1, BARTEK, base), ANNA)).toBe(false);
  });

  it('knows my own reactions', () => {
    const m = message('c', 1, BARTEK, { reactions: [{ emoji: '👍', employeeIds: [ANNA] }] });
    expect([reactedWith(m, '👍', ANNA), reactedWith(m, '👍', BARTEK), reactedWith(m, '❤️', ANNA)]).toEqual([true, false, false]);
  });

  it('accepts exactly one emoji, including joined and flag ones', () => {
    expect(singleEmoji(' 🎉 ')).toBe('🎉');
    expect(singleEmoji('👩‍💻')).toBe('👩‍💻');
    expect(singleEmoji('🇵🇱')).toBe('🇵🇱');
    expect(singleEmoji('👍👍')).toBeNull();
    expect(singleEmoji('a')).toBeNull();
    expect(singleEmoji('')).toBeNull();
  });
});
