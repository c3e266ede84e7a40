/**
 * One person's tabs agree on two things through the browser: which tab is the leader (the only one that shows
 * notifications and plays sounds, so three tabs give one notification, not three), and what each tab shows (so a
 * conversation on screen in any visible tab is not notified about from another). Leadership is a Web Lock held for
 * the tab's life: the browser hands it to another tab the moment the leader closes or crashes, with no heartbeats.
 */

/** The part of `navigator.locks` used here. */
export interface LockPort {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

/** The part of BroadcastChannel used here. */
export interface ChannelPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export interface TabScreen {
  visible: boolean;
  conversationId: string | null;
}

type Note = { kind: 'screen'; tabId: string; screen: TabScreen } | { kind: 'gone'; tabId: string } | { kind: 'hello'; tabId: string };

export class TabCoordinator {
  readonly #tabId: string;
  readonly #channel: ChannelPort | null;
  readonly #others = new Map<string, TabScreen>();
  #mine: TabScreen = { visible: false, conversationId: null };
  #leader = false;
  #release: (() => void) | null = null;
  #closed = false;

  constructor(options: { tabId: string; locks: LockPort | null; channel: ChannelPort | null; lockName: string }) {
    this.#tabId = options.tabId;
    this.#channel = options.channel;
    this.#channel?.addEventListener('message', (event) => this.#onNote(event.data as Note));
    if (options.locks) {
      void options.locks.request(options.lockName, () => {
        this.#leader = true;
        return new Promise<void>((resolve) => (this.#release = resolve));
      });
    } else {
      // Without Web Locks every tab notifies; the notification's tag still lets the system show one.
      this.#leader = true;
    }
    this.#post({ kind: 'hello', tabId: this.#tabId });
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  /** This tab's visibility or open conversation changed. */
  setScreen(screen: TabScreen): void {
    this.#mine = screen;
    this.#post({ kind: 'screen', tabId: this.#tabId, screen });
  }

  /** Whether any visible tab of mine (this one included) shows the conversation. */
  showsAnywhere(conversationId: string): boolean {
    const shows = (s: TabScreen) => s.visible && s.conversationId === conversationId;
    return shows(this.#mine) || [...this.#others.values()].some(shows);
  }

  /** The tab is closing: leadership and its screen go to the others. */
  close(): void {
    if (this.#closed) return;
    this.#post({ kind: 'gone', tabId: this.#tabId });
    this.#release?.();
    this.#release = null;
    this.#leader = false;
    this.#channel?.close();
    this.#closed = true;
  }

  #onNote(note: Note): void {
    if (!note || typeof note !== 'object' || note.tabId === this.#tabId) return;
    if (note.kind === 'screen') this.#others.set(note.tabId, note.screen);
    else if (note.kind === 'gone') this.#others.delete(note.tabId);
    else if (note.kind === 'hello') this.#post({ kind: 'screen', tabId: this.#tabId, screen: this.#mine });
  }

  #post(note: Note): void {
    if (!this.#closed) this.#channel?.postMessage(note);
  }
}
