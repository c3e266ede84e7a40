import { ApiError, errorFromBody } from './errors.js';

export { ApiError } from './errors.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let onUnauthenticated: (() => void) | null = null;

/** Lets the session module learn that the cookie stopped working, without api.ts importing any state. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/**
 * The one REST wrapper: same-origin cookie session, JSON both ways, and every failure thrown as an ApiError with a
 * stable code. `quiet401` is for the calls where 401 is an expected answer (sign-in, "who am I").
 */
export async function api<T>(method: Method, path: string, body?: unknown, options: { quiet401?: boolean } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError('NETWORK', cause instanceof Error ? cause.message : 'network error');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const error = errorFromBody(parsed, response.status);
    if (response.status === 401 && !options.quiet401 && error.code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw error;
  }
  return parsed as T;
}

/** Builds a query string from the defined, non-empty values only. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
