/**
 * The SMSAPI `sms.do` client behind the SmsGateway port. A small axios client rather than the official package:
 * that one sets no timeout and hides its errors. Nothing from a request (token, number, text) may leave this module
 * in a result: axios errors carry the whole request config, so they are inspected here and never passed on.
 */
import type { SmsGateway, SmsSendRequest, SmsSendResult } from '../../ports/sms-gateway.js';
import { classifySmsapiError, isKnownSmsapiError } from './error-codes.js';
import type { SmsapiHttp } from './http.js';
import { sharedSmsapiHttp, THREAD_START_FAILED } from './http-thread.js';

export interface SmsapiGatewayOptions {
  /** e.g. `https://api.smsapi.pl`, without `/sms.do`. */
  baseUrl: string;
  token: string;
  /** Sender name verified in the SMSAPI panel; null or empty uses the account default. */
  sender?: string | null;
  test: boolean;
  normalize: boolean;
  maxParts: number;
  /** Where SMSAPI should send delivery reports for these SMS. */
  notifyUrl?: string | null;
  timeoutMs: number;
}

// Failures before the request could have reached SMSAPI; after any other one, SMSAPI may have accepted the SMS.
const NOT_REACHED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', THREAD_START_FAILED]);

export function createSmsapiGateway(options: SmsapiGatewayOptions, http: SmsapiHttp = sharedSmsapiHttp()): SmsGateway {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/sms.do`;
  const sender = options.sender?.trim() || null;
  const notifyUrl = options.notifyUrl?.trim() || null;

  return {
    async send(request: SmsSendRequest): Promise<SmsSendResult> {
      // SMSAPI wants the digits only; accept `+48…` too, so callers may pass E.164 as written.
      const to = request.to.replace(/^\+/, '');
      if (!/^[1-9]\d{6,14}$/.test(to)) return { kind: 'permanent', reason: { code: 'mobile_invalid' } };

      const form = new URLSearchParams();
      form.set('to', to);
      form.set('message', request.text);
      if (sender !== null) form.set('from', sender);
      form.set('format', 'json');
      form.set('encoding', 'utf-8');
      form.set('idx', request.idx);
      form.set('check_idx', '1');
      if (notifyUrl !== null) form.set('notify_url', notifyUrl);
      if (options.normalize) form.set('normalize', '1');
      form.set('max_parts', String(options.maxParts));
      if (options.test) form.set('test', '1');
      form.set('details', '1');

      const answer = await http.request({
        method: 'POST',
        url: endpoint,
        headers: {
          Authorization: `Bearer ${options.token}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
        timeoutMs: options.timeoutMs,
      });
      if (!answer.ok) return { kind: 'transient', outcomeUnknown: answer.code === null || !NOT_REACHED_CODES.has(answer.code) };
      return interpretAnswer(answer.status, answer.body);
    },
  };
}

function interpretAnswer(httpStatus: number, body: unknown): SmsSendResult {
  // A 502/504 from a load balancer can come after SMSAPI accepted the SMS; the retry (same idx, check_idx) learns
  // the truth from error 53.
  if (httpStatus >= 500) return { kind: 'transient', outcomeUnknown: true };
  // Not in SMSAPI's contract, but a proxy in front of it may throttle; waiting is the right answer either way.
  if (httpStatus === 429) return { kind: 'transient', rateLimited: true };
  const answer = parseBody(body);
  if (httpStatus < 200 || httpStatus >= 300) {
    // A 4xx that still names a known SMSAPI error (e.g. 101 for a bad token) says more than the HTTP status.
    if (answer?.kind === 'error' && isKnownSmsapiError(answer.code)) return classifySmsapiError(answer.code);
    // No SMSAPI code to tell: the HTTP status stands in for it (SMSAPI's own codes stay below 1000, so never 4xx+).
    return { kind: 'permanent', reason: { code: 'gateway_refused', gatewayCode: httpStatus, refusal: 'other' } };
  }
  if (answer === null) {
    // The SMS may have gone out; a retry with the same idx is answered 53 if so, so retrying is safe.
    return { kind: 'transient', outcomeUnknown: true };
  }
  if (answer.kind === 'error') return classifySmsapiError(answer.code);
  return { kind: 'accepted', gatewayId: answer.gatewayId, points: answer.points, parts: answer.parts };
}

type ParsedAnswer =
  | { kind: 'error'; code: number }
  | { kind: 'accepted'; gatewayId: string | null; points: number | null; parts: number | null };

function parseBody(body: unknown): ParsedAnswer | null {
  if (typeof body !== 'string') return null;
  const text = body.trim();
  // Without format=json (a misconfigured proxy could drop it) SMSAPI answers OK:<id>:<points> or ERROR:<code>.
  const plainOk = /^OK:([0-9A-Za-z]+):([\d.]+)/.exec(text);
  if (plainOk) return { kind: 'accepted', gatewayId: plainOk[1] ?? null, points: toNumber(plainOk[2]), parts: null };
  const plainError = /^ERROR:(\d+)/.exec(text);
  if (plainError) return { kind: 'error', code: Number(plainError[1]) };

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(json)) return null;
  if (json.error !== undefined && json.error !== null) {
    const code = toNumber(json.error);
    return code === null ? null : { kind: 'error', code };
  }
  const first = Array.isArray(json.list) ? (json.list[0] as unknown) : undefined;
  if (!isRecord(first)) return null;
  if (first.error !== undefined && first.error !== null) {
    const code = toNumber(first.error);
    if (code !== null) return { kind: 'error', code };
  }
  const gatewayId = typeof first.id === 'string' && first.id !== '' ? first.id : null;
  if (gatewayId === null) return null;
  return {
    kind: 'accepted',
    gatewayId,
    points: toNumber(first.points),
    parts: toInteger(first.parts) ?? toInteger(json.parts),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumber(value: unknown): number | null {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
}

function toInteger(value: unknown): number | null {
  const number = toNumber(value);
  return number !== null && Number.isInteger(number) && number > 0 ? number : null;
}
