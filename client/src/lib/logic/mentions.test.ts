import { describe, expect, it } from 'vitest';
import { activeMention, applySuggestion, collectMentions, fold, mentionSegments, suggest } from './mentions.js';

const members = [
  { id: 'me', name: 'Anna Kowalska' },
  { id: 'l', name: 'Łukasz Żółkiewski' },
  { id: 'b', name: 'Bartek Nowak' },
  { id: 'c', name: 'Celina Wiśniewska' },
];
const options = { myId: 'me', group: true, allWord: 'wszyscy' };

describe('mentions', () => {
  it('folds case and Polish diacritics, ł included', () => {
    expect(fold('Łukasz Żółkiewski')).toBe('lukasz zolkiewski');
  });

  it('finds the @query before the caret, only at a word start', () => {
    expect(activeMention('hej @luk', 8)).toEqual({ start: 4, query: 'luk' });
    expect(activeMention('@', 1)).toEqual({ start: 0, query: '' });
    expect(activeMention('mail a@b', 8)).toBeNull();
    expect(activeMention('@luk and more', 13)).toBeNull();
  });

  it('suggests members by first name or surname without diacritics, never me, @all only in groups', () => {
    expect(suggest('lukasz', members, options)).toEqual([{ kind: 'member', id: 'l', name: 'Łukasz Żółkiewski' }]);
    expect(suggest('zolk', members, options).map((s) => s.kind === 'member' && s.id)).toEqual(['l']);
    expect(suggest('anna', members, options)).toEqual([]);
    expect(suggest('wsz', members, options)).toEqual([{ kind: 'all', word: 'wszyscy' }]);
    expect(suggest('al', members, options)).toEqual([{ kind: 'all', word: 'all' }]);
    expect(suggest('', members, { ...options, group: false }).map((s) => s.kind === 'member' && s.id)).toEqual(['b', 'c', 'l']);
  });

  it('inserts the chosen name and puts the caret after it', () => {
    const chosen = applySuggestion('hej @luk, ok', 8, 4, { kind: 'member', id: 'l', name: 'Łukasz Żółkiewski' });
    expect(chosen).toEqual({ text: 'hej @Łukasz Żółkiewski, ok', caret: 22 });
    expect(applySuggestion('@bar ok', 3, 0, { kind: 'member', id: 'b', name: 'Bartek Nowak' })).toEqual({
      text: '@Bartek Nowak ok',
      caret: 13,
    });
    expect(applySuggestion('@ws', 3, 0, { kind: 'all', word: 'wszyscy' })).toEqual({ text: '@wszyscy ', caret: 9 });
  });

  it('collects the members a text mentions, and @all only in a group', () => {
    expect(collectMentions('@Bartek Nowak i @Celina Wiśniewska, patrzcie', members, false)).toEqual({
      mentions: ['b', 'c'],
      mentionsAll: false,
    });
    expect(collectMentions('@wszyscy zebranie', members, true)).toEqual({ mentions: [], mentionsAll: true });
    expect(collectMentions('@wszyscy zebranie', members, false).mentionsAll).toBe(false);
    expect(collectMentions('@Bartek Nowakowski', members, true).mentions).toEqual([]);
  });

  it('splits a message into text and the mentions it carries', () => {
    const segments = mentionSegments('Hej @Bartek Nowak i @all! @Celina Wiśniewska', [members[2]!], true);
    expect(segments).toEqual([
      { kind: 'text', text: 'Hej ' },
      { kind: 'mention', text: '@Bartek Nowak', id: 'b' },
      { kind: 'text', text: ' i ' },
      { kind: 'mention', text: '@all', id: 'all' },
      { kind: 'text', text: '! @Celina Wiśniewska' },
    ]);
    expect(mentionSegments('plain', [], false)).toEqual([{ kind: 'text', text: 'plain' }]);
  });
});
