/**
 * What the managers read of the rest of the app. The app passes the real socket, state and router (managers/index.ts);
 * tests pass a FakeSocket and fresh state, without a window or a location.
 */
import type { SocketPort } from '../socket.js';
import type { ConversationsState } from '../state/conversations.svelte.js';

export interface ManagerContext {
  socket: SocketPort;
  conversations: ConversationsState;
  myId(): string | undefined;
  /** Whether this tab is visible: read receipts and the unread marker depend on it. */
  visible(): boolean;
  /** The conversation on screen, if any. */
  openConversationId(): string | null;
  /** Background failures the user should hear about. */
  report(error: unknown, context: string): void;
}
