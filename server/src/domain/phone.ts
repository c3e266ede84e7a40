/**
 * Directory mobile numbers: parsing lives in shared/phone.ts so the Directory and Profile pages check a number as it
 * is typed exactly as the server does; what the server adds is the SMS status of a directory record.
 */
import type { MobileStatus } from '../../../shared/schemas/index.js';

export { parseMobile, type ParsedMobile } from '../../../shared/phone.js';

export function mobileStatus(employee: { mobileRaw: string | null; mobileE164: string | null; mobilePrivate: boolean }): MobileStatus {
  if (employee.mobileRaw === null) return 'missing';
  if (employee.mobilePrivate) return 'private';
  if (employee.mobileE164 === null) return 'invalid';
  return 'ok';
}
