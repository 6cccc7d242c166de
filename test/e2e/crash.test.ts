/**
 * Crash safety: kill -9 `aiops serve` with 50 executions accepted and not all
 * finished, start it again on the same data, and every one of the 50 ends
 * `completed` exactly once — counted from the completion events of both runs.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import { newDataDir, type Served, startServe } from '../helpers/serve.js';

const COUNT = 50;
let dataDir: string;
const servers: Served[] = [];

function completions(output: string): string[] {
  const ids: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"aiops.execution.completed"')) continue;
    const parsed = JSON.parse(line) as { event: { id: string; status: string } };
    if (parsed.event.status === 'completed') ids.push(parsed.event.id);
  }
  return ids;
}

async function post(served: Served, i: number): Promise<string> {
  // Enough keys that each run takes a noticeable moment, so some are still in flight at the kill.
  const baseline = Object.fromEntries(Array.from({ length: 4000 }, (_, k) => [`setting_${k}`, k]));
  const response = await fetch(`${served.url}/v1/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': served.adminKey },
    body: JSON.stringify({
      agent: 'config-drift-detector',
      input: { baseline, target: { ...baseline, setting_0: i + 1 } },
    }),
  });
  const body = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}`);
  return body.id;
}

describe('crash safety of aiops serve', () => {
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('completes every accepted execution exactly once across a kill -9 and restart', async () => {
    // Prepare
    dataDir = await newDataDir();
    const first = await startServe({ dataDir, env: { LOG_LEVEL: 'INFO' } });
    servers.push(first);

    // Act: accept 50, kill -9 at once, start again on the same data.
    const ids = await Promise.all(Array.from({ length: COUNT }, (_, i) => post(first, i)));
    await first.stop('SIGKILL');
    const beforeKill = completions(first.output());
    const second = await startServe({ dataDir, env: { LOG_LEVEL: 'INFO' } });
    servers.push(second);
    // Generous: fifty runs through one agent thread on a busy machine.
    const deadline = Date.now() + 150_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await Promise.all(
        ids.map(async (id) => {
          const r = await fetch(`${second.url}/v1/executions/${id}`, {
            headers: { 'x-api-key': second.adminKey },
          });
          return ((await r.json()) as { status: string }).status;
        }),
      );
      if (statuses.every((s) => s === 'completed' || s === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const afterRestart = completions(second.output());
    process.stderr.write(`crash test: ${COUNT - beforeKill.length} of ${COUNT} unfinished at the kill\n`);

    // Assess
    expect(statuses).toEqual(Array(COUNT).fill('completed'));
    const all = [...beforeKill, ...afterRestart].filter((id) => ids.includes(id));
    expect(all.sort()).toEqual([...ids].sort());
    // The crash must have interrupted real work, or this test proves nothing.
    expect(beforeKill.length).toBeLessThan(COUNT);
  }, 240_000);
});
