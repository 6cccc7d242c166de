/**
 * What crosses between the pool and an agent thread. Values are structured
 * clones, so errors travel as plain data ({ code, message, status, … }) and
 * are rebuilt on the pool's side as the project's typed errors: an invalid
 * input stays a 400-class AgentValidationError, an agent's bug an
 * AgentExecutionError, whatever thread they came from.
 */
import type { AgentResult } from '../../agents/contract.js';
import * as errors from '../../core/errors.js';
import {
  AgentExecutionError,
  AiopsError,
  type AiopsErrorOptions,
  type FieldError,
} from '../../core/errors.js';

export interface RunRequest {
  id: number;
  agent: string;
  input: unknown;
  traceId: string;
  now: Date;
}

export interface SerializedError {
  code: string;
  message: string;
  status: number;
  details: Record<string, unknown>;
  errors?: FieldError[];
  /** The thread's stack and its causes', kept for the execution's error detail (never shown to a client). */
  stack?: string;
}

/** `started`: the thread has loaded the agent's code and begins the analysis; the run's time limit counts from here. */
export type RunReply =
  | { id: number; started: true }
  | { id: number; ok: true; result: AgentResult }
  | { id: number; ok: false; error: SerializedError };

/** Details are diagnostics; one that cannot be cloned (a function, a class instance) is left behind. */
function cloneable(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return structuredClone({ ...details });
  } catch {
    return {};
  }
}

/** The stack with its causes' (an agent's crash is the cause of the AgentExecutionError that wraps it). */
function stackOf(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const own = error.stack ?? `${error.name}: ${error.message}`;
  return error.cause === undefined || depth >= 3
    ? own
    : `${own}\nCaused by: ${stackOf(error.cause, depth + 1)}`;
}

export function serializeError(error: unknown): SerializedError {
  const known =
    error instanceof AiopsError
      ? error
      : new AgentExecutionError('The agent failed in its thread', { cause: error });
  const fields = (known as Partial<errors.HasFieldErrors>).errors;
  const stack = stackOf(error);
  return {
    code: known.code,
    message: known.message,
    status: known.status,
    details: cloneable(known.details),
    ...(fields === undefined ? {} : { errors: fields.map((f) => ({ path: f.path, message: f.message })) }),
    stack,
  };
}

type PlainErrorClass = new (message: string, options?: AiopsErrorOptions) => AiopsError;
type FieldErrorClass = new (
  message: string,
  errors: readonly FieldError[],
  options?: AiopsErrorOptions,
) => AiopsError;

const FIELD_ERROR_CLASSES = new Set<unknown>([errors.AgentValidationError, errors.ValidationError]);

/** Every error class errors.ts exports, by code: one list, so a new class needs no change here. */
const BY_CODE = new Map<string, PlainErrorClass>();
for (const value of Object.values(errors) as unknown[]) {
  if (typeof value !== 'function') continue;
  if (value !== AiopsError && !(value.prototype instanceof AiopsError)) continue;
  const cls = value as PlainErrorClass;
  BY_CODE.set(new cls('').code, cls);
}

/** The typed error a thread reported, with the thread's stack; an unknown code becomes AgentExecutionError. */
export function rebuildError(serialized: SerializedError): AiopsError {
  const options: AiopsErrorOptions = { details: serialized.details };
  const cls = BY_CODE.get(serialized.code);
  let rebuilt: AiopsError;
  if (cls === undefined) rebuilt = new AgentExecutionError(serialized.message, options);
  else if (FIELD_ERROR_CLASSES.has(cls)) {
    rebuilt = new (cls as unknown as FieldErrorClass)(serialized.message, serialized.errors ?? [], options);
  } else rebuilt = new cls(serialized.message, options);
  // Where it went wrong is in the thread; this side's stack would only show the message handler.
  if (serialized.stack !== undefined) rebuilt.stack = serialized.stack;
  return rebuilt;
}
