/**
 * A reason as a store keeps it when it has no structured field (SQLite: JSON text). Read back through the schema,
 * so a row the code no longer understands shows as "no reason" instead of reaching the client malformed.
 */
import { Value } from 'typebox/value';
import { SmsReason } from '../../../shared/schemas/index.js';

export function reasonToJson(reason: SmsReason | null): string | null {
  return reason === null ? null : JSON.stringify(reason);
}

export function reasonFromJson(json: string | null): SmsReason | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  return Value.Check(SmsReason, value) ? value : null;
}
