/**
 * Who may do what to a message, as the client offers it (the server decides again): edit your own, delete your own
 * or, as an admin, anyone's; nothing on a tombstone. And which edits call for an SMS correction.
 */
import type { Message, SmsStatus } from '../../../../shared/schemas/index.js';

export function canEdit(message: Message, myId: string): boolean {
  return message.senderId === myId && message.deleted === null;
}

export function canDelete(message: Message, myId: string, isAdmin: boolean): boolean {
  return (message.senderId === myId || isAdmin) && message.deleted === null;
}

export function canReact(message: Message): boolean {
  return message.deleted === null;
}

/** What ↑ in an empty composer edits: my newest message that is still there. */
export function lastEditable(messages: readonly Message[], myId: string): Message | null {
  for (let i = messages.length - 1; i >= 0; i--) if (canEdit(messages[i]!, myId)) return messages[i]!;
  return null;
}

/** An SMS the gateway took (or may have taken): its recipients read the old text. */
const WENT_OUT: ReadonlySet<SmsStatus> = new Set(['sent', 'delivered', 'unconfirmed']);

/** An edited urgent message of mine whose SMS reached someone: offer to send them the corrected text. */
export function needsSmsCorrection(message: Message, myId: string): boolean {
  return (
    message.senderId === myId &&
    message.deleted === null &&
    message.notifySms &&
    message.editedAt !== null &&
    (message.sms ?? []).some((d) => WENT_OUT.has(d.status))
  );
}

/** Whether I reacted with `emoji`, so a click removes it rather than adds it. */
export function reactedWith(message: Message, emoji: string, myId: string): boolean {
  return message.reactions.some((r) => r.emoji === emoji && r.employeeIds.includes(myId));
}

/** One emoji (a single grapheme cluster that is pictographic), as the "any emoji" field accepts it. */
export function singleEmoji(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 16) return null;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(trimmed)];
  if (graphemes.length !== 1) return null;
  return /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(trimmed) ? trimmed : null;
}
