/**
 * Start-up: read config → startServer (open the store → build the app → load the demo directory if empty →
 * listen). Closes gracefully on SIGTERM/SIGINT: stops accepting, finishes in-flight work, closes the store.
 */
import { ConfigError, loadConfig } from './config.js';
import { DEMO_EMPLOYEES, DEMO_PASSWORD } from './services/demo-directory.js';
import { StartupError, startServer } from './start-server.js';

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

  let server;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`Depesza cannot start: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    throw error;
  }
  const log = server.app.fastify.log;
  if (server.demoLogins.length > 0) {
    // For the person at the terminal: a plain block, not a JSON line to dig out of the log.
    const admins = DEMO_EMPLOYEES.filter((row) => row.role === 'admin').map((row) => row.login);
    process.stdout.write(
      `\nDepesza loaded a demo company. Open ${server.url} and sign in as any of:\n` +
        `  ${server.demoLogins.join(', ')}   (admin: ${admins.join(', ')})\n  password: ${DEMO_PASSWORD}\n\n`,
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
      await server.close();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void main();
