/**
 * Validation of untrusted input at the edges (socket payloads, HTTP bodies, import files) against the shared
 * TypeBox schemas, with one message that names the field and what is wrong. Compiled validators are cached per schema.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

function validatorFor(schema: TSchema) {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

/** A readable description of the first problem, e.g. `text must not have more than 4000 characters`. */
export function describeProblem(schema: TSchema, value: unknown, subject = 'payload'): string | null {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return null;
  const errors = [...validator.Errors(value)];
  // Prefer a concrete field error over the schema-level "must not have additional properties".
  const first = errors.find((e) => e.keyword !== 'boolean' && e.instancePath !== '') ?? errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!first) return `${subject} is invalid`;
  if (first.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperties?: string[] }).additionalProperties ?? [];
    return `${subject} has unknown field${extra.length === 1 ? '' : 's'} ${extra.map((f) => `"${f}"`).join(', ')}`;
  }
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties ?? [];
    return `${subject} is missing ${missing.map((f) => `"${f}"`).join(', ') || 'a required field'}`;
  }
  const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  // A union fails once per branch; "must be equal to constant" alone would not say what is allowed.
  const branches = errors.filter((e) => e.instancePath === first.instancePath && e.keyword === first.keyword);
  if (first.keyword === 'const' && branches.length > 1) {
    const allowed = branches.map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
    return `${field || subject} must be one of ${allowed.join(', ')}`;
  }
  if (first.keyword === 'type' && branches.length > 1) {
    return `${field || subject} must be ${branches.map((e) => String((e.params as { type?: unknown }).type)).join(' or ')}`;
  }
  return `${field || subject} ${first.message}`;
}
