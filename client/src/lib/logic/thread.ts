/**
 * Pure rules for keeping a conversation's messages: one entry per sequence number, idempotent inserts, and gap
 * detection so a live message that skips ahead triggers a catch-up instead of leaving a hole.
 */
export interface Sequenced {
  id: string;
  seq: number;
  /** The conversation's change counter at this copy's last write: of two copies of one message, the higher wins. */
  rev?: number;
}

/**
 * Merges `incoming` into `existing` (sorted by seq) and returns a new sorted array; the same message arriving again
 * (history, catch-up, live event, send ack, edit) replaces its earlier copy, so nothing is ever shown twice. A copy
 * with a lower rev than the one held is older news (an edit's event overtaken by a catch-up) and loses. Fields the
 * winning copy lacks (e.g. `sms` on a copy from another path) are kept from the other one.
 */
export function mergeMessages<T extends Sequenced>(existing: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return existing as T[];
  const bySeq = new Map<number, T>();
  for (const message of existing) bySeq.set(message.seq, message);
  for (const message of incoming) {
    const previous = bySeq.get(message.seq);
    if (!previous || previous.id !== message.id) bySeq.set(message.seq, message);
    else if ((message.rev ?? 0) >= (previous.rev ?? 0)) bySeq.set(message.seq, { ...previous, ...message });
    else bySeq.set(message.seq, { ...message, ...previous });
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function highestRev(messages: readonly Sequenced[]): number {
  let max = 0;
  for (const message of messages) if ((message.rev ?? 0) > max) max = message.rev ?? 0;
  return max;
}

export type Arrival = 'known' | 'next' | 'gap';

/** How a live message relates to the highest sequence we hold without holes. */
export function classifyArrival(lastKnownSeq: number, seq: number): Arrival {
  if (seq <= lastKnownSeq) return 'known';
  if (seq === lastKnownSeq + 1) return 'next';
  return 'gap';
}

/**
 * Takes the held-back messages that now join the contiguous run (or are already known) and leaves the rest, which
 * still sit beyond a hole.
 */
export function drainPending<T extends Sequenced>(
  lastKnownSeq: number,
  pending: readonly T[],
): { ready: T[]; rest: T[]; lastKnownSeq: number } {
  const sorted = [...pending].sort((a, b) => a.seq - b.seq);
  const ready: T[] = [];
  const rest: T[] = [];
  let known = lastKnownSeq;
  for (const message of sorted) {
    if (message.seq <= known) ready.push(message);
    else if (message.seq === known + 1) {
      ready.push(message);
      known = message.seq;
    } else rest.push(message);
  }
  return { ready, rest, lastKnownSeq: known };
}

export function highestSeq(messages: readonly Sequenced[]): number {
  let max = 0;
  for (const message of messages) if (message.seq > max) max = message.seq;
  return max;
}

export function lowestSeq(messages: readonly Sequenced[]): number | null {
  return messages.length ? Math.min(...messages.map((m) => m.seq)) : null;
}

/** Messages from others above what I have read: what the sidebar badge shows once a thread is loaded. */
export function countUnread(messages: readonly (Sequenced & { senderId: string })[], readSeq: number, myId: string): number {
  let n = 0;
  for (const message of messages) if (message.seq > readSeq && message.senderId !== myId) n++;
  return n;
}
