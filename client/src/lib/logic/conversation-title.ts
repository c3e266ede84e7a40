import type { ConversationSummary } from '../../../../shared/schemas/index.js';

/** A group's name, or for a direct conversation the colleague's name (the directory's if known, else the member's). */
export function conversationTitle(
  conversation: ConversationSummary,
  myId: string | undefined,
  nameOf: (employeeId: string) => string | null,
): string | null {
  if (conversation.kind === 'group') return conversation.name;
  const other = conversation.members.find((m) => m.employeeId !== myId) ?? conversation.members[0];
  return other ? (nameOf(other.employeeId) ?? other.name) : null;
}
