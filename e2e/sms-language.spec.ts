/**
 * An urgent message to a group with a valid, a private, a missing and an invalid number, in Polish and in English:
 * the summary, the chips, the Notifications page and the SMS report speak only the user's language, with names in
 * the Polish genitive, and the sender gets at most one toast for the whole message.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { stackForFile } from './support/stack-per-file.js';
import { DEMO_PASSWORD } from './support/stack.js';
import { expectSignedIn, NAMES, type Login } from './support/app.js';

const AUTO_DELIVER_MS = 1_500;

interface Words {
  language: 'pl' | 'en';
  signIn: { login: string; password: string; submit: string; signOut: string };
  newGroup: string;
  groupName: string;
  create: string;
  message: string;
  send: string;
  notifySms: string;
  notifications: string;
  showRecipients: string;
  markAll: string;
  smsReport: string;
  fold: string;
  chips: string[];
  summaryStart: string;
  summaryReasons: string[];
  urgent: string;
  reportReasons: string[];
  /** Words of the other language that must not appear anywhere the sender looks. */
  foreign: RegExp;
}

const POLISH: Words = {
  language: 'pl',
  signIn: { login: 'Login', password: 'Hasło', submit: 'Zaloguj się', signOut: 'Wyloguj' },
  newGroup: 'Nowa grupa',
  groupName: 'Nazwa grupy',
  create: 'Utwórz',
  message: 'Wiadomość',
  send: 'Wyślij',
  notifySms: 'Powiadom natychmiast SMS-em',
  notifications: 'Powiadomienia',
  showRecipients: 'Pokaż każdego odbiorcę',
  markAll: 'Oznacz wszystkie jako przeczytane',
  smsReport: 'Raport SMS',
  fold: '4 odbiorców: 1 dostarczono, 3 nie wysłano',
  chips: [
    'SMS do Bartka Nowaka: dostarczono',
    'SMS do Celiny Wiśniewskiej: nie wysłano — numer jest oznaczony jako prywatny',
    'SMS do Ewy Lewandowskiej: nie wysłano — brak numeru komórkowego w kartotece',
    'SMS do Filipa Wójcika: nie wysłano — numer w kartotece jest nieprawidłowy',
  ],
  summaryStart: 'SMS: 1 dostarczony, 3 niewysłane (',
  summaryReasons: ['1 numer prywatny', '1 brak numeru', '1 nieprawidłowy numer'],
  urgent: 'Pilne · wysłano też SMS-em',
  reportReasons: ['numer jest oznaczony jako prywatny', 'brak numeru komórkowego w kartotece', 'numer w kartotece jest nieprawidłowy'],
  foreign: /marked private|no mobile number|is invalid|not sent|\bdelivered\b|SMS to |unknown reason|gateway/i,
};

const ENGLISH: Words = {
  language: 'en',
  signIn: { login: 'Login', password: 'Password', submit: 'Sign in', signOut: 'Sign out' },
  newGroup: 'New group',
  groupName: 'Group name',
  create: 'Create',
  message: 'Message',
  send: 'Send',
  notifySms: 'Notify immediately by SMS',
  notifications: 'Notifications',
  showRecipients: 'Show each recipient',
  markAll: 'Mark all as read',
  smsReport: 'SMS report',
  fold: '4 recipients: 1 delivered, 3 not sent',
  chips: [
    `SMS to ${NAMES.bartek}: delivered`,
    `SMS to ${NAMES.celina}: not sent — the mobile number is marked private`,
    `SMS to ${NAMES.ewa}: not sent — no mobile number in the directory`,
    `SMS to ${NAMES.filip}: not sent — the mobile number in the directory is invalid`,
  ],
  summaryStart: 'SMS: 1 delivered, 3 not sent (',
  summaryReasons: ['1 private number', '1 no number', '1 invalid number'],
  urgent: 'Urgent · also sent by SMS',
  reportReasons: ['the mobile number is marked private', 'no mobile number in the directory', 'the mobile number in the directory is invalid'],
  foreign: /nie wysłano|dostarczono|numer|odbiorc|SMS do /i,
};

const stack = stackForFile({ autoDeliverMs: AUTO_DELIVER_MS });


async function signInIn(browser: Browser, login: Login, words: Words): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.url, locale: words.language === 'pl' ? 'pl-PL' : 'en-GB' });
  await context.addInitScript({ content: `localStorage.setItem('depesza.language', '${words.language}')` });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel(words.signIn.login).fill(login);
  await page.getByLabel(words.signIn.password).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: words.signIn.submit }).click();
  await expectSignedIn(page, words.signIn.signOut);
  return page;
}

/** Stored messages containing `text` (the history's accessible name is in the page's language). */
function messagesWith(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text });
}

async function expectNothingForeign(page: Page, words: Words): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(words.foreign);
}

async function expectAtMostOneToast(page: Page): Promise<void> {
  expect(await page.getByTestId('toast').count()).toBeLessThanOrEqual(1);
}

for (const words of [POLISH, ENGLISH]) {
  test(`urgent message to a group, in ${words.language === 'pl' ? 'Polish' : 'English'}: one summary, words from codes`, async ({
    browser,
  }) => {
    const anna = await signInIn(browser, 'anna', words);
    const bartek = await signInIn(browser, 'bartek', words);
    const group = `SMS ${words.language}`;

    // Bartek: a valid number; Celina: private; Ewa: none; Filip: "12 34", not a mobile number.
    await anna.getByRole('button', { name: words.newGroup }).click();
    const dialog = anna.getByRole('dialog', { name: words.newGroup });
    await dialog.getByLabel(words.groupName).fill(group);
    for (const name of [NAMES.bartek, NAMES.celina, NAMES.ewa, NAMES.filip]) await dialog.getByRole('checkbox', { name }).check();
    await dialog.getByRole('button', { name: words.create }).click();
    await expect(anna.getByRole('heading', { level: 1, name: group })).toBeVisible();

    const urgent = words.language === 'pl' ? 'Awaria w magazynie, proszę o pilny kontakt.' : 'Warehouse outage, please call now.';
    await anna.getByRole('textbox', { name: words.message }).fill(urgent);
    await anna.getByRole('checkbox', { name: words.notifySms }).check();
    await anna.getByRole('button', { name: words.send }).click();
    await expect(anna.getByRole('textbox', { name: words.message })).toHaveValue('');

    // The chips fold into one line that settles once Bartek's delivery report arrives.
    const message = messagesWith(anna, urgent);
    await expect(message.getByTestId('sms-fold')).toHaveText(words.fold, { timeout: AUTO_DELIVER_MS + 15_000 });
    await expectAtMostOneToast(anna);
    await message.getByTestId('sms-fold').click();
    const chips = message.getByTestId('sms-chip');
    await expect(chips).toHaveText(words.chips);

    // One line of attention for the whole message, with the reasons counted.
    const alert = anna.getByTestId('sms-summary');
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText(words.summaryStart);
    for (const reason of words.summaryReasons) await expect(alert).toContainText(reason);
    await expectAtMostOneToast(anna);
    await expectNothingForeign(anna, words);

    // The recipient sees that it was urgent.
    await bartek.getByRole('region', { name: words.language === 'pl' ? 'Rozmowy' : 'Conversations', exact: true }).getByRole('link', { name: group }).click();
    await expect(messagesWith(bartek, urgent).getByTestId('urgent-marker')).toHaveText(words.urgent);

    // Notifications: one entry for the message, the badge counts it once, each recipient one line when unfolded.
    const nav = anna.getByRole('navigation', { name: words.language === 'pl' ? 'Główne' : 'Main' });
    await expect(anna.getByTestId('notifications-badge')).toHaveText('1');
    await nav.getByRole('link', { name: words.notifications }).click();
    const entry = anna.getByTestId('notification').first();
    await expect(entry.getByRole('link')).toContainText(words.summaryStart);
    await entry.getByText(words.showRecipients).click();
    await expect(entry.getByRole('listitem')).toHaveText(words.chips);
    await expectNothingForeign(anna, words);
    await expectAtMostOneToast(anna);
    await anna.getByRole('button', { name: words.markAll }).click();
    await expect(anna.getByTestId('notifications-badge')).toHaveCount(0);

    // The SMS report: the newest four rows are this message's, in words.
    await nav.getByRole('link', { name: words.smsReport }).click();
    const rows = anna.getByTestId('sms-report-table').getByRole('row').filter({ has: anna.getByRole('cell') });
    // While the report is fetched the table holds one "loading" row (and an empty one before that): read the newest
    // four rows until the fetch has filled them.
    const newest = async () => (await rows.allInnerTexts()).slice(0, 4).join('\n');
    for (const reason of words.reportReasons) await expect.poll(newest).toContain(reason);
    await expectNothingForeign(anna, words);

    await anna.context().close();
    await bartek.context().close();
  });
}
