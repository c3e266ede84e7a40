/**
 * The two ways whole-app tests hold their apps: one app for a describe block, or apps each test starts itself (for
 * restarts on the same file). Either way the sockets a test opens are closed after it, so none leaks into the next.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeAll } from './messaging.js';
import { connectWithCookie, startTestApp, type ClientSocket, type StartOptions, type TestApp } from './test-app.js';

/** Limits no test's own burst of messages and events reaches. */
export const HIGH_LIMITS = { RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', RATE_LIMIT_EVENTS_PER_MINUTE: '100000' };

/**
 * One app for the describe block this is called in: `t` is filled in place once the app has started (so tests use
 * it as a started app); `tab(login)` signs in a new socket; `tabs` collects sockets made otherwise, to close.
 */
export function appPerBlock(options: StartOptions = {}): { t: TestApp; tab: (login: string) => Promise<ClientSocket>; tabs: ClientSocket[] } {
  const t = {} as TestApp;
  const tabs: ClientSocket[] = [];
  beforeAll(async () => {
    Object.assign(t, await startTestApp(options));
  });
  afterEach(() => closeAll(tabs));
  afterAll(async () => t.stop?.({ remove: true }));
  return {
    t,
    tabs,
    async tab(login) {
      const socket = await t.connectAs(login);
      tabs.push(socket);
      return socket;
    },
  };
}

/**
 * Apps started by a test (`start`, with `dataDir` on an existing file: a restart) and stopped after it, removing
 * their files; `tab(t, cookie)` is one more socket of a signed-in browser; `tabs` collects sockets to close.
 */
export function appsPerTest(options: Omit<StartOptions, 'dataDir' | 'people'> = {}) {
  const apps: TestApp[] = [];
  const tabs: ClientSocket[] = [];
  afterEach(async () => {
    closeAll(tabs);
    for (const app of apps.splice(0).reverse()) await app.stop({ remove: true });
  });
  return {
    tabs,
    async start(dataDir?: string): Promise<TestApp> {
      const app = await startTestApp({ ...options, ...(dataDir ? { dataDir, people: null } : {}) });
      apps.push(app);
      return app;
    },
    /** Stops an app now, keeping its file for the next app to start on. */
    async stopKeepingFile(app: TestApp): Promise<void> {
      apps.splice(apps.indexOf(app), 1);
      await app.stop();
    },
    async tab(t: TestApp, cookie: string): Promise<ClientSocket> {
      const socket = await connectWithCookie(t.url, cookie);
      tabs.push(socket);
      return socket;
    },
  };
}
