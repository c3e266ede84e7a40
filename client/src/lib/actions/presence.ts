/**
 * My own presence: away after 5 minutes without input or while the tab is hidden, online again on activity.
 * Only changes are sent; the server combines several tabs.
 */
import { notify } from '../socket.js';
import { presence } from '../state/presence.svelte.js';

export const AWAY_AFTER_MS = 5 * 60_000;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

let lastInputAt = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function wanted(): 'online' | 'away' {
  if (document.visibilityState !== 'visible') return 'away';
  return Date.now() - lastInputAt >= AWAY_AFTER_MS ? 'away' : 'online';
}

function update(): void {
  const state = wanted();
  if (state !== presence.myState) {
    presence.myState = state;
    notify('presence:set', { state });
  }
}

function onActivity(): void {
  lastInputAt = Date.now();
  if (presence.myState === 'away') update();
}

function onVisibility(): void {
  presence.visible = document.visibilityState === 'visible';
  if (presence.visible) lastInputAt = Date.now();
  update();
}

/** After every (re)connect the server needs to hear where this tab stands. */
export function sendPresenceNow(): void {
  presence.myState = wanted();
  notify('presence:set', { state: presence.myState });
}

export function startActivityTracking(): void {
  if (timer) return;
  lastInputAt = Date.now();
  presence.visible = document.visibilityState === 'visible';
  for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true, capture: true });
  document.addEventListener('visibilitychange', onVisibility);
  timer = setInterval(update, 15_000);
}

export function stopActivityTracking(): void {
  if (!timer) return;
  for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
  document.removeEventListener('visibilitychange', onVisibility);
  clearInterval(timer);
  timer = null;
}
