/** Readiness and the probe-only handler a worker serves (Kubernetes liveness / readiness probes). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import { openDatabase } from '../../../shared/db/database.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

describe('probes', () => {
  it('answers readiness with the database round trip', async () => {
    // Act
    const result = await app.api(httpEvent('GET', '/v1/health/ready'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({
      status: 'ready',
      checks: { database: { status: 'ok', latencyMs: expect.any(Number) } },
    });
  });

  it('is not ready, with a 503 problem document, when the database is gone', async () => {
    // Prepare: a process whose database has been closed under it.
    const handle = await openDatabase({ kind: 'pglite-memory' });
    const api = createApiHandler({ ...app.deps, db: handle.db });
    await handle.close();

    // Act
    const result = await api(httpEvent('GET', '/v1/health/ready'));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(json(result)).toMatchObject({ code: 'DB_CONNECTION_ERROR', status: 503 });
  });

  it("serves a worker's probes and nothing else", async () => {
    // Prepare
    const probes = createApiHandler(app.deps, { probesOnly: true });

    // Act
    const answers = await Promise.all(
      ['/v1/health', '/v1/health/ready', '/v1/agents', '/v1/openapi.json', '/v1/executions'].map(
        async (path) => [
          path,
          (await probes(httpEvent('GET', path, { headers: { 'x-api-key': app.keys.admin } }))).statusCode,
        ],
      ),
    );

    // Assess
    expect(Object.fromEntries(answers)).toEqual({
      '/v1/health': 200,
      '/v1/health/ready': 200,
      '/v1/agents': 404,
      '/v1/openapi.json': 404,
      '/v1/executions': 404,
    });
  });
});
