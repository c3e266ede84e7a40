import { expect, test, type Page } from '@playwright/test';
import { NAMES, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

const stack = stackForFile();


/** Sets a colleague's department through the Directory's edit form. */
async function setDepartment(page: Page, name: string, department: string): Promise<void> {
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Department').fill(department);
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Changes to ${name} saved`)).toBeVisible();
}

test('an admin sends a bulk SMS to a department and sees the summary', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const { page } = anna;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Directory' }).click();
  await setDepartment(page, NAMES.bartek, 'Sprzedaż');
  await setDepartment(page, NAMES.ewa, 'Sprzedaż');
  await setDepartment(page, NAMES.celina, 'Księgowość');

  await page.getByLabel('Show department').selectOption('Sprzedaż');
  const table = page.getByTestId('directory-table');
  await expect(table.getByRole('row')).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Select everyone shown' }).check();
  await expect(page.getByText('2 people selected')).toBeVisible();
  await page.getByRole('button', { name: 'Send bulk SMS' }).click();

  const dialog = page.getByTestId('bulk-dialog');
  await dialog.getByLabel('Text').fill('Zebranie działu sprzedaży o 15:00');
  await dialog.getByRole('button', { name: 'Check who will get it' }).click();
  const preview = dialog.getByTestId('bulk-preview');
  await expect(preview).toContainText('1 will get an SMS');
  await expect(preview).toContainText('1 will not get an SMS');
  await expect(preview).toContainText(`${NAMES.ewa}: `);
  await expect(dialog.getByTestId('bulk-cost')).toHaveText(/Estimated cost: 1 part, about 0\.16 SMSAPI points/);
  await dialog.getByRole('button', { name: 'Send to 2 people' }).click();

  const summary = dialog.getByTestId('bulk-summary');
  await expect(summary.getByTestId('bulk-recipient')).toHaveCount(2);
  await expect(summary.getByRole('row', { name: new RegExp(NAMES.ewa) })).toContainText('not sent');
  await expect(summary.getByRole('row', { name: new RegExp(NAMES.bartek) })).toContainText(/sent|delivered/);
  await expect.poll(async () => (await stack.fake()).accepted.filter((s) => s.message === 'Zebranie działu sprzedaży o 15:00').length).toBe(1);
  await dialog.getByRole('button', { name: 'Close' }).first().click();

  // The summary stays available on the Directory page.
  const history = page.getByTestId('bulk-history');
  await history.getByRole('button', { name: 'Show summary' }).first().click();
  await expect(history.getByTestId('bulk-recipient')).toHaveCount(2);
  await anna.context.close();
});
