/**
 * Turns stored messages and the outbox into what the message list shows, in order: day separators, the
 * "new messages" marker, stored messages, then messages still being sent. Pure, so it is tested without a DOM.
 */
import type { Message } from '../../../../shared/schemas/index.js';
import type { OutboxEntry } from './outbox.js';

export type TimelineItem =
  | { kind: 'day'; key: string; date: Date }
  | { kind: 'marker'; key: string }
  /** `grouped`: follows the same sender's message within GROUP_WINDOW_MS, so it is shown without a header. */
  | { kind: 'message'; key: string; message: Message; own: boolean; grouped: boolean }
  | { kind: 'outbox'; key: string; entry: OutboxEntry };

/** Consecutive messages of one sender this close together share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** Local calendar day, so separators follow the reader's midnight. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

export function buildTimeline(
  messages: readonly Message[],
  pending: readonly OutboxEntry[],
  myId: string,
  firstUnreadSeq: number | null,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  const storedClientIds = new Set<string>();
  let lastDay = '';
  let markerPlaced = false;
  const addDay = (date: Date) => {
    const key = dayKey(date);
    if (key !== lastDay) {
      items.push({ kind: 'day', key: `day-${key}`, date });
      lastDay = key;
    }
  };
  let previous: Message | null = null;
  for (const message of messages) {
    const own = message.senderId === myId;
    if (own) storedClientIds.add(message.clientId);
    addDay(new Date(message.createdAt));
    if (!markerPlaced && firstUnreadSeq !== null && message.seq >= firstUnreadSeq && !own) {
      items.push({ kind: 'marker', key: 'marker' });
      markerPlaced = true;
    }
    const last = items[items.length - 1];
    const grouped =
      previous !== null &&
      last?.kind === 'message' &&
      previous.senderId === message.senderId &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) <= GROUP_WINDOW_MS;
    items.push({ kind: 'message', key: `m-${message.id}`, message, own, grouped });
    previous = message;
  }
  for (const entry of pending) {
    // Acked but the outbox entry not yet dropped (e.g. the live event won the race): never show it twice.
    if (storedClientIds.has(entry.clientId)) continue;
    addDay(new Date(entry.createdAt));
    items.push({ kind: 'outbox', key: `o-${entry.clientId}`, entry });
  }
  return items;
}
