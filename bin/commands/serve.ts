import type { Command } from 'commander';
import { getConfig } from '../../shared/core/config.js';
import { openDatabase } from '../../shared/db/database.js';
import { migrateUp } from '../../shared/db/migrator.js';
import { info } from '../cli.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the whole system locally on an embedded PostgreSQL')
    .action(async () => {
      const config = getConfig();
      const target =
        config.database.kind === 'pglite'
          ? config.database
          : { kind: 'pglite' as const, dataDir: `${config.dataDir}/data` };
      const handle = await openDatabase(target);
      try {
        const steps = await migrateUp(handle.db);
        info(`Embedded PostgreSQL ready in ${target.dataDir} (${steps.length} migration(s) applied now).`);
      } finally {
        await handle.close();
      }
      info(
        'The HTTP API, lane workers and schedules are not built yet: they arrive with the execution-pipeline issue. ' +
          'Until then `aiops serve` prepares the local database and exits.',
      );
    });
}
