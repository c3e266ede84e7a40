/**
 * Issue 11: parts of the app that are not on the first screen load on demand. When such a chunk cannot be fetched
 * (offline, or a deploy replaced it), the page says so and offers to try again; the retry loads it.
 */
import { expect, test } from '@playwright/test';
import { signInAs } from './support/app.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stack = await startStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

test('a page whose chunk fails to load says so, and loads on "Try again"', async ({ browser }) => {
  const { page, context } = await signInAs(browser, stack.url, 'bartek');
  let refuse = true;
  const asked: string[] = [];
  await page.route(/\/assets\/ProfilePage-[^/]*\.js$/, (route) => {
    asked.push(route.request().url());
    return refuse ? route.abort('internetdisconnected') : route.continue();
  });

  await page.goto('/#/profile');
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
  const { page, context } = await signInAs(browser, stack.url, 'bartek');
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name).filter((name) => name.endsWith('.js')));
  expect(scripts.some((name) => /ProfilePage-|SearchPanel-|DirectoryPage-/.test(name))).toBe(false);
  await context.close();
});
