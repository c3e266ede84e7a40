/**
 * Issue 11's message changes on the wire: edits, tombstones, replies, reactions, mentions, and the per-conversation
 * `rev` that lets catch-up carry changed messages as well as new ones. Re-exported from `index.ts`.
 */
import { Type, type Static } from 'typebox';
import { GROUP_MEMBERS_MAX, MESSAGE_MAX_LENGTH_CEILING, REACTION_EMOJI_MAX_LENGTH } from '../limits.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Strict = { additionalProperties: false } as const;

/** A tombstone: who removed the message and when; the text itself is gone from the store. */
export const MessageDeletion = Type.Object({ at: Type.String(), byId: Id });
export type MessageDeletion = Static<typeof MessageDeletion>;

/** The quote above a reply, made by the server from the original (so a deleted original quotes nothing). */
export const ReplyQuote = Type.Object({
  messageId: Id,
  senderId: Id,
  /** The first REPLY_EXCERPT_LENGTH characters of the original's text; '' once it is deleted. */
  excerpt: Type.String(),
  deleted: Type.Boolean(),
});
export type ReplyQuote = Static<typeof ReplyQuote>;

/** One emoji and who reacted with it, in order of first reaction. */
export const Reaction = Type.Object({ emoji: Type.String(), employeeIds: Type.Array(Id) });
export type Reaction = Static<typeof Reaction>;

/** The fields `Message` gains (spread into it in index.ts). */
export const messageChangeFields = {
  /** The conversation's change counter when this message was last written (sent, edited, deleted, reacted to). */
  rev: Type.Integer(),
  editedAt: Type.Union([Type.String(), Type.Null()]),
  deleted: Type.Union([MessageDeletion, Type.Null()]),
  replyTo: Type.Union([ReplyQuote, Type.Null()]),
  reactions: Type.Array(Reaction),
  /** Employee ids of mentioned members. */
  mentions: Type.Array(Id),
  /** @wszyscy / @all, groups only. */
  mentionsAll: Type.Boolean(),
};

const Mentions = Type.Array(Id, { maxItems: GROUP_MEMBERS_MAX });

/** What `message:send` gains. */
export const sendMessageChangeFields = {
  /** A message of the same conversation. */
  replyToId: Type.Optional(Id),
  mentions: Type.Optional(Mentions),
  mentionsAll: Type.Optional(Type.Boolean()),
};

export const MessageRef = Type.Object({ conversationId: Id, messageId: Id }, Strict);
export type MessageRef = Static<typeof MessageRef>;

export const EditMessageRequest = Type.Object(
  {
    conversationId: Id,
    messageId: Id,
    text: Type.String({ maxLength: MESSAGE_MAX_LENGTH_CEILING }),
    mentions: Type.Optional(Mentions),
    mentionsAll: Type.Optional(Type.Boolean()),
  },
  Strict,
);
export type EditMessageRequest = Static<typeof EditMessageRequest>;

export const DeleteMessageRequest = MessageRef;
export type DeleteMessageRequest = MessageRef;

export const ReactRequest = Type.Object(
  {
    conversationId: Id,
    messageId: Id,
    /** One emoji grapheme cluster; the server checks that it is an emoji. */
    emoji: Type.String({ minLength: 1, maxLength: REACTION_EMOJI_MAX_LENGTH }),
    add: Type.Boolean(),
  },
  Strict,
);
export type ReactRequest = Static<typeof ReactRequest>;

export const SmsCorrectionRequest = Type.Object(
  {
    conversationId: Id,
    messageId: Id,
    /** The rev of the edited message the sender saw; the correction goes out once per edited text. */
    rev: Type.Integer({ minimum: 1 }),
  },
  Strict,
);
export type SmsCorrectionRequest = Static<typeof SmsCorrectionRequest>;
