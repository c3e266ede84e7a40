/**
 * Type test, checked by `tsc` (npm run typecheck), not run by Vitest: the command table and the test helper
 * `request` follow `ClientToServerEvents`. Each `@ts-expect-error` fails the type check if its line compiles.
 */
import { ConversationRef, EmptyPayload, SendMessageRequest } from '../../shared/schemas/index.js';
import type { Message } from '../../shared/schemas/index.js';
import { request, type ClientSocket } from './support/test-app.js';
import { command, type CommandTable } from '../src/transport/socket/handlers.js';

declare const socket: ClientSocket;
declare const message: Message;

export const fine = {
  'conversation:leave': command(ConversationRef, async (_me, p) => ({ conversationId: p.conversationId })),
  'message:send': command(SendMessageRequest, async () => message, { isMessage: true }),
} satisfies Partial<CommandTable>;

export const misspelt = {
  // @ts-expect-error a command the contract does not know
  'conversation:lst': command(EmptyPayload, async () => []),
} satisfies Partial<CommandTable>;

export const wrongAnswer = {
  // @ts-expect-error the ack of conversation:leave carries { conversationId }, not { id }
  'conversation:leave': command(ConversationRef, async (_me, p) => ({ id: p.conversationId })),
} satisfies Partial<CommandTable>;

export const wrongSchema = {
  // @ts-expect-error message:send's payload is a SendMessageRequest, not a ConversationRef
  'message:send': command(ConversationRef, async () => message, { isMessage: true }),
} satisfies Partial<CommandTable>;

// @ts-expect-error a table without every command of the contract
export const incomplete = { ...fine } satisfies CommandTable;

export async function typedRequests(): Promise<void> {
  const sent = await request(socket, 'message:send', { conversationId: 'c', clientId: 'x', text: 'hi' });
  if (sent.ok) sent.data.seq satisfies number;
  // @ts-expect-error a command the contract does not know
  await request(socket, 'message:sned', { conversationId: 'c' });
  // @ts-expect-error message:history takes a HistoryRequest
  await request(socket, 'message:history', { conversation: 'c' });
  const left = await request(socket, 'conversation:leave', { conversationId: 'c' });
  // @ts-expect-error conversation:leave answers { conversationId }
  if (left.ok) void left.data.id;
}
