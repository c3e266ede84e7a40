/// <reference lib="dom" />
/**
 * Message actions in two browsers, Anna in English and Bartek in Polish, in one group: a reply's quote jumps to an
 * original 200 messages back (loading history around it) and back to the newest; an @mention picked from the
 * suggestions is highlighted, more strongly for the one mentioned; ↑ edits the last message and both see "edited";
 * a reply through the actions; reactions live with who reacted; a deletion after confirming.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { NAMES, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';
import { DEMO_PASSWORD } from './support/stack.js';

const stack = stackForFile({ setUpMs: 420_000, seed: () => seed() });
const GROUP = 'Magazyn północ';
const ORIGINAL = 'Oryginał: palety idą na bramę 7.';
const SEEDED_REPLY = 'Przypominam o paletach z góry.';

/** A signed-in socket of `login`, with a typed-enough `ask`. */
async function socketOf(login: string) {
  const signedIn = await fetch(`${stack.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const socket = connect(stack.url, { transports: ['websocket'], extraHeaders: { cookie, origin: stack.url }, forceNew: true });
  const ask = async (event: string, payload: unknown) => {
    const answer = await socket.timeout(10_000).emitWithAck(event, payload);
    expect(answer.ok, `${event}: ${JSON.stringify(answer)}`).toBe(true);
    return answer.data;
  };
  return { socket, cookie, ask };
}

/** The group; Bartek's original, 200 messages after it (both senders, under the per-minute limit), his reply to it. */
async function seed(): Promise<void> {
  const anna = await socketOf('anna');
  const bartek = await socketOf('bartek');
  try {
    const people = (await (await fetch(`${stack.url}/api/employees`, { headers: { cookie: anna.cookie } })).json()) as Array<{
      id: string;
      login: string;
    }>;
    const idOf = (login: string) => people.find((p) => p.login === login)!.id;
    const group = await anna.ask('conversation:createGroup', { name: GROUP, memberIds: [idOf('bartek'), idOf('celina')] });
    const send = (who: typeof anna, text: string, extra: object = {}) =>
      who.ask('message:send', { conversationId: group.id, clientId: randomUUID(), text, ...extra });
    const original = await send(bartek, ORIGINAL);
    for (let i = 1; i <= 200; i++) await send(i % 2 ? anna : bartek, `Wiadomość numer ${i}.`);
    await send(bartek, SEEDED_REPLY, { replyToId: original.id });
  } finally {
    anna.socket.disconnect();
    bartek.socket.disconnect();
  }
}

async function signInPolish(browser: Browser, login: 'bartek'): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.url, locale: 'pl-PL' });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Hasło').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Zaloguj się' }).click();
  await expect(page.getByRole('button', { name: 'Wyloguj' })).toBeVisible();
  return page;
}

const EN = { history: 'Conversation history', box: 'Message' };
const PL = { history: 'Historia rozmowy', box: 'Wiadomość' };

/** Messages whose own text (not a quote of another one) contains `text`. */
function messages(page: Page, words: typeof EN, text: string | RegExp) {
  return page
    .getByRole('log', { name: words.history })
    .getByTestId('message')
    // The message's own text (rendered Markdown, or plain text until the renderer has loaded), not a reply's quote.
    .filter({ has: page.locator('[data-testid="message-text"], p.text', { hasText: text }) });
}

async function openGroup(page: Page, words: typeof EN) {
  await page.getByRole('region', { name: words === EN ? 'Conversations' : 'Rozmowy', exact: true }).getByRole('link', { name: GROUP }).click();
  await expect(page.getByRole('heading', { level: 1, name: GROUP })).toBeVisible();
  await expect(messages(page, words, SEEDED_REPLY)).toHaveCount(1);
}

/** Whether the element lies inside the scrolled message list's visible part. */
async function onScreen(page: Page, words: typeof EN, text: string): Promise<boolean> {
  const list = page.getByRole('log', { name: words.history });
  const [box, view] = [await messages(page, words, text).boundingBox(), await list.boundingBox()];
  return !!box && !!view && box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1;
}

test('edit, delete, reply with a jump 200 messages back, react and mention — Polish and English, live', async ({ browser }) => {
  test.setTimeout(150_000);
  const anna = (await signInAs(browser, stack.url, 'anna')).page;
  const bartek = await signInPolish(browser, 'bartek');
  await openGroup(anna, EN);
  await openGroup(bartek, PL);

  // --- the quote of a reply jumps to its original, 200 messages back and not loaded yet ---
  await expect(messages(anna, EN, ORIGINAL)).toHaveCount(0);
  const quote = messages(anna, EN, SEEDED_REPLY).getByTestId('reply-quote');
  await expect(quote).toContainText(NAMES.bartek);
  await expect(quote).toContainText(ORIGINAL);
  await quote.click();
  await expect(messages(anna, EN, ORIGINAL)).toHaveCount(1);
  await expect.poll(() => onScreen(anna, EN, ORIGINAL)).toBe(true);
  await expect(messages(anna, EN, ORIGINAL)).toBeFocused();
  // From there, back to the newest messages, each shown once.
  await anna.getByTestId('back-to-latest').click();
  await expect(messages(anna, EN, SEEDED_REPLY)).toHaveCount(1);
  await expect.poll(() => onScreen(anna, EN, SEEDED_REPLY)).toBe(true);
  await expect(messages(anna, EN, ORIGINAL)).toHaveCount(0);

  // --- @mention: suggested without diacritics, picked by keyboard, highlighted (more strongly for Bartek) ---
  const annaBox = anna.getByRole('textbox', { name: EN.box });
  await annaBox.fill('');
  await annaBox.pressSequentially('Hi @wisn');
  const suggestions = anna.getByRole('listbox', { name: 'People to mention' });
  await expect(suggestions.getByRole('option')).toHaveText([NAMES.celina]);
  await annaBox.press('Escape');
  await expect(suggestions).toBeHidden();
  await annaBox.fill('');
  await annaBox.pressSequentially('@bar');
  await expect(suggestions.getByRole('option', { selected: true })).toHaveText(NAMES.bartek);
  await annaBox.press('Enter');
  await expect(annaBox).toHaveValue(`@${NAMES.bartek} `);
  await annaBox.pressSequentially('can you check gate 7?');
  await annaBox.press('Enter');
  const mentionText = `@${NAMES.bartek} can you check gate 7?`;
  const forBartek = messages(bartek, PL, mentionText);
  await expect(forBartek.getByTestId('mention')).toHaveText(`@${NAMES.bartek}`);
  await expect(forBartek).toHaveClass(/mentions-me/);
  await expect(messages(anna, EN, mentionText).getByTestId('mention')).toHaveText(`@${NAMES.bartek}`);
  await expect(messages(anna, EN, mentionText)).not.toHaveClass(/mentions-me/);

  // --- ↑ in the empty composer edits my last message; Escape cancels; Enter saves; both see "edited" ---
  await expect(annaBox).toHaveValue('');
  await annaBox.press('ArrowUp');
  await expect(annaBox).toHaveValue(mentionText);
  await expect(anna.getByText('Editing your message')).toBeVisible();
  await annaBox.press('Escape');
  await expect(annaBox).toHaveValue('');
  await expect(anna.getByText('Editing your message')).toBeHidden();
  await annaBox.press('ArrowUp');
  const edited = `@${NAMES.bartek} can you check gate 8?`;
  await annaBox.fill(edited);
  await annaBox.press('Enter');
  await expect(messages(anna, EN, edited).getByTestId('edited')).toHaveText('edited');
  await expect(messages(bartek, PL, edited).getByTestId('edited')).toHaveText('edytowano');
  await expect(messages(bartek, PL, mentionText)).toHaveCount(0);
  await expect(messages(bartek, PL, edited)).toHaveClass(/mentions-me/);

  // --- Bartek replies through the message's actions; the quote shows above his composer and in the message ---
  const annas = messages(bartek, PL, edited);
  await annas.hover();
  await annas.getByRole('button', { name: 'Odpowiedz' }).click();
  await expect(bartek.getByTestId('composer-mode')).toContainText(`Odpowiadasz na wiadomość — ${NAMES.anna}`);
  const bartekBox = bartek.getByRole('textbox', { name: PL.box });
  await bartekBox.fill('Jasne, już idę.');
  await bartekBox.press('Enter');
  await expect(bartek.getByTestId('composer-mode')).toBeHidden();
  for (const [page, words] of [[anna, EN], [bartek, PL]] as const) {
    await expect(messages(page, words, 'Jasne, już idę.').getByTestId('reply-quote')).toContainText(edited);
  }

  // --- reactions: Bartek picks a quick one, Anna adds hers and any emoji; counts and names live on both sides ---
  await annas.hover();
  await annas.getByRole('button', { name: 'Reaguj' }).click();
  await annas.getByRole('button', { name: 'Zareaguj: 👍' }).click();
  const thumbForAnna = messages(anna, EN, edited).getByTestId('reaction').filter({ hasText: '👍' });
  await expect(thumbForAnna).toHaveAccessibleName(`👍 1: ${NAMES.bartek}`);
  await expect(thumbForAnna).toHaveAttribute('aria-pressed', 'false');
  await thumbForAnna.click();
  await expect(thumbForAnna).toHaveAttribute('aria-pressed', 'true');
  await expect(thumbForAnna).toHaveAccessibleName(`👍 2: ${NAMES.bartek}, You`);
  const thumbForBartek = messages(bartek, PL, edited).getByTestId('reaction').filter({ hasText: '👍' });
  await expect(thumbForBartek).toHaveAccessibleName(`👍 2: Ty, ${NAMES.anna}`);
  // Who reacted, on hover.
  await thumbForBartek.hover();
  await expect(messages(bartek, PL, edited).getByTestId('reaction-who').first()).toBeVisible();
  // Any emoji, typed.
  const annaMessage = messages(anna, EN, edited);
  await annaMessage.hover();
  await annaMessage.getByRole('button', { name: 'React' }).click();
  await annaMessage.getByLabel('Any emoji').fill('🎉');
  await annaMessage.getByRole('button', { name: 'Add' }).click();
  await expect(messages(bartek, PL, edited).getByTestId('reaction').filter({ hasText: '🎉' })).toHaveAccessibleName(
    `🎉 1: ${NAMES.anna}`,
  );
  // Taking one back.
  await thumbForBartek.click();
  await expect(thumbForAnna).toHaveAccessibleName('👍 1: You');

  // The conversation with all of this on screen has no accessibility violations.
  const { violations } = await new AxeBuilder({ page: anna }).include('main').analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // --- delete, after confirming: both see the tombstone, the text is gone from both pages ---
  await annaMessage.hover();
  await annaMessage.getByRole('button', { name: 'Delete' }).click();
  const dialog = anna.getByRole('dialog', { name: 'Delete message' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(messages(anna, EN, edited)).toHaveCount(0);
  await expect(messages(bartek, PL, edited)).toHaveCount(0);
  await expect(anna.getByTestId('deleted')).toHaveText(['Message deleted']);
  await expect(bartek.getByTestId('deleted')).toHaveText(['Wiadomość usunięta']);
  // The reply to it now quotes a deleted message.
  await expect(messages(bartek, PL, 'Jasne, już idę.').getByTestId('reply-quote')).toContainText(
    'Oryginalna wiadomość została usunięta.',
  );

  await anna.context().close();
  await bartek.context().close();
});
