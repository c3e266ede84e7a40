/**
 * Issue 15: a 5,000-message conversation in the virtual message list. Bartek scrolls from the newest page to the
 * first message, one older page at a time, and back down: the message at his reading position never moves when a
 * page arrives above it or while he scrolls, and the page holds about as many elements at the top as at the start.
 * Seeded through the server's SQLite store (the conversation itself opened over the API).
 */
import { expect, test } from '@playwright/test';
import { history, NAMES, openDirect, signInAs } from './support/app.js';
import { elementCount, longHistoryText, probeOlderPage, probeScrollDown, seedLongConversation } from './support/long-history.js';
import { startStack, type Stack } from './support/stack.js';

const COUNT = 5000;
let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  stack = await startStack();
  await seedLongConversation(stack, COUNT);
});

test.afterAll(async () => {
  await stack?.stop();
});

for (const viewport of [
  { width: 1366, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`5,000 messages at ${viewport.width}×${viewport.height}: to the first message and back without a jump, elements bounded`, async ({ browser }) => {
    test.setTimeout(900_000);
    const bartek = await signInAs(browser, stack.url, 'bartek', { viewport });
    const page = bartek.page;
    await openDirect(page, NAMES.anna);
    // The reader's window in front: pages left by earlier specs in this worker's browser must not take its frames.
    await page.bringToFront();
    const list = history(page);
    const newest = list.locator(`[data-seq="${COUNT}"]`);
    await expect(newest).toBeInViewport();
    const atStart = await elementCount(page);

    let pages = 0;
    for (;;) {
      const probe = await probeOlderPage(list);
      if (!probe.paged) break;
      pages++;
      expect(probe.drift, `message ${probe.seq} moved when older page ${pages} arrived ${probe.missing}`).toBeLessThan(1);
      expect(await list.getByTestId('message').count(), `messages in the page after ${pages} older pages`).toBeLessThan(80);
    }
    expect(pages).toBeGreaterThanOrEqual(Math.floor(COUNT / 50) - 1);
    await expect(list.getByTestId('history-beginning')).toBeVisible();
    await expect(list.locator('[data-seq="1"]')).toContainText(longHistoryText(1));
    await expect(list.locator('[data-seq="1"]')).toBeInViewport();
    const atTop = await elementCount(page);
    // The same page after 5,000 messages as after the newest 50, give or take the rows' own sizes.
    expect(atTop).toBeLessThan(atStart * 1.5);

    const down = await probeScrollDown(list);
    expect(down.maxDeviation, `the reading position moved while scrolling down (${down.steps} steps)`).toBeLessThan(1);
    await expect(newest).toBeInViewport();
    expect(await elementCount(page)).toBeLessThan(atStart * 1.5);
    await bartek.context.close();
  });
}
