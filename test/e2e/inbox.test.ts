/** `aiops serve --inbox DIR`, as a user runs it: a log dropped into DIR/logs/ ends as a completed analysis. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture } from '../helpers/fixtures.js';
import { type Served, startServe } from '../helpers/serve.js';

let served: Served;
let inbox: string;

interface Listed {
  items: { id: string; agent: string; status: string }[];
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${served.url}${path}`, { headers: { 'x-api-key': served.adminKey } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  inbox = await mkdtemp(join(tmpdir(), 'aiops-inbox-e2e-'));
  served = await startServe({ args: ['--inbox', inbox] });
});

afterAll(async () => {
  if (served) {
    await served.stop();
    await rm(served.dataDir, { recursive: true, force: true });
  }
  await rm(inbox, { recursive: true, force: true });
});

describe('aiops serve --inbox', () => {
  it('analyses a log file dropped into the inbox to completion', async () => {
    // Act
    await mkdir(join(inbox, 'logs'), { recursive: true });
    await writeFile(join(inbox, 'logs', 'shop-incident.log'), fixture('logs/shop-incident.log'));
    let listed: Listed = { items: [] };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      listed = await get<Listed>('/v1/executions?agent=log-analyzer');
      if (listed.items.some((e) => e.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // Assess
    expect(listed.items).toEqual([expect.objectContaining({ agent: 'log-analyzer', status: 'completed' })]);
    const execution = await get<{ input: unknown; result: { metrics: { lines: number } } }>(
      `/v1/executions/${listed.items[0]?.id}`,
    );
    expect(execution.input).toEqual({ $object: 'object:logs/shop-incident.log' });
    expect(execution.result.metrics.lines).toBe(15);
    expect(await readdir(join(inbox, '.processed', 'logs'))).toEqual(['shop-incident.log']);
  });
});
