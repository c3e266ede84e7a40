/**
 * The English sentences Depesza stored before issue 10 (dispatch reasons, notification texts), read back into
 * codes. Used once per database: the SQLite schema step 6 and the MongoDB conversion at start. Every sentence any
 * released version could write is listed here (git history of sms-eligibility, sms-gateway-errors, sms-status,
 * sms-dispatcher, smsapi-gateway and sms-escalation's outcomeText); anything else becomes "no reason".
 */
import type { DeliveryFailure, GatewayRefusal, SmsReason, SmsStatus } from '../../../shared/schemas/index.js';

const FIXED: Record<string, SmsReason> = {
  'SMS sending is not configured': { code: 'not_configured' },
  'no mobile number in the directory': { code: 'no_mobile' },
  'the mobile number is marked private': { code: 'mobile_private' },
  'the mobile number in the directory is invalid': { code: 'mobile_invalid' },
  // The adapter's own check, before anything reached SMSAPI.
  'the mobile number is not in international format': { code: 'mobile_invalid' },
};

/**
 * What a refusal sentence meant, with a representative SMSAPI code: the sentence never kept the code itself, and
 * every code in a group means the same to the sender. 0 where no code is known.
 */
const REFUSALS: Record<string, [GatewayRefusal, number]> = {
  'invalid or blacklisted number': ['invalid_number', 13],
  'the recipient has blocked or opted out of SMS': ['opted_out', 57],
  'not enough credit': ['no_credit', 103],
  'bad SMSAPI token or credentials': ['bad_credentials', 101],
  'sender name not valid': ['bad_sender', 14],
  'SMS service not enabled on the account': ['not_enabled', 110],
  'message empty or too long': ['bad_message', 11],
  'SMSAPI refused the message': ['other', 0],
};

/** Written while a dispatch waited for another attempt. */
const RETRYING: Record<string, boolean> = {
  'SMSAPI is temporarily unavailable': false,
  'SMSAPI is limiting how often this number can be texted': true,
  'SMSAPI did not answer in time': false,
  'SMSAPI could not be reached': false,
  'SMSAPI had a server error': false,
  'SMSAPI gave an answer we could not read': false,
};

const DELIVERY: Record<string, DeliveryFailure> = {
  'SMSAPI lost track of the message': 'NOT_FOUND',
  'the phone was unreachable until the message expired': 'EXPIRED',
  'the network could not deliver it': 'UNDELIVERED',
  'sending failed': 'FAILED',
  'the network rejected it': 'REJECTED',
  'delivery could not be confirmed': 'UNKNOWN',
  'sending was stopped': 'STOP',
};

const PATTERNS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => SmsReason]> = [
  [/^sender limit reached \((\d+) SMS per hour\)$/, (m) => ({ code: 'sender_hour_limit', limit: Number(m[1]) })],
  [/^sender limit reached \((\d+) SMS per day\)$/, (m) => ({ code: 'sender_day_limit', limit: Number(m[1]) })],
  [
    /^recipient limit reached \((\d+) SMS per (?:minute|(\d+) minutes)\)$/,
    (m) => ({ code: 'recipient_limit', limit: Number(m[1]), windowMinutes: m[2] === undefined ? 1 : Number(m[2]) }),
  ],
  [/^too long for SMS \((\d+) parts, limit (\d+)\)$/, (m) => ({ code: 'too_long', parts: Number(m[1]), maxParts: Number(m[2]) })],
  [/^SMSAPI could not be reached after (\d+) attempts \(.*\)$/s, (m) => ({ code: 'unreachable', attempts: Number(m[1]) })],
  [/^SMSAPI did not confirm it after (\d+) attempts; it may still arrive$/, (m) => ({ code: 'unreachable', attempts: Number(m[1]) })],
  [
    /^SMSAPI refused it — SMSAPI answered HTTP (\d+)$/,
    (m) => ({ code: 'gateway_refused', gatewayCode: Number(m[1]), refusal: 'other' }),
  ],
];

/** A stored dispatch reason as a code; `attempts` is the dispatch's count, for a retry sentence that lacks it. */
export function reasonFromSentence(sentence: string | null, attempts = 0): SmsReason | null {
  if (sentence === null) return null;
  const text = sentence.trim();
  const fixed = FIXED[text];
  if (fixed) return fixed;
  const refused = /^SMSAPI refused it — (.*)$/s.exec(text)?.[1];
  const refusal = refused === undefined ? undefined : REFUSALS[refused];
  if (refusal) return { code: 'gateway_refused', refusal: refusal[0], gatewayCode: refusal[1] };
  if (refused !== undefined && FIXED[refused]) return FIXED[refused];
  const rateLimited = RETRYING[text];
  if (rateLimited !== undefined) return { code: 'gateway_retrying', attempts, rateLimited };
  const delivery = DELIVERY[text];
  if (delivery) return { code: 'delivery_failed', gatewayStatus: delivery };
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return null;
}

export interface LegacyOutcome {
  recipientName: string;
  status: SmsStatus;
  reason: SmsReason | null;
}

const DELIVERY_STATUS: Record<DeliveryFailure, SmsStatus> = {
  NOT_FOUND: 'failed',
  EXPIRED: 'expired',
  UNDELIVERED: 'undelivered',
  FAILED: 'failed',
  REJECTED: 'failed',
  UNKNOWN: 'undelivered',
  STOP: 'failed',
};

const NOTIFICATION = /^SMS to (.+?) (sent|delivered|not sent|not delivered|not confirmed)(?:: (.*))?$/s;

/** "SMS to Celina Wiśniewska not sent: the mobile number is marked private" → name, status, reason; null if not one. */
export function outcomeFromNotificationText(text: string): LegacyOutcome | null {
  const match = NOTIFICATION.exec(text.trim());
  if (!match) return null;
  const [, recipientName = '', said = '', tail] = match;
  // The fallbacks outcomeText wrote when a dispatch had no reason ('unknown reason', 'no answer', a status name).
  const reason = tail === undefined ? null : reasonFromSentence(tail);
  switch (said) {
    case 'sent':
    case 'delivered':
      return { recipientName, status: said, reason: null };
    case 'not sent':
      return { recipientName, status: 'not_sent', reason };
    case 'not confirmed':
      return { recipientName, status: 'unconfirmed', reason };
    default: {
      const bare = tail as SmsStatus | undefined;
      const status =
        reason?.code === 'delivery_failed'
          ? DELIVERY_STATUS[reason.gatewayStatus]
          : bare === 'failed' || bare === 'expired' || bare === 'undelivered'
            ? bare
            : 'undelivered';
      return { recipientName, status, reason };
    }
  }
}
