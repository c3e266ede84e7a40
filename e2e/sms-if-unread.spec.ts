import { expect, test } from '@playwright/test';
import { messagesWith, NAMES, openDirect, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

// A deadline of six seconds, set the way an operator sets 5, 15 or 60 minutes: no test-only control in the server.
const IF_UNREAD = '0.1';
const BARTEK_TO = '48512345678';
const DAREK_TO = '48698765432';

const stack = stackForFile({ env: { SMS_IF_UNREAD_MINUTES: `${IF_UNREAD},5` } });


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

/** HH:MM on the company's clock (TIME_ZONE, Europe/Warsaw by default), `hours` from now. */
function companyClock(hours: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Warsaw', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(Date.now() + hours * 3_600_000),
  );
}

test('quiet hours: the composer says who is off until when, the SMS waits, and "Send anyway" sends now', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');
  // Bartek's hours start in two hours, every day: he is in quiet hours now.
  const start = companyClock(2);
  await bartek.page.goto(`${stack.url}/#/profile`);
  const hours = bartek.page.getByTestId('working-hours');
  await hours.getByRole('checkbox', { name: 'Reach me by SMS only in working hours' }).check();
  for (const day of ['Sat', 'Sun']) await hours.getByRole('checkbox', { name: day }).check();
  await hours.getByLabel('From').fill(start);
  await hours.getByLabel('Until').fill(companyClock(3));
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(hours.getByRole('status')).toHaveText('Working hours saved');

  const time = start.replace(/^0/, '');
  const notice = `${NAMES.bartek} is off until ${time} — the SMS goes at ${time}`;
  await openDirect(anna.page, NAMES.bartek);
  const held = 'The server room door is open.';
  await anna.page.getByRole('textbox', { name: 'Message' }).fill(held);
  await anna.page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await expect(anna.page.getByTestId('sms-quiet-hours')).toContainText(notice);
  await anna.page.getByRole('button', { name: 'Send' }).click();
  await expect(chip(anna.page, held)).toHaveText(notice);

  const now = 'The server room is on fire.';
  await anna.page.getByRole('textbox', { name: 'Message' }).fill(now);
  await anna.page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await anna.page.getByRole('checkbox', { name: 'Send anyway' }).check();
  await anna.page.getByRole('button', { name: 'Send' }).click();
  await expect(chip(anna.page, now)).toHaveText(/^SMS to Bartek Nowak: (sent|delivered)$/, { timeout: 20_000 });
  const fake = await stack.fake();
  expect(fake.accepted.filter((sms) => sms.to === BARTEK_TO).map((sms) => sms.message)).toEqual([now]);

  // Back to always reachable, for whatever runs after.
  await hours.getByRole('checkbox', { name: 'Reach me by SMS only in working hours' }).uncheck();
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(hours.getByRole('status')).toHaveText('Working hours saved');
  await anna.context.close();
  await bartek.context.close();
});
