/** Makes the directory where every `aiops` process a test starts keeps its log (test/helpers/log-secrets.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup(): void {
  process.env.AIOPS_TEST_LOG_DIR ??= mkdtempSync(join(tmpdir(), 'aiops-test-logs-'));
}
