/** The README walk-through, driven against a real `aiops serve` on a random port. */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Served, startServe } from '../helpers/serve.js';

let served: Served;

async function api(path: string, init: RequestInit & { key?: string | null } = {}) {
  const { key, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('x-api-key', key ?? served.adminKey);
  if (rest.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const response = await fetch(`${served.url}${path}`, { ...rest, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const baseline = {
  replicas: 3,
  database_url: 'postgres://app:old-password@db-primary:5432/app',
  cache: { ttl_seconds: 300, enabled: true },
  features: { new_checkout: false },
};
const target = {
  replicas: 8,
  database_url: 'postgres://app:new-password@db-replica:5432/app',
  cache: { ttl_seconds: 300 },
  features: { new_checkout: true, beta_banner: true },
};

describe('aiops serve', () => {
  beforeAll(async () => {
    served = await startServe();
  });

  afterAll(async () => {
    if (served) {
      await served.stop();
      await rm(served.dataDir, { recursive: true, force: true });
    }
  });

  it('tells what it is doing while it starts, each step timed, before it says where it listens', () => {
    const lines = served.output().split('\n');
    const steps = lines
      .filter((line) => /^ {2}\[\d+\.\d s\] /.test(line))
      .map((line) => line.replace(/^.*\] /, ''));
    expect(lines[0]).toMatch(/^ {2}\[\d+\.\d s\] opening the embedded PostgreSQL in .+\/data/);
    expect(steps).toEqual(
      expect.arrayContaining([
        'applying database migrations',
        expect.stringMatching(/^\d+ migrations applied$/),
        'starting the lanes (job queues)',
        expect.stringMatching(/^\d+ agents, run in worker threads/),
        'working the lanes default, agents, monitoring, maintenance, priority',
      ]),
    );
    const listening = lines.findIndex((line) => line.startsWith('AIOps is listening on'));
    expect(listening).toBeGreaterThan(lines.findIndex((line) => line.includes('working the lanes')));
  });

  it('answers liveness without a key', async () => {
    const health = await api('/v1/health', { key: null });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('runs config-drift-detector end to end: create, poll, read the findings', async () => {
    // Act
    const created = await api('/v1/executions', {
      method: 'POST',
      body: JSON.stringify({ agent: 'config-drift-detector', input: { baseline, target } }),
    });
    const id = created.body.id as string;
    const done = await until(
      () => api(`/v1/executions/${id}`),
      (r) => r.body.status === 'completed' || r.body.status === 'failed',
    );

    // Assess
    expect(created).toMatchObject({
      status: 202,
      body: { agent: 'config-drift-detector', status: 'queued' },
    });
    expect(done.body).toMatchObject({ id, status: 'completed', lane: 'agents' });
    const findings = done.body.result.findings as { resource: { name: string }; severity: string }[];
    const byPath = Object.fromEntries(findings.map((f) => [f.resource.name, f.severity]));
    expect(byPath).toMatchObject({ replicas: 'high', database_url: expect.stringMatching(/critical|high/) });
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining(['cache.enabled', 'features.new_checkout', 'features.beta_banner']),
    );
    expect(JSON.stringify(done.body.result)).not.toContain('new-password');
    expect(done.body.findingCounts.high).toBeGreaterThanOrEqual(1);
    expect(done.body.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('lists executions and serves the OpenAPI document', async () => {
    const list = await api('/v1/executions?agent=config-drift-detector&limit=5');
    const openapi = await api('/v1/openapi.json', { key: null });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    expect(openapi.body.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.body.paths)).toContain('/v1/executions/{id}');
  });

  it('answers client mistakes with problem documents', async () => {
    const noKey = await api('/v1/executions', { key: null });
    const badKey = await api('/v1/executions', { key: 'aiops_not-a-real-key' });
    const badInput = await api('/v1/executions', {
      method: 'POST',
      body: JSON.stringify({ agent: 'config-drift-detector', input: { baseline: 'a: [' } }),
    });
    const unknown = await api('/v1/executions/00000000-0000-4000-8000-000000000000');
    const wrongType = await api('/v1/executions', {
      method: 'POST',
      body: 'agent=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([noKey.status, badKey.status, badInput.status, unknown.status, wrongType.status]).toEqual([
      401, 401, 400, 404, 415,
    ]);
    expect(badInput.headers.get('content-type')).toBe('application/problem+json');
    expect(badInput.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['input.baseline']),
    );
  });

  it('rejects bodies over 1 MiB with 413', async () => {
    const big = JSON.stringify({
      agent: 'config-drift-detector',
      input: { baseline: { x: 'y'.repeat(1_100_000) }, target: {} },
    });
    const response = await api('/v1/executions', { method: 'POST', body: big });
    expect(response.status).toBe(413);
  });

  it('creates a user key with a narrower role; readonly cannot create executions', async () => {
    // Prepare
    const created = await api('/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'dashboard', username: 'viewer', role: 'readonly' }),
    });

    // Act
    const attempt = await api('/v1/executions', {
      method: 'POST',
      key: created.body.key,
      body: JSON.stringify({ agent: 'config-drift-detector', input: { baseline: {}, target: {} } }),
    });
    const audit = await api('/v1/audit-logs?limit=100');

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^aiops_[A-Za-z0-9]{40}$/);
    expect(attempt.status).toBe(403);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['POST /v1/api-keys', 'POST /v1/executions']),
    );
  });

  it('replays an idempotent create, refuses the same key with another body', async () => {
    const body = JSON.stringify({
      agent: 'config-drift-detector',
      input: { baseline: { a: 1 }, target: { a: 2 } },
    });
    const headers = { 'idempotency-key': 'deploy-2026-11-25-001' };
    const first = await api('/v1/executions', { method: 'POST', body, headers });
    const again = await api('/v1/executions', { method: 'POST', body, headers });
    const other = await api('/v1/executions', {
      method: 'POST',
      headers,
      body: JSON.stringify({ agent: 'config-drift-detector', input: { baseline: {}, target: {} } }),
    });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(other.status).toBe(422);
  });

  it('stops gracefully on SIGTERM', async () => {
    const code = await served.stop('SIGTERM');
    expect(code).toBe(0);
    expect(served.output()).toContain('stopped');
  });
});
