import { type RawBuilder, sql } from 'kysely';
import type { Json } from '../core/json.js';

/**
 * A jsonb value as a query parameter. Drivers disagree on bare values: `pg`
 * sends a JS array as a PostgreSQL array literal and a string as text, both
 * invalid jsonb. Serialising here and casting in SQL makes every dialect agree.
 */
export function jsonb<T extends Json>(value: T): RawBuilder<T> {
  return sql<T>`cast(${JSON.stringify(value)} as jsonb)`;
}

/** Same, for a nullable column: null stays SQL NULL (not the JSON literal null). */
export function jsonbOrNull<T extends Json>(value: T | null | undefined): RawBuilder<T> | null {
  return value === null || value === undefined ? null : jsonb(value);
}
