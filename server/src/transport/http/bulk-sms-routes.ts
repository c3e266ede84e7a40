/** Bulk SMS from the Directory (issue 13): admins preview, send and look back at bulk jobs. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API } from '../../../../shared/http.js';
import { BulkJobId, BulkPreviewRequest, BulkSendRequest } from '../../../../shared/schemas/index.js';
import type { AuthService } from '../../services/auth.js';
import type { BulkSmsService } from '../../services/bulk-sms.js';
import { makeAuthHooks, currentEmployee } from './auth-hooks.js';

export const bulkSmsRoutes: FastifyPluginAsync<{ auth: AuthService; bulkSms: BulkSmsService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireAdmin } = makeAuthHooks(opts.auth);

  app.post(API.adminBulkSmsPreview, { preHandler: requireAdmin, schema: { body: BulkPreviewRequest } }, async (request) =>
    opts.bulkSms.preview(currentEmployee(request), request.body),
  );

  // 202: the job is stored and being sent in the background (GET it, or follow `bulk:progress`); 200: a retry of
  // a finished one (same id), which sends nothing twice.
  app.post(API.adminBulkSms, { preHandler: requireAdmin, schema: { body: BulkSendRequest } }, async (request, reply) => {
    const { job } = await opts.bulkSms.send(currentEmployee(request), request.body);
    return reply.status(job.finished ? 200 : 202).send(job);
  });

  app.get(API.adminBulkSms, { preHandler: requireAdmin }, async () => opts.bulkSms.list());

  app.get(`${API.adminBulkSms}/:id`, { preHandler: requireAdmin, schema: { params: BulkJobId } }, async (request) =>
    opts.bulkSms.find(request.params.id),
  );
};
