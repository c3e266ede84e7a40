/** What the client needs to know about this server before it shows the composer. */
import type { FastifyInstance } from 'fastify';
import type { ClientConfig } from '../../../../shared/http.js';
import { API } from '../../../../shared/http.js';

export async function configRoutes(fastify: FastifyInstance, options: { clientConfig: ClientConfig }): Promise<void> {
  fastify.get(API.config, async (): Promise<ClientConfig> => options.clientConfig);
}
