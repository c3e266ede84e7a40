/**
 * Bulk SMS from the Directory (issue 13): the selection, the preview (who will and will not get an SMS, and the
 * estimated cost), the send, and the job's summary with per-recipient outcome codes.
 */
import { Type, type Static } from 'typebox';
import { SmsOutcome } from './integrations.js';
import { SmsReason } from './sms-reason.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
const Strict = { additionalProperties: false } as const;

/** Everyone matching any of these (active colleagues, the sender left out). */
export const BulkSelection = Type.Object(
  {
    employeeIds: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
    departments: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    titles: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  },
  Strict,
);
export type BulkSelection = Static<typeof BulkSelection>;

const bulkContent = {
  recipients: BulkSelection,
  /** The text, or use templateId (rendered per recipient: {imię}, {nazwisko}, {nadawca}, {data}, {godzina}). */
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  templateId: Type.Optional(Id),
  variables: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }))),
};

export const BulkPreviewRequest = Type.Object(bulkContent, Strict);
export type BulkPreviewRequest = Static<typeof BulkPreviewRequest>;

/** `id` is chosen by the client once per bulk: a retry with the same id sends nothing twice. */
export const BulkSendRequest = Type.Object({ id: Uuid, ...bulkContent }, Strict);
export type BulkSendRequest = Static<typeof BulkSendRequest>;

export const BulkPreviewRecipient = Type.Object({
  employeeId: Id,
  name: Type.String(),
  canReceive: Type.Boolean(),
  reason: Type.Union([SmsReason, Type.Null()]),
  parts: Type.Union([Type.Integer(), Type.Null()]),
});
export type BulkPreviewRecipient = Static<typeof BulkPreviewRecipient>;

export const BulkPreview = Type.Object({
  recipients: Type.Array(BulkPreviewRecipient),
  willReceive: Type.Integer(),
  wontReceive: Type.Integer(),
  /** SMS parts of those who will receive, and parts × SMS_POINTS_PER_PART. */
  parts: Type.Integer(),
  pointsPerPart: Type.Number(),
  estimatedPoints: Type.Number(),
  maxRecipients: Type.Integer(),
  /** Bulk SMS still allowed today (BULK_SMS_PER_DAY); null when there is no daily limit. */
  remainingToday: Type.Union([Type.Integer(), Type.Null()]),
});
export type BulkPreview = Static<typeof BulkPreview>;

export const BulkRecipientOutcome = Type.Object({
  employeeId: Id,
  name: Type.String(),
  /** Null until the recipient's message is stored (the job is still being sent). */
  messageId: Type.Union([Id, Type.Null()]),
  conversationId: Type.Union([Id, Type.Null()]),
  sms: Type.Union([SmsOutcome, Type.Null()]),
});
export type BulkRecipientOutcome = Static<typeof BulkRecipientOutcome>;

export const BulkJobView = Type.Object({
  id: Id,
  createdAt: Type.String(),
  senderName: Type.String(),
  templateId: Type.Union([Id, Type.Null()]),
  /** The first recipient's text (the others' differ only where the template put their names). */
  sampleText: Type.String(),
  total: Type.Integer(),
  /** False while the job is still being sent in the background (POST answers 202 before any message is stored). */
  finished: Type.Boolean(),
  recipients: Type.Array(BulkRecipientOutcome),
});
export type BulkJobView = Static<typeof BulkJobView>;

/** Live progress while a bulk is being sent, to its sender (socket `bulk:progress`); `finished` comes last, once. */
export const BulkProgress = Type.Object({ jobId: Id, stored: Type.Integer(), total: Type.Integer(), finished: Type.Boolean() });
export type BulkProgress = Static<typeof BulkProgress>;

export const BulkJobId = Type.Object({ id: Id }, Strict);
