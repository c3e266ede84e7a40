/**
 * Stable error codes shared by server and client. The server maps each code to an HTTP status at the HTTP edge
 * and puts it verbatim into socket acks; the client switches on the code to pick a translated message.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  ACCOUNT_INACTIVE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  /** Socket handshake: the employee already holds MAX_SOCKETS_PER_EMPLOYEE connections. */
  TOO_MANY_CONNECTIONS: 429,
  /** A member would be in more than MAX_GROUPS_PER_EMPLOYEE groups. */
  TOO_MANY_GROUPS: 409,
  UNKNOWN_EVENT: 400,
  /** Issue 11: editing someone else's message, or deleting it without being an admin. */
  NOT_YOUR_MESSAGE: 403,
  /** Editing, reacting to or replying to a deleted message. */
  MESSAGE_DELETED: 409,
  /** A mention of someone who is not a member (`field` names it: "mentions/2"). */
  MENTION_NOT_MEMBER: 400,
  /** @all / @wszyscy in a direct conversation. */
  MENTION_ALL_NOT_IN_GROUP: 400,
  /** `replyToId` is not a message of this conversation. */
  REPLY_TARGET_INVALID: 400,
  /** The message already has REACTIONS_PER_MESSAGE_MAX different emoji (`limit`). */
  TOO_MANY_REACTIONS: 409,
  /** An SMS correction for a message that was not edited since its SMS. */
  MESSAGE_NOT_EDITED: 409,
  /** An SMS correction for a message whose SMS reached nobody (or that was not urgent). */
  NO_SMS_TO_CORRECT: 409,
  /** An SMS correction for a text that was edited again since (`rev` is older than the latest edit). */
  STALE_REV: 409,
  /** Issue 12: an upload over ATTACHMENT_MAX_MB (`limit` in bytes); nothing was stored. */
  ATTACHMENT_TOO_LARGE: 413,
  /** `attachmentIds` names a file that is not the sender's own unattached upload (`field` names it). */
  ATTACHMENT_UNAVAILABLE: 409,
  /** Issue 13: a bulk SMS would take the day's bulk SMS past BULK_SMS_PER_DAY (`limit`, `remaining`); nothing was sent. */
  BULK_LIMIT_REACHED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Which rule a VALIDATION_FAILED body broke; the client words each one per field. */
export const VALIDATION_RULES = ['required', 'minLength', 'maxLength', 'pattern', 'format', 'type', 'range', 'unknown_field'] as const;
export type ValidationRule = (typeof VALIDATION_RULES)[number];

export interface ErrorBody {
  code: ErrorCode;
  /** English detail for logs and developers; the client picks its words from the code and the fields below. */
  message: string;
  /** With TOO_MANY_ATTEMPTS, RATE_LIMITED or SERVICE_UNAVAILABLE: milliseconds until a retry may succeed. */
  retryAfterMs?: number;
  /**
   * With TOO_MANY_CONNECTIONS or TOO_MANY_GROUPS: the configured cap. With VALIDATION_FAILED and a length or range
   * rule: the bound that was broken.
   */
  limit?: number;
  /** With VALIDATION_FAILED: the first offending field as a path ("login", "memberIds/3"); "" for the body itself. */
  field?: string;
  /** With VALIDATION_FAILED: which rule that field broke. */
  rule?: ValidationRule;
  /** With VALIDATION_FAILED of a template: the variables the text uses but were not given, and those given but not used. */
  variables?: { missing: string[]; unexpected: string[] };
  /** With VALIDATION_FAILED of integration recipients: the logins or group ids that name nobody active. */
  unknownRecipients?: string[];
  /** With BULK_LIMIT_REACHED: bulk SMS still allowed today. */
  remaining?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
