/**
 * Attachments in a real browser (issue 12): a file uploaded by one user downloads byte-identical for the other,
 * and a pasted image goes out as a thumbnail both sides see.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { conversationLink, messagesWith, NAMES, openDirect, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

const stack = stackForFile();


/** A 2×2 red PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001649444154789c63f8cfc0f09f8181e13f030303000d8601fd2b0b0ab00000000049454e44ae426082',
  'hex',
);

test('a file uploaded by one user downloads byte-identical for the other', async ({ browser }) => {
  test.setTimeout(90_000);
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');
  await openDirect(anna.page, NAMES.bartek);

  const bytes = randomBytes(300 * 1024);
  await anna.page.getByTestId('attach-input').setInputFiles({ name: 'umowa – wersja 2.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(anna.page.getByTestId('pending-file')).toHaveAttribute('data-state', 'ready');
  await anna.page.getByRole('textbox', { name: 'Message' }).fill('Umowa w załączniku');
  await anna.page.getByRole('button', { name: 'Send' }).click();
  await expect(messagesWith(anna.page, 'Umowa w załączniku').getByTestId('attachment-file')).toContainText('umowa – wersja 2.bin');

  await conversationLink(bartek.page, NAMES.anna).click();
  const file = messagesWith(bartek.page, 'Umowa w załączniku').getByTestId('attachment-file');
  await expect(file).toContainText('300 kB');
  const downloading = bartek.page.waitForEvent('download');
  await file.getByRole('link', { name: 'umowa – wersja 2.bin' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('umowa – wersja 2.bin');
  expect(readFileSync(await download.path()).equals(bytes)).toBe(true);
});

test('a pasted image shows as a thumbnail', async ({ browser }) => {
  test.setTimeout(90_000);
  const anna = await signInAs(browser, stack.url, 'anna');
  const bartek = await signInAs(browser, stack.url, 'bartek');
  await openDirect(anna.page, NAMES.bartek);

  const textbox = anna.page.getByRole('textbox', { name: 'Message' });
  await textbox.fill('Zrzut ekranu');
  await textbox.evaluate((element, hex) => {
    const bytes = new Uint8Array(hex.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, PNG.toString('hex'));
  await expect(anna.page.getByTestId('pending-file')).toHaveAttribute('data-state', 'ready');
  await anna.page.getByRole('button', { name: 'Send' }).click();

  for (const page of [anna.page, bartek.page]) {
    if (page === bartek.page) await conversationLink(page, NAMES.anna).click();
    const thumb = messagesWith(page, 'Zrzut ekranu').getByTestId('attachment-thumb');
    await expect(thumb).toBeVisible();
    // Loaded and decoded: the server sent it as an image.
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);
  }
});
