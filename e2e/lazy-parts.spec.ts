/**
 * Issue 11: parts of the app that are not on the first screen load on demand. When such a chunk cannot be fetched
 * (offline, or a deploy replaced it), the page says so and offers to try again; the retry loads it.
 */
import { expect, test, type Browser } from '@playwright/test';
import { expectSignedIn, submitSignIn } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';
import { DEMO_PASSWORD } from './support/stack.js';

const stack = stackForFile();


/** Signed in over the API (the form is another spec's subject), then the app opened at `hash`. */
async function bartekAt(browser: Browser, hash: string) {
  const context = await browser.newContext({ baseURL: stack.url, locale: 'en-GB' });
  const answer = await context.request.post('/api/session', { data: { login: 'bartek', password: DEMO_PASSWORD }, headers: { origin: stack.url } });
  expect(answer.ok()).toBe(true);
  const page = await context.newPage();
  return { context, page, open: () => page.goto(`/${hash}`) };
}

test('a page whose chunk fails to load says so, and loads on "Try again"', async ({ browser }) => {
  const { page, context, open } = await bartekAt(browser, '#/profile');
  let refuse = true;
  const asked: string[] = [];
  await page.route(/\/assets\/ProfilePage-[^/]*\.js$/, (route) => {
    asked.push(route.request().url());
    return refuse ? route.abort('internetdisconnected') : route.continue();
  });

  await open();
  const alert = page.getByTestId('lazy-failed');
  await expect(alert).toContainText('could not be loaded');
  await expect(page.getByRole('heading', { name: 'My profile' })).toHaveCount(0);

  refuse = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'My profile' })).toBeVisible();
  await expect(alert).toHaveCount(0);
  expect(asked.length).toBeGreaterThanOrEqual(2);
  await context.close();
});

test('the profile page and the search results were not part of the first load', async ({ browser }) => {
  const { page, context, open } = await bartekAt(browser, '#/');
  await open();
  await expectSignedIn(page);
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.endsWith('.js')));
  expect(scripts.some((name) => /ProfilePage-|SearchPanel-|DirectoryPage-/.test(name))).toBe(false);
  await context.close();
});

test('the sign-in page downloads neither the signed-in app nor Socket.IO; signing in brings both', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stack.url, locale: 'en-GB' });
  const page = await context.newPage();
  const scripts = () => page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.endsWith('.js')));
  await page.goto('/');
  await expect(page.getByLabel('Login')).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  expect((await scripts()).filter((name) => /\/(Shell|socket\.io)-/.test(name))).toEqual([]);

  await submitSignIn(page, 'bartek', DEMO_PASSWORD);
  await expectSignedIn(page);
  const loaded = await scripts();
  expect(loaded.some((name) => /\/Shell-/.test(name))).toBe(true);
  expect(loaded.some((name) => /\/socket\.io-/.test(name))).toBe(true);
  await context.close();
});
