/**
 * Start-up: read config → open the store → load the demo directory if empty → build the app → listen. Closes
 * gracefully on SIGTERM/SIGINT: stops accepting, finishes in-flight work, closes the store.
 */
import { ConfigError, loadConfig } from './config.js';
import { buildApp, openStore } from './app.js';
import { DEMO_PASSWORD, demoAccountsPresent, loadDemoDirectoryIfEmpty } from './services/demo-directory.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Depesza cannot start: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  let store;
  try {
    store = await openStore(config);
  } catch (error) {
    process.stderr.write(`Depesza cannot start: ${(error as Error).message}\n`);
    process.exit(3);
  }
  const app = await buildApp({ config, store });
  const log = app.fastify.log;

  const created = await loadDemoDirectoryIfEmpty(store, (rows) => app.services.directory.importRows(rows), config.demoDirectory);
  if (created.length > 0) {
    log.info(`Loaded the demo directory. Sign in as any of: ${created.join(', ')} (password: ${DEMO_PASSWORD})`);
  }
  const demo = await demoAccountsPresent(store);
  if (demo.length > 0) {
    log.warn(
      `Demo accounts are active (${demo.join(', ')}, password "${DEMO_PASSWORD}"). Import your directory with ` +
        '`npm run directory -- import FILE.json` and deactivate them, or start with DEMO_DIRECTORY=off on an empty store.',
    );
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.fastify.close();
      await store.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    await app.fastify.listen({ port: config.port, host: config.host });
  } catch (error) {
    process.stderr.write(`Depesza cannot start: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    await store.close();
    process.exit(4);
  }
  log.info(`Depesza is running at ${config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`} (store: ${store.kind})`);
}

void main();
