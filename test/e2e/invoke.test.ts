import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aiops as run } from '../helpers/cli.js';

let dataDir: string;

function aiops(args: string[]) {
  return run(args, { AIOPS_DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aiops-invoke-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('aiops invoke', () => {
  it('runs the API function on the sample execution request with the local admin key: 202, JSON only on stdout', async () => {
    // Act
    const result = await aiops(['invoke', 'api', '--event', 'events/api-create-execution.json']);

    // Assess
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ agent: 'config-drift-detector', status: 'queued' });
  });

  it('sends the key given with --api-key instead: an unknown key is refused with 401', async () => {
    // Act
    const result = await aiops([
      'invoke',
      'api',
      '--event',
      'events/api-create-execution.json',
      '--api-key',
      'aiops_NotAKeyOfThisInstallation000000',
    ]);

    // Assess
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { statusCode: number }).statusCode).toBe(401);
  });

  it.each([
    [['invoke', 'nope', '--event', 'events/api-get-health.json'], /Unknown function "nope"/],
    [['invoke', 'api', '--event', 'events/does-not-exist.json'], /Cannot read the event file/],
    [['invoke', 'api', '--event', 'package.json', '--api-key'], /argument missing|error: option/],
  ])('refuses %j with exit 2 and one message', async (args, message) => {
    // Act
    const result = await aiops(args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('refuses an event file that is not JSON', async () => {
    // Prepare
    const file = join(dataDir, 'broken.json');
    await writeFile(file, '{ "version": ');

    // Act
    const result = await aiops(['invoke', 'api', '--event', file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not JSON/);
  });
});
