import { expect, test } from '@playwright/test';
import { messagesWith, NAMES, openDirect, signInAs } from './support/app.js';
import { startStack, type Stack } from './support/stack.js';

// A deadline of six seconds, set the way an operator sets 5, 15 or 60 minutes: no test-only control in the server.
const IF_UNREAD = '0.1';
const BARTEK_TO = '48512345678';
const DAREK_TO = '48698765432';

let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  stack = await startStack({ env: { SMS_IF_UNREAD_MINUTES: `${IF_UNREAD},5` } });
});

test.afterAll(async () => {
  await stack?.stop();
});

function chip(page: import('@playwright/test').Page, messageText: string) {
  return messagesWith(page, messageText).getByRole('list', { name: 'SMS to recipients' }).getByRole('listitem');
}

async function sendIfUnread(page: import('@playwright/test').Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await page.getByRole('combobox', { name: 'When to send the SMS' }).selectOption({ label: `SMS if unread after ${IF_UNREAD} min` });
  await expect(page.getByText('Only whoever has not read the message by then gets the SMS.')).toBeVisible();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
}

test('"SMS if unread": who reads in time gets no SMS and the sender sees why; who does not gets exactly one', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');
  // Bartek has the conversation open: he reads Anna's message as it arrives.
  await openDirect(bartek.page, NAMES.anna);

  await openDirect(anna.page, NAMES.bartek);
  const toBartek = 'Can you check the backup job?';
  await sendIfUnread(anna.page, toBartek);
  await expect(messagesWith(bartek.page, toBartek)).toBeVisible();
  await expect(chip(anna.page, toBartek)).toHaveText(/^SMS to Bartek Nowak: not needed — read after \d+ s$/);

  // Darek is not signed in: nobody reads it, and at the deadline the SMS goes.
  await openDirect(anna.page, NAMES.darek);
  const toDarek = 'The warehouse alarm is ringing.';
  await sendIfUnread(anna.page, toDarek);
  await expect(chip(anna.page, toDarek)).toHaveText(/^SMS to Darek Zieliński: goes at \d{1,2}:\d\d( [AP]M)? if still unread$/);
  await expect(chip(anna.page, toDarek)).toHaveText(/^SMS to Darek Zieliński: (sent|delivered)$/, { timeout: 20_000 });

  const fake = await stack.fake();
  expect(fake.accepted.filter((sms) => sms.to === DAREK_TO).map((sms) => sms.message)).toEqual([toDarek]);
  expect(fake.accepted.filter((sms) => sms.to === BARTEK_TO)).toEqual([]);
  await anna.context.close();
  await bartek.context.close();
});

test('"Request acknowledgement": the sender sees who acknowledged, live', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');
  await openDirect(bartek.page, NAMES.anna);
  await openDirect(anna.page, NAMES.bartek);

  const text = 'Please confirm you got the new keys.';
  await anna.page.getByRole('textbox', { name: 'Message' }).fill(text);
  await anna.page.getByRole('checkbox', { name: 'Request acknowledgement' }).check();
  await anna.page.getByRole('button', { name: 'Send' }).click();
  await expect(messagesWith(anna.page, text).getByTestId('ack')).toHaveText('Acknowledged by 0 of 1');

  await messagesWith(bartek.page, text).getByRole('button', { name: 'Acknowledge' }).click();
  await expect(messagesWith(bartek.page, text).getByTestId('ack')).toHaveText('You acknowledged');
  await expect(messagesWith(anna.page, text).getByTestId('ack')).toHaveText(`Acknowledged by 1 of 1: ${NAMES.bartek}`);
  await anna.context.close();
  await bartek.context.close();
});
