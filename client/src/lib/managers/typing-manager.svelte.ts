/**
 * Typing notices both ways: mine go out at most once per throttle window per conversation; colleagues' show for a
 * while after their last notice and end when their message arrives or they go offline.
 */
import type { SocketPort } from '../socket.js';

export const TYPING_THROTTLE_MS = 3_000;
/** A notice lasts a little longer than the sender's throttle, so a steady typist shows continuously. */
export const TYPING_VISIBLE_MS = 6_000;
const PRUNE_EVERY_MS = 1_000;

export class TypingManager {
  readonly #socket: SocketPort;
  readonly #myId: () => string | undefined;
  /** conversationId → employeeId → when the notice expires (ms since epoch). */
  #typing = $state.raw<Record<string, Record<string, number>>>({});
  readonly #lastSent = new Map<string, number>();
  #pruneTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(socket: SocketPort, myId: () => string | undefined) {
    this.#socket = socket;
    this.#myId = myId;
    socket.on('typing:update', ({ conversationId, employeeId }) => {
      if (employeeId !== myId()) this.#start(conversationId, employeeId);
    });
    socket.on('message:new', (message) => this.#stop(message.senderId, message.conversationId));
    socket.on('presence:update', ({ entries }) => {
      for (const { employeeId, state } of entries) if (state === 'offline') this.#stop(employeeId);
    });
  }

  /** Who is typing in a conversation now (never me). */
  typingIn(conversationId: string): string[] {
    return Object.keys(this.#typing[conversationId] ?? {});
  }

  /** Called on every keystroke; tells the others at most once per throttle window. */
  noteTyping(conversationId: string): void {
    const now = Date.now();
    if (now - (this.#lastSent.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return;
    this.#lastSent.set(conversationId, now);
    this.#socket.notify('typing:start', { conversationId });
  }

  /** My message went out: the next keystroke is news again. */
  sent(conversationId: string): void {
    this.#lastSent.delete(conversationId);
  }

  #start(conversationId: string, employeeId: string): void {
    const inConversation = { ...this.#typing[conversationId], [employeeId]: Date.now() + TYPING_VISIBLE_MS };
    this.#typing = { ...this.#typing, [conversationId]: inConversation };
    this.#schedulePrune();
  }

  #stop(employeeId: string, conversationId?: string): void {
    let changed = false;
    const next: Record<string, Record<string, number>> = {};
    for (const [cid, who] of Object.entries(this.#typing)) {
      if ((conversationId === undefined || cid === conversationId) && employeeId in who) {
        const { [employeeId]: _gone, ...rest } = who;
        next[cid] = rest;
        changed = true;
      } else next[cid] = who;
    }
    if (changed) this.#typing = next;
  }

  #schedulePrune(): void {
    if (this.#pruneTimer) return;
    this.#pruneTimer = setTimeout(() => {
      this.#pruneTimer = null;
      const now = Date.now();
      const next: Record<string, Record<string, number>> = {};
      let remaining = false;
      for (const [cid, who] of Object.entries(this.#typing)) {
        const alive = Object.fromEntries(Object.entries(who).filter(([, until]) => until > now));
        if (Object.keys(alive).length) {
          next[cid] = alive;
          remaining = true;
        }
      }
      this.#typing = next;
      if (remaining) this.#schedulePrune();
    }, PRUNE_EVERY_MS);
  }

  reset(): void {
    this.#typing = {};
    this.#lastSent.clear();
    if (this.#pruneTimer) clearTimeout(this.#pruneTimer);
    this.#pruneTimer = null;
  }
}
