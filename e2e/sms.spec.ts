import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { messagesWith, NAMES, openDirect, sendMessage, signInAs } from './support/app.js';
import { startStack, type Stack } from './support/stack.js';

// Slower than the default 1.5 s so the "sent" state can be seen before the delivery report replaces it.
const AUTO_DELIVER_MS = 4_000;
const BARTEK_TO = '48512345678';
const CELINA_DIGITS = '601222333';
const PRIVATE_REASON = 'the mobile number is marked private';

let stack: Stack;

test.beforeAll(async () => {
  // Two processes start from TypeScript sources: slow on a busy two-core machine.
  test.setTimeout(120_000);
  stack = await startStack({ autoDeliverMs: AUTO_DELIVER_MS });
});

test.afterAll(async () => {
  await stack?.stop();
});

function toast(page: Page, text: string) {
  return page.getByRole('status', { name: 'Recent notifications' }).getByText(text, { exact: true });
}

function smsChip(page: Page, messageText: string, chipText: string) {
  return messagesWith(page, messageText)
    .getByRole('list', { name: 'SMS to recipients' })
    .getByRole('listitem')
    .filter({ hasText: chipText });
}

/** Celina's number, in any spacing, must never reach the browser. */
async function expectNoPrivateDigits(page: Page): Promise<void> {
  const html = (await page.content()).replace(/[\s-]/g, '');
  expect(html).not.toContain(CELINA_DIGITS);
}

test('"Notify immediately by SMS": sent and delivered for a valid number, refused with the reason for a private one', async ({
  browser,
}) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const { page } = anna;
  const smsBox = page.getByRole('checkbox', { name: 'Notify immediately by SMS' });

  // To Bartek (valid number): the composer says who the SMS will reach before sending.
  await openDirect(page, NAMES.bartek);
  await smsBox.check();
  await expect(page.getByText(`An SMS will go to: ${NAMES.bartek}.`)).toBeVisible();
  const toBartek = 'The server room is flooding, come now please.';
  await sendMessage(page, toBartek, { sms: true });
  await expect(smsBox).not.toBeChecked();

  await expect(toast(page, `SMS to ${NAMES.bartek} sent`)).toBeVisible();
  await expect(smsChip(page, toBartek, `SMS to ${NAMES.bartek}: sent`)).toBeVisible();
  await expect(toast(page, `SMS to ${NAMES.bartek} delivered`)).toBeVisible({ timeout: AUTO_DELIVER_MS + 10_000 });
  await expect(smsChip(page, toBartek, `SMS to ${NAMES.bartek}: delivered`)).toBeVisible();

  // The gateway got exactly that text for Bartek's number.
  const afterBartek = await stack.fake();
  expect(afterBartek.requests.map((request) => request.fields.to)).toEqual([BARTEK_TO]);
  expect(afterBartek.requests[0]?.fields.message).toBe(toBartek);

  // To Celina (private number): the composer warns, the message still goes, and the SMS is refused with the reason.
  await openDirect(page, NAMES.celina);
  await smsBox.check();
  await expect(page.getByText('Nobody in this conversation can receive an SMS.')).toBeVisible();
  await expect(page.getByText(`${NAMES.celina} — ${PRIVATE_REASON}`)).toBeVisible();
  const toCelina = 'Please call the bank back today.';
  await sendMessage(page, toCelina, { sms: true });
  await expect(messagesWith(page, toCelina)).toHaveCount(1);
  await expect(toast(page, `SMS to ${NAMES.celina} not sent: ${PRIVATE_REASON}`)).toBeVisible();
  await expect(smsChip(page, toCelina, `SMS to ${NAMES.celina}: not sent — ${PRIVATE_REASON}`)).toBeVisible();
  await expectNoPrivateDigits(page);

  // The fake received nothing for Celina: one request per SMS to someone with a valid number, i.e. only Bartek's.
  const fake = await stack.fake();
  expect(fake.requests.filter((request) => (request.fields.to ?? '').endsWith(CELINA_DIGITS))).toEqual([]);
  expect(fake.requests).toHaveLength(1);
  expect(fake.accepted.map((sms) => sms.to)).toEqual([BARTEK_TO]);

  // The Notifications panel keeps all three outcomes.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  const notifications = page.getByTestId('notification-list').getByRole('listitem');
  await expect(notifications).toHaveCount(3);
  for (const text of [
    `SMS to ${NAMES.bartek} sent`,
    `SMS to ${NAMES.bartek} delivered`,
    `SMS to ${NAMES.celina} not sent: ${PRIVATE_REASON}`,
  ]) {
    await expect(notifications.getByRole('link', { name: text, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('notifications-unread')).toHaveText('3 unread');
  // A notice links to its message's conversation.
  await notifications.getByRole('link', { name: `SMS to ${NAMES.celina} not sent: ${PRIVATE_REASON}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: NAMES.celina })).toBeVisible();
  await expect(messagesWith(page, toCelina)).toHaveCount(1);

  // The SMS report lists both, newest first, and filters by status.
  await nav.getByRole('link', { name: 'SMS report' }).click();
  await expect(page.getByRole('heading', { name: 'SMS report' })).toBeVisible();
  const table = page.getByTestId('sms-report-table');
  const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(NAMES.celina);
  await expect(rows.nth(0)).toContainText('not sent');
  await expect(rows.nth(0)).toContainText(PRIVATE_REASON);
  await expect(rows.nth(1)).toContainText(NAMES.bartek);
  await expect(rows.nth(1)).toContainText('delivered');
  await expect(rows.nth(1).getByRole('cell').nth(7)).toHaveText(fake.accepted[0]?.id ?? 'missing gateway id');
  await expectNoPrivateDigits(page);

  const status = page.getByLabel('Status');
  await status.selectOption({ label: 'not sent' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(NAMES.celina);
  await status.selectOption({ label: 'delivered' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(NAMES.bartek);
  await status.selectOption({ label: 'queued' });
  await expect(table.getByText('No SMS match these filters.')).toBeVisible();
  await status.selectOption({ label: 'All' });
  await expect(rows).toHaveCount(2);

  await anna.context.close();
});

// Also the README's picture: with E2E_SCREENSHOT=1 the final state is written to docs/screenshot.png.
test('group SMS: chips per member, private number refused, read by N of M', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna', { viewport: { width: 1280, height: 800 } });
  const darek = await signInAs(browser, stack.url, 'darek');
  const group = 'Kraków delivery';

  // Anna starts a group with two colleagues who can get an SMS and one whose number is private.
  await anna.page.getByRole('button', { name: 'New group' }).click();
  const dialog = anna.page.getByRole('dialog', { name: 'New group' });
  await dialog.getByLabel('Group name').fill(group);
  for (const name of [NAMES.bartek, NAMES.celina, NAMES.darek]) await dialog.getByRole('checkbox', { name }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(anna.page.getByRole('heading', { level: 1, name: group })).toBeVisible();

  await darek.page.getByRole('region', { name: 'Conversations', exact: true }).getByRole('link', { name: group }).click();
  const question = 'Is the truck for Kraków loaded yet? The driver is asking.';
  await sendMessage(darek.page, question);
  await expect(messagesWith(anna.page, question)).toHaveCount(1);

  const urgent = 'Urgent: the customer moved pickup to 14:00. Load pallets 4–9 first, order https://example.com/orders/4711';
  await sendMessage(anna.page, urgent, { sms: true });
  await expect(messagesWith(darek.page, urgent)).toHaveCount(1);
  await sendMessage(darek.page, 'On it, pallets 4–9 go first. I will confirm when the truck leaves.');
  for (const chip of [
    `SMS to ${NAMES.bartek}: delivered`,
    `SMS to ${NAMES.darek}: delivered`,
    `SMS to ${NAMES.celina}: not sent — ${PRIVATE_REASON}`,
  ]) {
    await expect(smsChip(anna.page, urgent, chip)).toBeVisible({ timeout: AUTO_DELIVER_MS + 10_000 });
  }
  await expect(messagesWith(anna.page, urgent).getByTestId('receipt')).toHaveText('Read by 1 of 3');

  // Keep the newest toast only, so the picture shows one notification without hiding the conversation.
  const toasts = anna.page.getByRole('status', { name: 'Recent notifications' }).getByTestId('toast');
  while ((await toasts.count()) > 1) await toasts.first().getByRole('button', { name: 'Dismiss' }).click();
  await anna.page.getByRole('textbox', { name: 'Message' }).blur();
  if (process.env.E2E_SCREENSHOT) {
    await anna.page.screenshot({ path: path.resolve(import.meta.dirname, '../docs/screenshot.png') });
  }

  await anna.context.close();
  await darek.context.close();
});
