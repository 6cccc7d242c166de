/**
 * The aiops command line. Each command lives in ./commands; this file wires
 * them up and owns the exit codes (../docs/architecture.md, CLI conventions).
 */
import { Command, CommanderError } from 'commander';
import { disableWasmTierUp } from '../shared/core/wasm-tiering.js';
import { describeFailure, EXIT } from './cli.js';
import { registerVersion } from './version.js';

/** How a command module adds its command(s) to the program. */
type Register = (program: Command) => void;

/**
 * Every command module, in the order `aiops --help` lists them, with the names of the commands
 * it adds. Each is imported only when needed: a run of one command loads that command's code
 * alone (`aiops analyze` loads no database driver, no AWS SDK, no lane queue).
 */
const COMMANDS: readonly { names: readonly string[]; load: () => Promise<Register> }[] = [
  {
    names: ['serve', 'api', 'worker'],
    load: () => import('./commands/serve.js').then((m) => m.registerServe),
  },
  { names: ['analyze'], load: () => import('./commands/analyze.js').then((m) => m.registerAnalyze) },
  { names: ['migrate'], load: () => import('./commands/migrate.js').then((m) => m.registerMigrate) },
  { names: ['config'], load: () => import('./commands/config.js').then((m) => m.registerConfig) },
  { names: ['keys'], load: () => import('./commands/keys.js').then((m) => m.registerKeys) },
  { names: ['redrive'], load: () => import('./commands/redrive.js').then((m) => m.registerRedrive) },
  { names: ['logs'], load: () => import('./commands/logs.js').then((m) => m.registerLogs) },
  { names: ['metrics'], load: () => import('./commands/metrics.js').then((m) => m.registerMetrics) },
  { names: ['invoke'], load: () => import('./commands/invoke.js').then((m) => m.registerInvoke) },
  { names: ['jobs'], load: () => import('./commands/jobs.js').then((m) => m.registerJobs) },
  { names: ['rules'], load: () => import('./commands/rules.js').then((m) => m.registerRules) },
];

/**
 * The modules to load for a command line: the named command's alone when the first argument
 * names one (the program's own option is --version, which needs none), else all (`--help`, a mistyped command:
 * the help and the suggestion list every command).
 */
function commandsFor(argv: readonly string[]): typeof COMMANDS {
  const named = argv[2];
  if (named === 'version' || named === '--version' || named === '-V') return [];
  const one = COMMANDS.find((c) => named !== undefined && c.names.includes(named));
  return one === undefined ? COMMANDS : [one];
}

async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('aiops')
    .description('AI-assisted operations analysis: logs, metrics, Kubernetes, SQL, security, cost, DR, code')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const registers = await Promise.all(commandsFor(argv).map((c) => c.load()));
  for (const register of registers) register(program);
  registerVersion(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync([...argv]);
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
// user's alone: files 0600, directories 0700. Set before any command module is imported.
process.umask(0o077);
// WASM (the SQL parser, PGlite, tree-sitter) runs on baseline code: see shared/core/wasm-tiering.ts.
disableWasmTierUp();
process.exitCode = await main(process.argv);
