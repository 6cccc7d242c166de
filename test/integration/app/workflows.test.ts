/**
 * Workflows end to end, locally: the API handler starts a run, the lane worker
 * takes its `workflow.run` job and aws-local-stepfunctions runs the very
 * definitions Step Functions runs, every task in process.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { type WorkflowRunView, WorkflowsService } from '../../../shared/app/workflows/service.js';
import { stepExecutionId } from '../../../shared/app/workflows/tasks.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import type { Worker } from '../../../shared/lanes/port.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { fixture } from '../../helpers/fixtures.js';

let app: TestApp;
let worker: Worker;

const headers = (role: 'admin' | 'user' | 'readonly' = 'user') => ({
  'content-type': 'application/json',
  'x-api-key': app.keys[role],
});

beforeAll(async () => {
  app = await startTestApp();
  worker = await app.lanes.work(['agents'], createJobHandler(app.deps));
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
});

async function post(name: string, body: unknown, role: 'admin' | 'user' | 'readonly' = 'user') {
  const response = await app.api(
    httpEvent('POST', `/v1/workflows/${name}/runs`, { headers: headers(role), body: JSON.stringify(body) }),
  );
  return {
    status: response.statusCode,
    body: json(response) as Record<string, unknown>,
    headers: response.headers,
  };
}

async function read(id: string, role: 'admin' | 'user' | 'readonly' = 'user') {
  const response = await app.api(httpEvent('GET', `/v1/workflows/runs/${id}`, { headers: headers(role) }));
  return { status: response.statusCode, body: json(response) as WorkflowRunView };
}

/** Polls the run through the API until it has finished. */
async function finished(
  id: string,
  timeoutMs = 25_000,
  role: 'admin' | 'user' | 'readonly' = 'user',
): Promise<WorkflowRunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await read(id, role);
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function run(name: string, body: unknown): Promise<WorkflowRunView> {
  const started = await post(name, body);
  expect(started.status).toBe(202);
  return finished(started.body.id as string);
}

async function execution(id: string) {
  const response = await app.api(httpEvent('GET', `/v1/executions/${id}`, { headers: headers() }));
  return json(response) as {
    input: Record<string, unknown>;
    result: Record<string, unknown>;
    status: string;
  };
}

const shopLog = () => fixture('logs/shop-incident.log');

/** Log health expected of the shop service: no errors, no bursts. */
const expectedHealth = { errorLines: 0, warningLines: 0, bursts: 0, newTemplates: 0 };

describe('GET /v1/workflows', () => {
  it('lists the three workflows with the JSON Schema of their requests', async () => {
    // Act
    const response = await app.api(httpEvent('GET', '/v1/workflows', { headers: headers('readonly') }));

    // Assess
    expect(response.statusCode).toBe(200);
    const { items } = json(response) as { items: { name: string; requestSchema: { properties: object } }[] };
    expect(items.map((i) => i.name)).toEqual(['chain-analysis', 'incident-triage', 'batch-analysis']);
    expect(Object.keys(items[0]?.requestSchema.properties ?? {})).toEqual(['input', 'steps']);
  });
});

describe('chain-analysis', () => {
  it('runs two agents in order, the second one’s input built from the first one’s result', async () => {
    // Act
    const result = await run('chain-analysis', {
      input: { expected: expectedHealth },
      steps: [
        { name: 'logs', agent: 'log-analyzer', input: { text: shopLog(), bucketSeconds: 60 } },
        {
          name: 'health',
          agent: 'config-drift-detector',
          input: {
            baseline: { $ref: 'request.input.expected' },
            target: { $ref: 'steps.logs.result.metrics' },
            criticalKeys: ['errorLines', 'bursts'],
          },
        },
      ],
    });

    // Assess
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.name, s.agent, s.status])).toEqual([
      ['logs', 'log-analyzer', 'succeeded'],
      ['health', 'config-drift-detector', 'succeeded'],
    ]);
    const [logs, health] = result.steps;
    const first = await execution(logs?.executionId ?? '');
    const second = await execution(health?.executionId ?? '');
    expect(second.input.target).toEqual(first.result.metrics);
    expect(second.input.baseline).toEqual(expectedHealth);
    expect(second.status).toBe('completed');
    expect(health?.findingCounts.critical).toBeGreaterThan(0);
    const output = result.output as { steps: unknown[]; findingCounts: Record<string, number> };
    expect(output.steps).toHaveLength(2);
    expect(output.findingCounts.high).toBe(
      (logs?.findingCounts.high ?? 0) + (health?.findingCounts.high ?? 0),
    );
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.engineRef).toBe(`job:workflow-${result.id}`);
  });

  it('fails with an error naming the step when a step’s built input is invalid for its agent', async () => {
    // Act: findings are a list, the drift detector compares configurations.
    const result = await run('chain-analysis', {
      steps: [
        { name: 'logs', agent: 'log-analyzer', input: { text: shopLog() } },
        {
          name: 'drift',
          agent: 'config-drift-detector',
          input: { baseline: {}, target: { $ref: 'steps.logs.result.findings' } },
        },
      ],
    });

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'STEP_FAILED', step: 'drift' });
    expect(result.error?.message).toMatch(/^Step "drift" \(config-drift-detector\) failed: .*target/);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['logs', 'succeeded'],
      ['drift', 'failed'],
    ]);
    expect(result.steps[1]?.error?.message).toBe(result.error?.message);
    expect(result.output).toBeUndefined();
  });

  it('fails readably when a reference names a path the earlier result does not have', async () => {
    // Act
    const result = await run('chain-analysis', {
      steps: [
        { name: 'logs', agent: 'log-analyzer', input: { text: shopLog() } },
        { name: 'again', agent: 'log-analyzer', input: { lines: { $ref: 'steps.logs.result.lines' } } },
      ],
    });

    // Assess
    expect(result.status).toBe('failed');
    expect(result.error?.step).toBe('again');
    expect(result.error?.message).toContain('"lines" is not in steps.logs.result');
  });

  it('runs each step once when the workflow runs again after a crash', async () => {
    // Prepare: a finished run, put back to running as a crash before its last task would leave it.
    const done = await run('chain-analysis', {
      steps: [
        { name: 'a', agent: 'log-analyzer', input: { text: shopLog() } },
        {
          name: 'b',
          agent: 'log-analyzer',
          input: { lines: { $ref: 'steps.a.result.templates[*].sample' } },
        },
      ],
    });
    expect(done.status).toBe('succeeded');
    await app.handle.db
      .updateTable('workflowRuns')
      .set({ status: 'running', completedAt: null, output: null })
      .where('id', '=', done.id)
      .execute();

    // Act: the job is delivered again.
    await createJobHandler(app.deps)(newJob('workflow.run', { runId: done.id }, { traceId: done.traceId }), {
      attempt: 2,
      maxAttempts: 3,
    });

    // Assess
    const again = await read(done.id);
    expect(again.body.status).toBe('succeeded');
    expect(again.body.steps.map((s) => s.executionId)).toEqual(done.steps.map((s) => s.executionId));
    expect(done.steps.map((s) => s.executionId)).toEqual([
      stepExecutionId(done.id, 'a'),
      stepExecutionId(done.id, 'b'),
    ]);
    const executions = await app.handle.db
      .selectFrom('agentExecutions')
      .select(['id', 'attempts'])
      .where('id', 'in', [stepExecutionId(done.id, 'a'), stepExecutionId(done.id, 'b')])
      .execute();
    expect(executions.map((e) => e.attempts)).toEqual([1, 1]);
  });
});

describe('the README example', () => {
  it('runs as written: today’s lines against yesterday’s templates', async () => {
    // Prepare: the body of the curl example in README.md's Workflows section.
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const body = /chain-analysis\/runs"[\s\S]*?-d '([\s\S]*?)'\n/.exec(readme)?.[1];
    expect(body).toBeDefined();

    // Act
    const result = await run('chain-analysis', JSON.parse(body ?? '{}'));

    // Assess: the refused connection is new against the baseline.
    expect(result.status).toBe('succeeded');
    const today = await execution(result.steps[1]?.executionId ?? '');
    expect((today.input.baseline as { templates: string[] }).templates).toHaveLength(1);
    expect((today.result.findings as { ruleId: string }[]).map((f) => f.ruleId)).toContain('LOG004');
  });
});

describe('batch-analysis', () => {
  it('analyses 20 inputs and sums their finding counts by severity', async () => {
    // Prepare: twenty services' configurations against one baseline, drifting more and more.
    const baseline = { replicas: 3, image: 'shop:1.4.2', tls: { enabled: true }, pool: { max: 20 } };
    const items = Array.from({ length: 20 }, (_, i) => ({
      baseline,
      target: {
        replicas: 3 + (i % 4),
        image: i % 5 === 0 ? 'shop:1.5.0' : 'shop:1.4.2',
        tls: { enabled: i % 7 !== 0 },
        pool: { max: 20 + (i % 3) * 40 },
      },
    }));

    // Act
    const result = await run('batch-analysis', { agent: 'config-drift-detector', items });

    // Assess
    expect(result.status).toBe('succeeded');
    const output = result.output as {
      findingCounts: Record<string, number>;
      metrics: { items: number; succeeded: number; failed: number };
      items: { index: number; status: string; executionId: string; findingCounts: Record<string, number> }[];
    };
    expect(output.metrics).toEqual({ items: 20, succeeded: 20, failed: 0 });
    expect(output.items.map((i) => i.index)).toEqual([...Array(20).keys()]);
    const expected: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const item of output.items) {
      const stored = await app.deps.repos.executions.findById(item.executionId);
      expect(stored?.status).toBe('completed');
      for (const [severity, n] of Object.entries(stored?.findingCounts ?? {})) {
        expected[severity] = (expected[severity] ?? 0) + (n as number);
      }
    }
    expect(output.findingCounts).toEqual(expected);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    expect(result.steps.filter((s) => s.name.startsWith('item-'))).toHaveLength(20);
    expect(result.steps.at(-1)).toMatchObject({ name: 'aggregate', agent: null, status: 'succeeded' });
  });
});

describe('batch-analysis with an item that fails', () => {
  it('records the item’s error on its step, goes on with the others and counts it as failed', async () => {
    // Prepare: started by the system (no caller to check sources against), naming an object that is not there.
    const started = await new WorkflowsService(app.deps).start(
      'batch-analysis',
      {
        agent: 'log-analyzer',
        items: [{ text: shopLog() }, { $object: 'object:logs/2026-11-25/missing.log' }],
      },
      { userId: null, traceId: 'trace-batch-missing' },
    );

    // Act
    const result = await finished(started.id, 25_000, 'admin');

    // Assess
    expect(result.status).toBe('succeeded');
    const output = result.output as {
      metrics: { items: number; succeeded: number; failed: number };
      items: { index: number; status: string; error?: string }[];
    };
    expect(output.metrics).toEqual({ items: 2, succeeded: 1, failed: 1 });
    expect(output.items[1]).toMatchObject({ index: 1, status: 'failed' });
    expect(output.items[1]?.error).toMatch(/^Step "item-1" \(log-analyzer\) failed: /);
    expect(result.steps.find((s) => s.name === 'item-1')).toMatchObject({ status: 'failed' });
  });
});

describe('incident-triage', () => {
  it('ranks the payment connection errors first: they start with the latency anomaly', async () => {
    // Prepare
    const points = fixture('metrics/shop-p99-latency.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => {
        const [timestamp, value] = row.split(',');
        return { timestamp: `${timestamp?.replace(' ', 'T')}Z`, value: Number(value) };
      });

    // Act
    const result = await run('incident-triage', {
      logs: { text: shopLog(), bucketSeconds: 60 },
      metrics: { points, metric: 'shop.p99LatencyMs' },
    });

    // Assess
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['logs', 'succeeded'],
      ['metrics', 'succeeded'],
      ['correlate', 'succeeded'],
    ]);
    const output = result.output as {
      windows: { metric: string; start: string }[];
      candidates: { rank: number; title: string; sample: string; relation: string; kinds: string[] }[];
      findings: { ruleId: string }[];
    };
    expect(output.windows[0]).toMatchObject({
      metric: 'shop.p99LatencyMs',
      start: '2026-11-25T10:03:00.000Z',
    });
    expect(output.candidates[0]).toMatchObject({ rank: 1, relation: 'coincides' });
    expect(output.candidates[0]?.title).toBe('Connection to <*> refused');
    expect(output.candidates[0]?.sample).toContain(
      'PaymentClient: Connection to payments.internal:8443 refused',
    );
    expect(output.candidates[0]?.kinds).toContain('root-cause');
    expect(output.findings[0]?.ruleId).toBe('TRIAGE001');
    expect(result.steps[2]?.findingCounts.high).toBeGreaterThanOrEqual(1);
  });
});

describe('requests the API refuses', () => {
  it('answers 404 for an unknown workflow', async () => {
    const response = await post('nightly-report', { steps: [] });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('RESOURCE_NOT_FOUND');
  });

  it.each([
    ['a body that is not the workflow’s', 'chain-analysis', { steps: 'all of them' }, 'steps'],
    [
      'an agent that does not exist',
      'chain-analysis',
      { steps: [{ name: 'x', agent: 'fortune-teller', input: {} }] },
      'steps[0].agent',
    ],
    [
      'a reference to a later step',
      'chain-analysis',
      {
        steps: [
          { name: 'a', agent: 'log-analyzer', input: { lines: { $ref: 'steps.b.result.templates' } } },
          { name: 'b', agent: 'log-analyzer', input: { text: 'x' } },
        ],
      },
      'steps[0].input.lines',
    ],
    [
      'a reference to a request path that is not there',
      'chain-analysis',
      {
        input: {},
        steps: [{ name: 'a', agent: 'log-analyzer', input: { text: { $ref: 'request.input.log' } } }],
      },
      'steps[0].input.text',
    ],
    [
      'an invalid item',
      'batch-analysis',
      { agent: 'config-drift-detector', items: [{ baseline: {}, target: {} }, { baseline: {} }] },
      'items[1].target',
    ],
    [
      'two steps of one name',
      'chain-analysis',
      { steps: [1, 2].map(() => ({ name: 'a', agent: 'log-analyzer', input: { text: 'x' } })) },
      'steps.1.name',
    ],
  ])('answers 400 for %s, naming the field', async (_what, name, body, path) => {
    // Act
    const response = await post(name, body);

    // Assess
    expect(response.status).toBe(400);
    const errors = response.body.errors as { path: string }[];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('answers 403 to a readonly key that starts a run', async () => {
    const response = await post(
      'batch-analysis',
      { agent: 'log-analyzer', items: [{ text: 'x' }] },
      'readonly',
    );
    expect(response.status).toBe(403);
  });

  it('#8 shows a run to its owner and admins, and to no other user’s key, readonly included', async () => {
    // Prepare
    const started = await post('batch-analysis', { agent: 'log-analyzer', items: [{ text: 'ERROR boom' }] });
    const id = started.body.id as string;
    const other = await app.deps.repos.users.create({
      username: 'someone-else-wf',
      email: 'someone-else-wf@example.com',
      role: 'user',
      passwordHash: null,
    });
    const { ApiKeysService } = await import('../../../shared/app/api-keys.js');
    const { key } = await new ApiKeysService(app.deps).issue({
      name: 'other',
      username: other.username,
      role: 'user',
    });

    // Act
    const asOther = await app.api(
      httpEvent('GET', `/v1/workflows/runs/${id}`, { headers: { 'x-api-key': key } }),
    );
    const asAdmin = await read(id, 'admin');
    const asReadonly = await read(id, 'readonly');

    // Assess
    expect(started.headers?.Location ?? started.headers?.location).toBe(`/v1/workflows/runs/${id}`);
    expect(asOther.statusCode).toBe(404);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.input).toBeDefined();
    expect(asReadonly.status).toBe(404);
    await finished(id);
  });

  it('answers 404 for a run id that is not a run', async () => {
    expect((await read('not-a-uuid')).status).toBe(404);
    expect((await read('7d1c1b7e-3c1a-4c1e-9f55-3a2b8e0c9d11')).status).toBe(404);
  });
});
