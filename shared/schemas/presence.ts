/**
 * Presence on demand: a tab names the people it shows (its conversations' members, the people list, a colleague's
 * card) and hears only about them, so a mass reconnect costs each tab its own few dozen entries, not the company.
 */
import { Type, type Static } from 'typebox';

export const PresenceState = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type PresenceState = Static<typeof PresenceState>;
export const PresenceRequest = Type.Object({ state: Type.Union([Type.Literal('online'), Type.Literal('away')]) }, { additionalProperties: false });
export type PresenceRequest = Static<typeof PresenceRequest>;

/**
 * Most people one subscription may name: more than any screen shows at once (a client with more in view sends the
 * first this many), few enough that a subscription's rooms and snapshot stay small.
 */
export const PRESENCE_WATCH_MAX = 500;

/** Replaces the tab's previous subscription: afterwards it hears about exactly these people. */
export const PresenceWatchRequest = Type.Object(
  { employeeIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: PRESENCE_WATCH_MAX }) },
  { additionalProperties: false },
);
export type PresenceWatchRequest = Static<typeof PresenceWatchRequest>;
