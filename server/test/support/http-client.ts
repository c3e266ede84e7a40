/**
 * Plain REST calls against a running test app over real HTTP (fetch), and a clock tests can move. Used by the
 * sign-in and directory whole-app tests.
 */
import type { Clock } from '../../src/ports/clock.js';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is empty or not JSON). */
  body: T;
}

export interface CallOptions {
  cookie?: string;
  /** A value to send as JSON; a string is sent as is (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call<T = unknown>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

/** The `name=value` part of a Set-Cookie header, as a browser would send it back. */
export function cookieOf(answer: HttpAnswer): string {
  return (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/**
 * A clock that stands still until a test moves it. Its timers fire when `advance` moves to or past them (in the
 * order of their due times, all seeing the new time); a timer for now or the past fires on the next turn of the
 * event loop, so work that reschedules itself after the clock moved is not stranded.
 */
export class FakeClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; order: number; fn: () => void }> = [];
  private order = 0;
  constructor(start = Date.parse('2025-03-03T09:00:00Z')) {
    this.time = start;
  }
  now(): Date {
    return new Date(this.time);
  }
  setTimer(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      const handle = setImmediate(fn);
      return () => clearImmediate(handle);
    }
    const timer = { at: this.time + ms, order: this.order++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at || a.order - b.order);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.fn();
  }
}

export const MINUTE = 60_000;

/**
 * Sends requests `width` at a time, the next as soon as one returns, until `stop` accepts an answer or `max` were
 * sent: a patient guesser that never trips an in-flight cap, so only the counted limits can stop it.
 */
export async function keepInFlight<A>(width: number, send: (i: number) => Promise<A>, stop: (answer: A) => boolean, max = 60): Promise<A[]> {
  const answers: A[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < max) {
      const answer = await send(next++);
      answers.push(answer);
      if (stop(answer)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return answers;
}
