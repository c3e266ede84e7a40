import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { API } from '../../../../shared/http.js';
import { CreateIntegrationBody, NotificationResult, NotifyBody } from '../../../../shared/schemas/index.js';
import type { Integration } from '../../domain/sms-paths.js';
import type { AuthService } from '../../services/auth.js';
import type { IntegrationService } from '../../services/integrations.js';
import { currentEmployee, makeAuthHooks } from './auth-hooks.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ErrorAnswer = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true }) });
const V1_ERRORS = { 400: ErrorAnswer, 401: ErrorAnswer, 409: ErrorAnswer, 429: ErrorAnswer };

declare module 'fastify' {
  interface FastifyRequest {
    integration: Integration | null;
  }
}

/** Admins keep integrations; integrations call /api/v1 with their bearer token. */
export const integrationRoutes: FastifyPluginAsync<{ auth: AuthService; integrations: IntegrationService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireAdmin } = makeAuthHooks(opts.auth);
  fastify.decorateRequest('integration', null);
  // The response schemas document the API (OpenAPI); answers are written as they are, not re-shaped by them.
  fastify.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.get(API.adminIntegrations, { preHandler: requireAdmin, schema: { hide: true } }, async () => opts.integrations.list());

  app.post(
    API.adminIntegrations,
    { preHandler: requireAdmin, schema: { hide: true, body: CreateIntegrationBody } },
    async (request, reply) => reply.status(201).send(await opts.integrations.create(currentEmployee(request), request.body)),
  );

  app.delete(`${API.adminIntegrations}/:id`, { preHandler: requireAdmin, schema: { hide: true, params: IdParams } }, async (request) =>
    opts.integrations.revoke(request.params.id),
  );

  async function requireIntegration(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    void reply.header('www-authenticate', 'Bearer');
    request.integration = await opts.integrations.authenticate(request.headers.authorization);
  }
  const integrationOf = (request: FastifyRequest): Integration => request.integration as Integration;

  app.post(
    API.v1Notifications,
    {
      preHandler: requireIntegration,
      schema: {
        summary: 'Notify employees: a message from the integration in each one’s conversation with it, and optionally an SMS',
        tags: ['notifications'],
        security: [{ bearer: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({ minLength: 1, maxLength: 200, description: 'A retried request with the same key sends nothing twice' }),
          ),
        }),
        body: NotifyBody,
        response: { 200: NotificationResult, 201: NotificationResult, ...V1_ERRORS },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { result, created } = await opts.integrations.notify(integrationOf(request), request.body, typeof key === 'string' ? key : null);
      return reply.status(created ? 201 : 200).send(result);
    },
  );

  app.get(
    `${API.v1Notifications}/:id`,
    {
      preHandler: requireIntegration,
      schema: {
        summary: 'The per-recipient outcome of a notification (SMS status and reason codes as in the SMS report)',
        tags: ['notifications'],
        security: [{ bearer: [] }],
        params: IdParams,
        response: { 200: NotificationResult, 401: ErrorAnswer, 404: ErrorAnswer },
      },
    },
    async (request) => opts.integrations.status(integrationOf(request), request.params.id),
  );
};
