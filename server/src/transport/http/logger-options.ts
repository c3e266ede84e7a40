/** Loggers never see query strings (delivery reports carry phone numbers) nor bodies (passwords, numbers). */
import type { FastifyServerOptions } from 'fastify';
import { SMS_CALLBACK_PREFIX } from '../../sms/routes.js';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[hidden]' },
    serializers: {
      req(request: { method: string; url: string; ip?: string }) {
        const pathOnly = request.url.split('?')[0] ?? '';
        const url = pathOnly.startsWith(SMS_CALLBACK_PREFIX) ? `${SMS_CALLBACK_PREFIX}[secret]` : pathOnly;
        return { method: request.method, url, remoteAddress: request.ip };
      },
    },
  };
}
