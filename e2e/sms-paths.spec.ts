import { expect, test } from '@playwright/test';
import { messagesWith, NAMES, openDirect, signInAs } from './support/app.js';
import { stackForFile } from './support/stack-per-file.js';

const stack = stackForFile();


test('an admin creates an SMS template and an employee sends it from the composer', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  await anna.page.getByRole('link', { name: 'SMS templates' }).click();
  await anna.page.getByLabel('Name', { exact: true }).fill('Awaria sieci');
  const text = anna.page.getByLabel('Text', { exact: true });
  await text.fill('Awaria sieci. {nadawca}');
  // The length as you type: GSM-7 until a Polish letter appears.
  await expect(anna.page.getByTestId('sms-parts').first()).toHaveText(/Length: 1 SMS part \(GSM-7\)/);
  await text.pressSequentially(' ż');
  await expect(anna.page.getByTestId('sms-parts').first()).toHaveText(/Length: 1 SMS part \(UCS-2\)/);
  await text.fill('{imię}, awaria: {usługa}. Pozdrawiam, {nadawca}');
  await anna.page.getByRole('button', { name: 'Add template' }).click();
  await expect(anna.page.getByText('Template “Awaria sieci” added.')).toBeVisible();
  await expect(anna.page.getByTestId('templates-list')).toContainText('Variables: usługa');

  const bartek = await signInAs(browser, stack.url, 'bartek');
  const { page } = bartek;
  await openDirect(page, NAMES.anna);
  await page.getByLabel('Template').selectOption({ label: 'Awaria sieci' });
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toHaveValue('Anna, awaria: {usługa}. Pozdrawiam, Bartek Nowak');
  await expect(page.getByTestId('template-unfilled')).toHaveText('Fill in before sending: {usługa}');

  await box.fill('Anna, awaria: sieć w biurze. Pozdrawiam, Bartek Nowak');
  await expect(page.getByTestId('template-unfilled')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await expect(page.getByTestId('sms-parts')).toHaveText(/Length: 1 SMS part \(UCS-2\); without Polish letters: 1 SMS part\./);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(box).toHaveValue('');

  await anna.page.getByRole('link', { name: new RegExp(NAMES.bartek) }).first().click();
  await expect(messagesWith(anna.page, 'Anna, awaria: sieć w biurze.')).toHaveCount(1);
});

test('an admin creates an integration, it notifies by SMS, and the SMS report filters by source', async ({ browser }) => {
  const anna = await signInAs(browser, stack.url, 'anna');
  const { page } = anna;
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByLabel('Name (shown as the sender)').fill('Zabbix');
  await page.getByRole('button', { name: 'Create integration' }).click();
  const token = (await page.getByTestId('integration-token').locator('code').textContent()) ?? '';
  expect(token).toMatch(/^dpz_/);

  const answer = await fetch(`${stack.url}/api/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'e2e-1' },
    body: JSON.stringify({ recipients: { logins: ['bartek'] }, text: 'Serwer db-1 nie odpowiada', sms: 'now' }),
  });
  expect(answer.status).toBe(201);

  // A chat SMS from Anna, so the report has both sources.
  await openDirect(page, NAMES.darek);
  await page.getByRole('textbox', { name: 'Message' }).fill('Zadzwoń, proszę');
  await page.getByRole('checkbox', { name: 'Notify immediately by SMS' }).check();
  await page.getByRole('button', { name: 'Send' }).click();

  await page.getByRole('link', { name: 'SMS report' }).click();
  const sources = page.getByTestId('report-source');
  await expect(sources.filter({ hasText: 'integration: Zabbix' })).toHaveCount(1);
  // Anna's SMS to Darek, and any chat SMS an earlier test of this file sent.
  await expect(sources.filter({ hasText: 'chat' }).first()).toBeVisible();

  await page.getByLabel('Source').selectOption({ label: 'integration: Zabbix' });
  await expect(sources).toHaveText(['integration: Zabbix']);
  await page.getByLabel('Source').selectOption({ label: 'chat' });
  await expect(sources.filter({ hasText: 'integration' })).toHaveCount(0);
  await expect(sources.filter({ hasText: 'chat' }).first()).toBeVisible();
});
