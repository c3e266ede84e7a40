/**
 * Quiet hours (issue 14): the hours in which an employee may be reached by SMS, in the company's time zone
 * (TIME_ZONE). No working hours (null) means always reachable. An end at or before the start is a shift that ends
 * the next day (22:00–06:00).
 */
import { Type, type Static } from 'typebox';

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 00:00–23:59' });

export const WorkingHours = Type.Object(
  {
    /** ISO weekdays the hours start on: 1 = Monday … 7 = Sunday. */
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    start: Time,
    end: Time,
  },
  { additionalProperties: false },
);
export type WorkingHours = Static<typeof WorkingHours>;

/** With a send: an SMS that would reach someone in their quiet hours, held until their hours start. */
export const QuietHoursHold = Type.Object({
  /** When the SMS goes (UTC, ISO 8601). */
  releaseAt: Type.String(),
  /** The same instant on the company's clock, HH:MM, for the words "SMS wyjdzie o 7:00". */
  localTime: Type.String(),
});
export type QuietHoursHold = Static<typeof QuietHoursHold>;
