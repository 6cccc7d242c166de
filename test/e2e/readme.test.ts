/** The README walk-through, run verbatim with bash against a real `aiops serve`. */
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Served, startServe } from '../helpers/serve.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
let served: Served;

describe('the README walk-through', () => {
  beforeAll(async () => {
    served = await startServe();
  });

  afterAll(async () => {
    await served?.stop();
    if (served) await rm(served.dataDir, { recursive: true, force: true });
  });

  it('queues an execution, waits for it and prints its findings', async () => {
    // Prepare
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(
      readme,
    )?.[1];
    expect(block).toBeDefined();

    // Act: the same variables the server read; everything else as a user would type it.
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block ?? ''], {
      cwd: root,
      env: { ...process.env, PORT: new URL(served.url).port, AIOPS_DATA_DIR: served.dataDir },
    });

    // Assess
    expect(stdout).toMatch(/^execution [0-9a-f-]{36}$/m);
    expect(stdout).toContain('status completed');
    expect(stdout).toMatch(/^critical DRIFT003 database_url - /m);
    expect(stdout).toMatch(/^high DRIFT005 replicas - replicas changed from 3 to 8/m);
    expect(stdout).toMatch(/^low DRIFT002 debug - /m);
    expect(stdout).not.toMatch(/old-pw|new-pw/);
  });
});
