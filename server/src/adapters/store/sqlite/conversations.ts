import type Database from 'better-sqlite3';
import { GroupCapReached, type ConversationRepository, type ConversationWithMembers } from '../../../ports/store.js';
import { ms, toConversation, toMembership, type ConversationRow, type MembershipRow } from './rows.js';

/** A pair's key does not depend on who opened the conversation. */
export const directKeyOf = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

interface NewConversationParams {
  id: string;
  kind: 'direct' | 'group';
  name: string | null;
  direct_key: string | null;
  created_by: string;
  created_at: number;
}

export function createConversationRepository(db: Database.Database): ConversationRepository {
  const insertConversation = db.prepare<NewConversationParams>(`
    INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
    VALUES (@id, @kind, @name, @direct_key, @created_by, @created_at, 0, @created_at)`);
  // The UNIQUE direct_key makes a racing second opener (another process) fall through to the select.
  const insertDirectIfAbsent = db.prepare<NewConversationParams>(`
    INSERT INTO conversations (id, kind, name, direct_key, created_by, created_at, last_seq, last_activity_at)
    VALUES (@id, @kind, @name, @direct_key, @created_by, @created_at, 0, @created_at)
    ON CONFLICT (direct_key) DO NOTHING`);
  const insertMember = db.prepare<[string, string, number]>(`
    INSERT INTO memberships (conversation_id, employee_id, joined_at, delivered_seq, read_seq)
    VALUES (?, ?, ?, 0, 0)
    ON CONFLICT DO NOTHING`);
  const deleteMember = db.prepare<[string, string]>(
    'DELETE FROM memberships WHERE conversation_id = ? AND employee_id = ?',
  );
  const byId = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?');
  const byDirectKey = db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE direct_key = ?');
  const byIdForMember = db.prepare<[string, string], ConversationRow>(`
    SELECT c.* FROM conversations c
    JOIN memberships m ON m.conversation_id = c.id AND m.employee_id = ?
    WHERE c.id = ?`);
  // Covered by the primary key (conversation_id, employee_id): no sort, no table lookup.
  const groupKind = db.prepare<[string], { kind: string }>('SELECT kind FROM conversations WHERE id = ?');
  const memberIdsOf = db.prepare<[string], { employee_id: string }>(
    'SELECT employee_id FROM memberships WHERE conversation_id = ?',
  );
  const membersOf = db.prepare<[string], MembershipRow>(
    'SELECT * FROM memberships WHERE conversation_id = ? ORDER BY joined_at, employee_id',
  );
  const conversationsOf = db.prepare<{ employeeId: string }, ConversationRow>(`
    SELECT c.* FROM memberships m
    JOIN conversations c ON c.id = m.conversation_id
    WHERE m.employee_id = @employeeId
      AND (c.kind = 'group' OR c.last_seq > 0 OR c.created_by = @employeeId)
    ORDER BY c.last_activity_at DESC, c.id`);
  const membersOfConversationsOf = db.prepare<[string], MembershipRow>(`
    SELECT * FROM memberships
    WHERE conversation_id IN (SELECT conversation_id FROM memberships WHERE employee_id = ?)
    ORDER BY joined_at, employee_id`);
  // Read implies delivered, and neither mark may pass the last message that exists.
  const raiseRead = db.prepare<{ conversationId: string; employeeId: string; seq: number }, MembershipRow>(`
    UPDATE memberships SET
      read_seq = max(read_seq, min(@seq, (SELECT last_seq FROM conversations WHERE id = @conversationId))),
      delivered_seq = max(delivered_seq, min(@seq, (SELECT last_seq FROM conversations WHERE id = @conversationId)))
    WHERE conversation_id = @conversationId AND employee_id = @employeeId
    RETURNING *`);
  const raiseDelivered = db.prepare<{ conversationId: string; employeeId: string; seq: number }, MembershipRow>(`
    UPDATE memberships SET
      delivered_seq = max(delivered_seq, min(@seq, (SELECT last_seq FROM conversations WHERE id = @conversationId)))
    WHERE conversation_id = @conversationId AND employee_id = @employeeId
    RETURNING *`);

  const groupCountOf = db.prepare<[string], { n: number }>(`
    SELECT count(*) AS n FROM memberships m
    JOIN conversations c ON c.id = m.conversation_id AND c.kind = 'group'
    WHERE m.employee_id = ?`);
  const isMember = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM memberships WHERE conversation_id = ? AND employee_id = ?',
  );
  /** Inside the (IMMEDIATE) write transaction, so no other writer, in any process, counts at the same time. */
  function assertRoom(conversationId: string, employeeIds: string[], cap: number | undefined): void {
    if (cap === undefined) return;
    const full = employeeIds.filter((id) => !isMember.get(conversationId, id) && (groupCountOf.get(id)?.n ?? 0) >= cap);
    if (full.length > 0) throw new GroupCapReached(full);
  }

  const withMembers = (row: ConversationRow): ConversationWithMembers => ({
    conversation: toConversation(row),
    members: membersOf.all(row.id).map(toMembership),
  });

  const openDirect = db.transaction((params: NewConversationParams, memberIds: string[]) => {
    if (insertDirectIfAbsent.run(params).changes > 0) {
      for (const employeeId of memberIds) insertMember.run(params.id, employeeId, params.created_at);
    }
    return withMembers(byDirectKey.get(params.direct_key as string) as ConversationRow);
  });

  const createGroup = db.transaction((params: NewConversationParams, memberIds: string[], cap: number | undefined) => {
    assertRoom(params.id, memberIds, cap);
    insertConversation.run(params);
    for (const employeeId of memberIds) insertMember.run(params.id, employeeId, params.created_at);
    return withMembers(byId.get(params.id) as ConversationRow);
  });

  const addMembers = db.transaction((conversationId: string, employeeIds: string[], at: number, cap: number | undefined) => {
    const row = byId.get(conversationId);
    if (!row) return null;
    if (row.kind === 'group') assertRoom(conversationId, employeeIds, cap);
    for (const employeeId of employeeIds) insertMember.run(conversationId, employeeId, at);
    return withMembers(row);
  });

  const listForEmployee = db.transaction((employeeId: string) => {
    const members = new Map<string, MembershipRow[]>();
    for (const row of membersOfConversationsOf.all(employeeId)) {
      const list = members.get(row.conversation_id);
      if (list) list.push(row);
      else members.set(row.conversation_id, [row]);
    }
    return conversationsOf.all({ employeeId }).map((row) => ({
      conversation: toConversation(row),
      members: (members.get(row.id) ?? []).map(toMembership),
    }));
  });

  return {
    async openDirect({ id, a, b, createdAt }) {
      const params: NewConversationParams = {
        id,
        kind: 'direct',
        name: null,
        direct_key: directKeyOf(a, b),
        created_by: a,
        created_at: ms(createdAt),
      };
      return openDirect.immediate(params, [...new Set([a, b])]);
    },

    async createGroup({ id, name, createdBy, memberIds, createdAt, maxGroupsPerMember }) {
      const params: NewConversationParams = {
        id,
        kind: 'group',
        name,
        direct_key: null,
        created_by: createdBy,
        created_at: ms(createdAt),
      };
      return createGroup.immediate(params, [...new Set([createdBy, ...memberIds])], maxGroupsPerMember);
    },

    async addMembers(conversationId, employeeIds, at, maxGroupsPerMember) {
      return addMembers.immediate(conversationId, [...new Set(employeeIds)], ms(at), maxGroupsPerMember);
    },

    async removeMember(conversationId, employeeId) {
      deleteMember.run(conversationId, employeeId);
    },

    async findForMember(conversationId, employeeId) {
      const row = byIdForMember.get(employeeId, conversationId);
      return row ? withMembers(row) : null;
    },

    async groupMemberIds(conversationId) {
      if (groupKind.get(conversationId)?.kind !== 'group') return null;
      return memberIdsOf.all(conversationId).map((row) => row.employee_id);
    },

    async memberIdsIfMember(conversationId, employeeId) {
      const ids = memberIdsOf.all(conversationId).map((row) => row.employee_id);
      return ids.includes(employeeId) ? ids : null;
    },

    async listForEmployee(employeeId) {
      // Deferred (read) transaction: the two selects see one snapshot even while appends commit.
      return listForEmployee.deferred(employeeId);
    },

    async markReceipt(conversationId, employeeId, kind, seq) {
      const statement = kind === 'read' ? raiseRead : raiseDelivered;
      const row = statement.get({ conversationId, employeeId, seq });
      return row ? toMembership(row) : null;
    },
  };
}
