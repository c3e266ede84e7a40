/**
 * Why an SMS did not go out, or did not arrive — as data, never as a sentence. The server stores and sends these;
 * the client owns every word (client/src/lib/i18n: one catalogue entry per code, English and Polish).
 * No reason ever carries a digit of the recipient's number.
 */
import { Type, type Static } from 'typebox';

const Count = Type.Integer({ minimum: 0 });

/** What an SMSAPI refusal (its error code) comes down to, for the sender. */
export const GatewayRefusal = Type.Union([
  Type.Literal('invalid_number'),
  Type.Literal('opted_out'),
  Type.Literal('no_credit'),
  Type.Literal('bad_credentials'),
  Type.Literal('bad_sender'),
  Type.Literal('not_enabled'),
  Type.Literal('bad_message'),
  Type.Literal('other'),
]);
export type GatewayRefusal = Static<typeof GatewayRefusal>;

/** SMSAPI delivery-report statuses that end a dispatch without delivery. */
export const DeliveryFailure = Type.Union([
  Type.Literal('NOT_FOUND'),
  Type.Literal('EXPIRED'),
  Type.Literal('UNDELIVERED'),
  Type.Literal('FAILED'),
  Type.Literal('REJECTED'),
  Type.Literal('UNKNOWN'),
  Type.Literal('STOP'),
]);
export type DeliveryFailure = Static<typeof DeliveryFailure>;

export const SmsReason = Type.Union([
  // Decided before sending, in this order (domain/sms-eligibility).
  Type.Object({ code: Type.Literal('not_configured') }),
  Type.Object({ code: Type.Literal('no_mobile') }),
  Type.Object({ code: Type.Literal('mobile_private') }),
  Type.Object({ code: Type.Literal('mobile_invalid') }),
  Type.Object({ code: Type.Literal('sender_hour_limit'), limit: Count }),
  Type.Object({ code: Type.Literal('sender_day_limit'), limit: Count }),
  Type.Object({ code: Type.Literal('recipient_limit'), limit: Count, windowMinutes: Count }),
  /** The company's SMS for this calendar month are used up (SMS_MONTHLY_LIMIT). */
  Type.Object({ code: Type.Literal('monthly_limit'), limit: Count }),
  Type.Object({ code: Type.Literal('too_long'), parts: Count, maxParts: Count }),
  // The gateway's answer.
  Type.Object({ code: Type.Literal('gateway_refused'), gatewayCode: Type.Integer(), refusal: GatewayRefusal }),
  /** Still trying: the gateway was down or limiting (the dispatch is queued for another attempt). */
  Type.Object({ code: Type.Literal('gateway_retrying'), attempts: Count, rateLimited: Type.Boolean() }),
  /** Given up: the gateway could not be reached after this many attempts. */
  Type.Object({ code: Type.Literal('unreachable'), attempts: Count }),
  // A delivery report.
  Type.Object({ code: Type.Literal('delivery_failed'), gatewayStatus: DeliveryFailure }),
  // "SMS if unread": no SMS was needed, the recipient read the message this many seconds after it was sent.
  Type.Object({ code: Type.Literal('read_in_time'), afterSeconds: Count }),
  // "SMS if not acknowledged": no SMS was needed, the recipient acknowledged before the deadline.
  Type.Object({ code: Type.Literal('acknowledged_in_time') }),
  /**
   * Quiet hours: the SMS waits (status queued) until the recipient's working hours start; `localTime` is that
   * moment on the company's clock (TIME_ZONE), HH:MM. The chip's recipient name completes the sentence.
   */
  Type.Object({ code: Type.Literal('quiet_hours'), releaseAt: Type.String(), localTime: Type.String() }),
]);
export type SmsReason = Static<typeof SmsReason>;
export type SmsReasonCode = SmsReason['code'];

/** Every code the server can send; the client's catalogue test walks this list. */
export const SMS_REASON_CODES = [
  'not_configured',
  'no_mobile',
  'mobile_private',
  'mobile_invalid',
  'sender_hour_limit',
  'sender_day_limit',
  'recipient_limit',
  'monthly_limit',
  'too_long',
  'gateway_refused',
  'gateway_retrying',
  'unreachable',
  'delivery_failed',
  'read_in_time',
  'acknowledged_in_time',
  'quiet_hours',
] as const satisfies readonly SmsReasonCode[];

// Fails to compile when a code is added to SmsReason but not to the list above.
type Missing = Exclude<SmsReasonCode, (typeof SMS_REASON_CODES)[number]>;
const everyCodeListed: Missing extends never ? true : Missing = true;
void everyCodeListed;
