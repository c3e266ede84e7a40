/**
 * Validation of untrusted input at the edges (socket payloads, HTTP bodies, import files) against the shared
 * TypeBox schemas, with one message that names the field and what is wrong. Compiled validators are cached per schema.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { ValidationRule } from '../../../shared/errors.js';
import { DomainError } from '../domain/errors.js';

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

function validatorFor(schema: TSchema) {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

/**
 * The first problem: an English line for logs and developers, e.g. `text must not have more than 4000 characters`,
 * and the field, rule and limit the client words it from (ErrorBody in shared/errors.ts).
 */
export interface ValidationProblem {
  message: string;
  field: string;
  rule: ValidationRule;
  limit?: number;
}

const RULES: Record<string, ValidationRule> = {
  minLength: 'minLength',
  maxLength: 'maxLength',
  pattern: 'pattern',
  format: 'format',
  minimum: 'range',
  maximum: 'range',
  exclusiveMinimum: 'range',
  exclusiveMaximum: 'range',
  minItems: 'range',
  maxItems: 'range',
};

export function findProblem(schema: TSchema, value: unknown, subject = 'payload'): ValidationProblem | null {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return null;
  const errors = [...validator.Errors(value)];
  // Prefer a concrete field error over the schema-level "must not have additional properties".
  const first = errors.find((e) => e.keyword !== 'boolean' && e.instancePath !== '') ?? errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!first) return { message: `${subject} is invalid`, field: '', rule: 'type' };
  const at = (name: string) => [first.instancePath.replace(/^\//, ''), name].filter((part) => part !== '').join('/');
  if (first.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperties?: string[] }).additionalProperties ?? [];
    const message = `${subject} has unknown field${extra.length === 1 ? '' : 's'} ${extra.map((f) => `"${f}"`).join(', ')}`;
    return { message, field: at(extra[0] ?? ''), rule: 'unknown_field' };
  }
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties ?? [];
    const message = `${subject} is missing ${missing.map((f) => `"${f}"`).join(', ') || 'a required field'}`;
    return { message, field: at(missing[0] ?? ''), rule: 'required' };
  }
  const path = first.instancePath.replace(/^\//, '');
  const field = path.replaceAll('/', '.');
  const limit = (first.params as { limit?: unknown }).limit;
  const withLimit = typeof limit === 'number' ? { limit } : {};
  // An empty text where one is needed is, to the person filling the form, a missing value.
  if (first.keyword === 'minLength' && typeof limit === 'number' && limit <= 1) {
    return { message: `${field || subject} ${first.message}`, field: path, rule: 'required', ...withLimit };
  }
  const rule = RULES[first.keyword] ?? 'type';
  // A union fails once per branch; "must be equal to constant" alone would not say what is allowed.
  const branches = errors.filter((e) => e.instancePath === first.instancePath && e.keyword === first.keyword);
  if (first.keyword === 'const' && branches.length > 1) {
    const allowed = branches.map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
    return { message: `${field || subject} must be one of ${allowed.join(', ')}`, field: path, rule };
  }
  if (first.keyword === 'type' && branches.length > 1) {
    const types = branches.map((e) => String((e.params as { type?: unknown }).type)).join(' or ');
    return { message: `${field || subject} must be ${types}`, field: path, rule };
  }
  return { message: `${field || subject} ${first.message}`, field: path, rule, ...withLimit };
}

/** The English line alone, for callers that only log or report it (import files). */
export function describeProblem(schema: TSchema, value: unknown, subject = 'payload'): string | null {
  return findProblem(schema, value, subject)?.message ?? null;
}

/** A VALIDATION_FAILED error carrying the field, rule and limit. */
export function validationError(problem: ValidationProblem): DomainError {
  const { message, ...details } = problem;
  return new DomainError('VALIDATION_FAILED', message, details);
}
