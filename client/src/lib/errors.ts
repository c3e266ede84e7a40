import { isErrorCode, type ErrorCode } from '../../../shared/errors.js';
import { readErrorDetails, type ErrorDetails } from './contract.js';

/**
 * Server error codes plus the ones only the client can observe: no answer at all, or an unsent message older than
 * the server's window for recognising a repeat (OUTBOX_EXPIRED).
 */
export type ClientErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT' | 'DISCONNECTED' | 'OUTBOX_EXPIRED';

/** Every failed REST call or socket command ends as one of these, so the UI switches on a single shape. */
export class ApiError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number | null;
  /** What the client words the error from (field and rule, or the wait); `message` is English for logs only. */
  readonly details: ErrorDetails | undefined;

  constructor(code: ClientErrorCode, message: string, status: number | null = null, details?: ErrorDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Reads `{ error: ErrorBody }` (or nothing useful) into an ApiError; the optional fields sit flat beside `code`. */
export function errorFromBody(body: unknown, status: number | null): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : '';
  if (isErrorCode(error?.code)) return new ApiError(error.code, message, status, readErrorDetails(error));
  return new ApiError(status !== null && status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL', message, status);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('INTERNAL', error instanceof Error ? error.message : String(error));
}
