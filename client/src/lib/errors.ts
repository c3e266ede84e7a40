import { isErrorCode, type ErrorCode } from '../../../shared/errors.js';

/** Server error codes plus the ones only the client can observe (no answer at all). */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'DISCONNECTED';

/** Every failed REST call or socket command ends as one of these, so the UI switches on a single shape. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number | null;
  /** From the server's `retryAfterMs` (limits): when a retry may succeed. */
  readonly retryAfterMs: number | null;

  constructor(code: ClientErrorCode, message: string, status: number | null = null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Reads `{ error: { code, message } }` (or nothing useful) into an ApiError. */
export function errorFromBody(body: unknown, status: number | null): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : '';
  const retryAfterMs = typeof error?.retryAfterMs === 'number' && error.retryAfterMs >= 0 ? error.retryAfterMs : null;
  if (isErrorCode(error?.code)) return new ApiError(error.code, message, status, retryAfterMs);
  return new ApiError(status !== null && status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL', message, status);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('INTERNAL', error instanceof Error ? error.message : String(error));
}
