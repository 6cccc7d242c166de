import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import { parseBody } from '../../shared/app/validation.js';
import { systemClock } from '../../shared/core/clock.js';
import { getConfig } from '../../shared/core/config.js';
import { ROLES } from '../../shared/core/domain.js';
import { info, type OutputFormat, printResult, renderTable } from '../cli.js';

/** The OS account that ran the command; a container may have no passwd entry for it. */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('manage API keys directly in the database (no server needed)');

  keys
    .command('create')
    .description('create an API key (and its user when new); the key is printed once')
    .requiredOption('--username <name>', 'owner of the key; created when new')
    .addOption(new Option('--role <role>', 'role of the key').choices([...ROLES]).default('user'))
    .option('--name <name>', 'what the key is for', 'cli')
    .option('--email <email>', 'email of a new user')
    .option('--expires-in-days <days>', 'expiry in days', (v) => Number(v))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(
      async (options: {
        username: string;
        role: string;
        name: string;
        email?: string;
        expiresInDays?: number;
        format: OutputFormat;
      }) => {
        // The database, its migrations and the key service: imported when a key is made, not with the CLI.
        const [
          { openDatabase },
          { migrateUp },
          { createRepositories },
          { ApiKeysService, createApiKeyBody },
          { auditKeyIssuedFromCli },
        ] = await Promise.all([
          import('../../shared/db/database.js'),
          import('../../shared/db/migrator.js'),
          import('../../shared/db/repositories/index.js'),
          import('../../shared/app/api-keys.js'),
          import('../../shared/app/audit.js'),
        ]);
        const request = parseBody(
          createApiKeyBody,
          {
            name: options.name,
            username: options.username,
            role: options.role,
            ...(options.email ? { email: options.email } : {}),
            ...(options.expiresInDays !== undefined ? { expiresInDays: options.expiresInDays } : {}),
          },
          'options',
        );
        const config = getConfig();
        const handle = await openDatabase(config.database);
        try {
          if (handle.kind === 'pglite') await migrateUp(handle.db);
          const deps = { db: handle.db, repos: createRepositories(handle.db), clock: systemClock };
          const created = await new ApiKeysService(deps).issue(request);
          await auditKeyIssuedFromCli(deps, created, operatorName());
          info('The key is shown once; store it now.');
          printResult(options.format, created, () =>
            renderTable(
              ['key', 'id', 'username', 'role'],
              [[created.key, created.apiKey.id, options.username, options.role]],
            ),
          );
        } finally {
          await handle.close();
        }
      },
    );
}
