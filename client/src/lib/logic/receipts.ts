/** What the sender sees under their own message. */
import type { MemberState } from '../../../../shared/schemas/index.js';

export type ReceiptView =
  | { kind: 'direct'; state: 'sent' | 'delivered' | 'read' }
  | { kind: 'group'; read: number; total: number };

export function receiptFor(
  seq: number,
  conversationKind: 'direct' | 'group',
  members: readonly MemberState[],
  myId: string,
): ReceiptView {
  const others = members.filter((m) => m.employeeId !== myId);
  if (conversationKind === 'group') {
    return { kind: 'group', read: others.filter((m) => m.readSeq >= seq).length, total: others.length };
  }
  const other = others[0];
  if (other && other.readSeq >= seq) return { kind: 'direct', state: 'read' };
  if (other && other.deliveredSeq >= seq) return { kind: 'direct', state: 'delivered' };
  return { kind: 'direct', state: 'sent' };
}
