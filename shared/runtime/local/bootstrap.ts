/**
 * The first admin key of a local installation: the value of
 * AIOPS_BOOTSTRAP_API_KEY when set, else the key kept in `<data dir>/admin-key`
 * (mode 0600), else a new one, generated, written there and printed once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiKeysService, generateApiKey, hashApiKey } from '../../app/api-keys.js';
import type { AppDeps } from '../../app/deps.js';

export interface BootstrapResult {
  key: string;
  /** Where the key is kept; undefined when it came from the environment. */
  file: string | undefined;
  /** True when this start created the key (print it). */
  created: boolean;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function ensureBootstrapKey(
  deps: Pick<AppDeps, 'repos' | 'clock' | 'db'>,
  options: { dataDir: string; fromEnv: string | undefined },
): Promise<BootstrapResult> {
  const file = join(options.dataDir, 'admin-key');
  const fromFile = options.fromEnv === undefined ? await readKeyFile(file) : undefined;
  const key = options.fromEnv ?? fromFile ?? generateApiKey();
  const existing = await deps.repos.apiKeys.findByHash(hashApiKey(key));
  if (existing) return { key, file: options.fromEnv === undefined ? file : undefined, created: false };
  await new ApiKeysService(deps).issue(
    { name: 'bootstrap admin', username: 'admin', role: 'admin' },
    'admin',
    key,
  );
  if (options.fromEnv !== undefined) return { key, file: undefined, created: false };
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, file, created: true };
}
