import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { messagesWith, NAMES, openDirect, sendMessage, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

// Slower than the default 1.5 s so the "sent" state can be seen before the delivery report replaces it.
const AUTO_DELIVER_MS = 4_000;
const BARTEK_TO = '48512345678';
const CELINA_DIGITS = '601222333';
const PRIVATE_REASON = 'the mobile number is marked private';

const stack = stackForFile({ autoDeliverMs: AUTO_DELIVER_MS });


/** The one line per urgent message that needs the sender's attention (a failure), under the header. */
function smsAlerts(page: Page) {
  return page.getByRole('status', { name: 'SMS needs attention' }).getByTestId('toast');
}

/** A group's chips are folded into one line; unfold them (once) before looking at one. */
async function unfold(page: Page, messageText: string): Promise<void> {
  const fold = messagesWith(page, messageText).locator('details');
  if ((await fold.count()) > 0 && (await fold.getAttribute('open')) === null) await fold.locator('summary').click();
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

  await expect(smsChip(page, toBartek, `SMS to ${NAMES.bartek}: sent`)).toBeVisible();
  await expect(smsChip(page, toBartek, `SMS to ${NAMES.bartek}: delivered`)).toBeVisible({ timeout: AUTO_DELIVER_MS + 10_000 });
  // Sent and delivered need no attention: the chip says it, no toast does.
  await expect(smsAlerts(page)).toHaveCount(0);

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
  await expect(smsChip(page, toCelina, `SMS to ${NAMES.celina}: not sent — ${PRIVATE_REASON}`)).toBeVisible();
  // The failure needs attention: one line, with the same words, linking to the conversation, dismissible.
  await expect(smsAlerts(page)).toHaveCount(1);
  await expect(smsAlerts(page).first()).toContainText(`SMS to ${NAMES.celina}: not sent — ${PRIVATE_REASON}`);
  await expectNoPrivateDigits(page);

  // The fake received nothing for Celina: one request per SMS to someone with a valid number, i.e. only Bartek's.
  const fake = await stack.fake();
  expect(fake.requests.filter((request) => (request.fields.to ?? '').endsWith(CELINA_DIGITS))).toEqual([]);
  expect(fake.requests).toHaveLength(1);
  expect(fake.accepted.map((sms) => sms.to)).toEqual([BARTEK_TO]);

  // The Notifications page: one entry per urgent message (three state changes, two messages), newest first.
  // The patterns accept the server's sentences and the client's words from codes (the server side of issue 10).
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  const notifications = page.getByTestId('notification');
  await expect(notifications).toHaveCount(2);
  const toCelinaNotice = new RegExp(`^SMS to ${NAMES.celina}:? not sent(:| —) ${PRIVATE_REASON}$`);
  await expect(notifications.nth(0).getByRole('link', { name: toCelinaNotice })).toBeVisible();
  await expect(notifications.nth(1).getByRole('link', { name: new RegExp(`^SMS to ${NAMES.bartek}:? delivered$`) })).toBeVisible();
  await expect(page.getByTestId('notifications-unread')).toHaveText('2 unread');
  // A notice links to its message's conversation.
  await notifications.getByRole('link', { name: toCelinaNotice }).click();
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
  // Darek sees that it was urgent.
  await expect(messagesWith(darek.page, urgent).getByTestId('urgent-marker')).toHaveText('Urgent · also sent by SMS');
  // Anna's chips fold into one line, which unfolds into one chip per member.
  await expect(messagesWith(anna.page, urgent).getByTestId('sms-fold')).toHaveText('3 recipients: 2 delivered, 1 not sent', {
    timeout: AUTO_DELIVER_MS + 10_000,
  });
  await unfold(anna.page, urgent);
  for (const chip of [
    `SMS to ${NAMES.bartek}: delivered`,
    `SMS to ${NAMES.darek}: delivered`,
    `SMS to ${NAMES.celina}: not sent — ${PRIVATE_REASON}`,
  ]) {
    await expect(smsChip(anna.page, urgent, chip)).toBeVisible({ timeout: AUTO_DELIVER_MS + 10_000 });
  }
  await expect(messagesWith(anna.page, urgent).getByTestId('receipt')).toHaveText('Read by 1 of 3');

  // One message, one line of attention (Celina's private number), not a toast per member per state.
  await expect(smsAlerts(anna.page)).toHaveCount(1);
  await expect(smsAlerts(anna.page).first().getByTestId('sms-summary')).toHaveText(/^SMS: 2 delivered, 1 not sent \(1 (private number|other reason)\)/);
  await anna.page.getByRole('textbox', { name: 'Message' }).blur();
  if (process.env.E2E_SCREENSHOT) {
    await anna.page.screenshot({ path: path.resolve(import.meta.dirname, '../docs/screenshot.png') });
  }

  await anna.context.close();
  await darek.context.close();
});
