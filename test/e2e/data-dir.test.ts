/**
 * The data directory of a real `aiops serve`: private to its user (#10) and
 * one process's alone (#16), including after a kill -9.
 */
import { chmod, lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { aiops } from '../helpers/cli.js';
import { newDataDir, type Served, startServe } from '../helpers/serve.js';

// Real processes start one after another: a loaded machine takes its time.
jest.setTimeout(120_000);

let dataDir: string;
const servers: Served[] = [];

async function serve(): Promise<Served> {
  const served = await startServe({ dataDir });
  servers.push(served);
  return served;
}

async function call(served: Served, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('x-api-key', served.adminKey);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const response = await fetch(`${served.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every entry under `root` with its permission bits, links not followed. */
async function modes(root: string): Promise<{ path: string; type: 'dir' | 'file'; mode: number }[]> {
  const found: { path: string; type: 'dir' | 'file'; mode: number }[] = [];
  const visit = async (path: string) => {
    const info = await lstat(path);
    found.push({
      path: path.slice(root.length) || '/',
      type: info.isDirectory() ? 'dir' : 'file',
      mode: info.mode & 0o777,
    });
    if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(root);
  return found;
}

beforeAll(async () => {
  dataDir = await newDataDir();
});

afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('the data directory of aiops serve', () => {
  it('#10 leaves nothing readable by the group or others: files 0600 at most, directories 0700', async () => {
    // Prepare: a data directory as an older version (umask 022) left it.
    await chmod(dataDir, 0o755);
    await mkdir(join(dataDir, 'objects', 'uploads'), { recursive: true, mode: 0o755 });
    await writeFile(join(dataDir, 'objects', 'uploads', 'old.log'), 'ERROR password=hunter2\n', {
      mode: 0o644,
    });

    // Act: an upload stored as an object, and an execution written to the embedded database.
    const served = await serve();
    const created = await call(served, '/v1/uploads', {
      method: 'POST',
      body: JSON.stringify({ filename: 'baseline.json' }),
    });
    expect(created.status).toBe(201);
    const upload = created.body as { ref: string; upload: { url: string; headers: Record<string, string> } };
    const put = await fetch(upload.upload.url, {
      method: 'PUT',
      headers: upload.upload.headers,
      body: JSON.stringify({ baseline: { replicas: 3, db_password: 's3cr3t' }, target: { replicas: 5 } }),
    });
    expect(put.status).toBe(200);
    const execution = await call(served, '/v1/executions', {
      method: 'POST',
      body: JSON.stringify({ agent: 'config-drift-detector', input: { $object: upload.ref } }),
    });
    expect(execution.status).toBe(202);
    let status = 'queued';
    const deadline = Date.now() + 30_000;
    while (!['completed', 'failed'].includes(status) && Date.now() < deadline) {
      status = String((await call(served, `/v1/executions/${execution.body.id}`)).body.status);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('completed');
    const running = await modes(dataDir);
    expect(await served.stop()).toBe(0);
    const stopped = await modes(dataDir);

    // Assess: while running and after a clean stop.
    for (const entries of [running, stopped]) {
      expect(entries.filter((e) => e.type === 'file').length).toBeGreaterThan(500); // the catalogs are there
      expect(entries.filter((e) => e.type === 'file' && (e.mode & 0o077) !== 0)).toEqual([]);
      expect(entries.filter((e) => e.type === 'dir' && e.mode !== 0o700)).toEqual([]);
    }
    expect(
      stopped.some((e) => e.path.startsWith('/objects/uploads/') && e.path.endsWith('/baseline.json')),
    ).toBe(true);
  });

  it('#16 refuses a second aiops serve on the same data directory: exit 2, one line naming the first', async () => {
    // Prepare
    const first = await serve();

    // Act
    const second = await aiops(['serve'], { AIOPS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'WARN' });

    // Assess: the second says who holds the directory; the first goes on serving.
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `aiops: ${dataDir} is already used by aiops serve (pid ${first.process.pid}); stop it or use another AIOPS_DATA_DIR\n`,
    );
    expect((await fetch(`${first.url}/v1/health`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(await readdir(dataDir)).not.toContain('aiops.lock');
  });

  it('#16 takes over the lock a killed aiops serve left behind', async () => {
    // Prepare: killed without a chance to release its lock.
    const killed = await serve();
    await killed.stop('SIGKILL');
    expect(await readdir(dataDir)).toContain('aiops.lock');

    // Act
    const next = await serve();

    // Assess
    expect((await fetch(`${next.url}/v1/health`)).status).toBe(200);
    expect(next.output()).not.toContain('already used');
    expect(await next.stop()).toBe(0);
  });
});
