import type * as z from 'zod';
import type { FieldError } from './errors.js';

/** zod issues as field errors: dotted paths under `prefix` (`input.baseline`), empty for the whole value. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));
}
