import type Database from 'better-sqlite3';
import type { InboundSms, InboundSmsReason } from '../../../domain/entities.js';
import type { InboundSmsRepository } from '../../../ports/store.js';

export interface InboundRow {
  gateway_id: string;
  sender_key: string;
  reason: InboundSmsReason;
  text: string;
  sent_at: number;
  received_at: number;
}

export const toInbound = (row: InboundRow): InboundSms => ({
  gatewayId: row.gateway_id,
  senderKey: row.sender_key,
  reason: row.reason,
  text: row.text,
  sentAt: new Date(row.sent_at),
  receivedAt: new Date(row.received_at),
});

export function createInboundSmsRepository(db: Database.Database): InboundSmsRepository {
  // The primary key makes a repeated callback (also one racing its original) a no-op.
  const insert = db.prepare<InboundRow>(`
    INSERT INTO sms_inbound (gateway_id, sender_key, reason, text, sent_at, received_at)
    VALUES (@gateway_id, @sender_key, @reason, @text, @sent_at, @received_at) ON CONFLICT DO NOTHING`);
  const newest = db.prepare<[number], InboundRow>('SELECT * FROM sms_inbound ORDER BY received_at DESC, gateway_id LIMIT ?');
  return {
    async record(inbound) {
      const result = insert.run({
        gateway_id: inbound.gatewayId,
        sender_key: inbound.senderKey,
        reason: inbound.reason,
        text: inbound.text,
        sent_at: inbound.sentAt.getTime(),
        received_at: inbound.receivedAt.getTime(),
      });
      return result.changes === 1;
    },
    async list(limit) {
      return newest.all(limit).map(toInbound);
    },
  };
}
