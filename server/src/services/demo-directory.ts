/**
 * The shipped demo company, loaded into an empty directory on first start unless DEMO_DIRECTORY=off. It covers
 * every SMS case: valid mobiles, a private number, no number and an invalid one.
 */
import type { ImportRow } from '../../../shared/schemas/index.js';
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

/** Logins of demo accounts still present, for the start-up warning. */
export async function demoAccountsPresent(store: Store): Promise<string[]> {
  const present: string[] = [];
  for (const row of DEMO_EMPLOYEES) {
    const employee = await store.employees.findByLogin(row.login);
    if (employee?.active && employee.name === row.name) present.push(row.login);
  }
  return present;
}

/**
 * Loads the demo company when the directory is empty and the operator has not turned it off. Returns the logins
 * it created (empty when it did nothing).
 */
export async function loadDemoDirectoryIfEmpty(
  store: Store,
  importRows: (rows: ImportRow[]) => Promise<{ created: number; updated: number }>,
  enabled: boolean,
): Promise<string[]> {
  if (!enabled || (await store.employees.count()) > 0) return [];
  await importRows(DEMO_EMPLOYEES);
  return DEMO_EMPLOYEES.map((row) => row.login);
}
