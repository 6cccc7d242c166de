import type { z } from 'zod';
import { type FieldError, ValidationError } from '../core/errors.js';

export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.'),
    message: issue.message,
  }));
}

/** Parses a request body or query; a mismatch is a 400 with one field error per problem. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`Invalid ${what}`, fieldErrors(parsed.error.issues));
  return parsed.data;
}
