import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { API } from '../../../shared/http.js';
import { SmsTemplateBody, SmsTemplatePatch } from '../../../shared/schemas/index.js';
import type { AuthService } from '../services/auth.js';
import { makeAuthHooks } from '../transport/http/auth-hooks.js';
import type { SmsTemplateService } from './templates.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Everyone reads the templates (the composer's picker); admins keep them. */
export const smsTemplateRoutes: FastifyPluginAsync<{ auth: AuthService; templates: SmsTemplateService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireEmployee, requireAdmin } = makeAuthHooks(opts.auth);

  app.get(API.smsTemplates, { preHandler: requireEmployee }, async () => opts.templates.list());

  app.post(API.adminSmsTemplates, { preHandler: requireAdmin, schema: { body: SmsTemplateBody } }, async (request, reply) =>
    reply.status(201).send(await opts.templates.create(request.body)),
  );

  app.patch(
    `${API.adminSmsTemplates}/:id`,
    { preHandler: requireAdmin, schema: { params: IdParams, body: SmsTemplatePatch } },
    async (request) => opts.templates.update(request.params.id, request.body),
  );

  app.delete(`${API.adminSmsTemplates}/:id`, { preHandler: requireAdmin, schema: { params: IdParams } }, async (request, reply) => {
    await opts.templates.remove(request.params.id);
    return reply.status(204).send();
  });
};
