/** After the whole run: no log line of any `aiops` process a test started holds a fixture secret (#7). */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type LogSecrets = typeof import('./helpers/log-secrets.js');

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.AIOPS_TEST_LOG_DIR;
  if (dir === undefined) return;
  // Jest's module name mapping (`.js` → `.ts`) does not apply to global setup and teardown: name the source.
  const source = fileURLToPath(new URL('./helpers/log-secrets.ts', import.meta.url));
  const { fixtureSecrets, secretsInLogs } = (await import(source)) as LogSecrets;
  const hits = secretsInLogs(dir, fixtureSecrets());
  if (hits.length > 0) {
    const where = hits.map((h) => `${h.file}:${h.line} holds ${h.secret.slice(0, 4)}…`).join('\n  ');
    throw new Error(`#7: fixture secrets reached the logs (kept in ${dir}):\n  ${where}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
