import type { Command } from 'commander';
import { getConfig } from '../../shared/core/config.js';
import { info, UsageError } from '../cli.js';
import { parseLanes } from './serve.js';

export function registerRedrive(program: Command): void {
  program
    .command('redrive')
    .description('move dead-lettered jobs of a lane back onto it')
    .argument('<lane>', 'the lane whose dead letters to move')
    .option('--limit <n>', 'move at most this many', (v) => Number(v))
    .action(async (laneName: string, options: { limit?: number }) => {
      const lane = parseLanes(laneName)[0] ?? 'default';
      const config = getConfig();
      if (config.database.kind === 'data-api') {
        throw new UsageError(
          'On AWS the lanes are SQS queues: redrive there with `aws sqs start-message-move-task --source-arn <dlq arn>`',
        );
      }
      const { openDatabase } = await import('../../shared/db/database.js');
      const { createPgBossLanes } = await import('../../shared/lanes/pg-boss.js');
      const handle = await openDatabase(config.database);
      try {
        const lanes = await createPgBossLanes(
          handle.pglite
            ? { pglite: handle.pglite }
            : { connectionString: config.database.kind === 'pg' ? config.database.url : '' },
        );
        try {
          const moved = await lanes.redrive(
            lane,
            options.limit === undefined ? {} : { limit: options.limit },
          );
          info(`moved ${moved} job(s) from the ${lane} dead letter queue back onto the lane`);
          process.stdout.write(`${JSON.stringify({ lane, moved })}\n`);
        } finally {
          await lanes.close();
        }
      } finally {
        await handle.close();
      }
    });
}
