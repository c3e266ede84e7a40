/**
 * Colleagues' presence, on demand: this tab subscribes (`presence:watch`) to the people it shows — its conversations'
 * members, the rows of the people list in view, the colleague on an open card — and hears about them only. The
 * wanted set is computed elsewhere (presence-wiring) and handed in; a burst of changes (scrolling, a list arriving)
 * becomes one subscription after a short quiet, and every (re)connect subscribes again at once, since a new socket
 * watches nobody.
 */
import type { PresenceEntry } from '../../../../shared/protocol.js';
import { PRESENCE_WATCH_MAX, type PresenceState } from '../../../../shared/schemas/index.js';
import { ApiError } from '../errors.js';
import type { SocketPort } from '../socket.js';

/** Long enough to gather a scroll or a list's arrival into one subscription, short enough to look immediate. */
export const WATCH_DEBOUNCE_MS = 250;

export class PresenceWatch {
  readonly #socket: SocketPort;
  readonly #report: (error: unknown) => void;
  #states = $state.raw<Record<string, PresenceState>>({});
  /** Who the tab wants, by priority (the first PRESENCE_WATCH_MAX are sent). */
  #wanted: string[] = [];
  /** What the server holds for this socket (null: nothing yet on this connection). */
  #subscribed: Set<string> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Answers to older subscriptions are dropped: a newer one has been sent. */
  #generation = 0;

  constructor(socket: SocketPort, report: (error: unknown) => void = () => {}) {
    this.#socket = socket;
    this.#report = report;
    socket.on('presence:update', ({ entries }) => this.#apply(entries));
  }

  /** A colleague's presence; offline for anyone not watched. */
  of(employeeId: string): PresenceState {
    return (Object.hasOwn(this.#states, employeeId) ? this.#states[employeeId] : undefined) ?? 'offline';
  }

  /** The people the server is asked about (what the last subscription named). */
  get watching(): string[] {
    return [...(this.#subscribed ?? [])];
  }

  /** The people this tab shows now, most important first; resubscribes after a quiet moment when that changed. */
  want(employeeIds: Iterable<string>): void {
    this.#wanted = [...new Set(employeeIds)].slice(0, PRESENCE_WATCH_MAX);
    if (this.#subscribed && sameSet(this.#subscribed, this.#wanted)) return this.#cancel();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#subscribe();
    }, WATCH_DEBOUNCE_MS);
  }

  /** A new connection watches nobody: subscribe at once (the reconnect itself is already jittered). */
  connected(): void {
    this.#subscribed = null;
    this.#cancel();
    void this.#subscribe();
  }

  reset(): void {
    this.#cancel();
    this.#generation++;
    this.#wanted = [];
    this.#subscribed = null;
    this.#states = {};
  }

  async #subscribe(): Promise<void> {
    if (!this.#socket.isConnected()) return; // the next connect subscribes
    const generation = ++this.#generation;
    const employeeIds = this.#wanted;
    this.#subscribed = new Set(employeeIds);
    try {
      const { entries } = await this.#socket.request('presence:watch', { employeeIds });
      if (generation !== this.#generation) return;
      // The answer is the whole truth about the watched; anyone else is no longer shown and forgotten.
      const next: Record<string, PresenceState> = {};
      for (const { employeeId, state } of entries) if (this.#subscribed.has(employeeId)) next[employeeId] = state;
      this.#states = next;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#subscribed = null;
      if (!(error instanceof ApiError && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT'))) this.#report(error);
    }
  }

  #apply(entries: PresenceEntry[]): void {
    let next: Record<string, PresenceState> | null = null;
    for (const { employeeId, state } of entries) {
      if (!this.#subscribed?.has(employeeId) || this.of(employeeId) === state) continue;
      next ??= { ...this.#states };
      next[employeeId] = state;
    }
    if (next) this.#states = next;
  }

  #cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === b.length && b.every((id) => a.has(id));
}
