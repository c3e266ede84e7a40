import type { ErrorBody, ErrorCode } from '../../../shared/errors.js';

/** The parameters an error may carry besides its code (the client words them). */
export type ErrorDetails = Omit<ErrorBody, 'code' | 'message'>;

/**
 * An expected failure with a stable code. Its message is safe to show to the user (it never contains a phone
 * number or a password); transport edges map it to an HTTP status or an error ack.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Sent along in the error body; `retryAfterMs` also becomes an HTTP Retry-After header. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'Not found') => new DomainError('NOT_FOUND', what);
export const forbidden = (what = 'You are not allowed to do this') => new DomainError('FORBIDDEN', what);
export const invalid = (what: string) => new DomainError('VALIDATION_FAILED', what);
