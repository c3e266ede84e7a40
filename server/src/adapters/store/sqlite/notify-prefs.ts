import type Database from 'better-sqlite3';
import type { MuteUntil, NotifyPrefsRepository } from '../../../ports/store.js';

/** 'forever' as itself, a moment as ISO 8601 (readable in the file, and sortable). */
const muteText = (until: MuteUntil | null): string | null => (until === null ? null : until === 'forever' ? 'forever' : until.toISOString());
export const muteOf = (text: string): MuteUntil => (text === 'forever' ? 'forever' : new Date(text));

export function createNotifyPrefsRepository(db: Database.Database): NotifyPrefsRepository {
  const setMute = db.prepare<[string | null, string, string]>(
    'UPDATE memberships SET muted_until = ? WHERE conversation_id = ? AND employee_id = ?',
  );
  const setDnd = db.prepare<[number | null, string]>('UPDATE employees SET dnd_until = ? WHERE id = ?');
  const dndOf = db.prepare<[string], { dnd_until: number | null }>('SELECT dnd_until FROM employees WHERE id = ?');
  const mutesOf = db.prepare<[string], { conversation_id: string; muted_until: string }>(
    'SELECT conversation_id, muted_until FROM memberships WHERE employee_id = ? AND muted_until IS NOT NULL',
  );
  // One read transaction: the DND and the mutes as of one moment.
  const read = db.transaction((employeeId: string) => ({ dnd: dndOf.get(employeeId)?.dnd_until ?? null, mutes: mutesOf.all(employeeId) }));

  return {
    async setMute(conversationId, employeeId, until) {
      return setMute.run(muteText(until), conversationId, employeeId).changes > 0;
    },
    async setDoNotDisturb(employeeId, until) {
      return setDnd.run(until === null ? null : until.getTime(), employeeId).changes > 0;
    },
    async get(employeeId) {
      const { dnd, mutes } = read.deferred(employeeId);
      return {
        doNotDisturbUntil: dnd === null ? null : new Date(dnd),
        muted: new Map(mutes.map((row) => [row.conversation_id, muteOf(row.muted_until)])),
      };
    },
  };
}
