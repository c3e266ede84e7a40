/** Colleagues' presence and my own activity (visibility, away). Who is typing: managers/typing-manager. */
import type { PresenceState } from '../../../../shared/schemas/index.js';

class PresenceStore {
  states = $state.raw<Record<string, PresenceState>>({});
  /** Whether this tab is visible; read receipts and "away" depend on it. */
  visible = $state(typeof document === 'undefined' || document.visibilityState === 'visible');
  myState = $state<'online' | 'away'>('online');

  of(employeeId: string): PresenceState {
    return (Object.hasOwn(this.states, employeeId) ? this.states[employeeId] : undefined) ?? 'offline';
  }

  set(employeeId: string, state: PresenceState): void {
    if (this.states[employeeId] !== state) this.states = { ...this.states, [employeeId]: state };
  }

  resetStates(): void {
    this.states = {};
  }

  clear(): void {
    this.states = {};
  }
}

export const presence = new PresenceStore();
