/**
 * buildApp(deps): the one place that wires adapters to services to transports. main.ts picks the store and
 * gateway from config; tests pass their own (a temp SQLite file, the fake SMSAPI). It reads top to bottom as:
 * services on an event bus → HTTP plugins → the socket server that relays the bus → lifecycle hooks.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { createServices } from './create-services.js';
import type { ScryptParams } from './domain/password.js';
import { systemClock, type Clock } from './ports/clock.js';
import type { FileStore } from './ports/file-store.js';
import type { SmsGateway } from './ports/sms-gateway.js';
import { createFsFileStore } from './adapters/files/fs-file-store.js';
import type { Store } from './ports/store.js';
import { pickSocketAdapter } from './adapters/socket/pick-socket-adapter.js';
import { createEventBus } from './services/event-bus.js';
import { createSocketPresencePeers } from './transport/socket/presence-peers.js';
import { memoryFloodGate, withLocalFallback } from './services/flood-limit.js';
import { accountFromConfig, callbackSecretFor, gatewayFromConfig } from './sms/smsapi/gateway-from-config.js';
import { onSharedSmsapiHttpStartFailed } from './sms/smsapi/http-thread.js';
import { smsRoutes } from './sms/routes.js';
import { registerClientAssets } from './transport/http/client-assets.js';
import { attachmentRoutes } from './transport/http/attachment-routes.js';
import { configRoutes } from './transport/http/config-routes.js';
import { employeeRoutes } from './transport/http/employee-routes.js';
import { registerErrorHandler } from './transport/http/errors.js';
import { healthRoutes } from './transport/http/health-routes.js';
import { findPinoPretty, loggerOptions } from './transport/http/logger-options.js';
import { metricsRoutes } from './transport/http/metrics-routes.js';
import { registerSecurity } from './transport/http/security.js';
import { sessionRoutes } from './transport/http/session-routes.js';
import { validatorCompiler } from './transport/http/validation.js';
import { allowedOrigins } from './transport/socket/allowed-origins.js';
import { smsTemplateRoutes } from './sms/template-routes.js';
import { integrationRoutes } from './transport/http/integration-routes.js';
import { bulkSmsRoutes } from './transport/http/bulk-sms-routes.js';
import { registerOpenApi } from './transport/http/openapi.js';
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
  /** Where attachments' bytes go; default: the store's own (GridFS), else DATA_DIR/files. */
  fileStore?: FileStore;
  /** Folder of the built client; null serves none. Defaults to dist/client when it exists. */
  clientDir?: string | null;
}

export interface App {
  fastify: FastifyInstance;
  io: DepeszaServer;
  services: {
    dispatcher: ReturnType<typeof createServices>['dispatcher'];
    reminders: ReturnType<typeof createServices>['reminders'];
    directory: ReturnType<typeof createServices>['directory'];
    balance: ReturnType<typeof createServices>['balance'];
    bulkRunner: ReturnType<typeof createServices>['bulkRunner'];
  };
}

const DEFAULT_CLIENT_DIR = path.resolve(import.meta.dirname, '../../dist/client');

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  // Loaded only when configured: prom-client costs every process ~2 MiB of heap (npm run bench, memory).
  const metrics = config.metricsToken ? (await import('./adapters/metrics/prometheus.js')).createMetrics() : null;
  const fastify = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel, { terminal: process.stdout.isTTY === true, prettyModule: findPinoPretty() }),
    bodyLimit: 256 * 1024,
    // Only named proxies may say who the client is: trusting X-Forwarded-For from anyone lets a client pick its
    // own address and escape every per-address limit.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
  });
  fastify.setValidatorCompiler(validatorCompiler);

  const clock = deps.clock ?? systemClock;
  const gateway = deps.smsGateway ?? gatewayFromConfig(config);
  // The error is the thread's own (a module that did not load): it carries no request, so no number.
  const stopHearingThread = onSharedSmsapiHttpStartFailed((error) =>
    fastify.log.error({ err: error }, 'SMSAPI HTTP thread failed to start; SMS wait and retry as if SMSAPI were unreachable'),
  );
  const events = createEventBus((error, event) => fastify.log.error({ err: error, event }, 'domain event listener failed'));
  // Several processes: Redis (REDIS_URL) or MongoDB (MONGODB_URI) carries every room emit to the other processes.
  const socketAdapter = await pickSocketAdapter({
    redisUrl: config.redisUrl,
    mongodbUri: config.mongodbUri,
    onError: (error) => fastify.log.error({ err: error }, 'Socket.IO adapter connection error'),
  });
  // Flood limits live where the processes meet: Redis, else a shared store (MongoDB), else this process's memory.
  const localFloodGate = memoryFloodGate(clock);
  const sharedFloodGate = socketAdapter?.floodGate ?? deps.store.floodGate;
  const floodGate = sharedFloodGate
    ? withLocalFallback(sharedFloodGate, localFloodGate, (error) =>
        fastify.log.error({ err: error }, 'shared flood limits unreachable; this process counts alone meanwhile'),
      )
    : localFloodGate;
  const presencePeers = socketAdapter ? createSocketPresencePeers() : null;
  const services = createServices({
    floodGate,
    presencePeers,
    config,
    store: metrics ? metrics.instrumentStore(deps.store) : deps.store,
    clock,
    events,
    gateway: gateway && metrics ? metrics.instrumentGateway(gateway) : gateway,
    files: deps.fileStore ?? deps.store.files ?? createFsFileStore(path.join(config.dataDir, 'files')),
    // An injected gateway (tests) has no account behind it to ask.
    account: deps.smsGateway ? null : accountFromConfig(config),
    passwordParams: deps.passwordParams,
    smsDispatcher: deps.smsDispatcher,
    onDispatcherError: (error) => fastify.log.error({ err: error }, 'SMS dispatcher error'),
  });
  const { auth, directory, dispatcher, reminders } = services;

  await registerSecurity(fastify, { publicUrl: config.publicUrl });
  fastify.decorateRequest('employee', null);
  fastify.decorateRequest('sessionTokenHash', null);
  registerErrorHandler(fastify);
  // Before the routes: it collects each route's schema as the route is added.
  await registerOpenApi(fastify);
  await fastify.register(healthRoutes, { store: deps.store });
  await fastify.register(metricsRoutes, { registry: metrics?.registry ?? null, token: config.metricsToken });
  await fastify.register(sessionRoutes, {
    auth,
    directory,
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
    sessionTtlHours: config.sessionTtlHours,
  });
  await fastify.register(employeeRoutes, { auth, directory });
  await fastify.register(smsRoutes, {
    auth,
    report: services.smsReport,
    escalation: services.sms,
    inbound: services.smsInbound,
    balance: services.balance,
    callbackSecret: callbackSecretFor(config),
  });
  await fastify.register(smsTemplateRoutes, { auth, templates: services.templates });
  await fastify.register(integrationRoutes, { auth, integrations: services.integrations });
  await fastify.register(bulkSmsRoutes, { auth, bulkSms: services.bulkSms });
  await fastify.register(configRoutes, {
    clientConfig: {
      messageMaxLength: config.messageMaxLength,
      smsEnabled: gateway !== null,
      smsMaxParts: config.sms.maxParts,
      smsIfUnreadMinutes: gateway !== null ? config.sms.ifUnreadMinutes : [],
      smsNormalize: config.sms.normalize,
      timeZone: config.timeZone,
      attachmentMaxBytes: config.attachmentMaxBytes,
    },
  });
  await fastify.register(attachmentRoutes, { auth, attachments: services.attachments });
  const clientDir = deps.clientDir === undefined ? (existsSync(DEFAULT_CLIENT_DIR) ? DEFAULT_CLIENT_DIR : null) : deps.clientDir;
  if (clientDir) await registerClientAssets(fastify, clientDir);

  const io = createSocketServer({
    httpServer: fastify.server,
    auth,
    presence: services.presence,
    events,
    messaging: services.messaging,
    notifications: services.notifications,
    smsPreview: services.sms,
    acknowledgements: services.acknowledgements,
    search: services.search,
    notifySettings: services.notifySettings,
    floodGate,
    floodLimits: { eventsPerMinute: config.eventsPerMinute, messagesPerMinute: config.messagesPerMinute },
    allowedOrigins: () => allowedOrigins(config.publicUrl, config.port, fastify),
    logger: fastify.log,
    clock,
    socketsPerEmployee: config.socketsPerEmployee,
    sessionCheckMs: deps.sessionCheckMs ?? 60_000,
  });
  metrics?.countSockets(() => io.of('/').sockets.size);
  if (socketAdapter) {
    io.adapter(socketAdapter.adapter);
    presencePeers?.bind(io);
    fastify.log.info(`Socket.IO events travel between processes through ${socketAdapter.description}`);
  }

  fastify.addHook('onReady', async () => {
    dispatcher?.start();
    reminders.start();
    services.balance?.start();
    await services.bulkRunner.start();
  });
  fastify.addHook('preClose', async () => {
    await dispatcher?.stop();
    await reminders.stop();
    await services.balance?.stop();
    await services.bulkRunner.stop();
    // Only this process's sockets: with an adapter, io.disconnectSockets() would drop every process's clients.
    io.local.disconnectSockets(true);
  });
  // After Fastify closed the HTTP server: io.close() also stops the adapters' timers.
  fastify.addHook('onClose', async () => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await socketAdapter?.close();
    metrics?.close();
    stopHearingThread();
  });

  return { fastify, io, services: { dispatcher, reminders, directory, balance: services.balance, bulkRunner: services.bulkRunner } };
}
