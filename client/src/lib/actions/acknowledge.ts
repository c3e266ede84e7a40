import { request } from '../socket.js';
import { conversations } from '../state/conversations.svelte.js';
import { reportError } from './report-error.js';

/** "Potwierdzam": once per message; the answer (and the live ack:update) carry who has acknowledged. */
export async function acknowledge(messageId: string, conversationId: string): Promise<void> {
  try {
    const { total, by } = await request('message:acknowledge', { messageId });
    conversations.thread(conversationId)?.updateAck(messageId, { total, by });
  } catch (error) {
    reportError(error, 'acknowledge');
  }
}
