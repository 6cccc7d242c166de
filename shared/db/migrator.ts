/**
 * Kysely migrations, listed in code (not read from a folder) so that a bundled
 * Lambda and the CLI carry exactly the same set.
 */
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration';
import { DatabaseError, ValidationError } from '../core/errors.js';
import * as initial from './migrations/0001-initial.js';
import * as hotState from './migrations/0002-hot-state.js';
import * as costRollups from './migrations/0003-cost-rollups.js';
import * as workflowRuns from './migrations/0004-workflow-runs.js';
import * as llmProviderHealth from './migrations/0005-llm-provider-health.js';
import * as llmBudgetsCache from './migrations/0006-llm-budgets-cache.js';
import * as executionDelivery from './migrations/0007-execution-delivery.js';
import type { Database } from './schema.js';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-hot-state': hotState,
  '0003-cost-rollups': costRollups,
  '0004-workflow-runs': workflowRuns,
  '0005-llm-provider-health': llmProviderHealth,
  '0006-llm-budgets-cache': llmBudgetsCache,
  '0007-execution-delivery': executionDelivery,
};

export interface MigrationStatus {
  name: string;
  appliedAt: Date | null;
}

export interface MigrationStep {
  name: string;
  direction: 'Up' | 'Down';
  status: 'Success' | 'Error' | 'NotExecuted';
}

/**
 * The schema the migrations create their tables in: the first of the search
 * path. Kysely looks for its own tables in every schema of the database unless
 * told which one, so a second schema in the same database (another deployment,
 * a parallel test run) would make it skip creating them and then fail to find
 * them; pinning them to this schema keeps each schema's history its own.
 */
async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

async function migrator(db: Kysely<Database>): Promise<Migrator> {
  const schema = await currentSchema(db);
  return new Migrator({
    // Migrations are written in SQL's snake_case; the camelCase mapping is for application code.
    db: db.withoutPlugins(),
    provider: { getMigrations: async () => ({ ...migrations }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

function settle({ error, results = [] }: MigrationResultSet): MigrationStep[] {
  const steps = results.map((r) => ({ name: r.migrationName, direction: r.direction, status: r.status }));
  if (error !== undefined) {
    const failed = steps.find((s) => s.status === 'Error')?.name ?? 'unknown';
    throw new DatabaseError(
      `Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        details: { steps },
      },
    );
  }
  return steps;
}

/**
 * Runs a migration action in one transaction, settled inside it so that a
 * failure rolls everything back. Inside a transaction the lock is
 * transaction-scoped too, which the Data API (no sticky session) needs.
 */
async function inTransaction(
  db: Kysely<Database>,
  action: (m: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationStep[]> {
  return db.transaction().execute(async (trx) => settle(await action(await migrator(trx))));
}

/** Applies every pending migration. */
export async function migrateUp(db: Kysely<Database>): Promise<MigrationStep[]> {
  return inTransaction(db, (m) => m.migrateToLatest());
}

/** Reverts the last migration, or every migration after `to` ('zero' reverts all). */
export async function migrateDown(db: Kysely<Database>, to?: string): Promise<MigrationStep[]> {
  if (to === undefined) return inTransaction(db, (m) => m.migrateDown());
  if (to !== 'zero' && !(to in migrations)) {
    throw new ValidationError(`Unknown migration "${to}"`, [
      { path: 'to', message: `must be one of ${[...Object.keys(migrations), 'zero'].join(', ')}` },
    ]);
  }
  return inTransaction(db, (m) => m.migrateTo(to === 'zero' ? NO_MIGRATIONS : to));
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus[]> {
  const infos = await (await migrator(db)).getMigrations();
  return infos.map((info) => ({ name: info.name, appliedAt: info.executedAt ?? null }));
}
