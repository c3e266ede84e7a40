/**
 * The shipped demo company, loaded into an empty directory on first start unless DEMO_DIRECTORY=off. It covers
 * every SMS case: valid mobiles, a private number, no number and an invalid one.
 */
import { createHash } from 'node:crypto';
import type { ImportRow } from '../../../shared/schemas/index.js';
import { verifyPassword } from '../domain/password.js';
import type { Store } from '../ports/store.js';

export const DEMO_PASSWORD = 'depesza-demo';

const PEOPLE: Omit<ImportRow, 'password'>[] = [
  { login: 'anna', name: 'Anna Kowalska', title: 'Office manager', role: 'admin', mobile: '+48 501 234 567' },
  { login: 'bartek', name: 'Bartek Nowak', title: 'Sales', mobile: '512 345 678' },
  { login: 'celina', name: 'Celina Wiśniewska', title: 'Accounting', mobile: '+48 601 222 333', mobilePrivate: true },
  { login: 'darek', name: 'Darek Zieliński', title: 'Warehouse', mobile: '+48 698 765 432' },
  { login: 'ewa', name: 'Ewa Lewandowska', title: 'Customer service' },
  { login: 'filip', name: 'Filip Wójcik', title: 'IT', mobile: '12 34' },
];

export const DEMO_EMPLOYEES: ImportRow[] = PEOPLE.map((row) => ({ ...row, password: DEMO_PASSWORD }));

/**
 * The marker the demo leaves: its employees get ids derived from their logins (a name-based UUID, version 5 form),
 * which random ids of a real directory never equal. It lives in the employee rows themselves, so it needs no
 * schema change and travels with the data through `npm run store -- copy`.
 */
export function demoIdOf(login: string): string {
  const hex = createHash('sha1').update(`depesza-demo-directory:${login.toLowerCase()}`).digest('hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Logins of accounts the demo created that are still active and still open to the published demo password, for
 * the start-up warning. Not by login and name: a real directory may well have an anna called Anna Kowalska. The
 * password check costs one hash per remaining demo account, at start only.
 */
export async function demoAccountsPresent(store: Store): Promise<string[]> {
  const present: string[] = [];
  for (const row of DEMO_EMPLOYEES) {
    const employee = await store.employees.findByLogin(row.login);
    if (!employee?.active || employee.id !== demoIdOf(row.login)) continue;
    if (await verifyPassword(DEMO_PASSWORD, employee.passwordHash)) present.push(row.login);
  }
  return present;
}

/**
 * Loads the demo company when the directory is empty and the operator has not turned it off. Returns the logins
 * it created (empty when it did nothing).
 */
export async function loadDemoDirectoryIfEmpty(
  store: Store,
  importRows: (rows: ImportRow[], options: { idFor: (login: string) => string }) => Promise<{ created: number; updated: number }>,
  enabled: boolean,
): Promise<string[]> {
  if (!enabled || (await store.employees.count()) > 0) return [];
  await importRows(DEMO_EMPLOYEES, { idFor: demoIdOf });
  return DEMO_EMPLOYEES.map((row) => row.login);
}
