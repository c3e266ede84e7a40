/** Admins' SMS cards: replies that reached no conversation (two-way SMS) and the account balance. */
import { API } from '../../../../shared/http.js';
import type { InboundSmsList, SmsBalanceView } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';

export function loadSmsReplies(): Promise<InboundSmsList> {
  return api<InboundSmsList>('GET', API.adminSmsInbound);
}

export function loadSmsBalance(): Promise<SmsBalanceView> {
  return api<SmsBalanceView>('GET', API.adminSmsBalance);
}
