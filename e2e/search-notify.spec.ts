/**
 * Issue 12 in a real browser: message search (with and without Polish letters, jumping to a message far back) and
 * system notifications (exactly one across two tabs of one person while hidden, none for a muted conversation).
 * Anna plays her part over a socket from the test process; Bartek uses the app.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { apiSocket, type ApiSocket } from './support/api-socket.js';
import { expectSignedIn, history, messagesWith, NAMES, submitSignIn } from './support/app.js';
import { DEMO_PASSWORD, startStack, type Stack } from './support/stack.js';

let stack: Stack;
let anna: ApiSocket;
let direct: { id: string };
let group: { id: string };
const FAR_BACK = 'Spotkanie w Łodzi przy żółtym budynku o 9:00';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // 122 messages from one sender: above the default 120 per minute when the machine is fast.
  stack = await startStack({ env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '1000' } });
  anna = await apiSocket(stack.url, 'anna');
  direct = await anna.ask('conversation:openDirect', { employeeId: anna.idOf('bartek') });
  group = await anna.ask('conversation:createGroup', { name: 'Magazyn', memberIds: [anna.idOf('bartek')] });
  await anna.send(direct.id, FAR_BACK);
  // Far enough back that the newest page does not hold it.
  for (let i = 1; i <= 120; i++) await anna.send(direct.id, `Wiadomość wypełniająca numer ${i}`);
});

test.afterAll(async () => {
  anna?.close();
  await stack?.stop();
});

/**
 * Records every notification the page constructs (instead of showing it) and lets the test hide the tab: headless
 * Chromium's tabs are always visible, so visibilityState is switched by hand, as the browser would on a tab change.
 */
function instrument(): void {
  const w = window as unknown as { __notes: Array<{ title: string; body?: string }>; __hidden: boolean; Notification: unknown };
  w.__notes = [];
  w.__hidden = false;
  const real = window.Notification;
  function Recorded(title: string, options?: NotificationOptions) {
    w.__notes.push({ title, body: options?.body });
    return { close() {}, onclick: null };
  }
  Object.defineProperty(Recorded, 'permission', { get: () => real.permission });
  (Recorded as unknown as { requestPermission: unknown }).requestPermission = real.requestPermission.bind(real);
  w.Notification = Recorded;
  Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { get: () => w.__hidden });
}

async function bartekWithTabs(browser: Browser, count: number): Promise<{ context: BrowserContext; pages: Page[] }> {
  const context = await browser.newContext({ baseURL: stack.url, locale: 'en-GB' });
  await context.grantPermissions(['notifications'], { origin: stack.url });
  await context.addInitScript(instrument);
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await context.newPage();
    await page.goto('/');
    if (i === 0) await submitSignIn(page, 'bartek', DEMO_PASSWORD);
    await expectSignedIn(page);
    pages.push(page);
  }
  return { context, pages };
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { __hidden: boolean }).__hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

const notesOf = (page: Page) => page.evaluate(() => (window as unknown as { __notes: Array<{ title: string; body?: string }> }).__notes);

async function allNotes(pages: Page[]): Promise<Array<{ title: string; body?: string }>> {
  return (await Promise.all(pages.map(notesOf))).flat();
}

test('search finds a message with and without Polish letters and jumps to it, far back in the conversation', async ({ browser }) => {
  const { context, pages } = await bartekWithTabs(browser, 1);
  const page = pages[0]!;
  const box = page.getByRole('searchbox', { name: 'Search messages' });

  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await box.fill('lodz zolt');
  const hit = page.getByTestId('search-hit').filter({ hasText: 'Spotkanie w' });
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark')).toHaveText(['Łodzi', 'żółtym']);
  // The sender's name stands beside the hit's button (it opens her card).
  await expect(page.getByRole('listitem').filter({ has: hit })).toContainText(NAMES.anna);

  // The same with Polish letters, focused with "/" this time.
  await box.fill('');
  await page.locator('body').click();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.fill('"w Łodzi przy"');
  await expect(page.getByTestId('search-hit')).toHaveCount(1);
  await page.getByTestId('search-hit').click();

  await expect(page.getByRole('heading', { level: 1, name: NAMES.anna })).toBeVisible();
  const target = messagesWith(page, FAR_BACK);
  await expect(target).toBeInViewport();
  // Context around it.
  await expect(history(page).getByTestId('message').filter({ hasText: /numer 1(?!\d)/ })).toHaveCount(1);
  await context.close();
});

test('a hidden tab notifies once per message across two tabs, and a muted conversation stays quiet', async ({ browser }) => {
  const { context, pages } = await bartekWithTabs(browser, 2);
  const [first, second] = pages as [Page, Page];
  for (const page of pages) await setHidden(page, true);

  await anna.send(direct.id, 'Czy możesz oddzwonić?');
  await expect.poll(() => allNotes(pages)).toEqual([{ title: NAMES.anna, body: 'Czy możesz oddzwonić?' }]);
  await anna.send(group.id, 'Dostawa przyjechała');
  await expect.poll(async () => (await allNotes(pages)).map((n) => n.body)).toEqual(['Czy możesz oddzwonić?', 'Dostawa przyjechała']);
  expect((await allNotes(pages))[1]!.title).toBe(`${NAMES.anna} · Magazyn`);

  // Bartek mutes the direct conversation in one tab; the other tab follows.
  await setHidden(first, false);
  await first.goto(`/#/chat/${direct.id}`);
  await first.getByRole('button', { name: 'Mute' }).click();
  await expect(first.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'true');
  await first.goto('/#/');
  await setHidden(first, true);

  await anna.send(direct.id, 'To jest wyciszone');
  await anna.send(group.id, 'A to nie');
  await expect.poll(async () => (await allNotes(pages)).map((n) => n.body)).toEqual(['Czy możesz oddzwonić?', 'Dostawa przyjechała', 'A to nie']);
  // Urgent still gets through the mute.
  await anna.send(direct.id, 'Pilne: awaria', true);
  await expect.poll(async () => (await allNotes(pages)).map((n) => n.body)).toContain('Pilne: awaria');
  expect(await allNotes([second, first])).toHaveLength(4);

  // The mute is kept on the server: the other tab shows it too.
  await setHidden(second, false);
  await second.goto(`/#/chat/${direct.id}`);
  await expect(second.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'true');
  await context.close();
});
