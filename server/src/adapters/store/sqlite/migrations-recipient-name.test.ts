/**
 * The schema step after the search watermark: an SMS outcome about someone no longer in the directory stores no name.
 * Notifications written before it with the English stand-in 'a former colleague' lose it; real names stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

describe('SQLite schema: a notification about a recipient no longer in the directory has no name', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'depesza-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('clears the stored English stand-in of a recipient who is gone, and keeps every real name', async () => {
    const file = join(dir, 'depesza.db');
    const db = new Database(file);
    migrate(db, SCHEMA_VERSION - 1);
    const employee = db.prepare(`INSERT INTO employees (id, login, name, title, role, active, mobile_raw, mobile_e164, mobile_private, password_hash, created_at, updated_at)
      VALUES (?, ?, ?, NULL, 'employee', 1, NULL, NULL, 0, 'x', 0, 0)`);
    employee.run('e-anna', 'anna', 'Anna');
    employee.run('e-bartek', 'bartek', 'Bartek Nowak');
    const notification = db.prepare(`INSERT INTO notifications VALUES (?, 'e-anna', 'sms_outcome', 'm1', 'c1', ?, ?, 'not_sent', NULL, ?, NULL)`);
    notification.run('n1', 'e-gone', 'a former colleague', 1);
    notification.run('n2', 'e-bartek', 'Bartek Nowak', 2);
    notification.run('n3', 'e-renamed', 'Celina Wiśniewska', 3);
    db.close();

    const store = await openSqliteStore({ file, searchIndexEveryMs: 0 });
    try {
      const list = await store.notifications.list('e-anna', 10);
      expect(Object.fromEntries(list.map((n) => [n.id, n.recipientName]))).toEqual({ n1: null, n2: 'Bartek Nowak', n3: 'Celina Wiśniewska' });
      expect(await store.notifications.countUnread('e-anna')).toBe(3);
    } finally {
      await store.close();
    }
  });
});
