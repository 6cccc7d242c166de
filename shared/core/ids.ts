/** Identifiers: every id the project mints is a random (v4) UUID, so ids leak no order or count. */
import { randomUUID } from 'node:crypto';

/** RFC 9562 textual form, versions 1–8, RFC variant: what randomUUID and gen_random_uuid() produce. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function newId(): string {
  return randomUUID();
}

/** Lets callers answer 404 for a malformed id instead of handing it to the database. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
