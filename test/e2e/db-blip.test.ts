/**
 * #3 under load: `aiops api` and `aiops worker`, real processes on a database
 * of their own, while every one of that database's connections is killed again
 * and again (what a PostgreSQL restart or failover does to them; the shared
 * test server itself is never restarted). Neither process exits, a request
 * caught by a drop answers 503 problem+json with Retry-After (never 500), and
 * every execution accepted with 202 completes exactly once, announced once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ApiKeysService } from '../../shared/app/api-keys.js';
import { systemClock } from '../../shared/core/clock.js';
import { openDatabase } from '../../shared/db/database.js';
import { migrateUp } from '../../shared/db/migrator.js';
import { createRepositories } from '../../shared/db/repositories/index.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;
const root = new URL('../..', import.meta.url).pathname;
/** Databases of this test are named `aiops_blip_<base-36 seconds>_<random>`; older than an hour means leaked. */
const DATABASE = /^aiops_blip_([0-9a-z]+)_[0-9a-f]{8}$/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Proc {
  child: ChildProcess;
  output(): string;
  exitCode(): number | null | undefined;
  url: string;
}

async function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(DATABASE_URL|AURORA_|AIOPS_|NODE_OPTIONS|PORT|HOST)/.test(k),
    ),
  );
  const child = spawn(join(root, 'node_modules/.bin/node'), ['--import', 'tsx', 'bin/aiops.ts', ...args], {
    cwd: root,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'INFO', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: number | null | undefined;
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.once('exit', (code, signal) => {
    exit = code ?? (signal ? -1 : null);
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const url = ready.exec(output)?.[1];
    if (url) return { child, output: () => output, exitCode: () => exit, url };
    if (exit !== undefined) throw new Error(`aiops ${args[0]} exited with ${exit}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`aiops ${args[0]} did not start:\n${output}`);
    await sleep(100);
  }
}

async function withClient<T>(url: string, use: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}

onServer('a database connection drop under load (TEST_DATABASE_URL)', () => {
  const admin = serverUrl ?? '';
  const database = `aiops_blip_${Math.floor(Date.now() / 1000).toString(36)}_${randomUUID().slice(0, 8)}`;
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const procs: Proc[] = [];
  let key = '';

  beforeAll(async () => {
    await withClient(admin, async (c) => {
      // Databases leaked by runs that died before their afterAll.
      const { rows } = await c.query<{ name: string }>(
        "select datname as name from pg_database where datname like 'aiops\\_blip\\_%'",
      );
      for (const { name } of rows) {
        const created = DATABASE.exec(name)?.[1];
        if (created && Date.now() - Number.parseInt(created, 36) * 1000 > 60 * 60 * 1000) {
          await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
        }
      }
      await c.query(`create database ${database}`);
    });
    const handle = await openDatabase({ kind: 'pg', url: databaseUrl, poolMax: 2 });
    try {
      await migrateUp(handle.db);
      key = (
        await new ApiKeysService({
          db: handle.db,
          repos: createRepositories(handle.db),
          clock: systemClock,
        }).issue({ name: 'load', username: 'load', role: 'user' })
      ).key;
    } finally {
      await handle.close();
    }
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await withClient(admin, (c) => c.query(`drop database if exists ${database} with (force)`));
  }, 60_000);

  it('#3 keeps api and worker up, answers 503 with Retry-After during drops, and completes every accepted execution once', async () => {
    // Prepare
    const env = { DATABASE_URL: databaseUrl, AIOPS_RATE_LIMIT_PER_MINUTE: '1000000' };
    const api = await start(['api'], env, /listening on (http:\/\/\S+)/);
    procs.push(api);
    const worker = await start(
      ['worker', '--lanes', 'agents,priority'],
      env,
      /probes on (http:\/\/\S+?)\/v1\/health/,
    );
    procs.push(worker);
    const accepted: string[] = [];
    const refused: { status: number; retryAfter: string | null; type: string | null; body: string }[] = [];
    const other: { status: number; body: string }[] = [];
    let drops = 0;
    let loading = true;

    // Act: load for 12 s, killing every connection of the database every 1.5 s meanwhile
    const terminator = (async () => {
      while (loading) {
        await sleep(1_500);
        drops += await withClient(admin, async (c) => {
          const { rowCount } = await c.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [database],
          );
          return rowCount ?? 0;
        });
      }
    })();
    const client = async (n: number) => {
      for (let i = 0; loading; i += 1) {
        const response = await fetch(`${api.url}/v1/executions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({
            agent: 'config-drift-detector',
            input: { baseline: { replicas: 2, client: n }, target: { replicas: 3 + (i % 5), client: n } },
          }),
        });
        const body = await response.text();
        if (response.status === 202) accepted.push((JSON.parse(body) as { id: string }).id);
        else if (response.status === 503)
          refused.push({
            status: 503,
            retryAfter: response.headers.get('retry-after'),
            type: response.headers.get('content-type'),
            body,
          });
        else other.push({ status: response.status, body });
        await sleep(40);
      }
    };
    const clients = Promise.all([1, 2, 3].map(client));
    await sleep(12_000);
    loading = false;
    await Promise.all([clients, terminator]);

    // After the drops: the API serves again without a restart, and every accepted execution completes.
    const after = await fetch(`${api.url}/v1/health`);
    // Generous: a job that lost every attempt to the drops is re-sent by a sweeper, up to ~3 minutes later.
    const deadline = Date.now() + 240_000;
    let pending = accepted.length;
    const completed = await withClient(databaseUrl, async (c) => {
      for (;;) {
        const { rows } = await c.query<{ id: string; status: string }>(
          'select id, status from agent_executions where id = any($1::uuid[])',
          [accepted],
        );
        pending = rows.filter((r) => r.status !== 'completed').length;
        if (pending === 0 || Date.now() > deadline) return rows;
        await sleep(500);
      }
    });
    await sleep(2_000); // lets a duplicate announcement, were there one, reach the log
    const announcements = worker
      .output()
      .split('\n')
      .filter((line) => line.includes('"aiops.execution.completed"'))
      .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);

    // Assess
    expect(drops).toBeGreaterThan(0);
    expect(other).toEqual([]);
    expect(
      refused.filter((r) => r.retryAfter === null || !r.type?.startsWith('application/problem+json')),
    ).toEqual([]);
    expect(accepted.length).toBeGreaterThan(10);
    expect(after.status).toBe(200);
    expect({ pending, statuses: [...new Set(completed.map((r) => r.status))] }).toEqual({
      pending: 0,
      statuses: ['completed'],
    });
    const perId = new Map<string, number>();
    for (const id of announcements) perId.set(id, (perId.get(id) ?? 0) + 1);
    expect(accepted.filter((id) => perId.get(id) !== 1)).toEqual([]);
    expect([api.exitCode(), worker.exitCode()]).toEqual([undefined, undefined]);
  }, 420_000);
});
