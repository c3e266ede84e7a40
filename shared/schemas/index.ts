/**
 * Runtime schemas (TypeBox) for every HTTP body and socket payload, and the static types derived from them.
 * The server validates with these; the client imports only the types.
 */
import { Type, type Static } from 'typebox';
import { GROUP_MEMBERS_MAX, GROUP_NAME_MAX, HISTORY_PAGE_SIZE, MESSAGE_MAX_LENGTH_CEILING } from '../limits.js';
import { SmsReason } from './sms-reason.js';
import { messageChangeFields, sendMessageChangeFields } from './message-changes.js';

export { SMS_REASON_CODES, SmsReason, GatewayRefusal, DeliveryFailure } from './sms-reason.js';
export type { SmsReasonCode } from './sms-reason.js';
export {
  MessageDeletion,
  ReplyQuote,
  Reaction,
  MessageRef,
  EditMessageRequest,
  DeleteMessageRequest,
  ReactRequest,
  SmsCorrectionRequest,
} from './message-changes.js';
import { MessageAck } from './ack.js';
import { AttachmentView, sendAttachmentFields } from './attachments.js';
export { ATTACHMENTS_PER_MESSAGE_MAX, AttachmentView, INLINE_IMAGE_TYPES } from './attachments.js';
export { AckEntry, AcknowledgeRequest, MessageAck } from './ack.js';
export type { AckReminderEvent, AckUpdate } from './ack.js';
export { InboundSmsReason, InboundSmsView, InboundSmsList } from './sms-inbound.js';
export { SmsBalanceView, SmsBalanceLowEvent } from './sms-balance.js';
import { WorkingHours } from './working-hours.js';
export { WorkingHours, QuietHoursHold } from './working-hours.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Strict = { additionalProperties: false } as const;

// ---------- employees and sign-in ----------
export const Role = Type.Union([Type.Literal('employee'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const Login = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });
export const Password = Type.String({ minLength: 8, maxLength: 200 });
export const DisplayName = Type.String({ minLength: 1, maxLength: 100 });
export const Title = Type.String({ maxLength: 100 });
/** Issue 13: the department ("Dział"); trimmed by the server, empty means none. */
export const Department = Type.String({ maxLength: 100 });
export const MobileInput = Type.String({ maxLength: 40 });

export const SignInBody = Type.Object(
  { login: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  Strict,
);
export type SignInBody = Static<typeof SignInBody>;

/** What any signed-in colleague may see: never a phone number, only whether an SMS can reach them. */
export const Colleague = Type.Object({
  id: Id,
  login: Type.String(),
  name: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  /** Present when the directory names one (issue 13). */
  department: Type.Optional(Type.String()),
  role: Role,
  smsReachable: Type.Boolean(),
});
export type Colleague = Static<typeof Colleague>;

/** Why an employee's directory record cannot receive SMS (null when it can). */
export const MobileStatus = Type.Union([
  Type.Literal('ok'),
  Type.Literal('missing'),
  Type.Literal('private'),
  Type.Literal('invalid'),
]);
export type MobileStatus = Static<typeof MobileStatus>;

/** The signed-in employee's own record, including their own number. */
export const Me = Type.Object({
  id: Id,
  login: Type.String(),
  name: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  mobile: Type.Union([Type.String(), Type.Null()]),
  mobilePrivate: Type.Boolean(),
  mobileStatus: MobileStatus,
  /** Quiet hours: when SMS may reach them; null = always. */
  workingHours: Type.Union([WorkingHours, Type.Null()]),
});
export type Me = Static<typeof Me>;

/**
 * An employee as the admin Directory page shows it. A number marked private is not shown even to admins
 * (`mobile: null`, `hasMobile: true`); an admin may still overwrite it.
 */
export const DirectoryEntry = Type.Object({
  id: Id,
  login: Type.String(),
  name: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  active: Type.Boolean(),
  mobile: Type.Union([Type.String(), Type.Null()]),
  hasMobile: Type.Boolean(),
  mobilePrivate: Type.Boolean(),
  mobileStatus: MobileStatus,
});
export type DirectoryEntry = Static<typeof DirectoryEntry>;

export const UpdateMyProfileBody = Type.Object(
  {
    mobile: Type.Optional(Type.Union([MobileInput, Type.Null()])),
    mobilePrivate: Type.Optional(Type.Boolean()),
    /** null: always reachable by SMS. */
    workingHours: Type.Optional(Type.Union([WorkingHours, Type.Null()])),
  },
  Strict,
);
export type UpdateMyProfileBody = Static<typeof UpdateMyProfileBody>;

export const ChangePasswordBody = Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: Password }, Strict);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const CreateEmployeeBody = Type.Object(
  {
    login: Login,
    name: DisplayName,
    password: Password,
    title: Type.Optional(Type.Union([Title, Type.Null()])),
    department: Type.Optional(Type.Union([Department, Type.Null()])),
    mobile: Type.Optional(Type.Union([MobileInput, Type.Null()])),
    mobilePrivate: Type.Optional(Type.Boolean()),
    role: Type.Optional(Role),
  },
  Strict,
);
export type CreateEmployeeBody = Static<typeof CreateEmployeeBody>;

export const UpdateEmployeeBody = Type.Object(
  {
    name: Type.Optional(DisplayName),
    title: Type.Optional(Type.Union([Title, Type.Null()])),
    department: Type.Optional(Type.Union([Department, Type.Null()])),
    mobile: Type.Optional(Type.Union([MobileInput, Type.Null()])),
    mobilePrivate: Type.Optional(Type.Boolean()),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
  },
  Strict,
);
export type UpdateEmployeeBody = Static<typeof UpdateEmployeeBody>;

/** One row of a directory import file (`npm run directory -- import FILE.json`). */
export const ImportRow = Type.Object(
  {
    login: Login,
    name: DisplayName,
    password: Type.Optional(Password),
    mobile: Type.Optional(Type.Union([MobileInput, Type.Null()])),
    mobilePrivate: Type.Optional(Type.Boolean()),
    role: Type.Optional(Role),
    title: Type.Optional(Type.Union([Title, Type.Null()])),
    department: Type.Optional(Type.Union([Department, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  Strict,
);
export type ImportRow = Static<typeof ImportRow>;

// ---------- conversations and messages ----------
export const ConversationKind = Type.Union([Type.Literal('direct'), Type.Literal('group')]);
export type ConversationKind = Static<typeof ConversationKind>;

export const MemberState = Type.Object({
  employeeId: Id,
  name: Type.String(),
  deliveredSeq: Type.Integer(),
  readSeq: Type.Integer(),
});
export type MemberState = Static<typeof MemberState>;

/** The newest message as the conversation list shows it (plain text, marks stripped, trimmed by the server). */
export const LastMessagePreview = Type.Object({
  id: Id,
  senderId: Id,
  preview: Type.String(),
  at: Type.String(),
  deleted: Type.Boolean(),
});
export type LastMessagePreview = Static<typeof LastMessagePreview>;

export const ConversationSummary = Type.Object({
  id: Id,
  kind: ConversationKind,
  /** The group's name; null for a direct conversation (the client shows the colleague's name). */
  name: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(MemberState),
  lastSeq: Type.Integer(),
  /** The conversation's change counter: the highest `rev` of its messages. */
  lastRev: Type.Integer(),
  lastActivityAt: Type.String(),
  unread: Type.Integer(),
  lastMessage: Type.Union([LastMessagePreview, Type.Null()]),
  /** Unread messages (after my readSeq) that mention me or everyone. */
  unreadMentions: Type.Integer(),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const SmsStatus = Type.Union([
  Type.Literal('not_sent'),
  Type.Literal('queued'),
  /** SMSAPI did not answer in time: it may have the SMS. See server/src/domain/sms-status.ts. */
  Type.Literal('unconfirmed'),
  Type.Literal('sent'),
  Type.Literal('delivered'),
  Type.Literal('undelivered'),
  Type.Literal('failed'),
  Type.Literal('expired'),
]);
export type SmsStatus = Static<typeof SmsStatus>;

export const SmsDispatchView = Type.Object({
  id: Id,
  recipientId: Id,
  /** Null: the recipient is no longer in the directory; the client words that. */
  recipientName: Type.Union([Type.String(), Type.Null()]),
  status: SmsStatus,
  reason: Type.Union([SmsReason, Type.Null()]),
  updatedAt: Type.String(),
  /** "SMS if unread": while the SMS waits for its deadline, the deadline (ISO); absent otherwise. */
  ifUnreadBy: Type.Optional(Type.String()),
  /** With ifUnreadBy: the deadline looks for an acknowledgement, not a read ("SMS if not acknowledged"). */
  ifNotAcknowledged: Type.Optional(Type.Literal(true)),
});
export type SmsDispatchView = Static<typeof SmsDispatchView>;

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
  seq: Type.Integer(),
  senderId: Id,
  clientId: Type.String(),
  text: Type.String(),
  createdAt: Type.String(),
  notifySms: Type.Boolean(),
  ...messageChangeFields,
  /** SMS dispatches for this message; present only in what the sender receives. */
  sms: Type.Optional(Type.Array(SmsDispatchView)),
  /** Present when the sender asked for acknowledgement. */
  ack: Type.Optional(MessageAck),
  /** Files the message carries (issue 12); absent when none, and once the message is deleted. */
  attachments: Type.Optional(Type.Array(AttachmentView)),
  /** The sender wrote it as an SMS reply to an urgent SMS (two-way SMS). */
  viaSms: Type.Optional(Type.Literal(true)),
});
export type Message = Static<typeof Message>;

export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

export const SendMessageRequest = Type.Object(
  {
    conversationId: Id,
    clientId: Uuid,
    text: Type.String({ maxLength: MESSAGE_MAX_LENGTH_CEILING }),
    notifySms: Type.Optional(Type.Boolean()),
    ...sendMessageChangeFields,
    ...sendAttachmentFields,
    /** With notifySms: send the SMS only to whoever has not read the message after this many minutes (one of the configured choices). */
    smsIfUnreadMinutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1440 })),
    /** Ask the recipients to acknowledge; they are reminded until they do (for at most an hour). */
    requestAck: Type.Optional(Type.Boolean()),
    /** With notifySms: send even to recipients in their quiet hours instead of holding the SMS until their hours start. */
    smsIgnoreQuietHours: Type.Optional(Type.Boolean()),
    /** With smsIfUnreadMinutes and requestAck: the deadline escalates on a missing acknowledgement, not a missing read. */
    smsIfUnacknowledged: Type.Optional(Type.Boolean()),
    /** Issue 13: where in the app the SMS was asked for (the colleague's card, the start page's widget); for the SMS report. */
    smsSource: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('card'), Type.Literal('widget')])),
  },
  Strict,
);
export type SendMessageRequest = Static<typeof SendMessageRequest>;

export const ConversationRef = Type.Object({ conversationId: Id }, Strict);
export type ConversationRef = Static<typeof ConversationRef>;

export const OpenDirectRequest = Type.Object({ employeeId: Id }, Strict);
export type OpenDirectRequest = Static<typeof OpenDirectRequest>;

export const CreateGroupRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: GROUP_NAME_MAX }),
    memberIds: Type.Array(Id, { minItems: 1, maxItems: GROUP_MEMBERS_MAX }),
  },
  Strict,
);
export type CreateGroupRequest = Static<typeof CreateGroupRequest>;

export const AddMembersRequest = Type.Object(
  { conversationId: Id, memberIds: Type.Array(Id, { minItems: 1, maxItems: GROUP_MEMBERS_MAX }) },
  Strict,
);
export type AddMembersRequest = Static<typeof AddMembersRequest>;

export const HistoryRequest = Type.Object(
  {
    conversationId: Id,
    /** Return messages with seq strictly below this; omit for the newest page. */
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A message id: up to limit/2 messages before it and after it, itself included. Not with beforeSeq. */
    around: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: HISTORY_PAGE_SIZE })),
  },
  Strict,
);
export type HistoryRequest = Static<typeof HistoryRequest>;

export const CatchUpRequest = Type.Object(
  {
    conversationId: Id,
    /** Return messages with seq strictly above this, oldest first. Exactly one of afterSeq and afterRev. */
    afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Return messages new or changed since this rev, by rev (the client upserts them by id). */
    afterRev: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  Strict,
);
export type CatchUpRequest = Static<typeof CatchUpRequest>;

export const HistoryPage = Type.Object({
  messages: Type.Array(Message),
  /** More messages exist in the requested direction (older for history, later for catch-up). */
  hasMore: Type.Boolean(),
  /** With `around`: more messages exist after the page. */
  hasNewer: Type.Optional(Type.Boolean()),
});
export type HistoryPage = Static<typeof HistoryPage>;

export const ReceiptRequest = Type.Object(
  {
    conversationId: Id,
    seq: Type.Integer({ minimum: 0 }),
    kind: Type.Union([Type.Literal('delivered'), Type.Literal('read')]),
  },
  Strict,
);
export type ReceiptRequest = Static<typeof ReceiptRequest>;

export const TypingRequest = ConversationRef;
export type TypingRequest = ConversationRef;

export { PresenceState, PresenceRequest, PresenceWatchRequest, PRESENCE_WATCH_MAX } from './presence.js';

// ---------- SMS and notifications ----------
export const SmsPreviewRecipient = Type.Object({
  employeeId: Id,
  name: Type.String(),
  canReceive: Type.Boolean(),
  /** Why not, as a code with parameters (never containing the number); the client words it. */
  reason: Type.Union([SmsReason, Type.Null()]),
});
export const SmsPreview = Type.Object({ recipients: Type.Array(SmsPreviewRecipient) });
export type SmsPreview = Static<typeof SmsPreview>;

/** One SMS outcome the sender should know of, as data; the client words it and groups it per message. */
export const Notification = Type.Object({
  id: Id,
  kind: Type.Literal('sms_outcome'),
  messageId: Id,
  conversationId: Id,
  recipientId: Id,
  /** Null: the recipient was no longer in the directory; the client words that (old notifications have a name). */
  recipientName: Type.Union([Type.String(), Type.Null()]),
  status: SmsStatus,
  reason: Type.Union([SmsReason, Type.Null()]),
  createdAt: Type.String(),
  read: Type.Boolean(),
});
export type Notification = Static<typeof Notification>;

export const NotificationList = Type.Object({ notifications: Type.Array(Notification), unread: Type.Integer() });
export type NotificationList = Static<typeof NotificationList>;

export const NotificationsReadRequest = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { maxItems: 500 })), all: Type.Optional(Type.Boolean()) },
  Strict,
);
export type NotificationsReadRequest = Static<typeof NotificationsReadRequest>;

/** `{}` and nothing else; typed as the contract's `Record<string, never>` (TypeBox would say `object`, which admits any). */
export const EmptyPayload = Type.Unsafe<Record<string, never>>(Type.Object({}, Strict));
export type EmptyPayload = Static<typeof EmptyPayload>;

export const SmsReportQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('queued'),
        Type.Literal('sent'),
        Type.Literal('delivered'),
        Type.Literal('not_delivered'),
        Type.Literal('not_sent'),
      ]),
    ),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    senderId: Type.Optional(Id),
    recipientId: Type.Optional(Id),
    /** Where the SMS came from: `chat`, `card`, `widget`, `bulk`, `integration` (any), or `integration:<id>` (one). */
    source: Type.Optional(Type.String({ pattern: '^(chat|card|widget|bulk|integration(:[A-Za-z0-9-]{1,64})?)$' })),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  Strict,
);
export type SmsReportQuery = Static<typeof SmsReportQuery>;

export const SmsReportRow = Type.Object({
  id: Id,
  createdAt: Type.String(),
  senderId: Id,
  senderName: Type.String(),
  recipientId: Id,
  recipientName: Type.String(),
  status: SmsStatus,
  reason: Type.Union([SmsReason, Type.Null()]),
  parts: Type.Union([Type.Integer(), Type.Null()]),
  points: Type.Union([Type.Number(), Type.Null()]),
  gatewayId: Type.Union([Type.String(), Type.Null()]),
  messageId: Id,
  conversationId: Id,
  /** A colleague (in a chat, from a colleague's card, the start page's widget, bulk SMS), or an integration (its name is the sender's). */
  source: Type.Union([
    Type.Object({ kind: Type.Union([Type.Literal('chat'), Type.Literal('card'), Type.Literal('widget'), Type.Literal('bulk')]) }),
    Type.Object({ kind: Type.Literal('integration'), integrationId: Id }),
  ]),
});
export type SmsReportRow = Static<typeof SmsReportRow>;

export const SmsReportPage = Type.Object({
  rows: Type.Array(SmsReportRow),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type SmsReportPage = Static<typeof SmsReportPage>;

// ---------- SMS templates and integrations (issue 13) ----------
export * from './sms-templates.js';
export * from './integrations.js';
// ---------- message search ----------
export { SearchRequest, SearchSnippet, SearchHit, SearchPage, SEARCH_PAGE_SIZE, SEARCH_QUERY_MAX_LENGTH } from './search.js';
export * from './bulk-sms.js';
// ---------- notification choices on the server (issue 12) ----------
export * from './notify-settings.js';
