/**
 * SMS outcomes in words: statuses, reasons with their parameters, one-line summaries. Pure (the language and `t`
 * come in), so the catalogue tests render every code exactly as the UI does.
 */
import type { MessageKey } from '../i18n/en.js';
import { genitive } from '../i18n/polish-names.js';
import type { Params } from '../i18n/translate.js';
import type { ClientSmsStatus, SmsOutcomeView, SmsReason, SmsReasonCode, WireReason } from '../contract.js';

export interface Words {
  language: string;
  t: (key: MessageKey, params?: Params) => string;
}

export function statusText(words: Words, status: ClientSmsStatus): string {
  return words.t(`sms.status.${status}`);
}

/**
 * "SMS do Celiny Wiśniewskiej", or "SMS — Celina Wiśniewska" when the name's genitive is not certain; "SMS do osoby, której
 * nie ma już w kartotece" when the server sends no name (the recipient is no longer in the directory).
 */
export function smsTo(words: Words, name: string | null): string {
  if (name === null) return words.t('sms.toFormer');
  if (words.language !== 'pl') return words.t('sms.to', { name });
  const declined = genitive(name);
  return declined ? words.t('sms.to', { name: declined }) : words.t('sms.toUndeclined', { name });
}

export function reasonText(words: Words, reason: WireReason): string | null {
  if (reason === null) return null;
  // A server before issue 10 sends a sentence; shown as it is until the server sends codes.
  if (typeof reason === 'string') return reason;
  return codedReasonText(words, reason);
}

function codedReasonText(words: Words, reason: SmsReason): string {
  const { t } = words;
  switch (reason.code) {
    case 'not_configured':
    case 'no_mobile':
    case 'mobile_private':
    case 'mobile_invalid':
      return t(`sms.reason.${reason.code}`);
    case 'sender_hour_limit':
    case 'sender_day_limit':
    case 'monthly_limit':
      return t(`sms.reason.${reason.code}`, { sms: t('sms.unit.sms', { count: reason.limit }) });
    case 'recipient_limit':
      return t('sms.reason.recipient_limit', {
        sms: t('sms.unit.sms', { count: reason.limit }),
        window: t('sms.unit.window', { count: reason.windowMinutes }),
      });
    case 'too_long':
      return t('sms.reason.too_long', { parts: t('sms.unit.parts', { count: reason.parts }), maxParts: reason.maxParts });
    case 'gateway_refused':
      return t('sms.reason.gateway_refused', { refusal: t(`sms.refusal.${reason.refusal}`), gatewayCode: reason.gatewayCode });
    case 'gateway_retrying':
      return t(reason.rateLimited ? 'sms.reason.gateway_rate_limited' : 'sms.reason.gateway_retrying', {
        attempts: t('sms.unit.attempts', { count: reason.attempts }),
      });
    case 'unreachable':
      return t('sms.reason.unreachable', { attempts: t('sms.unit.attempts', { count: reason.attempts }) });
    case 'delivery_failed':
      return t('sms.reason.delivery_failed', { detail: t(`sms.delivery.${reason.gatewayStatus}`) });
    case 'read_in_time':
      return t('sms.reason.read_in_time', { after: durationText(words, reason.afterSeconds) });
    case 'acknowledged_in_time':
      return t('sms.reason.acknowledged_in_time');
    case 'quiet_hours':
      return t('sms.reason.quiet_hours', { time: companyTime(reason.localTime) });
  }
}

/** "7:00" from the server's "07:00": the release time on the company's clock, as people write it. */
export function companyTime(hhmm: string): string {
  return hhmm.replace(/^0(\d)/, '$1');
}

/** Held for quiet hours: "Bartek Nowak ma wolne do 7:00 — SMS wyjdzie o 7:00". */
export function quietHoursLine(words: Words, name: string | null, reason: Extract<SmsReason, { code: 'quiet_hours' }>): string {
  const time = companyTime(reason.localTime);
  return name === null ? words.t('sms.quietHours.lineFormer', { time }) : words.t('sms.quietHours.line', { name, time });
}

/** Recipients in the order of their names; those no longer in the directory (no name) last. */
export function byRecipientName(language?: string) {
  return (a: Pick<SmsOutcomeView, 'recipientName'>, b: Pick<SmsOutcomeView, 'recipientName'>): number => {
    if (a.recipientName === null || b.recipientName === null) return (a.recipientName === null ? 1 : 0) - (b.recipientName === null ? 1 : 0);
    return a.recipientName.localeCompare(b.recipientName, language);
  };
}

function quietHoursReason(outcome: Pick<SmsOutcomeView, 'reason'>): Extract<SmsReason, { code: 'quiet_hours' }> | null {
  return typeof outcome.reason === 'object' && outcome.reason !== null && outcome.reason.code === 'quiet_hours' ? outcome.reason : null;
}

/** "3 min" from a minute on (rounded), "12 s" below: a deadline may be seconds (SMS_IF_UNREAD_MINUTES=0.05). */
export function durationText(words: Words, seconds: number): string {
  if (seconds < 60) return words.t('sms.unit.seconds', { count: seconds });
  return words.t('sms.unit.minutes', { count: Math.round(seconds / 60) });
}

/** "14:05" — when a waiting "SMS if unread" goes, in the reader's language. */
export function clockTime(words: Words, iso: string): string {
  return new Intl.DateTimeFormat(words.language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** No SMS because the recipient read (or acknowledged) in time: not sent, and no failure either. */
export function notNeeded(outcome: Pick<SmsOutcomeView, 'reason'>): boolean {
  return (
    typeof outcome.reason === 'object' &&
    outcome.reason !== null &&
    (outcome.reason.code === 'read_in_time' || outcome.reason.code === 'acknowledged_in_time')
  );
}

/** Did this outcome end without reaching the recipient when it should have (what the sender should look at)? */
export function isFailedOutcome(outcome: Pick<SmsOutcomeView, 'status' | 'reason'>): boolean {
  return isFailure(outcome.status) && !notNeeded(outcome);
}

/** "SMS do Celiny Wiśniewskiej: nie wysłano — numer jest oznaczony jako prywatny". */
export function outcomeLine(
  words: Words,
  outcome: Pick<SmsOutcomeView, 'recipientName' | 'status' | 'reason'> & { ifUnreadBy?: string | undefined },
): string {
  const quiet = outcome.status === 'queued' ? quietHoursReason(outcome) : null;
  if (quiet) return quietHoursLine(words, outcome.recipientName, quiet);
  const to = smsTo(words, outcome.recipientName);
  // "SMS do Bartka: nie było potrzeby — przeczytane po 3 min"; "SMS do Bartka: wyjdzie o 14:05, jeśli nie przeczyta".
  if (notNeeded(outcome)) return words.t('sms.chip', { to, status: reasonText(words, outcome.reason) ?? '' });
  if (outcome.status === 'queued' && outcome.ifUnreadBy) {
    return words.t('sms.chip', { to, status: words.t('sms.waitingUntil', { time: clockTime(words, outcome.ifUnreadBy) }) });
  }
  const status = statusText(words, outcome.status);
  const reason = reasonText(words, outcome.reason) ?? (isFailure(outcome.status) ? words.t('sms.reason.none') : null);
  return reason ? words.t('sms.chipReason', { to, status, reason }) : words.t('sms.chip', { to, status });
}

const FAILED_STATUSES: readonly ClientSmsStatus[] = ['not_sent', 'undelivered', 'failed', 'expired'];

/** Did this SMS end without reaching the recipient (what the sender should look at)? */
export function isFailure(status: ClientSmsStatus): boolean {
  return FAILED_STATUSES.includes(status);
}

export type Bucket = 'delivered' | 'sent' | 'pending' | 'unconfirmed' | 'not_needed' | 'not_sent' | 'not_delivered';
const BUCKET_ORDER: readonly Bucket[] = ['delivered', 'sent', 'pending', 'unconfirmed', 'not_needed', 'not_sent', 'not_delivered'];

export function bucketOf(status: ClientSmsStatus): Bucket {
  switch (status) {
    case 'delivered':
    case 'sent':
    case 'unconfirmed':
    case 'not_sent':
      return status;
    case 'queued':
      return 'pending';
    case 'undelivered':
    case 'failed':
    case 'expired':
      return 'not_delivered';
  }
}

export interface Tally {
  total: number;
  counts: Record<Bucket, number>;
  /** Per failure bucket: how many for each reason code ('other' for a missing or pre-issue-10 reason). */
  reasons: Record<'not_sent' | 'not_delivered', Map<SmsReasonCode | 'other', number>>;
  failures: number;
}

export function tally(outcomes: readonly Pick<SmsOutcomeView, 'status' | 'reason'>[]): Tally {
  const counts: Record<Bucket, number> = { delivered: 0, sent: 0, pending: 0, unconfirmed: 0, not_needed: 0, not_sent: 0, not_delivered: 0 };
  const reasons = { not_sent: new Map<SmsReasonCode | 'other', number>(), not_delivered: new Map<SmsReasonCode | 'other', number>() };
  for (const outcome of outcomes) {
    const bucket = notNeeded(outcome) ? 'not_needed' : bucketOf(outcome.status);
    counts[bucket] += 1;
    if (bucket === 'not_sent' || bucket === 'not_delivered') {
      const code = outcome.reason !== null && typeof outcome.reason === 'object' ? outcome.reason.code : 'other';
      reasons[bucket].set(code, (reasons[bucket].get(code) ?? 0) + 1);
    }
  }
  return { total: outcomes.length, counts, reasons, failures: counts.not_sent + counts.not_delivered };
}

/** "SMS: 3 wysłane, 2 niewysłane (1 numer prywatny, 1 brak numeru)". */
export function summaryLine(words: Words, outcomes: readonly Pick<SmsOutcomeView, 'status' | 'reason'>[]): string {
  const { t } = words;
  const sum = tally(outcomes);
  const parts: string[] = [];
  for (const bucket of BUCKET_ORDER) {
    const count = sum.counts[bucket];
    if (count === 0) continue;
    const phrase = t(`sms.sum.${bucket}`, { count });
    if (bucket !== 'not_sent' && bucket !== 'not_delivered') {
      parts.push(phrase);
      continue;
    }
    const reasons = [...sum.reasons[bucket]].map(([code, n]) => t(`sms.short.${code}`, { count: n }));
    parts.push(t('sms.summaryWithReasons', { bucket: phrase, reasons: reasons.join(', ') }));
  }
  return t('sms.summary', { parts: parts.join(', ') });
}

/** "5 odbiorców: 1 dostarczono, 4 nie wysłano" — the folded chips of a group message. */
export function foldLine(words: Words, outcomes: readonly Pick<SmsOutcomeView, 'status'>[]): string {
  const byStatus = new Map<ClientSmsStatus, number>();
  for (const { status } of outcomes) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const counts = [...byStatus]
    .sort(([a], [b]) => BUCKET_ORDER.indexOf(bucketOf(a)) - BUCKET_ORDER.indexOf(bucketOf(b)))
    .map(([status, count]) => words.t('sms.fold.count', { count, status: statusText(words, status) }));
  return words.t('sms.fold', { recipients: words.t('sms.fold.recipients', { count: outcomes.length }), counts: counts.join(', ') });
}
