/**
 * Who this tab shows, for PresenceWatch: the colleague on an open card, the open conversation's members, every
 * conversation's members (the list shows their dots), most recent first, then the people-list rows in view
 * (`inView`, an IntersectionObserver action). Kept up to date for the life of the page.
 */
import { SvelteMap } from 'svelte/reactivity';
import { reportError } from '../actions/report-error.js';
import { router } from '../router.svelte.js';
import { appSocket } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';
import { session } from '../state/session.svelte.js';
import { colleagueCard } from './index.js';
import { PresenceWatch } from './presence-watch.svelte.js';

export const presenceWatch = new PresenceWatch(appSocket, (error) => reportError(error, 'presence subscription'));

/** Rows on screen (or about to be), counted: the same person may show twice (the list and a search result). */
const onScreen = new SvelteMap<string, number>();

function wanted(): string[] {
  const me = session.me?.id;
  const ids: string[] = [];
  if (colleagueCard.personId) ids.push(colleagueCard.personId);
  const open = router.openConversationId;
  if (open) for (const m of conversations.get(open)?.members ?? []) ids.push(m.employeeId);
  for (const summary of conversations.ordered) for (const m of summary.members) ids.push(m.employeeId);
  ids.push(...onScreen.keys());
  return ids.filter((id) => id !== me);
}

$effect.root(() => {
  $effect(() => presenceWatch.want(wanted()));
});

// One observer for every row, with a margin of a screen's height so that a dot is known before it scrolls in.
let observer: IntersectionObserver | null = null;
/** Each observed row: whose it is and whether it is counted in `onScreen` now. */
const rows = new WeakMap<Element, { id: string; counted: boolean }>();

function count(row: { id: string; counted: boolean }, shown: boolean): void {
  if (row.counted === shown) return;
  row.counted = shown;
  const next = (onScreen.get(row.id) ?? 0) + (shown ? 1 : -1);
  if (next > 0) onScreen.set(row.id, next);
  else onScreen.delete(row.id);
}

function observe(node: Element, id: string): void {
  const row = { id, counted: false };
  rows.set(node, row);
  if (typeof IntersectionObserver === 'undefined') return count(row, true); // no observer: every row counts as shown
  observer ??= new IntersectionObserver(
    (changes) => {
      for (const change of changes) {
        const known = rows.get(change.target);
        if (known) count(known, change.isIntersecting);
      }
    },
    { rootMargin: '100% 0px' },
  );
  observer.observe(node);
}

function forget(node: Element): void {
  const row = rows.get(node);
  if (row) count(row, false);
  rows.delete(node);
  observer?.unobserve(node);
}

/** `use:inView={employeeId}` on a row that shows a colleague's presence: watched while it is (nearly) on screen. */
export function inView(node: Element, id: string) {
  observe(node, id);
  return {
    update(next: string) {
      if (rows.get(node)?.id === next) return;
      forget(node);
      observe(node, next);
    },
    destroy: () => forget(node),
  };
}
