import { describe, expect, it } from 'vitest';
import { ServerRead } from './server-read.svelte.js';

/** A read answered when the test says so. */
function held<T>() {
  let answer!: (value: T) => void;
  let fail!: (cause: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { read: () => promise, answer, fail };
}

describe('ServerRead', () => {
  it('holds the answer, or the cause of a failure, and a later success clears the failure', async () => {
    const list = new ServerRead<string[]>();
    expect([list.value, list.error]).toEqual([null, null]);
    const refused = new Error('refused');
    await list.load(() => Promise.reject(refused));
    expect([list.value, list.error]).toEqual([null, refused]);
    await list.load(async () => ['a', 'b']);
    expect([list.value, list.error]).toEqual([['a', 'b'], null]);
  });

  it('lets a newer read overtake an older one still under way, whichever answers last', async () => {
    const list = new ServerRead<string>();
    const older = held<string>();
    const newer = held<string>();
    const first = list.load(older.read);
    const second = list.load(newer.read);
    newer.answer('fresh');
    await second;
    older.answer('stale');
    await first;
    expect(list.value).toBe('fresh');

    const failing = held<string>();
    const late = list.load(failing.read);
    await list.load(async () => 'newest');
    failing.fail(new Error('too late'));
    await late;
    expect([list.value, list.error]).toEqual(['newest', null]);
  });

  it('forgets everything on reset, including a read still under way', async () => {
    const list = new ServerRead<string>();
    await list.load(async () => 'kept');
    const pending = held<string>();
    const under = list.load(pending.read);
    list.reset();
    pending.answer('after reset');
    await under;
    expect([list.value, list.error]).toEqual([null, null]);
  });
});
