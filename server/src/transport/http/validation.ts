/**
 * Request validation with the shared TypeBox schemas and the same one-line messages as the socket edge
 * (`describeProblem`), instead of Fastify's default Ajv. A JSON body is checked exactly as sent: Ajv's default type
 * coercion let `"password": 12345678` or `"login": ["anna"]` through as strings, hiding client bugs. Query strings
 * and path parameters are text by nature, so they are given their defaults and converted before the check.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { findProblem, validationError } from '../validate.js';

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const part = httpPart ?? 'request';
  return (value: unknown) => {
    const input = part === 'body' ? value : Value.Convert(schema, Value.Default(schema, Value.Clone(value)));
    const problem = findProblem(schema, input, part);
    if (problem === null) return { value: input };
    // A DomainError goes through the error handler as it is: 400 VALIDATION_FAILED with field, rule and limit.
    return { error: validationError(problem) };
  };
};
