import { createHash } from 'node:crypto';

/**
 * The client id of one recipient's message, fixed by the request that asked for it (an integration's
 * notification, a bulk SMS job): a retry (or a racing twin) appends under the same (sender, client id), which the
 * store stores once — and so plans its SMS once.
 */
export function derivedClientId(requestId: string, recipientId: string): string {
  const hex = createHash('sha256').update(`${requestId}:${recipientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** JSON with object keys sorted, so that the same request hashes the same however its fields were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Of a request body: the same id or key with another body is told apart from a retry. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}
