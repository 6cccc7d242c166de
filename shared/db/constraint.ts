/**
 * Recognises PostgreSQL constraint violations whichever dialect raised them:
 * `pg` and PGlite expose the SQLSTATE as `code`; the Data API only puts the
 * server's message in its error, so the message is the fallback.
 */
import { ResourceExistsError } from '../core/errors.js';

const UNIQUE_VIOLATION = '23505';

function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  for (const e of causes(error)) {
    if (typeof e !== 'object' || e === null) continue;
    const { code, details, message } = e as {
      code?: unknown;
      details?: { sqlState?: unknown };
      message?: unknown;
    };
    if (code === UNIQUE_VIOLATION || details?.sqlState === UNIQUE_VIOLATION) return true;
    if (typeof message === 'string' && message.includes('duplicate key value violates unique constraint'))
      return true;
  }
  return false;
}

/** Runs a write whose unique violation means the resource exists: that becomes ResourceExistsError(message). */
export async function writeUnique<T>(
  write: () => Promise<T>,
  message: string,
  details?: Record<string, unknown>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ResourceExistsError(message, { cause: error, details: details ?? {} });
    throw error;
  }
}
