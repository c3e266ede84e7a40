import type { InboundSmsRepository } from '../../../ports/store.js';
import type { InboundSmsDoc, Models } from './models.js';
import { isDuplicateKey } from './mongo-connection.js';

export function createInboundSmsRepository({ InboundSms }: Models): InboundSmsRepository {
  return {
    async record(inbound) {
      try {
        await InboundSms.create([
          {
            _id: inbound.gatewayId,
            senderKey: inbound.senderKey,
            reason: inbound.reason,
            text: inbound.text,
            sentAt: inbound.sentAt,
            receivedAt: inbound.receivedAt,
          },
        ]);
        return true;
      } catch (error) {
        // The MsgId is the _id: a repeated callback, also one racing its original, is refused by the server.
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async list(limit) {
      const docs = await InboundSms.find().sort({ receivedAt: -1, _id: 1 }).limit(limit).lean<InboundSmsDoc[]>().exec();
      return docs.map((d) => ({
        gatewayId: d._id,
        senderKey: d.senderKey,
        reason: d.reason,
        text: d.text ?? '',
        sentAt: d.sentAt,
        receivedAt: d.receivedAt,
      }));
    },
  };
}
