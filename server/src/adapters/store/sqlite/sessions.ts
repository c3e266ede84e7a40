import type Database from 'better-sqlite3';
import type { SessionRepository } from '../../../ports/store.js';
import { ms, toSession, type SessionRow } from './rows.js';

export function createSessionRepository(db: Database.Database): SessionRepository {
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO sessions (token_hash, employee_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const valid = db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?');
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
  const removeForEmployee = db.prepare<[string, string]>('DELETE FROM sessions WHERE employee_id = ? AND token_hash <> ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    async create(session) {
      insert.run(session.tokenHash, session.employeeId, ms(session.createdAt), ms(session.expiresAt));
    },
    async findValid(tokenHash, now) {
      const row = valid.get(tokenHash, ms(now));
      return row ? toSession(row) : null;
    },
    async delete(tokenHash) {
      remove.run(tokenHash);
    },
    async deleteForEmployee(employeeId, exceptTokenHash) {
      return removeForEmployee.run(employeeId, exceptTokenHash ?? '').changes;
    },
    async deleteExpired(now) {
      return removeExpired.run(ms(now)).changes;
    },
  };
}
