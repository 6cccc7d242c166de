/**
 * The databases the integration suites run on: an in-memory PGlite always, and
 * a PostgreSQL server when TEST_DATABASE_URL is set — each suite in its own
 * schema, so test files can run in parallel and leave nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { describe } from '@jest/globals';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../shared/db/database.js';

export interface DatabaseTarget {
  name: string;
  open(): Promise<DatabaseHandle>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

/** Test schemas are named `test_<creation time, base 36 seconds>_<random>`, so a later run can tell a leaked one's age. */
const SCHEMA_PREFIX = 'test_';
const STALE_SCHEMA = /^test_([0-9a-z]{6,8})_[0-9a-f]{12}$/;
/** Older than any test run: a schema this old was leaked by a run that died (or timed out) before its afterAll. */
const STALE_AFTER_MS = 60 * 60 * 1000;
/** How long a closing handle may wait for its queries before its schema is dropped regardless. */
const CLOSE_TIMEOUT_MS = 10_000;

export function newTestSchemaName(now: Date = new Date()): string {
  const created = Math.floor(now.getTime() / 1000).toString(36);
  return `${SCHEMA_PREFIX}${created}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

async function withAdmin<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  // A connection the server drops (another suite terminating its own backends) must not crash the test worker.
  admin.on('error', () => {});
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end().catch(() => {});
  }
}

/**
 * Drops the test schemas leaked by earlier runs (older than an hour, by the
 * time in their name). Runs once per test worker, before its first schema;
 * schemas of runs in progress are younger and stay.
 */
export async function sweepStaleTestSchemas(url: string, now: Date = new Date()): Promise<string[]> {
  return withAdmin(url, async (admin) => {
    const { rows } = await admin.query<{ name: string }>(
      `select nspname as name from pg_namespace where nspname like 'test\\_%'`,
    );
    const stale = rows
      .map((r) => r.name)
      .filter((name) => {
        const created = STALE_SCHEMA.exec(name)?.[1];
        return created !== undefined && now.getTime() - Number.parseInt(created, 36) * 1000 > STALE_AFTER_MS;
      });
    for (const name of stale) {
      // Another worker may be sweeping the same schema: whoever comes second finds it gone.
      await admin.query(`drop schema if exists ${name} cascade`).catch(() => {});
    }
    return stale;
  });
}

let swept: Promise<unknown> | undefined;

/** A handle on a fresh schema of the server; closing it drops the schema, even when its queries hang. */
export async function openServerSchema(
  url: string,
  options: { applicationName?: string } = {},
): Promise<DatabaseHandle & { schema: string }> {
  swept ??= sweepStaleTestSchemas(url).catch(() => []);
  await swept;
  const schema = newTestSchemaName();
  await withAdmin(url, (admin) => admin.query(`create schema ${schema}`));
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  // Named after the schema: a suite (or the drop below) can find its own connections in pg_stat_activity.
  scoped.searchParams.set('application_name', options.applicationName ?? schema);
  const handle = await openDatabase({ kind: 'pg', url: scoped.toString(), poolMax: 4 });
  return {
    ...handle,
    schema,
    close: async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          handle.close(),
          new Promise((resolve) => {
            timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
          }),
        ]);
      } finally {
        clearTimeout(timer);
        // Dropped whatever happened above, so a failed or timed-out suite leaves nothing behind.
        await withAdmin(url, async (admin) => {
          await admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where pid <> pg_backend_pid() and application_name = $1`,
            [options.applicationName ?? schema],
          );
          await admin.query(`drop schema if exists ${schema} cascade`);
        });
      }
    },
  };
}

const pglite: DatabaseTarget = {
  name: 'PGlite (in memory)',
  open: () => openDatabase({ kind: 'pglite-memory' }),
};
const server: DatabaseTarget = {
  name: 'PostgreSQL server (TEST_DATABASE_URL)',
  open: () => openServerSchema(serverUrl ?? ''),
};

/**
 * `describe` once per database. Without TEST_DATABASE_URL the server suite is
 * reported as skipped, by name, so a run shows what it did not cover.
 */
export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  describe(`${title} on ${pglite.name}`, () => body(pglite));
  if (serverUrl) {
    describe(`${title} on ${server.name}`, () => body(server));
  } else {
    const skip = describe.skip;
    skip(`${title} on a PostgreSQL server — skipped: set TEST_DATABASE_URL to run`, () => body(server));
  }
}
