import type * as z from 'zod';
import { ValidationError } from '../core/errors.js';
import { fieldErrors } from '../core/validation.js';

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
