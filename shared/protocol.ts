/**
 * The Socket.IO wire contract, imported by the server and every client. Events are named `resource:verb`;
 * every client command answers through an ack. Types check nothing at run time: the server validates every
 * payload with the schemas in `schemas/`.
 */
import type { ErrorBody } from './errors.js';
import type {
  BulkProgress,
  CatchUpRequest,
  ConversationSummary,
  CreateGroupRequest,
  AddMembersRequest,
  ConversationRef,
  HistoryRequest,
  HistoryPage,
  Message,
  Notification,
  OpenDirectRequest,
  PresenceState,
  ReceiptRequest,
  SendMessageRequest,
  SmsDispatchView,
  SmsPreview,
  TypingRequest,
  PresenceRequest,
  PresenceWatchRequest,
  NotificationsReadRequest,
  NotificationList,
  EditMessageRequest,
  DeleteMessageRequest,
  ReactRequest,
  SmsCorrectionRequest,
  AcknowledgeRequest,
  AckReminderEvent,
  SmsBalanceLowEvent,
  AckUpdate,
  SearchRequest,
  SearchPage,
  MuteRequest,
  DoNotDisturbRequest,
  NotifySettings,
} from './schemas/index.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (answer: Ack<T>) => void;

export interface ClientToServerEvents {
  'conversation:list': (payload: Record<string, never>, ack: AckFn<ConversationSummary[]>) => void;
  'conversation:openDirect': (payload: OpenDirectRequest, ack: AckFn<ConversationSummary>) => void;
  'conversation:createGroup': (payload: CreateGroupRequest, ack: AckFn<ConversationSummary>) => void;
  'conversation:addMembers': (payload: AddMembersRequest, ack: AckFn<ConversationSummary>) => void;
  'conversation:leave': (payload: ConversationRef, ack: AckFn<{ conversationId: string }>) => void;
  'message:send': (payload: SendMessageRequest, ack: AckFn<Message>) => void;
  'message:history': (payload: HistoryRequest, ack: AckFn<HistoryPage>) => void;
  'message:catchUp': (payload: CatchUpRequest, ack: AckFn<HistoryPage>) => void;
  /** Own messages only. */
  'message:edit': (payload: EditMessageRequest, ack: AckFn<Message>) => void;
  /** Own messages, or any for an admin; answers the tombstone. */
  'message:delete': (payload: DeleteMessageRequest, ack: AckFn<Message>) => void;
  /** Idempotent: adding an existing reaction or removing a missing one changes nothing. */
  'message:react': (payload: ReactRequest, ack: AckFn<Message>) => void;
  /** The edited text of an urgent message by SMS to the recipients its SMS reached; once per edited text. */
  'message:smsCorrection': (payload: SmsCorrectionRequest, ack: AckFn<Message>) => void;
  'message:search': (payload: SearchRequest, ack: AckFn<SearchPage>) => void;
  'receipt:mark': (payload: ReceiptRequest, ack: AckFn<null>) => void;
  'typing:start': (payload: TypingRequest, ack?: AckFn<null>) => void;
  'presence:set': (payload: PresenceRequest, ack?: AckFn<null>) => void;
  /**
   * Replaces this tab's presence subscription (at most PRESENCE_WATCH_MAX people); answers their presence now, one
   * entry each (offline included). Afterwards `presence:update` brings changes of exactly these people. Sent again
   * after every (re)connect: a new socket watches nobody.
   */
  'presence:watch': (payload: PresenceWatchRequest, ack: AckFn<{ entries: PresenceEntry[] }>) => void;
  'sms:preview': (payload: ConversationRef, ack: AckFn<SmsPreview>) => void;
  'notification:list': (payload: Record<string, never>, ack: AckFn<NotificationList>) => void;
  'notification:read': (payload: NotificationsReadRequest, ack: AckFn<null>) => void;
  'message:acknowledge': (payload: AcknowledgeRequest, ack: AckFn<AckUpdate>) => void;
  /** Issue 12: my notification choices, kept on the server (asked at every (re)connect, changed by the two below). */
  'notify:get': (payload: Record<string, never>, ack: AckFn<NotifySettings>) => void;
  'notify:mute': (payload: MuteRequest, ack: AckFn<NotifySettings>) => void;
  'notify:doNotDisturb': (payload: DoNotDisturbRequest, ack: AckFn<NotifySettings>) => void;
}

/** A command's name, payload and the data of its ack, read off the contract (server table and clients alike). */
export type CommandName = keyof ClientToServerEvents;
export type CommandPayload<E extends CommandName> = Parameters<ClientToServerEvents[E]>[0];
export type CommandResult<E extends CommandName> = NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends AckFn<infer T> ? T : never;

export interface ReceiptUpdate {
  conversationId: string;
  employeeId: string;
  deliveredSeq: number;
  readSeq: number;
}

export interface PresenceEntry {
  employeeId: string;
  state: PresenceState;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  /** A message was edited, deleted or reacted to (after the change committed); upsert by id, keep the higher rev. */
  'message:updated': (message: Message) => void;
  'conversation:upsert': (conversation: ConversationSummary) => void;
  'conversation:removed': (payload: { conversationId: string }) => void;
  'receipt:update': (update: ReceiptUpdate) => void;
  'typing:update': (payload: { conversationId: string; employeeId: string }) => void;
  /**
   * Presence changes of people this tab watches (`presence:watch`), told within ~100 ms of the change; nothing
   * about anyone else, and nothing on connect (the subscription's answer is the snapshot).
   */
  'presence:update': (payload: { entries: PresenceEntry[] }) => void;
  'notification:new': (notification: Notification) => void;
  'sms:update': (payload: { messageId: string; conversationId: string; dispatch: SmsDispatchView }) => void;
  /** Who acknowledged a message, to every member of its conversation. */
  'ack:update': (update: AckUpdate) => void;
  /** "Please acknowledge", to a recipient who has not yet. */
  'ack:reminder': (reminder: AckReminderEvent) => void;
  /** Admins only: the SMS account balance fell below SMS_BALANCE_WARN_POINTS. */
  'sms:balanceLow': (warning: SmsBalanceLowEvent) => void;
  /** Issue 13: the sender's bulk SMS has one more recipient's message stored. */
  'bulk:progress': (progress: BulkProgress) => void;
  /** My notification choices changed (in this or another tab or device of mine): all of them as they stand now. */
  'notify:settings': (settings: NotifySettings) => void;
  'session:ended': (payload: { reason: 'signed-out' | 'deactivated' | 'expired' | 'password-changed' }) => void;
}

/** Largest Socket.IO frame the server accepts; bigger ones are refused before parsing. */
export const MAX_FRAME_BYTES = 64 * 1024;
