import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import { API } from '../../../shared/http.js';
import { SmsReportQuery } from '../../../shared/schemas/index.js';
import { parseDeliveryReports } from './smsapi/delivery-callback.js';
import type { AuthService } from '../services/auth.js';
import type { SmsEscalationService } from './urgent-sms.js';
import type { SmsReportService } from './report.js';
import { currentEmployee, makeAuthHooks } from '../transport/http/auth-hooks.js';

export const SMS_CALLBACK_PREFIX = '/api/sms/callback/';

export interface SmsRoutesOptions {
  auth: AuthService;
  report: SmsReportService;
  escalation: SmsEscalationService;
  callbackSecret: string | null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The SMS report (JSON and CSV) and the delivery-report callback SMSAPI calls. */
export const smsRoutes: FastifyPluginAsync<SmsRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireEmployee } = makeAuthHooks(opts.auth);

  app.get(API.smsReport, { preHandler: requireEmployee, schema: { querystring: SmsReportQuery } }, async (request) =>
    opts.report.page(currentEmployee(request), request.query),
  );

  app.get(API.smsReportCsv, { preHandler: requireEmployee, schema: { querystring: SmsReportQuery } }, async (request, reply) => {
    const csv = await opts.report.csv(currentEmployee(request), request.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="sms-report.csv"')
      .send(csv);
  });

  // SMSAPI retries until it reads "OK", so anything we cannot use is acknowledged and ignored; only a wrong
  // secret is refused, and it learns nothing.
  app.get(
    `${SMS_CALLBACK_PREFIX}:secret`,
    { schema: { params: Type.Object({ secret: Type.String({ maxLength: 200 }) }) } },
    async (request, reply) => {
      if (opts.callbackSecret === null || !sameSecret(request.params.secret, opts.callbackSecret)) {
        return reply.status(404).type('text/plain').send('Not found');
      }
      const reports = parseDeliveryReports(request.query as Record<string, string | string[] | undefined>);
      const applied = await opts.escalation.applyDeliveryReports(reports);
      request.log.info({ received: reports.length, applied }, 'SMS delivery reports');
      return reply.type('text/plain').send('OK');
    },
  );
};
