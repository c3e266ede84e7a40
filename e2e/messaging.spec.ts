import { expect, test, type Page } from '@playwright/test';
import { conversationLink, history, messagesWith, NAMES, openDirect, sendMessage, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

const stack = stackForFile();


/** The receipt under the sender's own message. */
function receiptOf(page: Page, text: string) {
  return messagesWith(page, text).getByTestId('receipt');
}

test('two employees chat live, with unread badges, read receipts, and nothing lost or repeated across a restart', async ({
  browser,
}) => {
  // Includes a full server stop and start.
  test.setTimeout(180_000);
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');

  // Anna opens Bartek from the people list and writes to him; Bartek is on the home screen.
  await openDirect(anna.page, NAMES.bartek);
  await expect(history(anna.page).getByText('No messages yet. Say hello!')).toBeVisible();
  const first = 'Cześć Bartek, the delivery is at gate 3.';
  await sendMessage(anna.page, first);
  await expect(messagesWith(anna.page, first)).toHaveCount(1);

  // The new conversation shows up live in Bartek's sidebar with an unread badge.
  const annaForBartek = conversationLink(bartek.page, NAMES.anna);
  await expect(annaForBartek).toBeVisible();
  await expect(annaForBartek.getByTestId('unread-badge')).toHaveText(/1/);
  await expect(annaForBartek).toHaveAccessibleName(/1 unread message/);
  await expect(bartek.page).toHaveTitle('(1) Depesza');
  // His browser got it, so Anna sees it delivered, not yet read.
  await expect(receiptOf(anna.page, first)).toHaveText('Delivered');

  // Bartek opens the conversation: the message is there, the badge clears, and Anna sees "Read".
  await annaForBartek.click();
  await expect(bartek.page.getByRole('heading', { level: 1, name: NAMES.anna })).toBeVisible();
  await expect(messagesWith(bartek.page, first)).toHaveCount(1);
  await expect(annaForBartek.getByTestId('unread-badge')).toHaveCount(0);
  await expect(bartek.page).toHaveTitle('Depesza');
  await expect(receiptOf(anna.page, first)).toHaveText('Read');

  // With the conversation open, the next message appears live for Bartek, and his answer live for Anna.
  const second = 'Please sign for it, I am out until noon.';
  await sendMessage(anna.page, second);
  await expect(messagesWith(bartek.page, second)).toHaveCount(1);
  await expect(receiptOf(anna.page, second)).toHaveText('Read');
  const reply = 'OK, on my way.';
  await sendMessage(bartek.page, reply);
  await expect(messagesWith(anna.page, reply)).toHaveCount(1);

  // The server restarts (stopped and started on the same data, as stack.restart() does, with a pause between so
  // the test can write while it is down): both pages show the banner, then reconnect by themselves.
  await stack.stopServer();
  for (const page of [anna.page, bartek.page]) {
    await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  }
  // Written while the server is down: kept in the outbox as "sending", delivered once it is back.
  const duringRestart = 'Written while the server was restarting.';
  await sendMessage(anna.page, duringRestart);
  await expect(history(anna.page).getByTestId('outbox-message').filter({ hasText: duringRestart })).toContainText(
    'Sending…',
  );
  await stack.startServer();
  for (const page of [anna.page, bartek.page]) {
    await expect(page.getByText('Reconnecting…')).toBeHidden({ timeout: 30_000 });
  }
  await expect(messagesWith(anna.page, duringRestart)).toHaveCount(1);
  await expect(history(anna.page).getByTestId('outbox-message')).toHaveCount(0);
  await expect(messagesWith(bartek.page, duringRestart)).toHaveCount(1);
  // Bartek has the conversation open, so he has read it: Anna sees that before he goes.
  await expect(receiptOf(anna.page, duringRestart)).toHaveText('Read');

  // Bartek closes his tab; Anna writes while he is away.
  await bartek.page.close();
  const whileAway = 'Sent while you were away: the driver called.';
  await sendMessage(anna.page, whileAway);
  await expect(messagesWith(anna.page, whileAway)).toHaveCount(1);
  await expect(receiptOf(anna.page, whileAway)).toHaveText('Sent');

  // Bartek comes back (same browser, still signed in): the missed message is unread and then shown.
  const bartekPage = await bartek.context.newPage();
  await bartekPage.goto('/');
  const annaAgain = conversationLink(bartekPage, NAMES.anna);
  await expect(annaAgain).toHaveAccessibleName(/1 unread message/);
  await annaAgain.click();
  await expect(messagesWith(bartekPage, whileAway)).toHaveCount(1);
  await expect(receiptOf(anna.page, whileAway)).toHaveText('Read');

  // Both see the whole history, each message exactly once and in order.
  const all = [first, second, reply, duringRestart, whileAway];
  for (const page of [anna.page, bartekPage]) {
    const messages = history(page).getByTestId('message');
    await expect(messages).toHaveCount(all.length);
    for (const [index, text] of all.entries()) {
      await expect(messages.nth(index)).toContainText(text);
    }
  }

  // A reload rebuilds the same history from the server.
  await anna.page.reload();
  await expect(history(anna.page).getByTestId('message')).toHaveCount(all.length);
  for (const text of all) await expect(messagesWith(anna.page, text)).toHaveCount(1);

  await anna.context.close();
  await bartek.context.close();
});
