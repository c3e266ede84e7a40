/**
 * My own presence: away after 5 minutes without input or while the tab is hidden, online again on activity.
 * Only changes are sent; the server combines several tabs. The window, the document and the clock are handed in, so
 * a test drives it with plain EventTargets and fake timers.
 */
import type { SocketPort } from '../socket.js';

export const AWAY_AFTER_MS = 5 * 60_000;
/** How often idleness is looked at: "away" shows at most this late, and a tab at rest wakes rarely. */
export const CHECK_EVERY_MS = 15_000;
export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

/** Where this tab's own state is shown (state/presence.svelte.ts). */
export interface OwnPresence {
  visible: boolean;
  myState: 'online' | 'away';
}

export interface VisibilitySource extends EventTarget {
  readonly visibilityState: DocumentVisibilityState;
}

export class OwnActivity {
  readonly #socket: Pick<SocketPort, 'notify'>;
  readonly #state: OwnPresence;
  readonly #inputs: EventTarget;
  readonly #document: VisibilitySource;
  readonly #now: () => number;
  #lastInputAt: number;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    socket: Pick<SocketPort, 'notify'>,
    state: OwnPresence,
    inputs: EventTarget,
    document: VisibilitySource,
    now: () => number = Date.now,
  ) {
    this.#socket = socket;
    this.#state = state;
    this.#inputs = inputs;
    this.#document = document;
    this.#now = now;
    this.#lastInputAt = now();
  }

  get tracking(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer) return;
    this.#lastInputAt = this.#now();
    this.#state.visible = this.#document.visibilityState === 'visible';
    for (const name of ACTIVITY_EVENTS) this.#inputs.addEventListener(name, this.#onActivity, { passive: true, capture: true });
    this.#document.addEventListener('visibilitychange', this.#onVisibility);
    this.#timer = setInterval(() => this.#update(), CHECK_EVERY_MS);
  }

  stop(): void {
    if (!this.#timer) return;
    for (const name of ACTIVITY_EVENTS) this.#inputs.removeEventListener(name, this.#onActivity, { capture: true });
    this.#document.removeEventListener('visibilitychange', this.#onVisibility);
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /** After every (re)connect the server needs to hear where this tab stands, changed or not. */
  sendNow(): void {
    this.#state.myState = this.#wanted();
    this.#socket.notify('presence:set', { state: this.#state.myState });
  }

  #wanted(): 'online' | 'away' {
    if (this.#document.visibilityState !== 'visible') return 'away';
    return this.#now() - this.#lastInputAt >= AWAY_AFTER_MS ? 'away' : 'online';
  }

  #update(): void {
    const state = this.#wanted();
    if (state === this.#state.myState) return;
    this.#state.myState = state;
    this.#socket.notify('presence:set', { state });
  }

  // Input is frequent (pointermove): it only stamps the time, and sends something only to leave "away".
  readonly #onActivity = (): void => {
    this.#lastInputAt = this.#now();
    if (this.#state.myState === 'away') this.#update();
  };

  readonly #onVisibility = (): void => {
    this.#state.visible = this.#document.visibilityState === 'visible';
    if (this.#state.visible) this.#lastInputAt = this.#now();
    this.#update();
  };
}
