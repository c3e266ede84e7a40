/**
 * My own activity (visibility, away). Colleagues' presence: managers/presence-watch; who is typing:
 * managers/typing-manager.
 */
class PresenceStore {
  /** Whether this tab is visible; read receipts and "away" depend on it. */
  visible = $state(typeof document === 'undefined' || document.visibilityState === 'visible');
  myState = $state<'online' | 'away'>('online');
}

export const presence = new PresenceStore();
