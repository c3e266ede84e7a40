/**
 * The one HTTP error edge: DomainErrors keep their code and message; validation and other client errors say what
 * was wrong; anything else is logged with context and answered with a generic message.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../../../../shared/errors.js';
import { DomainError, type ErrorDetails } from '../../domain/errors.js';

export function errorBody(code: ErrorCode, message: string, details: ErrorDetails = {}): { error: ErrorBody } {
  return { error: { code, message, ...details } };
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      const { retryAfterMs } = error.details;
      if (retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
      return reply.status(ERROR_STATUS[error.code]).send(errorBody(error.code, error.message, error.details));
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      return reply.status(400).send(errorBody('VALIDATION_FAILED', fastifyError.message));
    }
    const status = fastifyError.statusCode ?? 500;
    if (status === 413) return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large'));
    if (status === 429) return reply.status(429).send(errorBody('RATE_LIMITED', fastifyError.message));
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody('VALIDATION_FAILED', fastifyError.message));
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    return reply.status(500).send(errorBody('INTERNAL', 'Something went wrong on the server; it has been logged'));
  });

  // Fastify allows one not-found handler per prefix, so the client's fallback lives here too: once @fastify/static
  // serves the built client, a deep link to any non-API path still gets the app. A missing hashed asset (a tab
  // older than the last deployment) gets a 404, not the page, which the browser would try to run as a script.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const appPath = !url.startsWith('/api/') && !url.startsWith('/socket.io') && !url.startsWith('/assets/');
    if (request.method === 'GET' && app.hasReplyDecorator('sendFile') && appPath) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${url.split('?')[0]}`));
  });
}
