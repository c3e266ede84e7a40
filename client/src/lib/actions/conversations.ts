/** Starting conversations: direct ones from the people list, groups from the New group dialog. */
import type { ConversationSummary } from '../../../../shared/schemas/index.js';
import { href, router } from '../router.svelte.js';
import { request } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';

function show(summary: ConversationSummary): void {
  conversations.upsert(summary);
  router.go(href.chat(summary.id));
}

/** Opens (or creates, the first time) the one direct conversation with a colleague. */
export async function openDirect(employeeId: string): Promise<void> {
  show(await request('conversation:openDirect', { employeeId }));
}

export async function createGroup(name: string, memberIds: string[]): Promise<void> {
  show(await request('conversation:createGroup', { name: name.trim(), memberIds }));
}

export async function addMembers(conversationId: string, memberIds: string[]): Promise<void> {
  conversations.upsert(await request('conversation:addMembers', { conversationId, memberIds }));
}

export async function leaveGroup(conversationId: string): Promise<void> {
  await request('conversation:leave', { conversationId });
  conversations.remove(conversationId);
  router.go(href.home);
}
