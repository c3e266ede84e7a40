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

/** Builds the timeline once, from nothing (the list keeps a TimelineBuilder, which reuses what did not change). */
export function buildTimeline(
  messages: readonly Message[],
  pending: readonly OutboxEntry[],
  myId: string,
  firstUnreadSeq: number | null,
): TimelineItem[] {
  return new TimelineBuilder().build(messages, pending, myId, firstUnreadSeq);
}

function sameItem(a: TimelineItem, b: TimelineItem): boolean {
  if (a.key !== b.key || a.kind !== b.kind) return false;
  if (a.kind === 'message' && b.kind === 'message') return a.message === b.message && a.own === b.own && a.grouped === b.grouped;
  if (a.kind === 'outbox' && b.kind === 'outbox') return a.entry === b.entry;
  if (a.kind === 'day' && b.kind === 'day') return a.date.getTime() === b.date.getTime();
  return true;
}

/**
 * The timeline, rebuilt after every change of the messages or the outbox. Messages are replaced, never mutated, so
 * the stored messages up to the first one that is not the same object give the same items as last time: only the
 * rest is built again (after a send or a live message, the last few). Items equal to last time's are the same
 * objects, so the list does not update rows that did not change. The result equals `buildTimeline`'s.
 */
export class TimelineBuilder {
  #messages: readonly Message[] = [];
  #myId: string | null = null;
  #firstUnreadSeq: number | null = null;
  /** The items of the stored messages, in order (the outbox's follow them in each result). */
  #stored: TimelineItem[] = [];
  /** #ends[i]: the number of stored items once message i is placed. */
  #ends: number[] = [];
  /** Where the "new messages" marker is in #stored, or -1. */
  #markerAt = -1;
  /** My stored messages' client ids and their index: an outbox entry already stored is not shown twice. */
  readonly #ownClientIds = new Map<string, number>();
  /** Last result's items after the stored ones (the outbox and its day separators), by key. */
  #tail = new Map<string, TimelineItem>();

  build(messages: readonly Message[], pending: readonly OutboxEntry[], myId: string, firstUnreadSeq: number | null): TimelineItem[] {
    let keep = 0;
    if (myId === this.#myId && firstUnreadSeq === this.#firstUnreadSeq) {
      const limit = Math.min(messages.length, this.#messages.length);
      while (keep < limit && messages[keep] === this.#messages[keep]) keep++;
    }
    const storedEnd = keep > 0 ? this.#ends[keep - 1]! : 0;
    const previousItems = new Map<string, TimelineItem>();
    for (let i = storedEnd; i < this.#stored.length; i++) previousItems.set(this.#stored[i]!.key, this.#stored[i]!);
    for (let i = keep; i < this.#messages.length; i++) {
      const clientId = this.#messages[i]!.clientId;
      if (this.#ownClientIds.get(clientId) === i) this.#ownClientIds.delete(clientId);
    }
    this.#stored.length = storedEnd;
    this.#ends.length = keep;
    if (this.#markerAt >= storedEnd) this.#markerAt = -1;
    this.#messages = messages;
    this.#myId = myId;
    this.#firstUnreadSeq = firstUnreadSeq;

    const items = this.#stored;
    const reuse = (item: TimelineItem, from: Map<string, TimelineItem>): TimelineItem => {
      const before = from.get(item.key);
      return before && sameItem(before, item) ? before : item;
    };
    let previous: Message | null = keep > 0 ? messages[keep - 1]! : null;
    let lastDay = previous ? dayKey(new Date(previous.createdAt)) : '';
    const addDay = (date: Date, to: TimelineItem[], from: Map<string, TimelineItem>) => {
      const key = dayKey(date);
      if (key !== lastDay) {
        to.push(reuse({ kind: 'day', key: `day-${key}`, date }, from));
        lastDay = key;
      }
    };
    for (let i = keep; i < messages.length; i++) {
      const message = messages[i]!;
      const own = message.senderId === myId;
      if (own) this.#ownClientIds.set(message.clientId, i);
      addDay(new Date(message.createdAt), items, previousItems);
      if (this.#markerAt < 0 && firstUnreadSeq !== null && message.seq >= firstUnreadSeq && !own) {
        this.#markerAt = items.length;
        items.push(reuse({ kind: 'marker', key: 'marker' }, previousItems));
      }
      const last = items[items.length - 1];
      const grouped =
        previous !== null &&
        last?.kind === 'message' &&
        previous.senderId === message.senderId &&
        Date.parse(message.createdAt) - Date.parse(previous.createdAt) <= GROUP_WINDOW_MS;
      items.push(reuse({ kind: 'message', key: `m-${message.id}`, message, own, grouped }, previousItems));
      this.#ends.push(items.length);
      previous = message;
    }

    const tail: TimelineItem[] = [];
    for (const entry of pending) {
      // Acked but the outbox entry not yet dropped (e.g. the live event won the race): never show it twice.
      if (this.#ownClientIds.has(entry.clientId)) continue;
      addDay(new Date(entry.createdAt), tail, this.#tail);
      tail.push(reuse({ kind: 'outbox', key: `o-${entry.clientId}`, entry }, this.#tail));
    }
    this.#tail = new Map(tail.map((item) => [item.key, item]));
    return items.concat(tail);
  }
}
