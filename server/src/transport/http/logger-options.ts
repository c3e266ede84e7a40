/** Loggers never see query strings (delivery reports carry phone numbers) nor bodies (passwords, numbers). */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';
import { SMS_CALLBACK_PREFIX } from '../../sms/routes.js';

export interface LogOutput {
  /** stdout is a terminal: a person reads the lines, not a log collector. */
  terminal: boolean;
  /** Where pino-pretty is installed, or null; it is optional and never needed at run time. */
  prettyModule: string | null;
}

/** pino-pretty's entry point when it is installed (a development install), else null (production: JSON). */
export function findPinoPretty(): string | null {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return null;
  }
}

export function loggerOptions(level: string, output: LogOutput = { terminal: false, prettyModule: null }): FastifyServerOptions['logger'] {
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
    // Readable lines for the person at a terminal; JSON lines for everything else (files, journald, collectors).
    // Redaction and the serializers above run before the transport, so pretty lines hide the same things.
    ...(output.terminal && output.prettyModule
      ? { transport: { target: output.prettyModule, options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  };
}
