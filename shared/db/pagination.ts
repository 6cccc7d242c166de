/**
 * Keyset pagination for every list: newest first, ordered by (timestamp, id).
 * Offsets are never used — they get slower with depth and shift under inserts —
 * and every page is bounded, because the Aurora Data API answers at most 1 MiB.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import { ValidationError } from '../core/errors.js';
import { isUuid } from '../core/ids.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  limit?: number | undefined;
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string | null | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

/** Parses a cursor from a client; anything that is not one of ours is a 400, not a 500. */
export function decodeCursor(cursor: string): Position {
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'is not a cursor of this list' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) throw invalid();
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw invalid();
  return { at: date, id };
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError('Invalid limit', [
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return limit;
}

/** A half-open interval of a list's timestamp, `from` included and `to` excluded; either may be absent. */
export interface TimeRange {
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Runs `query` for one page, newest first by `column` then id, within `range` of
 * `column`. `column` names the row's own timestamp field (camelCase), also used to
 * build the next cursor.
 */
export async function keysetPage<
  DB,
  TB extends keyof DB,
  O extends { id: string },
  K extends keyof O & string,
>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: K,
  request: PageRequest,
  range: TimeRange = {},
): Promise<Page<O>> {
  const limit = pageSize(request.limit);
  let q = query;
  const { from, to } = range;
  if (from !== undefined) q = q.where(() => sql<boolean>`${sql.ref(column)} >= ${from}`);
  if (to !== undefined) q = q.where(() => sql<boolean>`${sql.ref(column)} < ${to}`);
  if (request.cursor) {
    const { at, id } = decodeCursor(request.cursor);
    q = q.where(() => sql<boolean>`(${sql.ref(column)}, ${sql.ref('id')}) < (${at}, ${id})`);
  }
  const rows = await q
    .orderBy(sql.ref(column), 'desc')
    .orderBy(sql.ref('id'), 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const at = last?.[column];
  const nextCursor =
    rows.length > limit && last && at instanceof Date ? encodeCursor({ at, id: last.id }) : null;
  return { items, nextCursor };
}

/** The same page with each item mapped (a row to the record the app reads). */
export function mapPage<T, U>(page: Page<T>, map: (item: T) => U): Page<U> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
