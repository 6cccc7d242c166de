/**
 * #19: two schemas of one database each keep their own migration history, and
 * the test helper leaves no schema behind (and sweeps those earlier runs leaked).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../../shared/db/database.js';
import { migrateUp, migrationStatus, migrations } from '../../../shared/db/migrator.js';
import { newTestSchemaName, openServerSchema, sweepStaleTestSchemas } from '../../helpers/databases.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;
const ALL = Object.keys(migrations).length;

async function migrationTables(db: DatabaseHandle['db']): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_name like 'kysely_migration%' order by 1`.execute(db);
  return rows.map((r) => r.name);
}

describe('migrations in two schemas of one database', () => {
  it('#19 migrates a second schema of an embedded database after the first', async () => {
    // Prepare: one database (one connection), two schemas
    const handle = await openDatabase({ kind: 'pglite-memory' });
    try {
      await sql`create schema tenant_a`.execute(handle.db);
      await sql`create schema tenant_b`.execute(handle.db);

      // Act
      await sql`set search_path to tenant_a`.execute(handle.db);
      const first = await migrateUp(handle.db);
      await sql`set search_path to tenant_b`.execute(handle.db);
      const second = await migrateUp(handle.db);
      const statusB = await migrationStatus(handle.db);

      // Assess: both ran every migration, each with its own history tables
      expect(first.filter((s) => s.status === 'Success')).toHaveLength(ALL);
      expect(second.filter((s) => s.status === 'Success')).toHaveLength(ALL);
      expect(statusB.every((s) => s.appliedAt !== null)).toBe(true);
      expect(await migrationTables(handle.db)).toEqual([
        'tenant_a.kysely_migration',
        'tenant_a.kysely_migration_lock',
        'tenant_b.kysely_migration',
        'tenant_b.kysely_migration_lock',
      ]);
    } finally {
      await handle.close();
    }
  });
});

onServer('test schemas on the PostgreSQL server (TEST_DATABASE_URL)', () => {
  const url = serverUrl ?? '';
  const exists = async (schema: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
      return rows.length === 1;
    } finally {
      await client.end();
    }
  };
  const opened: DatabaseHandle[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((h) => h.close()));
  });

  it('#19 migrates two schemas of the same server database', async () => {
    // Prepare
    const a = await openServerSchema(url);
    const b = await openServerSchema(url);
    opened.push(a, b);

    // Act
    const first = await migrateUp(a.db);
    const second = await migrateUp(b.db);

    // Assess
    expect(first.filter((s) => s.status === 'Success')).toHaveLength(ALL);
    expect(second.filter((s) => s.status === 'Success')).toHaveLength(ALL);
    expect((await migrationStatus(b.db)).every((s) => s.appliedAt !== null)).toBe(true);
  });

  it('#19 drops a schema on close even while one of its queries hangs', async () => {
    // Prepare: a query that would outlive any afterAll
    const handle = await openServerSchema(url);
    const hanging = sql`select pg_sleep(600)`.execute(handle.db).catch(() => 'terminated');

    // Act
    await handle.close();

    // Assess
    expect(await exists(handle.schema)).toBe(false);
    expect(await hanging).toBe('terminated');
  }, 30_000);

  it('#19 sweeps schemas leaked by runs older than an hour, and keeps recent ones', async () => {
    // Prepare: one schema "created" two hours ago, one a minute ago
    const old = newTestSchemaName(new Date(Date.now() - 2 * 60 * 60 * 1000));
    const recent = newTestSchemaName(new Date(Date.now() - 60 * 1000));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${old}; create table ${old}.leaked (id int)`);
    await client.query(`create schema ${recent}`);
    await client.end();

    // Act
    const swept = await sweepStaleTestSchemas(url);

    // Assess
    expect(swept).toContain(old);
    expect(await exists(old)).toBe(false);
    expect(await exists(recent)).toBe(true);
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`drop schema ${recent}`);
    await cleanup.end();
  });
});
