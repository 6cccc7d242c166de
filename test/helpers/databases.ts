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

async function openServerSchema(url: string): Promise<DatabaseHandle> {
  const schema = `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await openDatabase({ kind: 'pg', url: scoped.toString(), poolMax: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
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
