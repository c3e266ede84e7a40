/** The SMSAPI gateway as configured (none without SMSAPI_TOKEN), and the secret in the delivery-report address. */
import { createHash } from 'node:crypto';
import type { Config } from '../../config.js';
import type { SmsGateway } from '../../ports/sms-gateway.js';
import { SMS_CALLBACK_PREFIX } from '../routes.js';
import { createSmsapiGateway } from './gateway.js';
import { createSmsapiAccount } from './account.js';
import type { SmsAccount } from '../../ports/sms-account.js';

/** SMS_CALLBACK_SECRET, or one derived from the token so reports work without extra configuration. */
export function callbackSecretFor(config: Config): string | null {
  if (config.sms.callbackSecret) return config.sms.callbackSecret;
  if (!config.sms.token) return null;
  return createHash('sha256').update(`depesza-delivery-reports:${config.sms.token}`).digest('base64url').slice(0, 32);
}

export function gatewayFromConfig(config: Config): SmsGateway | null {
  if (!config.sms.token) return null;
  const callbackSecret = callbackSecretFor(config);
  return createSmsapiGateway({
    baseUrl: config.sms.baseUrl,
    token: config.sms.token,
    sender: config.sms.sender,
    test: config.sms.test,
    normalize: config.sms.normalize,
    maxParts: config.sms.maxParts,
    notifyUrl: config.publicUrl && callbackSecret ? `${config.publicUrl}${SMS_CALLBACK_PREFIX}${callbackSecret}` : null,
    timeoutMs: config.sms.timeoutMs,
  });
}

/** The account's balance reader, when SMS is configured. */
export function accountFromConfig(config: Config): SmsAccount | null {
  if (!config.sms.token) return null;
  return createSmsapiAccount({ baseUrl: config.sms.baseUrl, token: config.sms.token, timeoutMs: config.sms.timeoutMs });
}
