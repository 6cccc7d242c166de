/**
 * The aiops command line. Each command lives in ./commands; this file wires
 * them up and owns the exit codes (../docs/architecture.md, CLI conventions).
 */
import { Command, CommanderError } from 'commander';
import { describeFailure, EXIT } from './cli.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerConfig } from './commands/config.js';
import { registerInvoke } from './commands/invoke.js';
import { registerJobs } from './commands/jobs.js';
import { registerKeys } from './commands/keys.js';
import { registerLogs } from './commands/logs.js';
import { registerMetrics } from './commands/metrics.js';
import { registerMigrate } from './commands/migrate.js';
import { registerRedrive } from './commands/redrive.js';
import { registerRules } from './commands/rules.js';
import { registerServe } from './commands/serve.js';

function buildProgram(): Command {
  const program = new Command('aiops')
    .description('AI-assisted operations analysis: logs, metrics, Kubernetes, SQL, security, cost, DR, code')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerServe(program);
  registerAnalyze(program);
  registerMigrate(program);
  registerConfig(program);
  registerKeys(program);
  registerRedrive(program);
  registerLogs(program);
  registerMetrics(program);
  registerInvoke(program);
  registerJobs(program);
  registerRules(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    // A command may have set a code of its own (analyze --fail-on).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; usage mistakes are 2.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const failure = describeFailure(error);
    process.stderr.write(`aiops: ${failure.message}\n`);
    return failure.code;
  }
}

// Whatever this process creates (the embedded database, objects, keys, logs of uploads) is its
// user's alone: files 0600, directories 0700. Set before any command runs; the imports above only
// define code and create no file.
process.umask(0o077);
process.exitCode = await main(process.argv);
