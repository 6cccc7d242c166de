/**
 * Issue 14, #7: no secret a test sends may reach a log line. Every `aiops`
 * process the tests start (`aiops serve`, the CLI) appends what it printed to
 * a file in AIOPS_TEST_LOG_DIR (made by test/global-setup.ts), and after the
 * whole run test/global-teardown.ts greps every line for the fixtures'
 * secrets: one found fails the run.
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

/** Secrets the tests send inline (the README walk-through's database passwords). */
const INLINE_SECRETS = ['old-pw', 'new-pw'];

/** Credential shapes; every match in test/fixtures is a secret some test sends. */
const SHAPES = [
  /AKIA[0-9A-Z]{16}/g,
  /ghp_[A-Za-z0-9]{36}/g,
  /glpat-[A-Za-z0-9_-]{20}/g,
  /xox[abprs]-[A-Za-z0-9-]{20,}/g,
  /sk_live_[A-Za-z0-9]{16,}/g,
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

/** The inline secrets and every credential-shaped string in the fixtures. */
export function fixtureSecrets(fixtures = join(root, 'test/fixtures')): string[] {
  const found = new Set(INLINE_SECRETS);
  for (const file of filesUnder(fixtures)) {
    if (statSync(file).size > 1 << 20) continue;
    const text = readFileSync(file, 'utf8');
    for (const shape of SHAPES) for (const match of text.matchAll(shape)) found.add(match[0]);
  }
  return [...found];
}

/** Appends one process's output to the run's log directory, when the run keeps one. */
export function keepLog(name: string, output: string): void {
  const dir = process.env.AIOPS_TEST_LOG_DIR;
  if (dir === undefined || output.length === 0) return;
  appendFileSync(join(dir, `${name}-${process.pid}.log`), output.endsWith('\n') ? output : `${output}\n`);
}

export interface SecretInLog {
  file: string;
  line: number;
  secret: string;
}

/** Every line of the kept logs that holds one of `secrets`. */
export function secretsInLogs(dir: string, secrets: readonly string[]): SecretInLog[] {
  const hits: SecretInLog[] = [];
  for (const file of filesUnder(dir)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        for (const secret of secrets) if (text.includes(secret)) hits.push({ file, line: index + 1, secret });
      });
  }
  return hits;
}
