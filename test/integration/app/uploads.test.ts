/**
 * Inputs too large for a request: upload through the API, then analyse by
 * reference (`{ "$object": ref }`), run by the lane worker; and the other
 * input source, CloudWatch Logs, with a mocked client.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { AppDeps } from '../../../shared/app/deps.js';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { ExecutionRunner } from '../../../shared/app/runner.js';
import type { UploadCreated } from '../../../shared/app/uploads.js';
import type { Worker } from '../../../shared/lanes/port.js';
import { CloudWatchLogsReader } from '../../../shared/runtime/aws/cloudwatch-logs.js';
import { S3ObjectStore } from '../../../shared/runtime/aws/s3-objects.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { fixture } from '../../helpers/fixtures.js';
import { sampleEvent } from '../../helpers/lambda.js';

let app: TestApp;
let worker: Worker;
const LOG = fixture('logs/shop-incident.log');
const LOG_LINES = LOG.split('\n').filter((l) => l.trim() !== '').length;

beforeAll(async () => {
  app = await startTestApp();
  // The agents lane only: priority executions below are run by hand, with other settings.
  worker = await app.lanes.work(['agents'], createJobHandler(app.deps));
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
});

type Role = 'admin' | 'user' | 'readonly';

async function call(
  method: string,
  path: string,
  options: { as?: Role | string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  api = app.api,
) {
  const key = options.as === undefined ? undefined : (app.keys[options.as as Role] ?? options.as);
  const headers: Record<string, string> = {
    host: 'aiops.test:3000',
    ...(key === undefined ? {} : { 'x-api-key': key }),
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const result = await api(httpEvent(method, path, { headers, ...(body === undefined ? {} : { body }) }));
  return { status: result.statusCode ?? 0, body: json(result) as Record<string, unknown> };
}

async function upload(filename: string, content: string, as: Role | string = 'user'): Promise<UploadCreated> {
  const created = await call('POST', '/v1/uploads', {
    as,
    body: { filename, contentType: 'text/plain', size: Buffer.byteLength(content) },
  });
  expect(created.status).toBe(201);
  const target = created.body as unknown as UploadCreated;
  const put = await call('PUT', new URL(target.upload.url).pathname, {
    raw: content,
    headers: target.upload.headers,
  });
  expect(put).toMatchObject({ status: 200, body: { ref: target.ref, size: Buffer.byteLength(content) } });
  return target;
}

async function finished(id: string, as: Role = 'user') {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const view = await call('GET', `/v1/executions/${id}`, { as });
    const status = view.body.status;
    if (status === 'completed' || status === 'failed' || Date.now() > deadline) return view.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('uploads', () => {
  it('uploads a log, then analyses it by reference to completion', async () => {
    // Prepare
    const target = await upload('shop-incident.log', LOG);

    // Act
    const created = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input: { $object: target.ref } },
    });
    const done = await finished(created.body.id as string);

    // Assess
    expect(target.upload.url).toMatch(/^http:\/\/aiops\.test:3000\/v1\/uploads\/[\w-]+\.[\w-]+$/);
    expect(target.ref).toMatch(/^object:uploads\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/shop-incident\.log$/);
    expect(created.status).toBe(202);
    expect(done).toMatchObject({
      status: 'completed',
      agent: 'log-analyzer',
      input: { $object: target.ref },
    });
    expect((done.result as { metrics: { lines: number } }).metrics.lines).toBe(LOG_LINES);
  });

  it('keeps the signed token of an upload URL out of the audit trail', async () => {
    // Prepare
    const target = await upload('audited.log', LOG);
    const token = new URL(target.upload.url).pathname.split('/').at(-1) ?? '';

    // Act
    const trail = await app.deps.repos.auditLogs.list({ eventType: 'api' }, { limit: 100 });

    // Assess
    const puts = trail.items.filter((entry) => entry.method === 'PUT');
    expect(token.length).toBeGreaterThan(20);
    expect(puts.length).toBeGreaterThan(0);
    for (const entry of puts) expect(entry.endpoint).toBe('/v1/uploads/{token}');
    expect(JSON.stringify(trail.items)).not.toContain(token);
  });

  it('reads a CSV as the anomaly detector’s points and a .json object as the input itself', async () => {
    // Prepare
    const csv = await upload('api-cpu.csv', fixture('metrics/api-cpu.csv'));
    const drift = await upload(
      'drift.json',
      JSON.stringify({ baseline: { replicas: 2, tls: true }, target: { replicas: 6, tls: false } }),
    );

    // Act
    const [series, config] = await Promise.all(
      [
        { agent: 'anomaly-detector', input: { $object: csv.ref } },
        { agent: 'config-drift-detector', input: { $object: drift.ref } },
      ].map(async (body) =>
        finished((await call('POST', '/v1/executions', { as: 'user', body })).body.id as string),
      ),
    );

    // Assess
    const rows = fixture('metrics/api-cpu.csv').trim().split('\n').length - 1;
    expect(series).toMatchObject({ status: 'completed', result: { metrics: { points: rows } } });
    expect(config).toMatchObject({ status: 'completed' });
    expect(config?.result).toMatchObject({ findings: expect.arrayContaining([expect.any(Object)]) });
  });

  it('lets nobody else name a user’s upload, except an admin', async () => {
    // Prepare
    const target = await upload('mine.log', LOG);
    const other = await call('POST', '/v1/api-keys', {
      as: 'admin',
      body: { name: 'other', username: 'uploads-other', role: 'user' },
    });
    const otherKey = (other.body as { key: string }).key;

    // Act
    const byOther = await call('POST', '/v1/executions', {
      as: otherKey,
      body: { agent: 'log-analyzer', input: { $object: target.ref } },
    });
    const byAdmin = await call('POST', '/v1/executions', {
      as: 'admin',
      body: { agent: 'log-analyzer', input: { $object: target.ref } },
    });

    // Assess: the same answer as for a key that does not exist.
    expect(byOther.status).toBe(400);
    expect(byOther.body.errors).toEqual([
      { path: 'input.$object', message: expect.stringContaining('no object') },
    ]);
    expect(byAdmin.status).toBe(202);
  });

  it.each([
    [{ $object: 's3://someone-elses-bucket/logs/app.log' }, 'input.$object'],
    [{ $object: 'object:../../etc/passwd' }, 'input.$object'],
    [{ $object: 'object:logs/app.log', lines: ['x'] }, 'input'],
    [{ $object: 'object:uploads/never/uploaded.log' }, 'input.$object'],
  ])('refuses the input %j at %s', async (input, path) => {
    const result = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input },
    });
    expect(result.status).toBe(400);
    expect((result.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it('refuses an announced size over the cap, and a body over it', async () => {
    // Prepare: the same application with a 2 KiB cap.
    const small: AppDeps = { ...app.deps, settings: { ...app.deps.settings, maxObjectBytes: 2048 } };
    const api = createApiHandler(small);
    const ok = await call('POST', '/v1/uploads', { as: 'user', body: { filename: 'a.log' } }, api);
    const token = new URL((ok.body as unknown as UploadCreated).upload.url).pathname;

    // Act
    const announced = await call(
      'POST',
      '/v1/uploads',
      { as: 'user', body: { filename: 'a.log', size: 4096 } },
      api,
    );
    const sent = await call('PUT', token, { raw: 'x'.repeat(4096) }, api);

    // Assess
    expect(announced.status).toBe(400);
    expect(announced.body.errors).toEqual([{ path: 'size', message: expect.stringContaining('2.0 KiB') }]);
    expect(sent.status).toBe(413);
  });

  it('fails an execution whose object grew past the cap with a readable error', async () => {
    // Prepare: queued on the priority lane, which no worker here consumes.
    const target = await upload('grows.log', LOG);
    const created = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input: { $object: target.ref }, priority: true },
    });
    const runner = new ExecutionRunner({
      ...app.deps,
      settings: { ...app.deps.settings, maxObjectBytes: 1024 },
    });

    // Act
    await runner.execute(created.body.id as string, { attempt: 1, maxAttempts: 3 });

    // Assess
    const view = await call('GET', `/v1/executions/${created.body.id}`, { as: 'user' });
    expect(view.body).toMatchObject({
      status: 'failed',
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/is 1\.\d KiB.*up to 1\.0 KiB/) },
    });
  });

  it('fails readably when a .json object does not hold JSON', async () => {
    // Prepare
    const target = await upload('broken.json', '{ "lines": [');
    const created = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input: { $object: target.ref }, priority: true },
    });

    // Act
    await new ExecutionRunner(app.deps).execute(created.body.id as string, { attempt: 1, maxAttempts: 3 });

    // Assess
    const view = await call('GET', `/v1/executions/${created.body.id}`, { as: 'user' });
    expect(view.body).toMatchObject({
      status: 'failed',
      error: { code: 'AGENT_INPUT_INVALID', message: `Object ${target.key} is not valid JSON` },
    });
  });

  it('refuses invalid or expired upload URLs, and answers 404 where uploads go to S3', async () => {
    // Prepare
    const onS3 = createApiHandler({
      ...app.deps,
      objects: new S3ObjectStore({ bucket: 'aiops-prod-objects' }),
    });

    // Act
    const forged = await call('PUT', '/v1/uploads/eyJrIjoibG9ncy94In0.bm90LWEtc2lnbmF0dXJl', { raw: 'x' });
    const garbage = await call('PUT', '/v1/uploads/not-a-token', { raw: 'x' });
    const s3 = await call('PUT', '/v1/uploads/anything.at-all', { raw: 'x' }, onS3);

    // Assess
    expect(forged.status).toBe(401);
    expect(garbage.status).toBe(401);
    expect(s3.status).toBe(404);
  });

  it('answers the sample upload request with a target and a reference', async () => {
    // Prepare: the sample carries a placeholder key; this database knows another.
    const event = sampleEvent<APIGatewayProxyEventV2>('api-create-upload.json');
    event.headers = { ...event.headers, 'x-api-key': app.keys.user };

    // Act
    const result = await app.api(event);

    // Assess
    expect(result.statusCode).toBe(201);
    const body = json(result) as UploadCreated;
    expect(body.ref).toMatch(/^object:uploads\/.+\/checkout-2026-11-25\.log$/);
    expect(body.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/plain' } });
    expect(body.upload.url).toMatch(
      /^https:\/\/r3pmxmplak\.execute-api\.eu-west-1\.amazonaws\.com\/v1\/uploads\//,
    );
  });
});

describe('CloudWatch Logs as a log source', () => {
  const logs = mockClient(CloudWatchLogsClient);
  const source = {
    $cloudwatchLogs: {
      logGroup: '/aws/lambda/shop-checkout',
      from: '2026-11-25T07:00:00Z',
      to: '2026-11-25T08:00:00Z',
      filterPattern: '?ERROR ?WARN ?INFO',
    },
  };

  beforeEach(() => {
    logs.reset();
  });

  it('is refused with a readable error where there is no AWS', async () => {
    const result = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input: source },
    });
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      { path: 'input.$cloudwatchLogs', message: expect.stringContaining('outside AWS') },
    ]);
  });

  it('reads the log group’s events for the log analyzer on AWS', async () => {
    // Prepare
    const lines = LOG.split('\n').filter((l) => l.trim() !== '');
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: lines.slice(0, 5).map((message) => ({ message })), nextToken: 't2' })
      .resolvesOnce({ events: lines.slice(5).map((message) => ({ message })) });
    const onAws: AppDeps = {
      ...app.deps,
      logEvents: new CloudWatchLogsReader({ client: new CloudWatchLogsClient({ region: 'eu-west-1' }) }),
    };
    const api = createApiHandler(onAws);

    // Act
    const created = await call(
      'POST',
      '/v1/executions',
      { as: 'user', body: { agent: 'log-analyzer', input: source, priority: true } },
      api,
    );
    await new ExecutionRunner(onAws).execute(created.body.id as string, { attempt: 1, maxAttempts: 3 });

    // Assess
    const done = await app.deps.repos.executions.findById(created.body.id as string);
    expect(done).toMatchObject({ status: 'completed', output: { metrics: { lines: lines.length } } });
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(2);
  });

  it.each([
    [{ ...source.$cloudwatchLogs, from: '2026-11-25T09:00:00Z' }, 'input.$cloudwatchLogs.from'],
    [{ ...source.$cloudwatchLogs, logGroup: 'bad group name!' }, 'input.$cloudwatchLogs.logGroup'],
    [{ ...source.$cloudwatchLogs, limit: 0 }, 'input.$cloudwatchLogs.limit'],
  ])('refuses a bad query (%#) at %s', async (query, path) => {
    const result = await call('POST', '/v1/executions', {
      as: 'user',
      body: { agent: 'log-analyzer', input: { $cloudwatchLogs: query } },
    });
    expect(result.status).toBe(400);
    expect((result.body.errors as { path: string }[]).map((e) => e.path)).toContain(path);
  });

  it('is for log agents only', async () => {
    const onAws = createApiHandler({
      ...app.deps,
      logEvents: new CloudWatchLogsReader({ region: 'eu-west-1' }),
    });
    const result = await call(
      'POST',
      '/v1/executions',
      { as: 'user', body: { agent: 'anomaly-detector', input: source } },
      onAws,
    );
    expect(result.status).toBe(400);
  });
});
