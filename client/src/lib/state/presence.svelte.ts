/** Colleagues' presence, who is typing where, and my own activity (visibility, away). */
import type { PresenceState } from '../../../../shared/schemas/index.js';

/** A typing notice lasts a little longer than the sender's 3 s throttle, so a steady typist shows continuously. */
export const TYPING_VISIBLE_MS = 6_000;

class PresenceStore {
  states = $state.raw<Record<string, PresenceState>>({});
  /** conversationId → employeeId → when the notice expires (ms since epoch). */
  typing = $state.raw<Record<string, Record<string, number>>>({});
  /** Whether this tab is visible; read receipts and "away" depend on it. */
  visible = $state(typeof document === 'undefined' || document.visibilityState === 'visible');
  myState = $state<'online' | 'away'>('online');

  #timer: ReturnType<typeof setTimeout> | null = null;

  of(employeeId: string): PresenceState {
    return (Object.hasOwn(this.states, employeeId) ? this.states[employeeId] : undefined) ?? 'offline';
  }

  set(employeeId: string, state: PresenceState): void {
    if (this.states[employeeId] !== state) this.states = { ...this.states, [employeeId]: state };
    if (state === 'offline') this.stopTyping(employeeId);
  }

  startTyping(conversationId: string, employeeId: string, now = Date.now()): void {
    const inConversation = { ...this.typing[conversationId], [employeeId]: now + TYPING_VISIBLE_MS };
    this.typing = { ...this.typing, [conversationId]: inConversation };
    this.#schedulePrune();
  }

  stopTyping(employeeId: string, conversationId?: string): void {
    let changed = false;
    const next: Record<string, Record<string, number>> = {};
    for (const [cid, who] of Object.entries(this.typing)) {
      if ((conversationId === undefined || cid === conversationId) && employeeId in who) {
        const { [employeeId]: _gone, ...rest } = who;
        next[cid] = rest;
        changed = true;
      } else next[cid] = who;
    }
    if (changed) this.typing = next;
  }

  typingIn(conversationId: string): string[] {
    return Object.keys(this.typing[conversationId] ?? {});
  }

  #schedulePrune(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const now = Date.now();
      const next: Record<string, Record<string, number>> = {};
      let remaining = false;
      for (const [cid, who] of Object.entries(this.typing)) {
        const alive = Object.fromEntries(Object.entries(who).filter(([, until]) => until > now));
        if (Object.keys(alive).length) {
          next[cid] = alive;
          remaining = true;
        }
      }
      this.typing = next;
      if (remaining) this.#schedulePrune();
    }, 1_000);
  }

  resetStates(): void {
    this.states = {};
  }

  clear(): void {
    this.states = {};
    this.typing = {};
  }
}

export const presence = new PresenceStore();
