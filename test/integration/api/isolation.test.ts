/**
 * What one caller can reach of another's, and what one request body can do to
 * the process: a readonly key reads only its own user's executions, results and
 * runs (#8); client JSON too deep to handle is a 400, never a 500 (#12).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeysService } from '../../../shared/app/api-keys.js';
import { ExecutionRunner } from '../../../shared/app/runner.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

type Body = Record<string, unknown> & { errors?: { path: string; message: string }[] };

async function call(
  method: string,
  path: string,
  key: string,
  options: { body?: string; query?: Record<string, string> } = {},
): Promise<{ status: number; body: Body }> {
  const result = await app.api(
    httpEvent(method, path, {
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.query === undefined ? {} : { query: options.query }),
    }),
  );
  return { status: result.statusCode ?? 0, body: json(result) as Body };
}

/** A log with a credential in it: the result echoes input-derived lines, which is why it is protected. */
const LOG = [
  '2026-11-25T08:00:01Z ERROR checkout payment failed: upstream 502 from psp.internal',
  '2026-11-25T08:00:02Z ERROR checkout payment failed: upstream 502 from psp.internal',
  '2026-11-25T08:00:03Z WARN db pool exhausted for user=alice@example.com',
];

describe('a readonly key reads only its own user’s data (#8)', () => {
  let executionId: string;

  beforeAll(async () => {
    const created = await call('POST', '/v1/executions', app.keys.user, {
      body: JSON.stringify({ agent: 'log-analyzer', input: { lines: LOG }, priority: true }),
    });
    executionId = created.body.id as string;
    await new ExecutionRunner(app.deps).execute(executionId, { attempt: 1, maxAttempts: 3 });
  });

  it('#8 hides another user’s execution and result from a readonly key, in the list and by id', async () => {
    // Act
    const byId = await call('GET', `/v1/executions/${executionId}`, app.keys.readonly);
    const list = await call('GET', '/v1/executions', app.keys.readonly, { query: { limit: '100' } });
    const asked = await call('GET', '/v1/executions', app.keys.readonly, {
      query: {
        limit: '100',
        userId: (await call('GET', `/v1/executions/${executionId}`, app.keys.user)).body.userId as string,
      },
    });

    // Assess
    expect(byId.status).toBe(404);
    expect(JSON.stringify(byId.body)).not.toContain('psp.internal');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect(asked.body.items).toEqual([]);
  });

  it('#8 lets a key narrowed to readonly read its own user’s execution and result, and admins everyone’s', async () => {
    // Prepare
    const narrowed = await new ApiKeysService(app.deps).issue({
      name: 'dashboard',
      username: 'user-person',
      role: 'readonly',
    });

    // Act
    const own = await call('GET', `/v1/executions/${executionId}`, narrowed.key);
    const ownList = await call('GET', '/v1/executions', narrowed.key);
    const asAdmin = await call('GET', `/v1/executions/${executionId}`, app.keys.admin);

    // Assess
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: executionId, status: 'completed', result: expect.any(Object) });
    expect((ownList.body.items as { id: string }[]).map((i) => i.id)).toContain(executionId);
    expect(asAdmin.body).toMatchObject({ id: executionId, result: expect.any(Object) });
  });

  it('#8 hides another user’s workflow run and costs from a readonly key', async () => {
    // Prepare
    const started = await call('POST', '/v1/workflows/batch-analysis/runs', app.keys.user, {
      body: JSON.stringify({ agent: 'log-analyzer', items: [{ lines: LOG }] }),
    });
    const owner = (await call('GET', `/v1/workflows/runs/${started.body.id}`, app.keys.user)).body
      .userId as string;

    // Act
    const run = await call('GET', `/v1/workflows/runs/${started.body.id}`, app.keys.readonly);
    const costs = await call('GET', '/v1/costs', app.keys.readonly, {
      query: { userId: owner, groupBy: 'user' },
    });

    // Assess
    expect(started.status).toBe(202);
    expect(run.status).toBe(404);
    expect(costs.status).toBe(200);
    expect(costs.body.userId).not.toBe(owner);
  });
});

describe('client JSON too deep or holding NUL is a 400 at the edge (#12)', () => {
  const deep = (levels: number, leaf: string) => `${'['.repeat(levels)}${leaf}${']'.repeat(levels)}`;

  it('#12 answers 400, not 500, to an input nested 100 000 levels deep', async () => {
    // Act
    const response = await call('POST', '/v1/executions', app.keys.user, {
      body: `{"agent":"log-analyzer","input":{"lines":${deep(100_000, '"x"')}}}`,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(response.body.errors?.[0]?.path).toMatch(/^body\.input\.lines(\.0)+$/);
    expect(response.body.errors?.[0]?.message).toMatch(/at most \d+ levels/);
  });

  it('#12 answers 400, not a PostgreSQL 22P05 500, to a NUL 300 levels down', async () => {
    // Act
    const response = await call('POST', '/v1/executions', app.keys.user, {
      body: `{"agent":"config-drift-detector","input":{"baseline":${'{"a":'.repeat(300)}"\\u0000"${'}'.repeat(300)},"current":{}}}`,
    });
    const shallow = await call('POST', '/v1/executions', app.keys.user, {
      body: '{"agent":"log-analyzer","input":{"lines":["ok","nul \\u0000 here"]}}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(shallow.status).toBe(400);
    expect(shallow.body.errors).toEqual([
      { path: 'body.input.lines.1', message: 'must not contain NUL (\\u0000)' },
    ]);
  });

  it('#12 answers 400 to a workflow run request nested too deeply', async () => {
    // Act
    const response = await call('POST', '/v1/workflows/batch-analysis/runs', app.keys.user, {
      body: `{"agent":"log-analyzer","items":[{"lines":${deep(5_000, '"x"')}}]}`,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('#12 fails an execution whose uploaded .json object is nested too deeply, readably', async () => {
    // Prepare
    const key = 'uploads/deep/id/input.json';
    await app.deps.objects.put(key, `{"lines":${deep(100_000, '"x"')}}`);
    const created = await call('POST', '/v1/executions', app.keys.admin, {
      body: JSON.stringify({ agent: 'log-analyzer', input: { $object: `object:${key}` }, priority: true }),
    });

    // Act
    await new ExecutionRunner(app.deps).execute(created.body.id as string, { attempt: 1, maxAttempts: 3 });

    // Assess
    const view = await call('GET', `/v1/executions/${created.body.id}`, app.keys.admin);
    expect(view.body).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_INPUT_INVALID', message: `Object ${key} holds JSON the API refuses` },
    });
  });
});

describe('an execution’s input, read back (#25)', () => {
  const input = {
    baseline: { database: { password: 'old-Pa55word-1' }, url: 'postgres://app:old-Pa55word-1@db:5432/app' },
    target: { database: { password: 'new-Pa55word-2' }, url: 'postgres://app:new-Pa55word-2@db:5432/app' },
  };
  let executionId: string;

  beforeAll(async () => {
    const created = await call('POST', '/v1/executions', app.keys.user, {
      body: JSON.stringify({ agent: 'config-drift-detector', input }),
    });
    executionId = created.body.id as string;
  });

  it('shows its owner the input with secret-looking values masked', async () => {
    const read = await call('GET', `/v1/executions/${executionId}`, app.keys.user);
    expect(read.status).toBe(200);
    expect(read.body.input).toEqual({
      baseline: { database: { password: '[REDACTED]' }, url: 'postgres://[REDACTED]@db:5432/app' },
      target: { database: { password: '[REDACTED]' }, url: 'postgres://[REDACTED]@db:5432/app' },
    });
    expect(JSON.stringify(read.body)).not.toMatch(/Pa55word/);
  });

  it('gives an admin the input as sent with include=input, and writes that read to the audit trail', async () => {
    const read = await call('GET', `/v1/executions/${executionId}`, app.keys.admin, {
      query: { include: 'input' },
    });
    const trail = await app.deps.repos.auditLogs.list({ eventType: 'api' }, { limit: 100 });
    expect(read.status).toBe(200);
    expect(read.body.input).toEqual(input);
    expect(trail.items).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        action: 'GET /v1/executions/{id}',
        resourceId: executionId,
        statusCode: 200,
        details: expect.objectContaining({ include: 'input', role: 'admin' }),
      }),
    );
  });

  it('refuses include=input to its owner who is not an admin (403), and an unknown query (400)', async () => {
    const owner = await call('GET', `/v1/executions/${executionId}`, app.keys.user, {
      query: { include: 'input' },
    });
    const unknown = await call('GET', `/v1/executions/${executionId}`, app.keys.user, {
      query: { expand: 'all' },
    });
    expect(owner.status).toBe(403);
    expect(JSON.stringify(owner.body)).not.toMatch(/Pa55word/);
    expect(unknown.status).toBe(400);
  });
});
