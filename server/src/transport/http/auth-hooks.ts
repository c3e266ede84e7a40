/** Session cookie handling and the pre-handlers that require a signed-in employee or an admin. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Employee } from '../../domain/entities.js';
import { DomainError } from '../../domain/errors.js';
import type { AuthService } from '../../services/auth.js';

export const SESSION_COOKIE = 'depesza_session';

declare module 'fastify' {
  interface FastifyRequest {
    employee: Employee | null;
    sessionTokenHash: string | null;
  }
}

export function makeAuthHooks(auth: AuthService) {
  async function requireEmployee(request: FastifyRequest): Promise<void> {
    const found = await auth.authenticate(request.cookies[SESSION_COOKIE]);
    if (!found) throw new DomainError('UNAUTHENTICATED', 'Please sign in');
    request.employee = found.employee;
    request.sessionTokenHash = found.tokenHash;
  }

  async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await requireEmployee(request);
    void reply;
    if (request.employee?.role !== 'admin') throw new DomainError('FORBIDDEN', 'Only administrators may do this');
  }

  return { requireEmployee, requireAdmin };
}

/** The employee a pre-handler put on the request; routes use it only behind requireEmployee. */
export function currentEmployee(request: FastifyRequest): Employee {
  if (!request.employee) throw new DomainError('UNAUTHENTICATED', 'Please sign in');
  return request.employee;
}
