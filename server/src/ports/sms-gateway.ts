import type { SmsReason } from '../../../shared/schemas/index.js';

/**
 * The SMS gateway port. The SMSAPI adapter (axios) implements it; the domain never sees HTTP.
 */
export interface SmsSendRequest {
  /** Our dispatch id, sent as SMSAPI `idx` with `check_idx=1` so that a retry can never send twice. */
  idx: string;
  /** E.164 digits without the plus sign. */
  to: string;
  text: string;
}

export type SmsSendResult =
  | { kind: 'accepted'; gatewayId: string | null; points: number | null; parts: number | null }
  /** `idx` already used: an earlier attempt was accepted (SMSAPI error 53 on a retry). */
  | { kind: 'duplicate' }
  /**
   * Worth retrying. `outcomeUnknown`: the request may have reached SMSAPI and been accepted (no answer in time, an
   * answer we could not read), so a retry with the same idx is how we learn which.
   */
  | { kind: 'transient'; rateLimited?: boolean; retryAfterMs?: number; outcomeUnknown?: boolean }
  /** Refused for good: `gateway_refused` with SMSAPI's code, or `mobile_invalid` when the number cannot be sent. */
  | { kind: 'permanent'; reason: Extract<SmsReason, { code: 'gateway_refused' | 'mobile_invalid' }> };

export interface SmsGateway {
  send(request: SmsSendRequest): Promise<SmsSendResult>;
}
