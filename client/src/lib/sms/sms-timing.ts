/**
 * When an SMS goes, as the composer and the start page's Quick SMS both ask it: `when` is '' (now), 'N' (if unread
 * after N min) or 'ack:N' (if not acknowledged within N min, which needs a request for acknowledgement); "send
 * anyway" lets quiet hours hold none of it.
 */
import type { SendExtras } from '../logic/outbox.js';

export interface SmsTiming {
  when: string;
  requestAck: boolean;
  sendAnyway: boolean;
}

export const SMS_NOW: SmsTiming = { when: '', requestAck: false, sendAnyway: false };

/** "If not acknowledged" is only a choice while acknowledgement is requested. */
export function isIfUnacknowledged(timing: Pick<SmsTiming, 'when' | 'requestAck'>): boolean {
  return timing.requestAck && timing.when.startsWith('ack:');
}

/** The send options for an SMS with this timing (the request for acknowledgement itself is the caller's). */
export function smsTimingExtras(timing: SmsTiming): Pick<SendExtras, 'smsIfUnreadMinutes' | 'smsIfUnacknowledged' | 'smsIgnoreQuietHours'> {
  const minutes = timing.when === '' || (timing.when.startsWith('ack:') && !timing.requestAck) ? null : Number(timing.when.replace(/^ack:/, ''));
  return {
    ...(minutes !== null && Number.isFinite(minutes) ? { smsIfUnreadMinutes: minutes } : {}),
    ...(minutes !== null && isIfUnacknowledged(timing) ? { smsIfUnacknowledged: true } : {}),
    ...(timing.sendAnyway ? { smsIgnoreQuietHours: true } : {}),
  };
}
