/** The SMS cost card admins see (issue 14): the account balance as SMSAPI last told it, and this month's use. */
import { Type, type Static } from 'typebox';

export const SmsBalanceView = Type.Object({
  /** Null until SMSAPI's /profile has answered once. */
  points: Type.Union([Type.Number(), Type.Null()]),
  paymentType: Type.Union([Type.String(), Type.Null()]),
  checkedAt: Type.Union([Type.String(), Type.Null()]),
  /** The last attempt to read it failed (the shown balance, if any, is older). */
  stale: Type.Boolean(),
  /** SMS that went or are going out this calendar month, and the points SMSAPI charged for those it answered. */
  month: Type.Object({ sms: Type.Integer({ minimum: 0 }), points: Type.Number() }),
  /** SMS_MONTHLY_LIMIT; 0: none. */
  monthlyLimit: Type.Integer({ minimum: 0 }),
  /** SMS_BALANCE_WARN_POINTS; 0: no warning. */
  warnBelow: Type.Number(),
  /** The latest low-balance warnings, newest first (declared below). */
  warnings: Type.Array(Type.Object({ id: Type.String(), points: Type.Number(), warnBelow: Type.Number(), at: Type.String() })),
});
export type SmsBalanceView = Static<typeof SmsBalanceView>;

/**
 * Sent to admins when the balance falls below SMS_BALANCE_WARN_POINTS (once per fall, across every process), and
 * stored: the card lists the latest ones, so an admin who was not signed in sees them later.
 */
export const SmsBalanceLowEvent = Type.Object({
  id: Type.String(),
  points: Type.Number(),
  warnBelow: Type.Number(),
  /** When the fall was seen (ISO). */
  at: Type.String(),
});
export type SmsBalanceLowEvent = Static<typeof SmsBalanceLowEvent>;
