/**
 * Browser-side helpers shared by the specs: one browser context per employee, signed in through the real form.
 */
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { API } from '../../shared/http.js';
import { DEMO_PASSWORD } from './stack.js';

export const NAMES = {
  anna: 'Anna Kowalska',
  bartek: 'Bartek Nowak',
  celina: 'Celina Wiśniewska',
  darek: 'Darek Zieliński',
  ewa: 'Ewa Lewandowska',
  filip: 'Filip Wójcik',
} as const;

export type Login = keyof typeof NAMES;

export interface Employee {
  login: Login;
  name: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Signing in hashes the password with scrypt and then loads the first screen; on a loaded two-core machine with
 * several specs' servers that takes far longer than the default expect timeout, so the waits around it are generous.
 */
export const SIGN_IN_TIMEOUT_MS = 60_000;

/** Fills in and submits the sign-in form on a page that shows it (or is still loading it). */
export async function submitSignIn(page: Page, login: string, password: string): Promise<void> {
  await expect(page.getByLabel('Login')).toBeVisible({ timeout: SIGN_IN_TIMEOUT_MS });
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser context for one employee, signed in and showing the app. */
export async function signInAs(
  browser: Browser,
  baseURL: string,
  login: Login,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Employee> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-GB',
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  const page = await context.newPage();
  await page.goto('/');
  // The server's answer is the real signal: a refused sign-in fails here with its status instead of as a timeout.
  const answered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === API.session && response.request().method() === 'POST',
    { timeout: SIGN_IN_TIMEOUT_MS },
  );
  await submitSignIn(page, login, DEMO_PASSWORD);
  expect((await answered).status(), `sign-in as ${login}`).toBe(200);
  await expectSignedIn(page);
  return { login, name: NAMES[login], context, page };
}

/** Waits for the signed-in app (its "Sign out" button), which appears once the session and first screen loaded. */
export async function expectSignedIn(page: Page, signOutLabel = 'Sign out'): Promise<void> {
  await expect(page.getByRole('button', { name: signOutLabel })).toBeVisible({ timeout: SIGN_IN_TIMEOUT_MS });
}

export function peopleList(page: Page): Locator {
  return page.getByRole('region', { name: 'People' });
}

export function conversationList(page: Page): Locator {
  return page.getByRole('region', { name: 'Conversations', exact: true });
}

/** The sidebar link to a conversation; its accessible name also carries the unread count. */
export function conversationLink(page: Page, title: string): Locator {
  return conversationList(page).getByRole('link', { name: title });
}

export function history(page: Page): Locator {
  return page.getByRole('log', { name: 'Conversation history' });
}

/** Stored messages (not outbox entries) whose text contains `text`. */
export function messagesWith(page: Page, text: string): Locator {
  return history(page).getByTestId('message').filter({ hasText: text });
}

/** Opens (or creates) the direct conversation with a colleague from the people list. */
export async function openDirect(page: Page, colleagueName: string): Promise<void> {
  // Opening is idempotent; a click made while the socket was still connecting under load is simply made again.
  await expect(async () => {
    await peopleList(page).getByRole('button', { name: colleagueName }).click();
    await expect(page.getByRole('heading', { level: 1, name: colleagueName })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await expect(history(page)).toBeVisible();
}

export async function sendMessage(page: Page, text: string, options: { sms?: boolean } = {}): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  if (options.sms) await page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
}
