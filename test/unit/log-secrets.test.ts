/** The run-wide log check of #7 finds what it must: a fixture secret in any kept line fails the run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fixtureSecrets, secretsInLogs } from '../helpers/log-secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'aiops-log-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('#7 the run-wide log check', () => {
  it('#7 knows the fixtures’ secrets: the walk-through passwords and the credentials in test/fixtures', () => {
    // Act
    const secrets = fixtureSecrets();

    // Assess
    expect(secrets).toEqual(expect.arrayContaining(['old-pw', 'new-pw', 'AKIA2E0A8F3B2C7D9E1F']));
  });

  it('#7 points at every kept line that holds one, and passes clean ones', () => {
    // Prepare
    writeFileSync(
      join(dir, 'serve-1.log'),
      '{"level":"INFO","message":"execution completed"}\n{"level":"ERROR","error":{"message":"postgres://app:old-pw@db/app"}}\n',
    );
    writeFileSync(join(dir, 'cli-2.log'), 'aiops: skipped .git: ignored by default\n');

    // Act
    const hits = secretsInLogs(dir, fixtureSecrets());

    // Assess
    expect(hits).toEqual([{ file: join(dir, 'serve-1.log'), line: 2, secret: 'old-pw' }]);
  });
});
