/** What gateway.ts and account.ts ask of HTTP: one request, its status and text, or the failure's code. */
export interface SmsapiHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** `code`: axios' error code (ECONNREFUSED, ECONNABORTED, …), the thread's (http-thread.ts) or null when there was none. */
export type SmsapiHttpAnswer = { ok: true; status: number; body: string } | { ok: false; code: string | null };

export interface SmsapiHttp {
  request(request: SmsapiHttpRequest): Promise<SmsapiHttpAnswer>;
}
