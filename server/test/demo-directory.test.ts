import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/sqlite-store.js';
import { loadConfig } from '../src/config.js';
import { verifyPassword } from '../src/domain/password.js';
import { mobileStatus } from '../src/domain/phone.js';
import { createEventBus } from '../src/services/event-bus.js';
import type { Store } from '../src/ports/store.js';
import { DEMO_EMPLOYEES, DEMO_PASSWORD, demoAccountsPresent, loadDemoDirectoryIfEmpty } from '../src/services/demo-directory.js';
import { createDirectoryService } from '../src/services/directory.js';
import { FAST_SCRYPT } from './support/test-app.js';

describe('the demo directory', () => {
  let dir: string;
  let store: Store;
  let importRows: ReturnType<typeof createDirectoryService>['importRows'];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'depesza-demo-'));
    store = await openSqliteStore({ file: path.join(dir, 'depesza.sqlite') });
    importRows = createDirectoryService({ store, events: createEventBus(() => undefined), passwordParams: FAST_SCRYPT }).importRows;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enabledBy = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env }).demoDirectory;

  it('loads a small company covering every SMS case into an empty store', async () => {
    const created = await loadDemoDirectoryIfEmpty(store, importRows, enabledBy({}));
    expect(created.length).toBeGreaterThanOrEqual(5);
    expect(created.length).toBeLessThanOrEqual(8);
    expect(await store.employees.count()).toBe(created.length);

    const employees = await store.employees.list({ includeInactive: true });
    expect(employees.map((e) => e.login).sort()).toEqual([...created].sort());
    expect(employees.every((e) => e.active)).toBe(true);
    expect(employees.filter((e) => e.role === 'admin')).toHaveLength(1);
    const statuses = employees.map(mobileStatus);
    expect(statuses.filter((s) => s === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(statuses).toContain('private');
    expect(statuses).toContain('missing');
    expect(statuses).toContain('invalid');
    // Polish names, as the product is for a Polish company.
    expect(employees.some((e) => /[ąćęłńóśźż]/i.test(e.name))).toBe(true);

    for (const employee of employees) expect(await verifyPassword(DEMO_PASSWORD, employee.passwordHash)).toBe(true);
    expect(await demoAccountsPresent(store)).toEqual(DEMO_EMPLOYEES.map((e) => e.login));
  });

  it.each(['off', 'OFF', 'false', '0'])('does nothing when DEMO_DIRECTORY=%s', async (value) => {
    expect(await loadDemoDirectoryIfEmpty(store, importRows, enabledBy({ DEMO_DIRECTORY: value }))).toEqual([]);
    expect(await store.employees.count()).toBe(0);
    expect(await demoAccountsPresent(store)).toEqual([]);
  });

  it('does nothing when the store already has employees', async () => {
    await importRows([{ login: 'prezes', name: 'Prezes Zarządu', password: 'prezes-pass-1', role: 'admin' }]);
    expect(await loadDemoDirectoryIfEmpty(store, importRows, enabledBy({ DEMO_DIRECTORY: 'on' }))).toEqual([]);
    expect((await store.employees.list({ includeInactive: true })).map((e) => e.login)).toEqual(['prezes']);
  });

  it('loads only once: a second start finds employees and leaves them alone', async () => {
    const created = await loadDemoDirectoryIfEmpty(store, importRows, true);
    const anna = await store.employees.findByLogin(created[0]!);
    expect(await loadDemoDirectoryIfEmpty(store, importRows, true)).toEqual([]);
    expect(await store.employees.count()).toBe(created.length);
    expect((await store.employees.findByLogin(created[0]!))?.passwordHash).toBe(anna?.passwordHash);
  });

  it('does not take a real directory with the demo logins and names for the demo', async () => {
    // E.g. DEMO_DIRECTORY=off and a company that really has an Anna Kowalska with the login anna.
    await importRows(DEMO_EMPLOYEES.map((row) => ({ ...row, password: `real-password-of-${row.login}` })));
    expect(await demoAccountsPresent(store)).toEqual([]);
  });

  it('stops warning about a demo account once a real directory import gives it a real password', async () => {
    const created = await loadDemoDirectoryIfEmpty(store, importRows, true);
    await importRows([{ ...DEMO_EMPLOYEES[0]!, password: 'a-real-password-1' }]);
    expect(await demoAccountsPresent(store)).toEqual(created.slice(1));
  });

  it('stops warning about a demo account once it is deactivated', async () => {
    const created = await loadDemoDirectoryIfEmpty(store, importRows, true);
    const [first, ...rest] = created;
    const found = await store.employees.findByLogin(first!);
    await store.employees.update(found!.id, { active: false });
    expect(await demoAccountsPresent(store)).toEqual(rest);
  });
});
