import { expect, test } from '@playwright/test';
import { NAMES, peopleList, signInAs, submitSignIn } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

const stack = stackForFile();


test('an employee signs in, sees colleagues, keeps their number private and signs out', async ({ browser }) => {
  const bartek = await signInAs(browser, stack.url, 'bartek');
  const { page } = bartek;

  // Every active colleague, but not himself.
  const people = peopleList(page);
  for (const name of [NAMES.anna, NAMES.celina, NAMES.darek, NAMES.ewa, NAMES.filip]) {
    await expect(people.getByRole('button', { name })).toBeVisible();
  }
  await expect(people.getByRole('button', { name: NAMES.bartek })).toHaveCount(0);
  await expect(people.getByRole('listitem')).toHaveCount(5);

  // The search box filters by name, ignoring Polish diacritics.
  const search = page.getByLabel('Search people');
  await search.fill('wisniew');
  await expect(people.getByRole('listitem')).toHaveCount(1);
  await expect(people.getByRole('button', { name: NAMES.celina })).toBeVisible();
  await search.fill('nobody-like-this');
  await expect(people.getByRole('listitem')).toHaveCount(0);
  await expect(people.getByText('Nobody matches “nobody-like-this”.')).toBeVisible();
  await search.fill('');
  await expect(people.getByRole('listitem')).toHaveCount(5);

  // My profile: tick "Keep my number private", save, and find it still ticked after a reload.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).click();
  await expect(page.getByRole('heading', { name: 'My profile' })).toBeVisible();
  const privateFlag = page.getByRole('checkbox', { name: 'Keep my number private' });
  await expect(privateFlag).not.toBeChecked();
  await expect(page.getByText('This number can receive SMS.')).toBeVisible();
  await privateFlag.check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved')).toBeVisible();
  await expect(page.getByText('Your number is private: urgent messages will not reach you by SMS.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'My profile' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Keep my number private' })).toBeChecked();
  // The number itself is unchanged, shown in the one format numbers have everywhere; only the flag changed.
  await expect(page.getByLabel('Mobile number')).toHaveValue('+48 512 345 678');

  // Sign out: back at the sign-in form, and the session is gone on the server too.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Depesza' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('You have been signed out.')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(401);

  await bartek.context.close();
});

test('a wrong password is refused with an error in words', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stack.url, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto('/');
  await submitSignIn(page, 'darek', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong login or password.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // The password field is emptied for another try; the login stays.
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('Login')).toHaveValue('darek');
  expect((await page.request.get('/api/me')).status()).toBe(401);
  await context.close();
});

test('only an admin sees the Directory link', async ({ browser }) => {
  const darek = await signInAs(browser, stack.url, 'darek');
  const darekNav = darek.page.getByRole('navigation', { name: 'Main' });
  await expect(darekNav.getByRole('link', { name: 'My profile' })).toBeVisible();
  await expect(darekNav.getByRole('link', { name: 'Directory' })).toHaveCount(0);
  // Typing the address does not help either.
  await darek.page.goto('/#/directory');
  await expect(darek.page.getByText('Only administrators can see the directory.')).toBeVisible();
  await darek.context.close();

  const anna = await signInAs(browser, stack.url, 'anna');
  const annaNav = anna.page.getByRole('navigation', { name: 'Main' });
  await annaNav.getByRole('link', { name: 'Directory' }).click();
  await expect(anna.page.getByRole('heading', { name: 'Directory' })).toBeVisible();
  await expect(anna.page.getByRole('cell', { name: 'bartek', exact: true })).toBeVisible();
  await anna.context.close();
});
