import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../../ports/store.js';
import { errorBody } from './errors.js';

/** /healthz: the process answers. /readyz: the store answers too (what a load balancer should route on). */
export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, opts) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await opts.store.ping();
      return { status: 'ready', store: opts.store.kind };
    } catch (error) {
      request.log.warn({ err: error }, 'store did not answer the readiness check');
      return reply.status(503).send(errorBody('SERVICE_UNAVAILABLE', 'The store does not answer'));
    }
  });
};
