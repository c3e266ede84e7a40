/**
 * Small helpers shared by the whole-app messaging tests (server/test/messaging-*.test.ts), on top of the harness
 * in test-app.ts: unwrap acks, open conversations, send, and prove that an event does NOT arrive.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, CommandName, CommandPayload, CommandResult } from '../../../shared/protocol.js';
import type { ErrorBody } from '../../../shared/errors.js';
import type { ConversationSummary, HistoryPage, Message } from '../../../shared/schemas/index.js';
import { request, type ClientSocket, type TestApp } from './test-app.js';

/** The data of a successful ack; throws with the error code and message otherwise. */
export function unwrap<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`expected ok ack, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

/** The error of a failed ack; throws when the command succeeded. */
export function errorOf(answer: Ack<unknown>): ErrorBody {
  if (answer.ok) throw new Error(`expected an error ack, got ok with ${JSON.stringify(answer.data)}`);
  return answer.error;
}

export async function call<E extends CommandName>(socket: ClientSocket, event: E, payload: CommandPayload<E>): Promise<CommandResult<E>> {
  return unwrap(await request(socket, event, payload));
}

export async function openDirect(t: TestApp, socket: ClientSocket, otherLogin: string): Promise<ConversationSummary> {
  return call(socket, 'conversation:openDirect', { employeeId: await t.idOf(otherLogin) });
}

export async function send(socket: ClientSocket, conversationId: string, text: string, clientId: string = randomUUID()): Promise<Message> {
  return call(socket, 'message:send', { conversationId, clientId, text });
}

export async function history(socket: ClientSocket, conversationId: string, options: { beforeSeq?: number; limit?: number } = {}): Promise<HistoryPage> {
  return call(socket, 'message:history', { conversationId, ...options });
}

/** Every message after `afterSeq`, following hasMore page by page; also returns how many pages it took. */
export async function catchUpAll(
  socket: ClientSocket,
  conversationId: string,
  afterSeq: number,
  limit?: number,
): Promise<{ messages: Message[]; pages: number }> {
  const messages: Message[] = [];
  let cursor = afterSeq;
  let pages = 0;
  for (;;) {
    const page = await call(socket, 'message:catchUp', { conversationId, afterSeq: cursor, ...(limit ? { limit } : {}) });
    pages += 1;
    messages.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) return { messages, pages };
    cursor = last.seq;
    if (pages > 1000) throw new Error('catch-up does not end');
  }
}

/**
 * Collects `event` on each socket from now on; `settle()` resolves with what arrived once every socket has answered
 * one more command sent after the actions under test. The server writes each socket's packets in order, so anything
 * those actions caused for a socket is in by then: an absence is proved by a round trip, not by a sleep. (The
 * settling command counts against the employee's event limit.)
 */
export function watch<T = unknown>(sockets: ClientSocket[], event: string): { settle(): Promise<T[][]> } {
  const seen = sockets.map((socket) => {
    const list: T[] = [];
    const listener = (payload: T) => void list.push(payload);
    socket.on(event as never, listener as never);
    return { socket, list, listener };
  });
  return {
    async settle() {
      await Promise.all(sockets.map((socket) => call(socket, 'conversation:list', {})));
      for (const entry of seen) entry.socket.off(event as never, entry.listener as never);
      return seen.map((entry) => entry.list);
    },
  };
}

/** Resolves once `count` events have arrived on the socket (rejects after the timeout), with all of them. */
export function collectN<T = unknown>(socket: ClientSocket, event: string, count: number, timeoutMs = 10_000, filter: (payload: T) => boolean = () => true): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const listener = (payload: T) => {
      if (!filter(payload)) return;
      seen.push(payload);
      if (seen.length === count) {
        clearTimeout(timer);
        socket.off(event as never, listener as never);
        resolve(seen);
      }
    };
    const timer = setTimeout(() => {
      socket.off(event as never, listener as never);
      reject(new Error(`only ${seen.length} of ${count} ${event} events within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event as never, listener as never);
  });
}

/** Disconnects the given sockets (tabs a test opened) so they do not leak into the next test. */
export function closeAll(sockets: ClientSocket[]): void {
  for (const socket of sockets.splice(0)) socket.disconnect();
}
