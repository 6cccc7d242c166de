/**
 * The one place that turns a thrown value into what a client sees: an RFC 9457
 * problem document (../../docs/architecture.md, HTTP API contract). Only the project's own
 * errors decide what is a client error; anything else is a 500 that says nothing
 * about its cause, because messages of foreign errors (SQL, file paths, tokens)
 * are not written for clients.
 */
import * as z from 'zod';
// From core directly: `z.core` as a value would pull every zod locale into the Lambda bundles.
import { $ZodError } from 'zod/v4/core';
import { AgentValidationError, AiopsError, type FieldError, ValidationError } from './errors.js';
import { fieldErrors } from './validation.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TYPE_PREFIX = 'urn:aiops:error:';

export const problemDocumentSchema = z
  .object({
    type: z.string().startsWith(TYPE_PREFIX).describe('urn:aiops:error:<code in kebab-case>'),
    title: z.string().min(1).describe('Short summary of the kind of problem; the same for every occurrence.'),
    status: z.number().int().min(400).max(599),
    detail: z.string().describe('What went wrong in this occurrence; never internals for 5xx.'),
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .describe('Stable machine-readable error code.'),
    traceId: z.string().optional().describe('Quote this when reporting the problem.'),
    instance: z.string().optional().describe('The request path or resource the problem occurred on.'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Field-level problems; `path` is dotted, empty for the whole value.'),
    retryAfter: z.number().int().nonnegative().optional().describe('Seconds to wait before trying again.'),
  })
  .describe('RFC 9457 problem details');

export type ProblemDocument = z.infer<typeof problemDocumentSchema>;

export interface ProblemContext {
  traceId?: string;
  instance?: string;
}

/** Titles are fixed per class, so naming the failing upstream through the title reveals nothing internal. */
function serverDetail(status: number, title: string): string {
  switch (status) {
    case 502:
      return `An upstream service failed (${title}). Try again later.`;
    case 503:
      return `A service this request depends on is temporarily unavailable (${title}). Try again later.`;
    case 504:
      return `An upstream service did not answer in time (${title}). Try again later.`;
    default:
      return 'An internal error occurred. Quote the trace id when reporting it.';
  }
}

function fieldErrorsOf(error: AiopsError): readonly FieldError[] {
  return error instanceof ValidationError || error instanceof AgentValidationError ? error.errors : [];
}

function fromZodError(error: $ZodError): ValidationError {
  const errors = fieldErrors(error.issues);
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  return new ValidationError(`The request has ${count}; see errors.`, errors, { cause: error });
}

function asAiopsError(thrown: unknown): AiopsError {
  if (thrown instanceof AiopsError) {
    return thrown;
  }
  if (thrown instanceof $ZodError) {
    return fromZodError(thrown);
  }
  // The message of a foreign error is never shown, so the placeholder never reaches a client.
  return new AiopsError('Unexpected error', { cause: thrown });
}

export function toProblem(thrown: unknown, context: ProblemContext = {}): ProblemDocument {
  const error = asAiopsError(thrown);
  const fieldErrors = fieldErrorsOf(error);
  const problem: ProblemDocument = {
    type: `${TYPE_PREFIX}${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: error.title,
    status: error.status,
    detail: error.status < 500 ? error.message : serverDetail(error.status, error.title),
    code: error.code,
  };
  if (context.traceId !== undefined) {
    problem.traceId = context.traceId;
  }
  if (context.instance !== undefined) {
    problem.instance = context.instance;
  }
  if (fieldErrors.length > 0) {
    problem.errors = fieldErrors.map(({ path, message }) => ({ path, message }));
  }
  if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) {
    // Retry-After takes whole seconds; rounding up never invites a retry too early.
    problem.retryAfter = Math.max(0, Math.ceil(error.retryAfterSeconds));
  }
  return problem;
}
