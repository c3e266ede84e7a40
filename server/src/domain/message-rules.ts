/**
 * The rules of issue 11's message changes, as pure functions: what an edit, a delete or a reaction may do to a
 * stored message, and which mentions a message may carry. The store runs the `decide*` functions inside the write's
 * transaction (ports/store.ts MessageChange), so a rule and its write are one atomic step.
 */
import { REACTIONS_PER_MESSAGE_MAX } from '../../../shared/limits.js';
import type { ConversationKind } from '../../../shared/schemas/index.js';
import type { MessagePatch, StoredMessage, StoredReaction } from './entities.js';
import { DomainError, invalid } from './errors.js';

/** Line ends normalised and trimmed, then the same limits as a send. */
export function normaliseText(raw: string, maxLength: number): string {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (!text) throw invalid('text must not be empty');
  if (text.length > maxLength) throw invalid(`text must not have more than ${maxLength} characters (it has ${text.length})`);
  return text;
}

// Built at run time: the `v` flag (Unicode sets, needed for RGI_Emoji) is newer than the compile target.
const SINGLE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

export function checkEmoji(emoji: string): void {
  if (!SINGLE_EMOJI.test(emoji)) {
    throw new DomainError('VALIDATION_FAILED', 'emoji must be exactly one emoji', { field: 'emoji', rule: 'pattern' });
  }
}

export interface MentionInput {
  mentions?: string[] | undefined;
  mentionsAll?: boolean | undefined;
}

/** Mentions of members only (each once), @all in groups only. */
export function checkMentions(input: MentionInput, memberIds: readonly string[], kind: ConversationKind): { mentions: string[]; mentionsAll: boolean } {
  const members = new Set(memberIds);
  const mentions = input.mentions ?? [];
  const outsider = mentions.findIndex((id) => !members.has(id));
  if (outsider >= 0) {
    throw new DomainError('MENTION_NOT_MEMBER', `mentions/${outsider} is not a member of this conversation`, { field: `mentions/${outsider}` });
  }
  const mentionsAll = input.mentionsAll === true;
  if (mentionsAll && kind !== 'group') throw new DomainError('MENTION_ALL_NOT_IN_GROUP', '@all can be used in group conversations only');
  return { mentions: [...new Set(mentions)], mentionsAll };
}

function notDeleted(message: StoredMessage): void {
  if (message.deletedAt) throw new DomainError('MESSAGE_DELETED', 'This message has been deleted');
}

export function decideEdit(
  editorId: string,
  change: { text: string; mentions: string[]; mentionsAll: boolean; at: Date },
): (current: StoredMessage) => MessagePatch | null {
  return (current) => {
    if (current.senderId !== editorId) throw new DomainError('NOT_YOUR_MESSAGE', 'Only the sender can edit a message');
    notDeleted(current);
    const same =
      current.text === change.text &&
      current.mentionsAll === change.mentionsAll &&
      current.mentions.length === change.mentions.length &&
      current.mentions.every((id, i) => id === change.mentions[i]);
    if (same) return null;
    return { text: change.text, mentions: change.mentions, mentionsAll: change.mentionsAll, editedAt: change.at };
  };
}

/** The sender, or an admin for any message. Deleting a tombstone again changes nothing. */
export function decideDelete(
  deleter: { id: string; isAdmin: boolean },
  at: Date,
): (current: StoredMessage) => MessagePatch | null {
  return (current) => {
    if (current.senderId !== deleter.id && !deleter.isAdmin) {
      throw new DomainError('NOT_YOUR_MESSAGE', 'Only the sender or an admin can delete a message');
    }
    if (current.deletedAt) return null;
    return { text: '', deletedAt: at, deletedBy: deleter.id, reactions: [], mentions: [], mentionsAll: false };
  };
}

/** Idempotent: adding a reaction one has, or removing one one has not, changes nothing. */
export function decideReaction(
  employeeId: string,
  emoji: string,
  add: boolean,
): (current: StoredMessage) => MessagePatch | null {
  return (current) => {
    notDeleted(current);
    const existing = current.reactions.find((r) => r.emoji === emoji);
    const has = existing?.employeeIds.includes(employeeId) ?? false;
    if (has === add) return null;
    let reactions: StoredReaction[];
    if (add && existing) {
      reactions = current.reactions.map((r) => (r === existing ? { emoji, employeeIds: [...r.employeeIds, employeeId] } : r));
    } else if (add) {
      if (current.reactions.length >= REACTIONS_PER_MESSAGE_MAX) {
        throw new DomainError('TOO_MANY_REACTIONS', `A message may have at most ${REACTIONS_PER_MESSAGE_MAX} different reactions`, {
          limit: REACTIONS_PER_MESSAGE_MAX,
        });
      }
      reactions = [...current.reactions, { emoji, employeeIds: [employeeId] }];
    } else {
      reactions = current.reactions
        .map((r) => (r === existing ? { emoji, employeeIds: r.employeeIds.filter((id) => id !== employeeId) } : r))
        .filter((r) => r.employeeIds.length > 0);
    }
    return { reactions };
  };
}
