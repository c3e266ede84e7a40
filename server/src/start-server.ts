/**
 * Start-up shared by main.ts and `scripts/demo.ts`: open the store → build the app → load the demo directory if
 * the directory is empty → listen. It never exits the process: a failure is a StartupError carrying the exit code
 * main.ts uses, so another caller (the demo) can clean up after itself.
 */
import { buildApp, openStore, type App, type AppDeps } from './app.js';
import type { Config } from './config.js';
import type { Store } from './ports/store.js';
import { DEMO_PASSWORD, demoAccountsPresent, loadDemoDirectoryIfEmpty } from './services/demo-directory.js';

export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface RunningServer {
  app: App;
  store: Store;
  /** Where people reach it: PUBLIC_URL when set, else the address it listens on. */
  url: string;
  /** Logins of the demo company loaded at this start (empty when none was loaded). */
  demoLogins: string[];
  /** Stops accepting, lets in-flight work finish, closes the store. */
  close(): Promise<void>;
}

export async function startServer(config: Config, deps: Partial<Omit<AppDeps, 'config' | 'store'>> = {}): Promise<RunningServer> {
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new StartupError((error as Error).message, 3);
  }
  let app: App;
  try {
    app = await buildApp({ config, store, ...deps });
  } catch (error) {
    // buildApp connects the Socket.IO adapter: an unreachable REDIS_URL (or MongoDB) stops the start here.
    await store.close().catch(() => undefined);
    throw new StartupError((error as Error).message, 3);
  }
  const log = app.fastify.log;

  const created = await loadDemoDirectoryIfEmpty(store, (rows, options) => app.services.directory.importRows(rows, options), config.demoDirectory);
  if (created.length > 0) {
    log.info({ logins: created }, 'loaded the demo directory');
  }

  try {
    await app.fastify.listen({ port: config.port, host: config.host });
  } catch (error) {
    await store.close();
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, 4);
  }
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log.info(`Depesza is running at ${url} (store: ${store.kind})`);
  // After listening: the check hashes the demo password once per demo account, which must not delay the start.
  void demoAccountsPresent(store).then(
    (demo) => {
      if (demo.length === 0) return;
      log.warn(
        `Demo accounts are active (${demo.join(', ')}, password "${DEMO_PASSWORD}"). Import your directory with ` +
          '`npm run directory -- import FILE.json` and deactivate them, or start with DEMO_DIRECTORY=off on an empty store.',
      );
    },
    () => undefined, // the store closed first (a quick stop): the warning does not matter then
  );

  return {
    app,
    store,
    url,
    demoLogins: created,
    async close() {
      await app.fastify.close();
      await store.close();
    },
  };
}
