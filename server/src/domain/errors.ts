import type { ErrorCode } from '../../../shared/errors.js';

/**
 * An expected failure with a stable code. Its message is safe to show to the user (it never contains a phone
 * number or a password); transport edges map it to an HTTP status or an error ack.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** When a retry may succeed (limits): sent as `retryAfterMs` and, over HTTP, as Retry-After. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'Not found') => new DomainError('NOT_FOUND', what);
export const forbidden = (what = 'You are not allowed to do this') => new DomainError('FORBIDDEN', what);
export const invalid = (what: string) => new DomainError('VALIDATION_FAILED', what);
