/** Each agent end to end through the HTTP API handler: create, run the lane job, read the result. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createJobHandler } from '../../../shared/app/jobs.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { cpuPoints, fixture } from '../../helpers/fixtures.js';

let app: TestApp;

async function execute(agent: string, input: unknown) {
  const headers = { 'content-type': 'application/json', 'x-api-key': app.keys.user };
  const created = await app.api(
    httpEvent('POST', '/v1/executions', { headers, body: JSON.stringify({ agent, input }) }),
  );
  expect(created.statusCode).toBe(202);
  const { id } = json(created) as { id: string };
  await createJobHandler(app.deps)(newJob('execution.run', { executionId: id, agent }, { traceId: 't' }), {
    attempt: 1,
    maxAttempts: 3,
  });
  const read = await app.api(httpEvent('GET', `/v1/executions/${id}`, { headers }));
  return json(read) as {
    status: string;
    findingCounts: Record<string, number>;
    result: { findings: { ruleId: string }[]; summary: string };
  };
}

describe('agents through the API', () => {
  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('log-analyzer: an incident log yields error templates, a burst and a root-cause candidate', async () => {
    // Act
    const execution = await execute('log-analyzer', {
      text: fixture('logs/shop-incident.log'),
      bucketSeconds: 60,
    });

    // Assess
    expect(execution.status).toBe('completed');
    expect(execution.result.findings.map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['LOG001', 'LOG003', 'LOG005']),
    );
    expect(execution.findingCounts.high).toBeGreaterThanOrEqual(3);
  });

  it('anomaly-detector: a CPU series with a spike yields an anomaly finding', async () => {
    // Prepare
    const points = cpuPoints();

    // Act
    const execution = await execute('anomaly-detector', { points, metric: 'CPUUtilization' });

    // Assess
    expect(execution.status).toBe('completed');
    expect(execution.result.findings.map((f) => f.ruleId)).toContain('ANOM001');
    expect(execution.findingCounts.high).toBeGreaterThanOrEqual(1);
  });

  it('lists every registered agent with its input schema', async () => {
    const headers = { 'x-api-key': app.keys.readonly };
    const list = json(await app.api(httpEvent('GET', '/v1/agents', { headers }))) as {
      items: { name: string }[];
    };
    const names = list.items.map((a) => a.name);
    expect(names).toEqual(
      expect.arrayContaining(['anomaly-detector', 'config-drift-detector', 'log-analyzer']),
    );
    for (const name of names) {
      const one = json(await app.api(httpEvent('GET', `/v1/agents/${name}`, { headers }))) as {
        inputSchema: { type: string };
      };
      expect(one.inputSchema.type).toBe('object');
    }
  });
});
