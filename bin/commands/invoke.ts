import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { getConfig } from '../../shared/core/config.js';
import { LOCAL_FUNCTION_DOCS, type LocalFunctionDoc } from '../../shared/runtime/local/functions.js';
import { EXIT, info, UsageError } from '../cli.js';
import { startRuntime } from './serve.js';

/** The key the sample API events carry; replaced by a real one so a sample runs as is. */
export const SAMPLE_API_KEY = 'aiops_ExampleKeyReplaceWithYourOwn0000';

async function readEvent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the event file ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The event file ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** An API Gateway event's X-API-Key, set to `key` when it carries the samples' placeholder or `--api-key` was given. */
function withApiKey(event: unknown, key: string | undefined, forced: boolean): unknown {
  if (key === undefined || typeof event !== 'object' || event === null) return event;
  const headers = (event as { headers?: Record<string, string> }).headers;
  if (headers === undefined || typeof headers !== 'object') return event;
  const name = Object.keys(headers).find((h) => h.toLowerCase() === 'x-api-key') ?? 'x-api-key';
  if (!forced && headers[name] !== SAMPLE_API_KEY) return event;
  return { ...event, headers: { ...headers, [name]: key } };
}

/**
 * What the function itself prints (EMF metrics, stray console output) is what
 * Lambda would put in its log stream: it goes to stderr, so stdout carries
 * only the result.
 */
async function toStderr<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

export function registerInvoke(program: Command): void {
  const names = Object.keys(LOCAL_FUNCTION_DOCS);
  const docs: Readonly<Record<string, LocalFunctionDoc>> = LOCAL_FUNCTION_DOCS;
  program
    .command('invoke')
    .description(
      'run a Lambda function locally on an event (like `sam local invoke`), against the local database and lanes',
    )
    .argument('<function>', `one of ${names.join(', ')}`)
    .requiredOption('--event <file>', 'the event as JSON (samples in events/)')
    .option(
      '--api-key <key>',
      "API functions: the X-API-Key to send (default: the local admin key replaces the samples' placeholder)",
    )
    .addHelpText(
      'after',
      `\nFunctions and their sample events:\n${names
        .map(
          (n) =>
            `  ${n.padEnd(16)} ${docs[n]?.description}\n${' '.repeat(19)}events/${docs[n]?.samples.join(', events/')}`,
        )
        .join(
          '\n',
        )}\n\nThe result (or Lambda's error payload) is printed as JSON on stdout; logs go to stderr.\nUses DATABASE_URL when set, else the embedded database of \`aiops serve\` (stop serve first: it is single-process).`,
    )
    .action(async (name: string, options: { event: string; apiKey?: string }) => {
      if (!(name in docs)) {
        throw new UsageError(`Unknown function "${name}": use one of ${names.join(', ')}`);
      }
      const event = await readEvent(options.event);
      const config = getConfig();
      if (config.database.kind === 'data-api') {
        throw new UsageError(
          'invoke runs against a local database: set DATABASE_URL, or unset AURORA_* for the embedded one',
        );
      }
      const embedded = config.database.kind !== 'pg';
      // The functions' handlers (and all they import): loaded when one runs, not with the CLI.
      const { invokeLocally } = await import('../../shared/runtime/local/invoke.js');
      const runtime = await startRuntime(config, { api: false, lanes: [], embedded, schedules: false });
      try {
        const key = options.apiKey ?? runtime.bootstrap?.key;
        const outcome = await toStderr(() =>
          invokeLocally(name, withApiKey(event, key, options.apiKey !== undefined), {
            config,
            deps: runtime.deps,
          }),
        );
        if (outcome.ok) {
          process.stdout.write(`${JSON.stringify(outcome.result ?? null, null, 2)}\n`);
        } else {
          process.stdout.write(`${JSON.stringify(outcome.error, null, 2)}\n`);
          info(`${name} failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
          process.exitCode = EXIT.internal;
        }
      } finally {
        await runtime.stop();
      }
    });
}
