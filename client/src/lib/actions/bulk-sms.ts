/** Bulk SMS from the Directory (issue 13): preview, send, look back, and follow a bulk while it is sent. */
import { API } from '../../../../shared/http.js';
import type { BulkJobView, BulkPreview, BulkPreviewRequest, BulkProgress, BulkSendRequest } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';
import { on } from '../socket.js';

export function previewBulk(body: BulkPreviewRequest): Promise<BulkPreview> {
  return api<BulkPreview>('POST', API.adminBulkSmsPreview, body);
}

/** A retry with the same `id` (after a lost answer) sends nothing twice. */
export function sendBulk(body: BulkSendRequest): Promise<BulkJobView> {
  return api<BulkJobView>('POST', API.adminBulkSms, body);
}

export function listBulk(): Promise<BulkJobView[]> {
  return api<BulkJobView[]>('GET', API.adminBulkSms);
}

export function getBulk(id: string): Promise<BulkJobView> {
  return api<BulkJobView>('GET', API.adminBulkSmsJob(id));
}

/** Progress of the sender's bulks as their messages are stored; returns the unsubscribe. */
export function followBulkProgress(handler: (progress: BulkProgress) => void): () => void {
  return on('bulk:progress', handler);
}

/** Any change of the sender's SMS (a bulk's summary refreshes on those of its messages); returns the unsubscribe. */
export function followSmsChanges(handler: (messageId: string) => void): () => void {
  return on('sms:update', ({ messageId }) => handler(messageId));
}
