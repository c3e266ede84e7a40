/** The SMS length a text editor shows as you type: parts and encoding as sent, and without Polish letters. */
import { countSmsParts, stripPolishDiacritics, type SmsPartsCount } from '../../../../shared/sms-parts.js';

export interface PartsSummary {
  /** What SMSAPI will be sent (normalised when SMS_NORMALIZE is on). */
  sent: SmsPartsCount;
  /** The count without Polish letters, when that differs from `sent` (only possible with SMS_NORMALIZE off). */
  withoutPolish: SmsPartsCount | null;
  /** SMS_NORMALIZE is on and the text has Polish letters: they go out stripped. */
  normalized: boolean;
}

export function partsSummary(text: string, normalize: boolean): PartsSummary {
  const sent = countSmsParts(text, { normalize });
  const hasPolish = stripPolishDiacritics(text) !== text;
  const plain = !normalize && hasPolish ? countSmsParts(text, { normalize: true }) : null;
  const differs = plain !== null && (plain.parts !== sent.parts || plain.encoding !== sent.encoding);
  return { sent, withoutPolish: differs ? plain : null, normalized: normalize && hasPolish };
}
