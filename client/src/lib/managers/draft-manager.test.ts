import { describe, expect, it } from 'vitest';
import { DraftManager } from './draft-manager.svelte.js';
import { MemoryStore } from './testing/memory-store.js';
import { ANNA, BARTEK } from './testing/fixtures.js';

describe('DraftManager', () => {
  it('keeps a draft per conversation, and across a reload (a new manager over the same storage)', () => {
    const storage = new MemoryStore();
    const drafts = new DraftManager(storage, () => ANNA);
    drafts.set('c1', 'Cześć Bartek, w sprawie');
    drafts.set('c2', 'Celina:');
    expect(drafts.get('c1')).toBe('Cześć Bartek, w sprawie');
    expect(drafts.has('c2')).toBe(true);
    expect(drafts.get('c3')).toBe('');

    const reloaded = new DraftManager(storage, () => ANNA);
    expect(reloaded.get('c1')).toBe('Cześć Bartek, w sprawie');
    expect(reloaded.get('c2')).toBe('Celina:');
  });

  it('clears a draft on send, and forgets one emptied by hand', () => {
    const storage = new MemoryStore();
    const drafts = new DraftManager(storage, () => ANNA);
    drafts.set('c1', 'do wysłania');
    drafts.set('c2', 'x');
    drafts.clear('c1');
    drafts.set('c2', '   ');
    expect(drafts.has('c1')).toBe(false);
    expect(drafts.has('c2')).toBe(false);
    expect(storage.data.size).toBe(0);
  });

  it('keeps each employee’s drafts apart on a shared browser', () => {
    const storage = new MemoryStore();
    let me: string | undefined = ANNA;
    const drafts = new DraftManager(storage, () => me);
    drafts.set('c1', 'Anny szkic');
    me = BARTEK;
    expect(drafts.get('c1')).toBe('');
    drafts.set('c1', 'Bartka szkic');
    me = undefined;
    expect(drafts.get('c1')).toBe('');
    me = ANNA;
    expect(drafts.get('c1')).toBe('Anny szkic');
  });

  it('survives broken storage contents', () => {
    const storage = new MemoryStore();
    storage.setItem(`depesza.drafts.${ANNA}`, '{not json');
    expect(new DraftManager(storage, () => ANNA).get('c1')).toBe('');
    storage.setItem(`depesza.drafts.${ANNA}`, JSON.stringify({ c1: 5, c2: 'ok' }));
    const drafts = new DraftManager(storage, () => ANNA);
    expect(drafts.get('c1')).toBe('');
    expect(drafts.get('c2')).toBe('ok');
  });
});
