/**
 * Admin alerts on SQLite: the raised flag and the alert are written in one IMMEDIATE transaction (the file's one
 * write lock), so of several processes reading the same low balance exactly one stores the alert.
 */
import type Database from 'better-sqlite3';
import type { AdminAlert, AdminAlertRepository } from '../../../ports/store.js';

export interface AlertRow {
  id: string;
  kind: 'sms_balance_low';
  params: string;
  created_at: number;
}

export const toAlert = (row: AlertRow): AdminAlert => {
  const params = JSON.parse(row.params) as { points: number; warnBelow: number };
  return { id: row.id, kind: row.kind, points: params.points, warnBelow: params.warnBelow, createdAt: new Date(row.created_at) };
};

export function createAdminAlertRepository(db: Database.Database): AdminAlertRepository {
  const raised = db.prepare<[string], { raised: number }>('SELECT raised FROM alert_states WHERE kind = ?');
  const setRaised = db.prepare<[string, number]>(
    'INSERT INTO alert_states (kind, raised) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET raised = excluded.raised',
  );
  const insert = db.prepare<[string, string, number], AlertRow>(
    "INSERT INTO admin_alerts (id, kind, params, created_at) VALUES (?, 'sms_balance_low', ?, ?) RETURNING *",
  );
  const newest = db.prepare<[number], AlertRow>('SELECT * FROM admin_alerts ORDER BY created_at DESC, id DESC LIMIT ?');

  const record = db.transaction((input: { id: string; points: number; warnBelow: number; at: Date }): AdminAlert | null => {
    const low = input.points < input.warnBelow;
    const wasRaised = (raised.get('sms_balance_low')?.raised ?? 0) === 1;
    if (low === wasRaised) return null;
    setRaised.run('sms_balance_low', low ? 1 : 0);
    if (!low) return null;
    const row = insert.get(input.id, JSON.stringify({ points: input.points, warnBelow: input.warnBelow }), input.at.getTime());
    return row ? toAlert(row) : null;
  });

  return {
    async recordBalance(input) {
      return record.immediate(input);
    },
    async list(limit) {
      return newest.all(limit).map(toAlert);
    },
  };
}
