/**
 * Starts `aiops serve` as a user would, in a child process on a random port,
 * with its own data directory; reads the URL and admin key from its output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepLog } from './log-secrets.js';

const root = new URL('../..', import.meta.url).pathname;

export interface Served {
  url: string;
  adminKey: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'aiops-serve-'));
}

export async function startServe(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    args?: readonly string[];
  } = {},
): Promise<Served> {
  const dataDir = options.dataDir ?? (await newDataDir());
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|AURORA_|AIOPS_|NODE_OPTIONS|PORT|HOST)/.test(k),
    ),
  );
  // Node itself with the tsx loader, not the tsx CLI: one process, so kill -9 reaches the server.
  const child = spawn(
    join(root, 'node_modules/.bin/node'),
    ['--import', 'tsx', 'bin/aiops.ts', 'serve', ...(options.args ?? [])],
    {
      cwd: root,
      env: { ...env, AIOPS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'INFO', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      keepLog('serve', output); // grepped for fixture secrets after the run (#7)
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`aiops serve did not start:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`aiops serve exited with ${code}:\n${output}`));
    });
  });
  const adminKey = (await readFile(join(dataDir, 'admin-key'), 'utf8')).trim();
  return {
    url,
    adminKey,
    dataDir,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
