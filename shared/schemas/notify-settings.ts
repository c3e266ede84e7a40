/**
 * Issue 12: notification choices kept on the server, so they follow the person across devices and tabs — a mute per
 * conversation (until a time, or for good) and "do not disturb" (until a time). Mentions and urgent messages still
 * notify through a mute; urgent ones through "do not disturb" too (the client's notify policy decides).
 */
import { Type, type Static } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Instant = Type.String({ format: 'date-time' });

export const MuteRequest = Type.Object(
  {
    conversationId: Id,
    /** null: not muted; 'forever'; or an ISO 8601 moment in the future. */
    until: Type.Union([Type.Null(), Type.Literal('forever'), Instant]),
  },
  { additionalProperties: false },
);
export type MuteRequest = Static<typeof MuteRequest>;

export const DoNotDisturbRequest = Type.Object(
  {
    /** null: off; or an ISO 8601 moment in the future. */
    until: Type.Union([Type.Null(), Instant]),
  },
  { additionalProperties: false },
);
export type DoNotDisturbRequest = Static<typeof DoNotDisturbRequest>;

export const ConversationMute = Type.Object({ conversationId: Id, until: Type.Union([Type.Literal('forever'), Type.String()]) });
export type ConversationMute = Static<typeof ConversationMute>;

/** One person's choices as they stand now (expired ones left out): the answer of both commands and of `notify:get`. */
export const NotifySettings = Type.Object({
  doNotDisturbUntil: Type.Union([Type.Null(), Type.String()]),
  muted: Type.Array(ConversationMute),
});
export type NotifySettings = Static<typeof NotifySettings>;
