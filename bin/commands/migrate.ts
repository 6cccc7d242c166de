import { type Command, Option } from 'commander';
import { getConfig } from '../../shared/core/config.js';
import type { DatabaseHandle } from '../../shared/db/database.js';
import type { MigrationStep } from '../../shared/db/migrator.js';
import { info, type OutputFormat, printResult, renderTable } from '../cli.js';

function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');
}

function stepsTable(steps: MigrationStep[]): string {
  if (steps.length === 0) return 'Nothing to do: the database is up to date.';
  return renderTable(
    ['migration', 'direction', 'status'],
    steps.map((s) => [s.name, s.direction.toLowerCase(), s.status]),
  );
}

type Migrator = typeof import('../../shared/db/migrator.js');

/** Opens the database and runs `work` with it and the migrator (both imported only when a migrate command runs). */
async function withDatabase<T>(work: (handle: DatabaseHandle, migrator: Migrator) => Promise<T>): Promise<T> {
  const config = getConfig();
  const { openDatabase } = await import('../../shared/db/database.js');
  const migrator = await import('../../shared/db/migrator.js');
  const handle = await openDatabase(config.database);
  info(`database: ${describeTarget(config.database)}`);
  try {
    return await work(handle, migrator);
  } finally {
    await handle.close();
  }
}

function describeTarget(target: ReturnType<typeof getConfig>['database']): string {
  switch (target.kind) {
    case 'pg': {
      const url = new URL(target.url);
      return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
    }
    case 'data-api':
      return `Aurora ${target.clusterArn} (Data API, database ${target.database})`;
    case 'pglite':
      return `embedded PostgreSQL in ${target.dataDir}`;
  }
}

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description('apply, revert or list the database migrations');

  migrate
    .command('up')
    .description('apply every pending migration')
    .addOption(formatOption())
    .action(async (options: { format: OutputFormat }) => {
      const steps = await withDatabase(({ db }, m) => m.migrateUp(db));
      printResult(options.format, steps, () => stepsTable(steps));
    });

  migrate
    .command('down')
    .description('revert the last migration, or every one after --to')
    .option('--to <name>', "the migration to go back to ('zero' reverts all)")
    .addOption(formatOption())
    .action(async (options: { to?: string; format: OutputFormat }) => {
      const steps = await withDatabase(({ db }, m) => m.migrateDown(db, options.to));
      printResult(options.format, steps, () => stepsTable(steps));
    });

  migrate
    .command('status')
    .description('list migrations and when each was applied')
    .addOption(formatOption())
    .action(async (options: { format: OutputFormat }) => {
      const status = await withDatabase(({ db }, m) => m.migrationStatus(db));
      printResult(options.format, status, () =>
        renderTable(
          ['migration', 'applied at'],
          status.map((s) => [s.name, s.appliedAt?.toISOString() ?? 'pending']),
        ),
      );
    });
}
