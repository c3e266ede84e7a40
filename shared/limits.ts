/** Limits both sides must agree on. The server's configured message length may be lower, never higher. */
export const MESSAGE_MAX_LENGTH_CEILING = 20_000;
export const HISTORY_PAGE_SIZE = 50;
export const GROUP_NAME_MAX = 80;
export const GROUP_MEMBERS_MAX = 200;
/** Issue 11: reactions and reply quotes. */
export const REACTION_EMOJI_MAX_LENGTH = 16;
export const REACTIONS_PER_MESSAGE_MAX = 20;
export const REPLY_EXCERPT_LENGTH = 140;
/** Issue 12: search and attachments. Here (not only in shared/schemas) so the client reads them without TypeBox. */
export const SEARCH_QUERY_MAX_LENGTH = 200;
export const ATTACHMENTS_PER_MESSAGE_MAX = 10;
/**
 * How long the server recognises a repeated client id after it stored the message (the SQLite store's window; MongoDB
 * keeps them all): a resend comes from an outbox after a reconnect or a restart, in seconds to days (a long weekend
 * offline). The client's outbox gives up on an entry a day before this (OUTBOX_MAX_AGE_MS), so both read it here.
 */
export const CLIENT_ID_WINDOW_MS = 7 * 24 * 3_600_000;
