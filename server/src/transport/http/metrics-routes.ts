import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { errorBody } from './errors.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics for Prometheus, behind `Authorization: Bearer METRICS_TOKEN`. Without a token configured the path
 * answers 404 explicitly, so that the client's deep-link fallback never serves index.html there.
 */
export const metricsRoutes: FastifyPluginAsync<{ registry: Registry | null; token: string | null }> = async (app, opts) => {
  const { registry, token } = opts;
  app.get('/metrics', async (request, reply) => {
    if (!registry || !token) return reply.status(404).send(errorBody('NOT_FOUND', 'Metrics are off (set METRICS_TOKEN)'));
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) {
      return reply.status(401).header('www-authenticate', 'Bearer').send(errorBody('UNAUTHENTICATED', 'A valid metrics token is required'));
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
