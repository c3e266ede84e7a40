import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import { API } from '../../../shared/http.js';
import { SmsReportQuery } from '../../../shared/schemas/index.js';
import { parseDeliveryReports } from './smsapi/delivery-callback.js';
import { parseSmsReply } from './smsapi/inbound-callback.js';
import type { SmsInbound } from './inbound.js';
import type { SmsBalance } from './balance.js';
import { notFound } from '../domain/errors.js';
import type { AuthService } from '../services/auth.js';
import type { SmsEscalationService } from './urgent-sms.js';
import type { SmsReportService } from './report.js';
import { currentEmployee, makeAuthHooks } from '../transport/http/auth-hooks.js';

export const SMS_CALLBACK_PREFIX = '/api/sms/callback/';

export interface SmsRoutesOptions {
  auth: AuthService;
  report: SmsReportService;
  escalation: SmsEscalationService;
  inbound: SmsInbound;
  /** Null without SMS configured. */
  balance: SmsBalance | null;
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
  const { requireEmployee, requireAdmin } = makeAuthHooks(opts.auth);
  const secretParams = { params: Type.Object({ secret: Type.String({ maxLength: 200 }) }) };
  const secretOk = (given: string) => opts.callbackSecret !== null && sameSecret(given, opts.callbackSecret);

  // SMSAPI may POST the two-way callback as a form; only this plugin's routes read form bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

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

  app.get(API.adminSmsInbound, { preHandler: requireAdmin }, async () => opts.inbound.list());
  app.get(API.adminSmsBalance, { preHandler: requireAdmin }, async () => {
    if (!opts.balance) throw notFound('SMS is not configured');
    return opts.balance.view();
  });

  // Two-way SMS replies (callback type sms_mo), under the delivery reports' secret so the logger hides it too.
  // Like there, whatever cannot be used is acknowledged with OK (SMSAPI would retry it forever).
  const inboundPath = `${SMS_CALLBACK_PREFIX}:secret/inbound`;
  const receiveReply = async (request: FastifyRequest<{ Params: { secret: string } }>, reply: FastifyReply) => {
    if (!secretOk(request.params.secret)) return reply.status(404).type('text/plain').send('Not found');
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, string | undefined>) : {};
    const fields = { ...(request.query as Record<string, string | undefined>), ...body };
    const parsed = parseSmsReply(fields);
    const outcome = parsed ? await opts.inbound.receive(parsed) : 'unreadable';
    request.log.info({ outcome }, 'SMS reply');
    return reply.type('text/plain').send('OK');
  };
  app.get(inboundPath, { schema: secretParams }, receiveReply);
  app.post(inboundPath, { schema: secretParams }, receiveReply);

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
