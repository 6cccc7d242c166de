/**
 * Runaway isolation (issue 14, #1), against a real `aiops serve`: four
 * executions whose agent would run for minutes are stopped at their time
 * limit, fail with AGENT_TIMEOUT, and the health probe answers promptly the
 * whole time. On 9241d09 the agents ran on the event loop: the probe waited
 * for the whole run and the time limit never fired.
 *
 * Latency is asserted with a generous bound (a freeze is tens of seconds);
 * `npm run bench:isolation` measures p50/p99 over 30 s.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { fixture } from '../helpers/fixtures.js';
import { legacyHandlers } from '../helpers/runaways.js';
import { newDataDir, type Served, startServe } from '../helpers/serve.js';

/** Far below the seconds each runaway needs (see legacyHandlers), on any machine. */
const LIMIT_SEC = 0.5;
/**
 * A health probe answers within this while runaways run. Generous, so a busy CI machine passes: the
 * embedded database and the 900 KB request bodies are main-thread work that a loaded machine slows (1.3 s
 * was seen with another suite on both cores); on 9241d09 the probe waited for the whole run instead.
 */
const PROMPT_MS = 3000;
// Four runaways on a busy machine: thread boot, agent load and the limit, several times over.
jest.setTimeout(180_000);
let served: Served;

async function api(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('x-api-key', served.adminKey);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${served.url}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function execute(agent: string, input: unknown): Promise<string> {
  const created = await api('/v1/executions', { method: 'POST', body: JSON.stringify({ agent, input }) });
  expect(created.status).toBe(202);
  return created.body.id as string;
}

/** Polls the health probe every 50 ms until `until` settles; the slowest answer in milliseconds. */
async function slowestHealth(until: Promise<unknown>): Promise<{ slowestMs: number; probes: number }> {
  let settled = false;
  void until.finally(() => {
    settled = true;
  });
  let slowestMs = 0;
  let probes = 0;
  while (!settled) {
    const started = performance.now();
    const response = await fetch(`${served.url}/v1/health`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    probes += 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { slowestMs, probes };
}

async function finished(id: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = (await api(`/v1/executions/${id}`)).body;
    if (view.status === 'completed' || view.status === 'failed' || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('runaway isolation', () => {
  beforeAll(async () => {
    served = await startServe({
      env: { AIOPS_AGENT_TIMEOUT_SEC: String(LIMIT_SEC), AIOPS_AGENT_THREADS: '4' },
    });
  });

  afterAll(async () => {
    if (served) {
      await served.stop();
      await rm(served.dataDir, { recursive: true, force: true });
    }
  });

  it('#1 stops four runaway executions at their limit while GET /v1/health answers promptly', async () => {
    // Prepare: four code-reviewer inputs of ~900 KB each, seconds of review apiece.
    const ids = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        execute('code-reviewer', legacyHandlers(900_000, `src/handlers/legacy-${n}.ts`)),
      ),
    );

    // Act
    const views = Promise.all(ids.map((id) => finished(id, 120_000)));
    const { slowestMs, probes } = await slowestHealth(views);

    // Assess
    for (const view of await views) {
      expect(view).toMatchObject({
        status: 'failed',
        error: {
          code: 'AGENT_TIMEOUT',
          message: `Agent code-reviewer did not finish within its ${LIMIT_SEC} s limit; its thread was stopped`,
        },
      });
      expect(view.durationMs).toBeGreaterThanOrEqual(LIMIT_SEC * 1000);
      // A new thread boots and loads the agent first (up to 60 s of its own); the limit counts from there.
      expect(view.durationMs).toBeLessThan(LIMIT_SEC * 1000 + 60_000);
    }
    expect(probes).toBeGreaterThanOrEqual(4); // probed all along
    expect(slowestMs).toBeLessThan(PROMPT_MS);
  });

  it('#1 runs the next execution normally once the runaways were stopped', async () => {
    // Act
    const view = await finished(await execute('log-analyzer', { text: fixture('logs/hdfs.log') }), 30_000);

    // Assess
    expect(view).toMatchObject({ status: 'completed', findingCounts: expect.any(Object) });
  });
});

describe('runaway isolation across a crash', () => {
  let dataDir: string | undefined;
  const started: Served[] = [];

  afterAll(async () => {
    for (const s of started) if (s.process.exitCode === null && s.process.signalCode === null) await s.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('#1 fails a runaway taken over after kill -9 at its limit, instead of freezing the restarted process', async () => {
    // Prepare: a runaway is running when the process is killed.
    dataDir = await newDataDir();
    const env = { AIOPS_AGENT_TIMEOUT_SEC: String(LIMIT_SEC) };
    served = await startServe({ dataDir, env });
    started.push(served);
    const id = await execute('code-reviewer', legacyHandlers());
    const deadline = Date.now() + 30_000;
    while ((await api(`/v1/executions/${id}`)).body.status === 'queued' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await served.stop('SIGKILL');

    // Act: the restart recovers the execution and runs it again.
    served = await startServe({ dataDir, env });
    started.push(served);
    const view = finished(id, 120_000);
    const { slowestMs } = await slowestHealth(view);

    // Assess
    expect(await view).toMatchObject({ status: 'failed', error: { code: 'AGENT_TIMEOUT' } });
    expect(slowestMs).toBeLessThan(PROMPT_MS);
  });
});
