import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/adapters/store/sqlite/sqlite-store.js';
import { verifyPassword } from '../src/domain/password.js';
import { checkImportFile } from '../src/transport/directory-import-file.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI_TIMEOUT = 180_000;

describe('checkImportFile', () => {
  it('accepts an array of good rows and returns them', () => {
    const rows = [
      { login: 'jan', name: 'Jan Kowalski' },
      { login: 'ola.nowak', name: 'Ola Nowak', password: 'ola-password', mobile: '+48 501 111 222', mobilePrivate: true, role: 'admin', title: null, active: false },
    ];
    expect(checkImportFile(rows)).toEqual({ ok: true, rows });
    expect(checkImportFile([])).toEqual({ ok: true, rows: [] });
  });

  it.each([{ login: 'jan', name: 'Jan' }, null, 'jan', 42])('refuses a file that is not an array: %j', (content) => {
    expect(checkImportFile(content)).toEqual({ ok: false, problems: [{ index: -1, reason: 'the file must contain a JSON array of employees' }] });
  });

  it('reports every bad row with its index and the reason, naming the field', () => {
    const check = checkImportFile([
      { login: 'jan', name: 'Jan' },
      5,
      { login: 'a b', name: 'Spaces' },
      { name: 'No login' },
      { login: 'zz', name: 'Z', password: 'short' },
      { login: 'yy', name: 'Y', mobile: 48501234567 },
      { login: 'xx', name: 'X', role: 'boss' },
      { login: 'ww', name: 'W', pesel: '90010112345' },
      { login: 'ok', name: 'Fine' },
    ]);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.index)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const reason = (index: number) => check.problems.find((p) => p.index === index)?.reason ?? '';
    expect(reason(1)).toBe('row must be object');
    expect(reason(2)).toMatch(/^login /);
    expect(reason(3)).toBe('row is missing "login"');
    expect(reason(4)).toMatch(/^password must not have fewer than 8 characters/);
    expect(reason(5)).toBe('mobile must be string or null');
    expect(reason(6)).toBe('role must be one of "employee", "admin"');
    expect(reason(7)).toBe('row has unknown field "pesel"');
  });

  it('never repeats a password or a number in a reason', () => {
    const check = checkImportFile([
      { login: 'zz', name: 'Z', password: 'shrt-pw' },
      { login: 'yy', name: 'Y', mobile: '+48 501 234 567 and some more text to be too long' },
    ]);
    expect(check.ok).toBe(false);
    const text = JSON.stringify(check);
    expect(text).not.toContain('shrt-pw');
    expect(text).not.toContain('501');
  });

  it('refuses logins that repeat in any case, naming the first row', () => {
    const check = checkImportFile([
      { login: 'jan', name: 'Jan' },
      { login: 'ola', name: 'Ola' },
      { login: 'JAN', name: 'Jan again' },
    ]);
    expect(check).toEqual({ ok: false, problems: [{ index: 2, reason: 'login "JAN" already appears in row 0' }] });
  });
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn('npx', ['tsx', 'server/src/cli/directory.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run directory (the CLI, as a real process)', () => {
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string, content: unknown) => {
    const target = path.join(dir, name);
    writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return target;
  };
  async function inStore<T>(work: (store: Awaited<ReturnType<typeof openSqliteStore>>) => Promise<T>): Promise<T> {
    const store = await openSqliteStore({ file: path.join(dir, 'data', 'depesza.sqlite') });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'depesza-cli-'));
    env = { DATA_DIR: path.join(dir, 'data'), DEMO_DIRECTORY: 'off' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'imports a good file into the SQLite file in DATA_DIR, then updates by login on a second import',
    async () => {
      const first = await runCli(
        [
          'import',
          file('people.json', [
            { login: 'jan', name: 'Jan Kowalski', password: 'jan-password-1', mobile: '+48 501 111 222', title: 'Sales' },
            { login: 'ola', name: 'Ola Nowak', mobile: '600 700 800', mobilePrivate: true, role: 'admin' },
            { login: 'piotr', name: 'Piotr Wiśniewski', mobile: '12 34' },
          ]),
        ],
        env,
      );
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout.trim()).toBe('Imported 3 employees: 3 created, 0 updated');

      const afterFirst = await inStore(async (store) => ({
        count: await store.employees.count(),
        jan: await store.employees.findByLogin('jan'),
        ola: await store.employees.findByLogin('ola'),
        piotr: await store.employees.findByLogin('piotr'),
      }));
      expect(afterFirst.count).toBe(3);
      expect(afterFirst.jan).toMatchObject({ name: 'Jan Kowalski', title: 'Sales', role: 'employee', active: true, mobileRaw: '+48 501 111 222', mobileE164: '+48501111222', mobilePrivate: false });
      expect(afterFirst.ola).toMatchObject({ role: 'admin', mobileE164: '+48600700800', mobilePrivate: true });
      expect(afterFirst.piotr).toMatchObject({ mobileRaw: '12 34', mobileE164: null });
      expect(await verifyPassword('jan-password-1', afterFirst.jan!.passwordHash)).toBe(true);
      expect(afterFirst.jan!.passwordHash).not.toContain('jan-password-1');

      const second = await runCli(
        [
          'import',
          file('people-2.json', [
            { login: 'JAN', name: 'Jan Kowalski-Nowak', active: false },
            { login: 'rysiek', name: 'Rysiek Lis', password: 'rysiek-pass-1' },
          ]),
        ],
        env,
      );
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      expect(second.stdout.trim()).toBe('Imported 2 employees: 1 created, 1 updated');

      const afterSecond = await inStore(async (store) => ({
        all: await store.employees.list({ includeInactive: true }),
        jan: await store.employees.findByLogin('jan'),
      }));
      expect(afterSecond.all.map((e) => e.login).sort()).toEqual(['jan', 'ola', 'piotr', 'rysiek']);
      // Updated in place: same id and login, new name and state; what the row left out is kept.
      expect(afterSecond.jan).toMatchObject({ id: afterFirst.jan!.id, login: 'jan', name: 'Jan Kowalski-Nowak', active: false, title: 'Sales', mobileE164: '+48501111222' });
      expect(await verifyPassword('jan-password-1', afterSecond.jan!.passwordHash)).toBe(true);

      const listing = await runCli(['list'], env);
      expect(listing.code).toBe(0);
      const lines = listing.stdout.trim().split('\n');
      expect(lines).toHaveLength(5);
      expect(lines.find((l) => l.startsWith('jan '))).toMatch(/Jan Kowalski-Nowak\s+employee\s+no\s+yes$/);
      expect(lines.find((l) => l.startsWith('ola '))).toMatch(/admin\s+yes\s+no \(private\)$/);
      expect(lines.find((l) => l.startsWith('piotr '))).toMatch(/no \(invalid number\)$/);
      expect(lines.find((l) => l.startsWith('rysiek '))).toMatch(/no \(no number\)$/);
      for (const digits of ['501111222', '111 222', '600700800', '700 800', '12 34']) expect(listing.stdout).not.toContain(digits);
    },
    CLI_TIMEOUT,
  );

  it(
    'imports nothing from a file with one bad row, and names the row and the reason',
    async () => {
      const before = await inStore((store) => store.employees.count());
      const bad = await runCli(
        [
          'import',
          file('one-bad-row.json', [
            { login: 'stefan', name: 'Stefan Nowy', password: 'stefan-pass-1', mobile: '+48 512 000 111' },
            { login: 'ola', name: 'Ola Zmieniona' },
            { login: 'teresa', name: 'Teresa', password: 'tajne', mobile: '+48 513 000 222' },
          ]),
        ],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain('row 2: password must not have fewer than 8 characters');
      expect(bad.stderr).not.toMatch(/row [01]:/);
      expect(bad.stderr).toContain('Nothing was imported');
      expect(bad.stderr).not.toContain('tajne');
      expect(bad.stderr).not.toContain('513');

      const after = await inStore(async (store) => ({
        count: await store.employees.count(),
        stefan: await store.employees.findByLogin('stefan'),
        ola: await store.employees.findByLogin('ola'),
      }));
      expect(after.count).toBe(before);
      expect(after.stefan).toBeNull();
      expect(after.ola?.name).toBe('Ola Nowak');
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses a file that is not JSON or not an array, an unknown command and a bad variable',
    async () => {
      const [notJson, notArray, unknown, badConfig] = await Promise.all([
        runCli(['import', file('broken.json', '[{"login": "zenon", "name": "Zenon", "password": "zenon-secret-1",\n')], env),
        runCli(['import', file('object.json', { login: 'zenon', name: 'Zenon' })], env),
        runCli(['frobnicate'], env),
        runCli(['list'], { ...env, PORT: 'abc' }),
      ]);
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toMatch(/broken\.json is not valid JSON/);
      expect(notJson.stderr).not.toContain('zenon-secret-1');
      expect(notArray.code).toBe(1);
      expect(notArray.stderr).toContain('the file must contain a JSON array of employees');
      expect(await inStore((store) => store.employees.findByLogin('zenon'))).toBeNull();

      expect(unknown.code).toBe(64);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toContain('Usage:');
      expect(unknown.stderr).toContain('import FILE.json');

      expect(badConfig.code).toBe(2);
      expect(badConfig.stderr.trim().split('\n')).toHaveLength(1);
      expect(badConfig.stderr).toContain('PORT must be a number from 1 to 65535, got "abc"');
    },
    CLI_TIMEOUT,
  );
});
