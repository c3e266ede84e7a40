import { isErrorCode, type ErrorCode } from '../../../shared/errors.js';

/** Server error codes plus the ones only the client can observe (no answer at all). */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'DISCONNECTED';

/** Every failed REST call or socket command ends as one of these, so the UI switches on a single shape. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number | null;

  constructor(code: ClientErrorCode, message: string, status: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** Reads `{ error: { code, message } }` (or nothing useful) into an ApiError. */
export function errorFromBody(body: unknown, status: number | null): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : '';
  if (isErrorCode(error?.code)) return new ApiError(error.code, message, status);
  return new ApiError(status !== null && status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL', message, status);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('INTERNAL', error instanceof Error ? error.message : String(error));
}

/** "try again in 12 minutes" → 12; the throttling message is the only place the server tells the wait. */
export function minutesFromMessage(message: string): number | null {
  const match = /(\d+)\s*min/i.exec(message);
  return match ? Number(match[1]) : null;
}
