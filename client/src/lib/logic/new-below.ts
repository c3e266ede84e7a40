/**
 * "Jump to latest (3)": the messages from others that arrived below while the reader was scrolled up. `seenSeq` is
 * the newest seq there was when they left the bottom.
 */
import type { Message } from '../../../../shared/schemas/index.js';

export function countNewBelow(messages: readonly Message[], seenSeq: number | null, myId: string): number {
  if (seenSeq === null) return 0;
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > seenSeq; i--) if (messages[i]!.senderId !== myId) count++;
  return count;
}
