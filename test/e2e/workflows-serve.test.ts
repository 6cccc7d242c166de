/**
 * Workflows as a user runs them: `aiops serve` in a child process, runs
 * started and read over HTTP. A chain of two agents where the second step's
 * input is built from the first's output, and a batch of 20 inputs with
 * aggregated finding counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixture } from '../helpers/fixtures.js';
import { type Served, startServe } from '../helpers/serve.js';

let served: Served;

/** The JSON answers, read loosely: the assertions say what must be there. */
// biome-ignore lint/suspicious/noExplicitAny: an HTTP answer's shape is what the test asserts
type Answer = any;

beforeAll(async () => {
  served = await startServe();
}, 90_000);

afterAll(async () => {
  await served?.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${served.url}${path}`, {
    method,
    headers: { 'x-api-key': served.adminKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** Polls the run until it has finished (or the deadline passes) and returns its last view. */
async function finished(id: string, timeoutMs = 60_000): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await call('GET', `/v1/workflows/runs/${id}`);
    if (['succeeded', 'failed'].includes(run.body.status) || Date.now() > deadline) return run.body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('workflows on aiops serve', () => {
  it('runs a chain of two agents, the second fed by the first', async () => {
    // Prepare: the drift detector compares the first step's metrics with a baseline of the same keys.
    const logs = fixture('logs/shop-incident.log');

    // Act
    const started = await call('POST', '/v1/workflows/chain-analysis/runs', {
      steps: [
        { name: 'logs', agent: 'log-analyzer', input: { text: logs } },
        {
          name: 'drift',
          agent: 'config-drift-detector',
          input: { baseline: { lines: 1 }, target: { $ref: 'steps.logs.result.metrics' } },
        },
      ],
    });
    const run = await finished(started.body.id);

    // Assess
    expect(started.status).toBe(202);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['logs', 'succeeded'],
      ['drift', 'succeeded'],
    ]);
    const [first, second] = run.steps as { executionId: string }[];
    const logsExecution = await call('GET', `/v1/executions/${first?.executionId}`);
    const driftExecution = await call('GET', `/v1/executions/${second?.executionId}`);
    expect(driftExecution.body.input.target).toEqual(logsExecution.body.result.metrics);
  }, 90_000);

  it('runs a batch of 20 inputs and sums their findings', async () => {
    // Prepare: 20 log excerpts, every other one with an error burst.
    const lines = fixture('logs/shop-incident.log').trim().split('\n');
    const items = Array.from({ length: 20 }, (_, i) => ({
      text: (i % 2 === 0 ? lines : lines.slice(0, 3)).join('\n'),
    }));

    // Act
    const started = await call('POST', '/v1/workflows/batch-analysis/runs', { agent: 'log-analyzer', items });
    const run = await finished(started.body.id, 120_000);

    // Assess: the aggregate is the sum of the 20 executions' counts.
    expect(run.status).toBe('succeeded');
    // One step per item, each an execution; the aggregate is a step of its own, with no execution.
    const itemSteps = (run.steps as { executionId?: string }[]).filter((s) => s.executionId);
    const executions = await Promise.all(
      itemSteps.map((s) => call('GET', `/v1/executions/${s.executionId}`)),
    );
    expect(executions).toHaveLength(20);
    const sum: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const e of executions) {
      for (const [severity, n] of Object.entries(e.body.findingCounts as Record<string, number>)) {
        sum[severity] = (sum[severity] ?? 0) + n;
      }
    }
    expect(executions.every((e) => e.body.status === 'completed')).toBe(true);
    expect(run.output).toMatchObject({ findingCounts: sum });
    expect(Object.values(sum).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 150_000);
});
