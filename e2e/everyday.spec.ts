/**
 * Issue 11, the everyday parts, in two browsers: Anna in Polish, Bartek in English. A draft survives switching away
 * and a reload; the list's preview and time update live; Markdown is rendered (safely); "Jump to latest" counts
 * what arrived below.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectSignedIn, NAMES } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';
import { DEMO_PASSWORD } from './support/stack.js';

const stack = stackForFile();


const WORDS = {
  pl: { password: 'Hasło', submit: 'Zaloguj się', signOut: 'Wyloguj', people: 'Osoby', conversations: 'Rozmowy', message: 'Wiadomość', send: 'Wyślij' },
  en: { password: 'Password', submit: 'Sign in', signOut: 'Sign out', people: 'People', conversations: 'Conversations', message: 'Message', send: 'Send' },
} as const;
type Language = keyof typeof WORDS;

async function signIn(browser: Browser, login: string, language: Language): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.url, locale: language === 'pl' ? 'pl-PL' : 'en-GB' });
  await context.addInitScript({ content: `localStorage.setItem('depesza.language', '${language}')` });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel(WORDS[language].password).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: WORDS[language].submit }).click();
  await expectSignedIn(page, WORDS[language].signOut);
  return page;
}

const row = (page: Page, language: Language, name: string) =>
  page.getByRole('region', { name: WORDS[language].conversations, exact: true }).getByRole('link', { name });
const composer = (page: Page, language: Language) => page.getByRole('textbox', { name: WORDS[language].message });

async function send(page: Page, language: Language, text: string): Promise<void> {
  await composer(page, language).fill(text);
  await page.getByRole('button', { name: WORDS[language].send }).click();
  await expect(composer(page, language)).toHaveValue('');
}

test('drafts, live list previews, formatting and jump to latest, in Polish and English', async ({ browser }) => {
  test.setTimeout(180_000);
  const anna = await signIn(browser, 'anna', 'pl');
  const bartek = await signIn(browser, 'bartek', 'en');

  // Anna starts a conversation with Bartek and leaves a draft in it.
  await anna.getByRole('region', { name: WORDS.pl.people }).getByRole('button', { name: NAMES.bartek }).click();
  await expect(anna.getByRole('heading', { level: 1, name: NAMES.bartek })).toBeVisible();
  await composer(anna, 'pl').fill('Szkic dla Bartka');
  await anna.getByRole('link', { name: 'Depesza' }).first().click();
  await expect(row(anna, 'pl', NAMES.bartek).getByTestId('conversation-preview')).toHaveText('Szkic: Szkic dla Bartka');

  // The draft survives a reload, and is back in the composer.
  await anna.reload();
  await expect(row(anna, 'pl', NAMES.bartek).getByTestId('conversation-preview')).toHaveText('Szkic: Szkic dla Bartka');
  await row(anna, 'pl', NAMES.bartek).click();
  await expect(composer(anna, 'pl')).toHaveValue('Szkic dla Bartka');

  // A formatted message: rendered for both, plain text in the lists, the draft gone once sent.
  await send(anna, 'pl', '**pilne** i _jutro_, ~~nie dziś~~: [plan](https://example.com/plan) :+1: <b>surowe</b>');
  const annaCopy = anna.getByTestId('message').filter({ hasText: 'pilne' });
  await expect(annaCopy.locator('strong')).toHaveText('pilne');
  await expect(annaCopy.locator('em')).toHaveText('jutro');
  await expect(annaCopy.locator('s')).toHaveText('nie dziś');
  const link = annaCopy.getByRole('link', { name: 'plan' });
  await expect(link).toHaveAttribute('href', 'https://example.com/plan');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(annaCopy).toContainText('👍 <b>surowe</b>');
  await expect(annaCopy.locator('b')).toHaveCount(0);
  await expect(row(anna, 'pl', NAMES.bartek).getByTestId('conversation-preview')).toHaveText(
    'Ty: pilne i jutro, nie dziś: plan (https://example.com/plan) 👍 <b>surowe</b>',
  );

  // Bartek had no list entry for the empty conversation; it appears live with the first message, unread in bold.
  const annaForBartek = row(bartek, 'en', NAMES.anna);
  await expect(annaForBartek.getByTestId('conversation-preview')).toHaveText(
    'pilne i jutro, nie dziś: plan (https://example.com/plan) 👍 <b>surowe</b>',
  );
  await expect(annaForBartek).toHaveClass(/unread/);
  // Today's message: its time, 24-hour in Polish.
  await expect(annaForBartek.locator('time')).toHaveText(/^\d\d:\d\d( [AP]M)?$/);
  await expect(row(anna, 'pl', NAMES.bartek).locator('time')).toHaveText(/^\d\d:\d\d$/);

  // Bartek opens it; Anna sends more than a screenful while he reads the top.
  await annaForBartek.click();
  await expect(bartek.getByTestId('message').filter({ hasText: 'pilne' }).locator('strong')).toHaveText('pilne');
  await expect(annaForBartek).not.toHaveClass(/unread/);
  for (let i = 1; i <= 20; i++) await send(anna, 'pl', `Wiadomość ${i}`);
  await expect(bartek.getByTestId('message').filter({ hasText: 'Wiadomość 20' })).toHaveCount(1);
  // One sender within minutes: one header for the run.
  await expect(bartek.getByTestId('message-header')).toHaveCount(1);

  const list = bartek.getByTestId('message-list');
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  const jump = bartek.getByTestId('jump-to-latest');
  await expect(jump).toHaveText('Jump to latest');
  await send(anna, 'pl', 'Nowa na dole 1');
  await send(anna, 'pl', 'Nowa na dole 2');
  await expect(jump).toHaveText('Jump to latest · 2 new messages');
  await jump.click();
  await expect(jump).toHaveCount(0);
  await expect(bartek.getByTestId('message').filter({ hasText: 'Nowa na dole 2' })).toBeInViewport();

  // Anna's list shows her last message; Bartek's reply moves into it live.
  await send(bartek, 'en', 'On it');
  await expect(row(anna, 'pl', NAMES.bartek).getByTestId('conversation-preview')).toHaveText('On it');
});
