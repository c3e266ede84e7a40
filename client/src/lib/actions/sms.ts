import type { SmsPreview } from '../../../../shared/schemas/index.js';
import { request } from '../socket.js';

/** Who in this conversation an SMS can reach, and why not (the server's words, never a number). */
export function previewSms(conversationId: string): Promise<SmsPreview> {
  return request('sms:preview', { conversationId });
}
