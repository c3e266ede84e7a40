import { describe, expect, it } from 'vitest';
import { MentionPicker, type PickerContext } from './mention-picker.svelte.js';

const context: PickerContext = {
  members: [
    { id: 'me', name: 'Anna Kowalska' },
    { id: 'l', name: 'Łukasz Żółkiewski' },
    { id: 'b', name: 'Bartek Nowak' },
  ],
  myId: 'me',
  group: true,
  allWord: 'all',
};
const names = (picker: MentionPicker) => picker.options.map((o) => (o.kind === 'member' ? o.name : `@${o.word}`));

describe('MentionPicker', () => {
  it('opens on @, narrows as you type, diacritics-insensitive', () => {
    const picker = new MentionPicker();
    picker.update('hi @', 4, context);
    expect(names(picker)).toEqual(['Bartek Nowak', 'Łukasz Żółkiewski', '@all']);
    picker.update('hi @lukasz', 10, context);
    expect(names(picker)).toEqual(['Łukasz Żółkiewski']);
    picker.update('hi @lukasz x', 12, context);
    expect(picker.open).toBe(false);
  });

  it('moves with the arrows (wrapping) and chooses with Enter', () => {
    const picker = new MentionPicker();
    picker.update('@', 1, context);
    expect(picker.key('ArrowUp', '@')).toEqual({ handled: true });
    expect(picker.active).toBe(2);
    picker.key('ArrowDown', '@');
    expect(picker.active).toBe(0);
    picker.key('ArrowDown', '@');
    expect(picker.key('Enter', '@')).toEqual({ handled: true, text: '@Łukasz Żółkiewski ', caret: 19 });
    expect(picker.open).toBe(false);
  });

  it('Escape closes it until the caret leaves that @word; keys pass through when closed', () => {
    const picker = new MentionPicker();
    picker.update('@ba', 3, context);
    picker.key('Escape', '@ba');
    picker.update('@bar', 4, context);
    expect(picker.open).toBe(false);
    expect(picker.key('Enter', '@bar')).toEqual({ handled: false });
    picker.update('@bar x', 6, context);
    picker.update('@bar x @b', 9, context);
    expect(names(picker)).toEqual(['Bartek Nowak']);
  });

  it('offers @all only in groups', () => {
    const picker = new MentionPicker();
    picker.update('@a', 2, { ...context, group: false });
    expect(picker.open).toBe(false);
  });
});
