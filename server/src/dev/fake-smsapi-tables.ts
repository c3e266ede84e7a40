/**
 * The fake SMSAPI's own reading of SMSAPI's documentation: delivery-report codes and the GSM 03.38 part count.
 * Written from the documents, not imported from server/src/sms: the fake is the independent check of the
 * production status table (sms/smsapi/delivery-callback.ts) and parts counter (sms/parts.ts), and tests compare the
 * two. Keep it simple rather than clever — it only has to be right.
 */

/** SMSAPI's report statuses, in the documentation's order from 401. */
const REPORT_NAMES = [
  'NOT_FOUND',
  'EXPIRED',
  'SENT',
  'DELIVERED',
  'UNDELIVERED',
  'FAILED',
  'REJECTED',
  'UNKNOWN',
  'QUEUE',
  'ACCEPTED',
  'RENEWAL',
  'STOP',
] as const;
const FIRST_REPORT_CODE = 401;

export interface FakeReportStatus {
  code: number;
  name: string;
}

/** A status by its code (404, "404") or name ("delivered"); null when SMSAPI has no such status. */
export function fakeReportStatus(status: string | number): FakeReportStatus | null {
  const text = String(status).trim();
  const index = /^\d+$/.test(text)
    ? Number(text) - FIRST_REPORT_CODE
    : REPORT_NAMES.findIndex((name) => name === text.toUpperCase());
  const name = REPORT_NAMES[index];
  return index >= 0 && name !== undefined ? { code: FIRST_REPORT_CODE + index, name } : null;
}

// GSM 03.38, the default alphabet in table order from 0x00 (0x1B, the escape, left out), then the characters that
// need the escape first.
const SEPTET_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const ESCAPED = '\f^{}\\[~]|€';

/** SMSAPI's normalize=1: Polish letters without their marks. */
const PLAIN: Record<string, string> = Object.fromEntries(
  ['ąa', 'ćc', 'ęe', 'łl', 'ńn', 'óo', 'śs', 'źz', 'żz'].flatMap(([marked = '', plain = '']) => [
    [marked, plain],
    [marked.toUpperCase(), plain.toUpperCase()],
  ]),
);

/**
 * Parts as SMSAPI bills them: 160 septets (or 70 UTF-16 units) fit one SMS; a longer text is cut into parts of 153
 * (or 67), never splitting an escape pair or a surrogate pair.
 */
export function fakePartCount(message: string, normalize: boolean): number {
  const chars = Array.from(normalize ? message.replace(/./gsu, (c) => PLAIN[c] ?? c) : message);
  const gsm = chars.every((c) => SEPTET_TABLE.includes(c) || ESCAPED.includes(c));
  const sizes = chars.map((c) => (gsm ? (ESCAPED.includes(c) ? 2 : 1) : c.length));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= (gsm ? 160 : 70)) return 1;
  const room = gsm ? 153 : 67;
  let count = 1;
  let used = 0;
  for (const size of sizes) {
    used += size;
    if (used > room) {
      count++;
      used = size;
    }
  }
  return count;
}
