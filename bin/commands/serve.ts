import type { Command } from 'commander';
import { type Config, getConfig } from '../../shared/core/config.js';
import { LANES, type Lane } from '../../shared/core/domain.js';
import type { Runtime, RuntimeOptions } from '../../shared/runtime/local/runtime.js';
import { info, UsageError } from '../cli.js';

/** The local runtime (database, lanes, API): imported when a command starts it, not with the CLI. */
export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const runtime = await import('../../shared/runtime/local/runtime.js');
  return runtime.startRuntime(config, options);
}

/** Progress of a start on stderr, each step with the seconds since the command began. */
function startProgress(): (step: string) => void {
  const started = performance.now();
  return (step) => info(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${step}`);
}

/** Runs until SIGINT / SIGTERM, then shuts down gracefully; a second signal exits at once. */
async function runUntilSignalled(runtime: Runtime): Promise<void> {
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        info(`${signal} again: exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      info(`${signal}: finishing in-flight work, then stopping…`);
      runtime.stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  info('stopped');
}

function parseLanes(value: string): Lane[] {
  const lanes = value
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const unknown = lanes.filter((l) => !(LANES as readonly string[]).includes(l));
  if (unknown.length > 0 || lanes.length === 0) {
    throw new UsageError(`--lanes must list lanes among ${LANES.join(', ')}; got "${value}"`);
  }
  return lanes as Lane[];
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the whole system locally: HTTP API, workers for all five lanes, embedded PostgreSQL')
    .option(
      '--inbox <dir>',
      'treat files dropped into DIR as S3 Object Created events (DIR/logs/app.log → key logs/app.log, routed by the trigger table)',
    )
    .action(async (options: { inbox?: string }) => {
      const config = getConfig();
      if (config.database.kind !== 'pglite') {
        info(
          'serve runs on its embedded database; DATABASE_URL / AURORA_* are used by `aiops api` and `aiops worker`',
        );
      }
      const runtime = await startRuntime(config, {
        api: true,
        lanes: LANES,
        embedded: true,
        inbox: options.inbox,
        progress: startProgress(),
      });
      info(`AIOps is listening on ${runtime.url} (data in ${config.dataDir}/)`);
      if (options.inbox !== undefined) {
        info(
          `Watching the inbox ${options.inbox}/: dropped files are analysed, then moved to ${options.inbox}/.processed/`,
        );
      }
      const boot = runtime.bootstrap;
      if (boot?.created) {
        info(`Admin API key (shown once; also saved to ${boot.file} with mode 0600):\n  ${boot.key}`);
      } else if (boot?.file) {
        info(`Admin API key: in ${boot.file}`);
      }
      info('Press Ctrl-C to stop.');
      await runUntilSignalled(runtime);
    });

  program
    .command('api')
    .description('run only the HTTP API (containers; needs DATABASE_URL)')
    .action(async () => {
      const runtime = await startRuntime(getConfig(), {
        api: true,
        lanes: [],
        embedded: false,
        progress: startProgress(),
      });
      info(`AIOps API is listening on ${runtime.url}`);
      await runUntilSignalled(runtime);
    });

  program
    .command('worker')
    .description('run only lane workers (containers; needs DATABASE_URL)')
    .option('--lanes <lanes>', `comma-separated lanes among ${LANES.join(', ')}`, LANES.join(','))
    .action(async (options: { lanes: string }) => {
      const lanes = parseLanes(options.lanes);
      const runtime = await startRuntime(getConfig(), {
        api: false,
        probes: true,
        lanes,
        embedded: false,
        progress: startProgress(),
      });
      info(`AIOps worker is running lanes ${lanes.join(', ')}; probes on ${runtime.url}/v1/health`);
      await runUntilSignalled(runtime);
    });
}

export { parseLanes };
