import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './testing/fake-socket.js';
import { AWAY_AFTER_MS, CHECK_EVERY_MS, OwnActivity, type OwnPresence, type VisibilitySource } from './own-activity.js';

/** A document whose visibility the test switches, firing the event the browser fires on a tab change. */
class FakeDocument extends EventTarget implements VisibilitySource {
  visibilityState: DocumentVisibilityState = 'visible';

  show(visible: boolean): void {
    this.visibilityState = visible ? 'visible' : 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('OwnActivity', () => {
  let socket: FakeSocket;
  let state: OwnPresence;
  let inputs: EventTarget;
  let doc: FakeDocument;
  let activity: OwnActivity;
  const sent = () => socket.payloads('presence:set').map((p) => p.state);
  const press = () => inputs.dispatchEvent(new Event('keydown'));

  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    state = { visible: true, myState: 'online' };
    inputs = new EventTarget();
    doc = new FakeDocument();
    activity = new OwnActivity(socket, state, inputs, doc);
  });

  afterEach(() => {
    activity.stop();
    vi.useRealTimers();
  });

  it('goes away once after five quiet minutes, and is back online at the next input at once', async () => {
    activity.start();
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS - CHECK_EVERY_MS);
    expect(sent()).toEqual([]);
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS);
    expect(sent()).toEqual(['away']);
    expect(state.myState).toBe('away');
    // Staying quiet sends nothing more: only changes go to the server.
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS);
    expect(sent()).toEqual(['away']);

    press();
    expect(sent()).toEqual(['away', 'online']);
    expect(state.myState).toBe('online');
  });

  it('input before the five minutes keeps the tab online, and input while online sends nothing', async () => {
    activity.start();
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS - CHECK_EVERY_MS);
    press();
    inputs.dispatchEvent(new Event('pointermove'));
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS - CHECK_EVERY_MS);
    expect(sent()).toEqual([]);
    await vi.advanceTimersByTimeAsync(CHECK_EVERY_MS);
    expect(sent()).toEqual(['away']);
  });

  it('a hidden tab is away at once, and online again when shown', () => {
    activity.start();
    doc.show(false);
    expect([state.visible, state.myState, sent()]).toEqual([false, 'away', ['away']]);
    // Input in a hidden tab (a pointer passing over it) does not make it online.
    press();
    expect(sent()).toEqual(['away']);
    doc.show(true);
    expect([state.visible, state.myState, sent()]).toEqual([true, 'online', ['away', 'online']]);
  });

  it('after a reconnect tells the server its state even when unchanged', async () => {
    activity.start();
    activity.sendNow();
    expect(sent()).toEqual(['online']);
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS);
    activity.sendNow();
    expect(sent()).toEqual(['online', 'away', 'away']);
  });

  it('starts once however often asked, and once stopped hears no input, no tab change and no clock', async () => {
    activity.start();
    activity.start();
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS);
    press();
    // One listener: one "online", not two.
    expect(sent()).toEqual(['away', 'online']);

    activity.stop();
    expect(activity.tracking).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    doc.show(false);
    press();
    await vi.advanceTimersByTimeAsync(AWAY_AFTER_MS * 2);
    expect(sent()).toEqual(['away', 'online']);
  });
});
