/**
 * buildApp(deps): the one place that wires adapters to services to transports. main.ts picks the store and
 * gateway from config; tests pass their own (a temp SQLite file, the fake SMSAPI).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import type { ClientConfig } from '../../shared/http.js';
import { API } from '../../shared/http.js';
import type { Config } from './config.js';
import type { ScryptParams } from './domain/password.js';
import { systemClock, type Clock } from './ports/clock.js';
import { noRealtime, type Realtime } from './ports/realtime.js';
import type { SmsGateway } from './ports/sms-gateway.js';
import type { Store } from './ports/store.js';
import { createMetrics } from './adapters/metrics/prometheus.js';
import { createSmsapiGateway } from './sms/smsapi/gateway.js';
import { pickSocketAdapter } from './adapters/socket/pick-socket-adapter.js';
import { createAuthService } from './services/auth.js';
import { createDirectoryService } from './services/directory.js';
import { FloodLimit } from './services/flood-limit.js';
import { createMessagingService } from './services/messaging.js';
import { createNotificationService } from './services/notifications.js';
import { createPresenceService } from './services/presence.js';
import { createSmsDispatcher } from './sms/outbox-worker.js';
import { createSmsEscalation } from './sms/urgent-sms.js';
import { createSmsReportService } from './sms/report.js';
import { registerClientAssets } from './transport/http/client-assets.js';
import { registerErrorHandler } from './transport/http/errors.js';
import { employeeRoutes } from './transport/http/employee-routes.js';
import { healthRoutes } from './transport/http/health-routes.js';
import { metricsRoutes } from './transport/http/metrics-routes.js';
import { sessionRoutes } from './transport/http/session-routes.js';
import { validatorCompiler } from './transport/http/validation.js';
import { SMS_CALLBACK_PREFIX, smsRoutes } from './sms/routes.js';
import { createSocketServer } from './transport/socket/socket-server.js';
import type { DepeszaServer } from './transport/socket/types.js';

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  /** Lower scrypt cost for tests; production uses the OWASP defaults. */
  passwordParams?: ScryptParams;
  /** Overrides the SMSAPI gateway built from config (tests). */
  smsGateway?: SmsGateway;
  /** Options for the SMS dispatcher's timing (tests use short backoffs). */
  smsDispatcher?: { baseBackoffMs?: number; pollMs?: number; leaseMs?: number };
  logger?: FastifyServerOptions['logger'];
  /** How often open sockets' sessions are looked up again (default one minute; tests shorten it). */
  sessionCheckMs?: number;
  /** Folder of the built client; null serves none. Defaults to dist/client when it exists. */
  clientDir?: string | null;
}

export interface App {
  fastify: FastifyInstance;
  io: DepeszaServer;
  services: {
    dispatcher: ReturnType<typeof createSmsDispatcher> | null;
    directory: ReturnType<typeof createDirectoryService>;
  };
}

const DEFAULT_CLIENT_DIR = path.resolve(import.meta.dirname, '../../dist/client');

/** Loggers never see query strings (delivery reports carry phone numbers) nor bodies (passwords, numbers). */
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

export function callbackSecretFor(config: Config): string | null {
  if (config.sms.callbackSecret) return config.sms.callbackSecret;
  if (!config.sms.token) return null;
  return createHash('sha256').update(`depesza-delivery-reports:${config.sms.token}`).digest('base64url').slice(0, 32);
}

function allowedOrigins(config: Config, app: FastifyInstance): Set<string> {
  const origins = new Set<string>();
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  for (const host of ['localhost', '127.0.0.1', '[::1]']) {
    origins.add(`http://${host}:${port}`);
    origins.add(`http://${host}:5173`); // the Vite dev server proxies the socket
  }
  return origins;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const metrics = config.metricsToken ? createMetrics() : null;
  const store = metrics ? metrics.instrumentStore(deps.store) : deps.store;
  const clock = deps.clock ?? systemClock;
  const fastify = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    bodyLimit: 256 * 1024,
    // Only named proxies may say who the client is: trusting X-Forwarded-For from anyone lets a client pick its
    // own address and escape every per-address limit.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
  });
  fastify.setValidatorCompiler(validatorCompiler);

  let realtime: Realtime = noRealtime;
  const getRealtime = () => realtime;

  const auth = createAuthService({
    store,
    clock,
    realtime: getRealtime,
    sessionTtlHours: config.sessionTtlHours,
    maxPendingChecks: config.signInMaxPendingChecks,
    ...(deps.passwordParams ? { passwordParams: deps.passwordParams } : {}),
  });
  const directory = createDirectoryService({
    store,
    realtime: getRealtime,
    checkCurrentPassword: auth.checkCurrentPassword,
    ...(deps.passwordParams ? { passwordParams: deps.passwordParams } : {}),
  });
  const notifications = createNotificationService({ store, clock, realtime: getRealtime });
  const callbackSecret = callbackSecretFor(config);

  const uninstrumentedGateway: SmsGateway | null =
    deps.smsGateway ??
    (config.sms.token
      ? createSmsapiGateway({
          baseUrl: config.sms.baseUrl,
          token: config.sms.token,
          sender: config.sms.sender,
          test: config.sms.test,
          normalize: config.sms.normalize,
          maxParts: config.sms.maxParts,
          notifyUrl: config.publicUrl && callbackSecret ? `${config.publicUrl}${SMS_CALLBACK_PREFIX}${callbackSecret}` : null,
          timeoutMs: config.sms.timeoutMs,
        })
      : null);
  const gateway = uninstrumentedGateway && metrics ? metrics.instrumentGateway(uninstrumentedGateway) : uninstrumentedGateway;

  let dispatcher: ReturnType<typeof createSmsDispatcher> | null = null;
  const sms = createSmsEscalation({
    store,
    clock,
    realtime: getRealtime,
    notifications,
    rules: { configured: gateway !== null, ...config.sms },
    wakeDispatcher: () => dispatcher?.wake(),
  });
  if (gateway) {
    dispatcher = createSmsDispatcher({
      store,
      gateway,
      clock,
      maxAttempts: config.sms.maxAttempts,
      onChange: (dispatch) => sms.report(dispatch),
      onError: (error) => fastify.log.error({ err: error }, 'SMS dispatcher error'),
      ...deps.smsDispatcher,
    });
  }
  const messaging = createMessagingService({
    store,
    clock,
    realtime: getRealtime,
    messageMaxLength: config.messageMaxLength,
    sms: sms.escalation,
    groupsPerEmployee: config.groupsPerEmployee,
  });
  const presence = createPresenceService(getRealtime);

  await fastify.register(fastifyCookie);
  await fastify.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: config.publicUrl?.startsWith('https:') ? [] : null,
      },
    },
    hsts: config.publicUrl?.startsWith('https:') ?? false,
  });
  fastify.decorateRequest('employee', null);
  fastify.decorateRequest('sessionTokenHash', null);
  registerErrorHandler(fastify);

  await fastify.register(healthRoutes, { store });
  await fastify.register(metricsRoutes, { registry: metrics?.registry ?? null, token: config.metricsToken });
  await fastify.register(sessionRoutes, {
    auth,
    directory,
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
    sessionTtlHours: config.sessionTtlHours,
  });
  await fastify.register(employeeRoutes, { auth, directory });
  await fastify.register(smsRoutes, { auth, report: createSmsReportService({ store }), escalation: sms, callbackSecret });
  fastify.get(API.config, async (): Promise<ClientConfig> => ({
    messageMaxLength: config.messageMaxLength,
    smsEnabled: gateway !== null,
    smsMaxParts: config.sms.maxParts,
  }));

  const clientDir = deps.clientDir === undefined ? (existsSync(DEFAULT_CLIENT_DIR) ? DEFAULT_CLIENT_DIR : null) : deps.clientDir;
  if (clientDir) await registerClientAssets(fastify, clientDir);

  const { io, realtime: socketRealtime } = createSocketServer({
    httpServer: fastify.server,
    auth,
    presence,
    messaging,
    notifications,
    smsPreview: sms,
    messageFlood: new FloodLimit(config.messagesPerMinute, clock),
    eventFlood: new FloodLimit(config.eventsPerMinute, clock),
    allowedOrigins: () => allowedOrigins(config, fastify),
    logger: fastify.log,
    clock,
    socketsPerEmployee: config.socketsPerEmployee,
    sessionCheckMs: deps.sessionCheckMs ?? 60_000,
  });
  realtime = socketRealtime;
  metrics?.countSockets(() => io.of('/').sockets.size);
  // Several processes: Redis (REDIS_URL) or MongoDB (MONGODB_URI) carries every room emit to the other processes.
  const socketAdapter = await pickSocketAdapter({
    redisUrl: config.redisUrl,
    mongodbUri: config.mongodbUri,
    onError: (error) => fastify.log.error({ err: error }, 'Socket.IO adapter connection error'),
  });
  if (socketAdapter) {
    io.adapter(socketAdapter.adapter);
    fastify.log.info(`Socket.IO events travel between processes through ${socketAdapter.description}`);
  }

  fastify.addHook('onReady', async () => dispatcher?.start());
  fastify.addHook('preClose', async () => {
    await dispatcher?.stop();
    // Only this process's sockets: with an adapter, io.disconnectSockets() would drop every process's clients.
    io.local.disconnectSockets(true);
  });
  // After Fastify closed the HTTP server: io.close() also stops the adapters' timers.
  fastify.addHook('onClose', async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await socketAdapter?.close();
    metrics?.close();
  });

  return { fastify, io, services: { dispatcher, directory } };
}
