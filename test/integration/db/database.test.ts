import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecuteStatementCommand, RDSDataClient } from '@aws-sdk/client-rds-data';
import { afterAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { openDatabase } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { aUser } from '../../helpers/factories.js';

describe('openDatabase', () => {
  const dirs: string[] = [];

  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('keeps PGlite data on disk across restarts', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'aiops-pglite-'));
    dirs.push(dir);
    const dataDir = join(dir, 'nested', 'data');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await migrateUp(first.db);
    const user = await createRepositories(first.db).users.create(aUser({ username: 'persisted' }));
    await first.close();

    // Act
    const second = await openDatabase({ kind: 'pglite', dataDir });
    const found = await createRepositories(second.db).users.findByUsername('persisted');
    await second.close();

    // Assess
    expect(found?.id).toBe(user.id);
  });

  it('reaches Aurora through the Data API with the configured cluster, secret and database, in snake_case', async () => {
    // Prepare
    const rds = mockClient(RDSDataClient);
    rds.on(ExecuteStatementCommand).resolves({
      columnMetadata: [
        { name: 'id', typeName: 'uuid' },
        { name: 'last_login_at', typeName: 'timestamptz' },
      ],
      records: [
        [{ stringValue: '5f0c7a2e-8d2b-4f7e-9a51-0c1d2e3f4a5b' }, { stringValue: '2026-11-25 08:30:00.250' }],
      ],
    });
    const handle = await openDatabase({
      kind: 'data-api',
      clusterArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops-db-AbCdEf',
      database: 'aiops',
      region: 'eu-west-1',
    });

    // Act
    const rows = await handle.db
      .selectFrom('users')
      .select(['id', 'lastLoginAt'])
      .where('username', '=', 'alice')
      .execute();
    await handle.close();

    // Assess
    const input = rds.commandCalls(ExecuteStatementCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      resourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:aiops',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops-db-AbCdEf',
      database: 'aiops',
      sql: 'select "id", "last_login_at" from "users" where "username" = :p1',
    });
    expect(rows).toEqual([
      { id: '5f0c7a2e-8d2b-4f7e-9a51-0c1d2e3f4a5b', lastLoginAt: new Date('2026-11-25T08:30:00.250Z') },
    ]);
    rds.restore();
  });
});
