/**
 * Cookies and security headers for every route. The CSP allows only this origin (the socket too); HSTS and
 * upgrade-insecure-requests only when the public address is https, or a plain-http install would lock itself out.
 */
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';

export async function registerSecurity(fastify: FastifyInstance, options: { publicUrl: string | null }): Promise<void> {
  const https = options.publicUrl?.startsWith('https:') ?? false;
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https,
  });
}
