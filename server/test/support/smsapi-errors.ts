/**
 * SMSAPI's permanent error codes and the reason the sender should read for each (docs/smsapi.md), written out
 * literally so the classifier and the gateway tests check the table instead of repeating it.
 */
export const PERMANENT_SMSAPI_ERRORS: Array<[code: number, reason: string]> = [
  [11, 'message empty or too long'],
  [12, 'message empty or too long'],
  [13, 'invalid or blacklisted number'],
  [14, 'sender name not valid'],
  [57, 'the recipient has blocked or opted out of SMS'],
  [59, 'the recipient has blocked or opted out of SMS'],
  [101, 'bad SMSAPI token or credentials'],
  [102, 'bad SMSAPI token or credentials'],
  [103, 'not enough credit'],
  [105, 'bad SMSAPI token or credentials'],
  [110, 'SMS service not enabled on the account'],
  [401, 'bad SMSAPI token or credentials'],
];
