/**
 * SMSAPI's `GET /profile` behind the SmsAccount port. Like gateway.ts, nothing of a failed request (its token) is
 * passed on: any failure is just "unknown now".
 */
import axios from 'axios';
import type { SmsAccount } from '../../ports/sms-account.js';

export function createSmsapiAccount(options: { baseUrl: string; token: string; timeoutMs: number }): SmsAccount {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/profile`;
  return {
    async balance() {
      try {
        const response = await axios.get<unknown>(endpoint, {
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
          timeout: options.timeoutMs,
          signal: AbortSignal.timeout(options.timeoutMs),
          validateStatus: () => true,
        });
        if (response.status !== 200 || typeof response.data !== 'object' || response.data === null) return null;
        const body = response.data as Record<string, unknown>;
        // SMSAPI may send numbers as strings ("12.3400").
        const points = typeof body.points === 'number' ? body.points : Number(body.points);
        if (!Number.isFinite(points)) return null;
        return { points, paymentType: typeof body.payment_type === 'string' ? body.payment_type : null };
      } catch {
        return null;
      }
    },
  };
}
