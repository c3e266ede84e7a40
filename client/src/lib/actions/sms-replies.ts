/** Two-way SMS: replies that reached no conversation (admins only). */
import { API } from '../../../../shared/http.js';
import type { InboundSmsList } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';

export function loadSmsReplies(): Promise<InboundSmsList> {
  return api<InboundSmsList>('GET', API.adminSmsInbound);
}
