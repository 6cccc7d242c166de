/**
 * Runs the aiops CLI as a user does: a real process of the command package.json
 * names as "bin" (bin/aiops.mjs: the compiled build of the sources as they are,
 * rebuilt first when one changed), with none of
 * this process's database, AWS or AIOps settings leaking in (only `env`), and
 * its exit code, stdout and stderr as the outcome.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keepLog } from './log-secrets.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const node = join(root, 'node_modules/.bin/node');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function aiops(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; stdin?: string } = {},
): Promise<CliOutcome> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AURORA_|AIOPS_|NODE_OPTIONS)/.test(k)),
  );
  try {
    const running = run(node, [join(root, 'bin/aiops.mjs'), ...args], {
      cwd: options.cwd ?? root,
      env: { ...clean, ...env },
      maxBuffer: 32 * 1024 * 1024,
    });
    // Piped standard input, or none at all (closed at once), as in a script.
    running.child.stdin?.end(options.stdin ?? '');
    const { stdout, stderr } = await running;
    keepLog('cli', stderr); // the logs, grepped for fixture secrets after the run (#7); stdout is the result
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    keepLog('cli', e.stderr ?? '');
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
