/**
 * An in-memory SocketPort for manager tests — a double of our own module boundary (socket.ts), not of Socket.IO.
 * Commands go to answerers the test installs; without one a command gets no answer and fails with TIMEOUT after
 * its timeout, and every command fails with DISCONNECTED while `connected` is false, as socket.ts's `request` does.
 */
import type { ServerToClientEvents } from '../../../../../shared/protocol.js';
import { ApiError } from '../../errors.js';
import {
  DEFAULT_TIMEOUT_MS,
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type NotifyName,
  type ServerEventName,
  type SocketPort,
} from '../../socket.js';

export const NO_ANSWER = Symbol('no answer');

type Answerer<E extends CommandName> = (
  payload: CommandPayload<E>,
) => CommandResult<E> | Promise<CommandResult<E>> | typeof NO_ANSWER;

export interface SentCommand {
  event: string;
  payload: unknown;
}

type AnyHandler = (...args: unknown[]) => void;

export class FakeSocket implements SocketPort {
  connected = true;
  /** Every command and notice that reached the "server", in order. */
  readonly sent: SentCommand[] = [];
  readonly #answerers = new Map<string, (payload: unknown) => unknown>();
  readonly #handlers = new Map<string, Set<AnyHandler>>();
  readonly #waiters: { event: string; resolve: (payload: unknown) => void }[] = [];

  answer<E extends CommandName>(event: E, answerer: Answerer<E>): void {
    this.#answerers.set(event, answerer as (payload: unknown) => unknown);
  }

  request<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
    timeoutMs: number = DEFAULT_TIMEOUT_MS,
  ): Promise<CommandResult<E>> {
    if (!this.connected) return Promise.reject(new ApiError('DISCONNECTED', 'not connected'));
    this.#record(event, payload);
    const answerer = this.#answerers.get(event);
    let answer: unknown;
    try {
      answer = answerer ? answerer(payload) : NO_ANSWER;
    } catch (error) {
      return Promise.reject(error);
    }
    if (answer === NO_ANSWER) {
      return new Promise((_resolve, reject) => {
        setTimeout(() => reject(new ApiError('TIMEOUT', `no answer to ${event} within ${timeoutMs} ms`)), timeoutMs);
      });
    }
    return Promise.resolve(answer as CommandResult<E>);
  }

  notify<E extends NotifyName>(event: E, payload: CommandPayload<E>): void {
    if (this.connected) this.#record(event, payload);
  }

  isConnected(): boolean {
    return this.connected;
  }

  on<E extends ServerEventName>(event: E, handler: ServerToClientEvents[E]): () => void {
    let set = this.#handlers.get(event);
    if (!set) this.#handlers.set(event, (set = new Set()));
    set.add(handler as AnyHandler);
    return () => set.delete(handler as AnyHandler);
  }

  /** The server pushes an event to this tab. */
  emit<E extends ServerEventName>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    for (const handler of [...(this.#handlers.get(event) ?? [])]) handler(...args);
  }

  /** The payloads of every `event` sent so far. */
  payloads<E extends CommandName>(event: E): CommandPayload<E>[] {
    return this.sent.filter((c) => c.event === event).map((c) => c.payload as CommandPayload<E>);
  }

  /** Resolves with the payload of the next `event` this tab sends. */
  next<E extends CommandName>(event: E): Promise<CommandPayload<E>> {
    return new Promise((resolve) => this.#waiters.push({ event, resolve: resolve as (payload: unknown) => void }));
  }

  #record(event: string, payload: unknown): void {
    this.sent.push({ event, payload });
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i]!;
      if (waiter.event !== event) continue;
      this.#waiters.splice(i, 1);
      waiter.resolve(payload);
    }
  }
}
