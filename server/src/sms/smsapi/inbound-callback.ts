/**
 * SMSAPI's two-way callback (`sms_mo`), read into one reply. The field names follow docs/smsapi.md (`sms_from`,
 * `sms_to`, `sms_text`, `sms_date`, `MsgId`); it may come as a GET query or a POST form, so both are read alike.
 */
export interface SmsReply {
  /** SMSAPI's id of the received SMS: a repeated callback carries the same one. */
  gatewayId: string;
  /** The sender's number as SMSAPI wrote it (digits with the country code). Never logged. */
  from: string;
  text: string;
  /** sms_date when it is a sane unix time, else null. */
  sentAt: Date | null;
}

const MAX_TEXT = 2_000;

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Null when the callback lacks what a reply needs (then it is acknowledged and ignored, like a bad report). */
export function parseSmsReply(fields: Record<string, string | string[] | undefined>): SmsReply | null {
  const gatewayId = one(fields.MsgId);
  const from = one(fields.sms_from);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(gatewayId) || !/^\+?\d{6,16}$/.test(from)) return null;
  const seconds = Number(one(fields.sms_date));
  const text = (Array.isArray(fields.sms_text) ? fields.sms_text[0] : fields.sms_text) ?? '';
  return {
    gatewayId,
    from,
    text: Array.from(text).slice(0, MAX_TEXT).join(''),
    sentAt: Number.isInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : null,
  };
}

/** SMSAPI writes numbers as digits with the country code; a bare 9-digit one is Polish. */
export function replyNumberToE164(from: string): string {
  const digits = from.replace(/\D/g, '');
  return digits.length === 9 ? `+48${digits}` : `+${digits}`;
}
