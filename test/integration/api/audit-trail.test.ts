/**
 * The audit trail has what an auditor needs: a created key's id, user and
 * role; the 413s the local server refuses; keys created from the CLI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import { openDatabase } from '../../../shared/db/database.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { type RunningServer, startHttpServer } from '../../../shared/runtime/local/http-server.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { aiops } from '../../helpers/cli.js';

let app: TestApp;
let server: RunningServer;

beforeAll(async () => {
  app = await startTestApp({ maxObjectBytes: 1024 * 1024 });
  server = await startHttpServer(createApiHandler(app.deps), '127.0.0.1', 0);
});

afterAll(async () => {
  await server?.close();
  await app?.close();
});

async function auditRows(filter: { resourceType?: string } = {}) {
  return (await app.deps.repos.auditLogs.list(filter, { limit: 100 })).items;
}

describe('the audit trail (#14)', () => {
  it('#14 records the id, user and role of a key created through POST /v1/api-keys', async () => {
    // Act
    const response = await fetch(`${server.url}/v1/api-keys`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci pipeline', username: 'ci-bot', role: 'readonly' }),
    });
    const created = (await response.json()) as { key: string; apiKey: { id: string; userId: string } };

    // Assess
    expect(response.status).toBe(201);
    const row = (await auditRows({ resourceType: 'api_key' })).find((r) => r.method === 'POST');
    expect(row).toMatchObject({
      action: 'POST /v1/api-keys',
      statusCode: 201,
      resourceId: created.apiKey.id,
      details: {
        role: 'admin',
        created: {
          apiKeyId: created.apiKey.id,
          userId: created.apiKey.userId,
          username: 'ci-bot',
          role: 'readonly',
        },
      },
    });
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it('#14 names what a create made in its audit row: the execution, the upload', async () => {
    // Act
    const execution = await fetch(`${server.url}/v1/executions`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'log-analyzer', input: { lines: ['ERROR boom'] }, priority: true }),
    });
    const upload = await fetch(`${server.url}/v1/uploads`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'app.log' }),
    });
    const executionId = ((await execution.json()) as { id: string }).id;
    const uploadId = ((await upload.json()) as { id: string }).id;

    // Assess
    const rows = await auditRows();
    expect(rows.find((r) => r.action === 'POST /v1/executions' && r.statusCode === 202)?.resourceId).toBe(
      executionId,
    );
    expect(rows.find((r) => r.action === 'POST /v1/uploads')?.resourceId).toBe(uploadId);
  });

  it('#14 audits a body the local server refuses as too large, with the caller', async () => {
    // Act
    const response = await fetch(`${server.url}/v1/executions`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'log-analyzer', input: { lines: ['x'.repeat(2 * 1024 * 1024)] } }),
    });

    // Assess
    expect(response.status).toBe(413);
    const row = (await auditRows()).find((r) => r.statusCode === 413);
    expect(row).toMatchObject({ action: 'POST /v1/executions', method: 'POST', details: { role: 'user' } });
    expect(row?.userId).toEqual(expect.any(String));
  });

  it('#14 writes an audit row for `aiops keys create`, naming the key, its user and role', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'aiops-keys-audit-'));
    try {
      // Act
      const result = await aiops(
        ['keys', 'create', '--username', 'oncall', '--role', 'user', '--name', 'pager', '--format', 'json'],
        { AIOPS_DATA_DIR: dataDir },
      );

      // Assess
      expect(result.code).toBe(0);
      const created = JSON.parse(result.stdout) as { key: string; apiKey: { id: string; userId: string } };
      const handle = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'data') });
      try {
        const rows = (
          await createRepositories(handle.db).auditLogs.list({ resourceType: 'api_key' }, { limit: 10 })
        ).items;
        expect(rows).toEqual([
          expect.objectContaining({
            eventType: 'cli',
            action: 'aiops keys create',
            resourceId: created.apiKey.id,
            details: expect.objectContaining({
              operator: expect.any(String),
              created: {
                apiKeyId: created.apiKey.id,
                userId: created.apiKey.userId,
                username: 'oncall',
                role: 'user',
              },
            }),
          }),
        ]);
        expect(JSON.stringify(rows)).not.toContain(created.key);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
