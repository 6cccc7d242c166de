/** The local runtime in process: bootstrap key, HTTP adapter, workers, recovery and shutdown. */

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { loadConfig, resetConfig } from '../../../shared/core/config.js';
import { LANES } from '../../../shared/core/domain.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { openDatabase } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { startRuntime } from '../../../shared/runtime/local/runtime.js';
import { anExecution } from '../../helpers/factories.js';

const dirs: string[] = [];
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aiops-runtime-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the embedded runtime', () => {
  it('creates the admin key once, serves the API over HTTP, runs jobs, and stops cleanly', async () => {
    // Prepare
    const dir = await dataDir();
    const config = loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0' });

    // Act
    const runtime = await startRuntime(config, { api: true, lanes: LANES, embedded: true });
    const key = runtime.bootstrap?.key ?? '';
    const created = await fetch(`${runtime.url}/v1/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        agent: 'config-drift-detector',
        input: { baseline: { a: 1 }, target: { a: 3 } },
      }),
    });
    const { id } = (await created.json()) as { id: string };
    await until(async () => (await runtime.deps.repos.executions.findById(id))?.status === 'completed');
    const oversized = await fetch(`${runtime.url}/v1/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: 'x'.repeat(1024 * 1024 + 10),
    });
    await runtime.stop();
    const again = await startRuntime(config, { api: false, lanes: [], embedded: true });
    await again.stop();

    // Assess
    expect(runtime.bootstrap).toMatchObject({ created: true, file: join(dir, 'admin-key') });
    expect(key).toMatch(/^aiops_/);
    expect((await readFile(join(dir, 'admin-key'), 'utf8')).trim()).toBe(key);
    expect((await stat(join(dir, 'admin-key'))).mode & 0o777).toBe(0o600);
    expect(created.status).toBe(202);
    expect(oversized.status).toBe(413);
    expect(again.bootstrap).toMatchObject({ created: false, key });
  });

  it('uses AIOPS_BOOTSTRAP_API_KEY as the admin key without writing it to disk', async () => {
    // Prepare
    const dir = await dataDir();
    const fixedKey = `aiops_${'A1b2C3d4'.repeat(5)}`;

    // Act
    const runtime = await startRuntime(
      loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0', AIOPS_BOOTSTRAP_API_KEY: fixedKey }),
      {
        api: true,
        lanes: [],
        embedded: true,
      },
    );
    const health = await fetch(`${runtime.url}/v1/health?deep=true`, { headers: { 'x-api-key': fixedKey } });
    await runtime.stop();

    // Assess
    expect(runtime.bootstrap).toMatchObject({ key: fixedKey, file: undefined });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ checks: { database: { status: 'ok' } } });
    await expect(stat(join(dir, 'admin-key'))).rejects.toThrow();
  });

  it('finishes what a crashed process left: queued work without a job and expired leases', async () => {
    // Prepare: a "previous process" left one execution queued with no job and one running under a lease.
    const dir = await dataDir();
    const handle = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });
    await migrateUp(handle.db);
    const repos = createRepositories(handle.db);
    const orphan = await repos.executions.create(
      anExecution({ input: { baseline: { a: 1 }, target: { a: 2 } } }),
    );
    const leased = await repos.executions.create(
      anExecution({ input: { baseline: { b: 1 }, target: { b: 2 } } }),
    );
    await repos.executions.acquireLease(leased.id, new Date(Date.now() + 3_600_000));
    await handle.close();

    // Act: the leased one has no job either; only the lease release and re-enqueue can finish the first.
    const runtime = await startRuntime(loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0' }), {
      api: false,
      lanes: LANES,
      embedded: true,
    });
    await until(
      async () => (await runtime.deps.repos.executions.findById(orphan.id))?.status === 'completed',
    );
    // The leased one's job is gone with the crash: the recovery sweep sends it a new one.
    await until(
      async () => (await runtime.deps.repos.executions.findById(leased.id))?.status === 'completed',
    );
    const leasedNow = await runtime.deps.repos.executions.findById(leased.id);
    await runtime.stop();

    // Assess: run to completion on its second lease
    expect(leasedNow?.attempts).toBe(2);
    expect(leasedNow?.leaseExpiresAt).toBeNull();
  });

  it('sends a completion callback that a crash kept from being queued, once', async () => {
    // Prepare: a receiver, and an execution that completed just before a crash, its callback never queued.
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    // A receiver on this machine: allowed only because the allow-list says so (callback-policy.ts).
    process.env.AIOPS_CALLBACK_ALLOW = '127.0.0.1';
    resetConfig();
    const dir = await dataDir();
    const handle = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });
    await migrateUp(handle.db);
    const repos = createRepositories(handle.db);
    const done = await repos.executions.create(anExecution({ callbackUrl }));
    await repos.executions.acquireLease(done.id, new Date(Date.now() + 60_000));
    await repos.executions.complete(done.id, { output: { summary: 'ok', findings: [] }, findingCounts: {} });
    await handle.close();
    const config = loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0', AIOPS_CALLBACK_SECRET: 'shh' });

    // Act: start twice; the second start must not send it again.
    const first = await startRuntime(config, { api: false, lanes: LANES, embedded: true });
    await until(async () => received.length === 1);
    await first.stop();
    const second = await startRuntime(config, { api: false, lanes: LANES, embedded: true });
    await new Promise((r) => setTimeout(r, 1500));
    await second.stop();
    await new Promise((resolve) => receiver.close(resolve));

    // Assess
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0] ?? '{}')).toMatchObject({
      type: 'aiops.execution.completed',
      data: { id: done.id },
    });
  });

  it('refuses a second process on the same embedded database', async () => {
    // Prepare
    const dir = await dataDir();
    const first = await startRuntime(loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0' }), {
      api: false,
      lanes: [],
      embedded: true,
    });

    // Act
    const second = startRuntime(loadConfig({ AIOPS_DATA_DIR: dir, PORT: '0' }), {
      api: false,
      lanes: [],
      embedded: true,
    });

    // Assess: the data directory's lock names the holder (#16).
    await expect(second).rejects.toThrow(
      new ConfigurationError(
        `${dir} is already used by aiops serve (pid ${process.pid}); stop it or use another AIOPS_DATA_DIR`,
      ),
    );
    await first.stop();
  });

  it('requires DATABASE_URL for the separate api and worker roles', async () => {
    const attempt = startRuntime(loadConfig({ PORT: '0' }), { api: true, lanes: [], embedded: false });
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;

onServer('the api and worker roles on a PostgreSQL server (TEST_DATABASE_URL)', () => {
  it('accept an execution in one process role and run it in the other', async () => {
    // Prepare: a schema of its own, migrated as `aiops migrate up` would, and a user key.
    const schema = `roles_${Date.now()}`;
    const admin = await openDatabase({ kind: 'pg', url: serverUrl ?? '', poolMax: 1 });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const url = new URL(serverUrl ?? '');
    url.searchParams.set('options', `-c search_path=${schema}`);
    const handle = await openDatabase({ kind: 'pg', url: url.toString(), poolMax: 2 });
    await migrateUp(handle.db);
    const { ApiKeysService } = await import('../../../shared/app/api-keys.js');
    const { systemClock } = await import('../../../shared/core/clock.js');
    const { key } = await new ApiKeysService({
      db: handle.db,
      repos: createRepositories(handle.db),
      clock: systemClock,
    }).issue({
      name: 'ops',
      username: 'ops',
      role: 'user',
    });
    await handle.close();
    const config = loadConfig({ DATABASE_URL: url.toString(), PORT: '0' });

    // Act
    const api = await startRuntime(config, { api: true, lanes: [], embedded: false });
    const worker = await startRuntime(config, { api: false, lanes: ['agents'], embedded: false });
    try {
      const created = await fetch(`${api.url}/v1/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({
          agent: 'config-drift-detector',
          input: { baseline: { a: 1 }, target: { a: 9 } },
        }),
      });
      const { id } = (await created.json()) as { id: string };
      await until(async () => (await worker.deps.repos.executions.findById(id))?.status === 'completed');

      // Assess
      expect(created.status).toBe(202);
    } finally {
      await api.stop();
      await worker.stop();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await sql`drop schema if exists pgboss cascade`.execute(admin.db);
      await admin.close();
    }
  });
});
