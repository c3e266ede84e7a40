/**
 * Origins whose pages may open a socket: PUBLIC_URL and this server on loopback (plus the Vite dev server, which
 * proxies the socket). Read at each handshake because the port is known only after listen.
 */
import type { FastifyInstance } from 'fastify';

export function allowedOrigins(publicUrl: string | null, fallbackPort: number, fastify: FastifyInstance): Set<string> {
  const origins = new Set<string>();
  if (publicUrl) origins.add(new URL(publicUrl).origin);
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : fallbackPort;
  for (const host of ['localhost', '127.0.0.1', '[::1]']) {
    origins.add(`http://${host}:${port}`);
    origins.add(`http://${host}:5173`);
  }
  return origins;
}
