import { afterEach, describe, expect, it, vi } from 'vitest';
import { TabCoordinator, type LockPort } from './tab-coordinator.js';

/** Web Locks' exclusive mode: one holder at a time, the next waiter granted when the holder's promise settles. */
class FakeLocks implements LockPort {
  readonly #queues = new Map<string, Array<() => Promise<void>>>();
  async request(name: string, callback: () => Promise<void>): Promise<void> {
    const queue = this.#queues.get(name) ?? [];
    this.#queues.set(name, queue);
    queue.push(callback);
    if (queue.length === 1) void this.#run(name);
  }
  async #run(name: string): Promise<void> {
    const queue = this.#queues.get(name)!;
    while (queue.length > 0) {
      await queue[0]!();
      queue.shift();
    }
  }
}

describe('TabCoordinator', () => {
  const opened: TabCoordinator[] = [];
  const tab = (locks: LockPort | null, tabId: string) => {
    // Node's BroadcastChannel: real cross-context messaging, delivered asynchronously as in a browser.
    const t = new TabCoordinator({ tabId, locks, channel: new BroadcastChannel('depesza-test') as never, lockName: 'notify' });
    opened.push(t);
    return t;
  };
  afterEach(() => {
    for (const t of opened.splice(0)) t.close();
  });

  it('makes exactly one of several tabs the leader, and hands over when it closes', async () => {
    const locks = new FakeLocks();
    const [a, b, c] = [tab(locks, 'a'), tab(locks, 'b'), tab(locks, 'c')];
    await vi.waitFor(() => expect([a, b, c].filter((t) => t.isLeader)).toHaveLength(1));
    expect(a.isLeader).toBe(true);
    a.close();
    await vi.waitFor(() => expect(b.isLeader).toBe(true));
    expect(c.isLeader).toBe(false);
  });

  it('knows what the other tabs show, including tabs that opened earlier', async () => {
    const a = tab(null, 'a');
    a.setScreen({ visible: true, conversationId: 'c1' });
    const b = tab(null, 'b');
    await vi.waitFor(() => expect(b.showsAnywhere('c1')).toBe(true));
    expect(b.showsAnywhere('c2')).toBe(false);
    a.setScreen({ visible: false, conversationId: 'c1' });
    await vi.waitFor(() => expect(b.showsAnywhere('c1')).toBe(false));
    a.setScreen({ visible: true, conversationId: 'c2' });
    await vi.waitFor(() => expect(b.showsAnywhere('c2')).toBe(true));
    a.close();
    await vi.waitFor(() => expect(b.showsAnywhere('c2')).toBe(false));
  });
});
