/**
 * SMSAPI's `GET /profile` behind the SmsAccount port, on the SMSAPI HTTP thread like gateway.ts. Nothing of a failed
 * request (its token) is passed on: any failure is just "unknown now".
 */
import type { SmsAccount } from '../../ports/sms-account.js';
import type { SmsapiHttp } from './http.js';
import { sharedSmsapiHttp } from './http-thread.js';

export function createSmsapiAccount(options: { baseUrl: string; token: string; timeoutMs: number }, http: SmsapiHttp = sharedSmsapiHttp()): SmsAccount {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/profile`;
  return {
    async balance() {
      const answer = await http.request({
        method: 'GET',
        url: endpoint,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
        timeoutMs: options.timeoutMs,
      });
      if (!answer.ok || answer.status !== 200) return null;
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        return null;
      }
      if (typeof body !== 'object' || body === null) return null;
      const fields = body as Record<string, unknown>;
      // SMSAPI may send numbers as strings ("12.3400").
      const points = typeof fields.points === 'number' ? fields.points : Number(fields.points);
      if (!Number.isFinite(points)) return null;
      return { points, paymentType: typeof fields.payment_type === 'string' ? fields.payment_type : null };
    },
  };
}
