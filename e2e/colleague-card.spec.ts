/**
 * Issue 13: a colleague's card opens from every place a person appears — a direct conversation in the list (its
 * presence dot, also from the keyboard, while the row still opens the conversation), the people list and its
 * search, a message search hit's sender, and a group's member list — never shows a number, and its "Send SMS"
 * opens the direct conversation with the SMS box ticked.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { conversationLink, conversationList, messagesWith, NAMES, openDirect, peopleList, sendMessage, signInAs } from './support/app.js';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
const GROUP = 'Dostawa Gdańsk';
const FROM_DAREK = 'Paleta siedem czeka na rampie';
/** The demo company's numbers, in any spacing: none may reach a browser. */
const NUMBERS = [/501\D?234\D?567/, /512\D?345\D?678/, /601\D?222\D?333/, /698\D?765\D?432/];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stack = await startStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

async function expectNoNumbers(page: Page): Promise<void> {
  const html = await page.content();
  for (const number of NUMBERS) expect(html).not.toMatch(number);
}

/** The card is open for `name`; "Send SMS" opens the direct conversation with the SMS box ticked. */
async function sendSmsFromCard(page: Page, name: string): Promise<void> {
  const card = page.getByRole('dialog', { name });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('colleague-card')).toBeVisible();
  await expectNoNumbers(page);
  await card.getByRole('button', { name: 'Send SMS' }).click();
  await expect(card).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Notify immediately by SMS' })).toBeChecked();
}

/** The list item in `scope` that holds `inner` (a locator relative to the page: `has` looks inside each item). */
function listItemWith(scope: Locator, inner: Locator): Locator {
  return scope.getByRole('listitem').filter({ has: inner });
}

test('the card opens from the conversation list, the people list, message search and group members; "Send SMS" ticks the box', async ({ browser }) => {
  test.setTimeout(300_000);
  // Darek starts a group with Bartek and Anna and writes in it: a group, and a message from someone else to find.
  const darek = await signInAs(browser, stack.url, 'darek');
  await darek.page.getByRole('button', { name: 'New group' }).click();
  const dialog = darek.page.getByRole('dialog', { name: 'New group' });
  await dialog.getByLabel('Group name').fill(GROUP);
  for (const name of [NAMES.bartek, NAMES.anna]) await dialog.getByRole('checkbox', { name }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(darek.page.getByRole('heading', { level: 1, name: GROUP })).toBeVisible();
  await sendMessage(darek.page, FROM_DAREK);
  await darek.context.close();

  const { page } = await signInAs(browser, stack.url, 'bartek');

  // 1. The conversation list: the row still opens the conversation; its presence dot opens the card, by keyboard too.
  await openDirect(page, NAMES.anna);
  await page.getByRole('link', { name: GROUP }).click();
  await expect(page.getByRole('heading', { level: 1, name: GROUP })).toBeVisible();
  const annaLink = conversationLink(page, NAMES.anna);
  await annaLink.click();
  await expect(page.getByRole('heading', { level: 1, name: NAMES.anna })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const annaOpener = listItemWith(conversationList(page), page.getByRole('link', { name: NAMES.anna })).getByRole('button', { name: 'Card' });
  await expect(annaOpener).toHaveAttribute('title', `Show the card of ${NAMES.anna}`);
  await annaLink.focus();
  await page.keyboard.press('Shift+Tab');
  await expect(annaOpener).toBeFocused();
  await page.keyboard.press('Enter');
  const annaCard = page.getByRole('dialog', { name: NAMES.anna });
  await expect(annaCard).toContainText('Office manager');
  await page.keyboard.press('Escape');
  await expect(annaCard).toBeHidden();
  await expect(annaOpener).toBeFocused();
  // From the group's conversation, so that "Send SMS" has somewhere to go.
  await page.getByRole('link', { name: GROUP }).click();
  await annaOpener.click();
  await sendSmsFromCard(page, NAMES.anna);

  // 2. The people list, searched ("Search people"): the dot opens the card, the name the conversation.
  await page.getByRole('link', { name: GROUP }).click();
  await page.getByLabel('Search people').fill('wojc');
  await expect(peopleList(page).getByRole('listitem')).toHaveCount(1);
  await listItemWith(peopleList(page), page.getByRole('button', { name: NAMES.filip, exact: true })).getByRole('button', { name: 'Card' }).click();
  await expect(page.getByRole('dialog', { name: NAMES.filip })).toContainText('IT');
  await sendSmsFromCard(page, NAMES.filip);
  await page.getByLabel('Search people').fill('');

  // 3. Message search: the hit's sender.
  await page.getByRole('link', { name: GROUP }).click();
  const box = page.getByRole('searchbox', { name: 'Search messages' });
  await box.fill('paleta rampie');
  const hit = page.getByTestId('search-hit').filter({ hasText: 'siedem' });
  await expect(hit).toHaveCount(1);
  await listItemWith(page.locator('body'), page.getByTestId('search-hit').filter({ hasText: 'siedem' }))
    .getByRole('button', { name: NAMES.darek, exact: true })
    .click();
  await expect(page.getByRole('dialog', { name: NAMES.darek })).toContainText('Warehouse');
  await sendSmsFromCard(page, NAMES.darek);
  await box.fill('');

  // 4. A group's members: the header's member line unfolds into names that open cards.
  await page.getByRole('link', { name: GROUP }).click();
  await expect(messagesWith(page, FROM_DAREK)).toHaveCount(1);
  const line = page.getByTestId('group-members');
  await expect(line).toHaveAttribute('aria-expanded', 'false');
  await line.click();
  await expect(line).toHaveAttribute('aria-expanded', 'true');
  const members = page.getByTestId('group-member-list');
  await expect(members.getByRole('listitem')).toHaveText([NAMES.anna, NAMES.darek, 'You']);
  await members.getByRole('button', { name: NAMES.darek, exact: true }).click();
  await expect(page.getByRole('dialog', { name: NAMES.darek })).toContainText('Warehouse');
  await sendSmsFromCard(page, NAMES.darek);
});
