import type { Command } from 'commander';
import { configurationTable, getConfig } from '../../shared/core/config.js';
import { info } from '../cli.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration read from the environment');

  config
    .command('check')
    .description('validate the environment and print where the database is (secrets are not printed)')
    .action(() => {
      const { stage, database, port, env } = getConfig();
      const target =
        database.kind === 'pg'
          ? { kind: database.kind, host: new URL(database.url).host, poolMax: database.poolMax }
          : database;
      process.stdout.write(
        `${JSON.stringify({ stage, port, database: target, llmProviders: env.AIOPS_LLM_PROVIDERS }, null, 2)}\n`,
      );
      info('configuration is valid');
    });

  config
    .command('table')
    .description("print the README's table of environment variables (generated from the config schema)")
    .action(() => {
      process.stdout.write(`${configurationTable()}\n`);
    });
}
