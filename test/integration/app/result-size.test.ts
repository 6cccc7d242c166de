/**
 * Every runtime stores at most AIOPS_MAX_RESULT_BYTES of a result (issue 14,
 * #11): here through an agent's Lambda function, which runs the agent in
 * process with the same runner as `aiops serve` and `aiops worker`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAgent } from '../../../shared/agents/registry.js';
import { RESULT_TRUNCATED_RULE } from '../../../shared/app/result-size.js';
import { createAgentFunctionHandler } from '../../../shared/runtime/aws/agent-function.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';
import { lambdaContext } from '../../helpers/lambda.js';
import { legacyHandlers } from '../../helpers/runaways.js';

const MAX_RESULT_BYTES = 64 * 1024;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ maxResultBytes: MAX_RESULT_BYTES });
});

afterAll(async () => {
  await app?.close();
});

describe('result size cap', () => {
  it('#11 stores an oversized result with its most severe findings, a notice, and the full counts', async () => {
    // Prepare: 60 KB of handlers that build SQL by concatenation: hundreds of findings (~150 KB of result).
    const input = legacyHandlers(60_000);
    const full = await runAgent('code-reviewer', input, { traceId: 'full', now: new Date() });
    const execution = await app.deps.repos.executions.create(
      anExecution({ agentName: 'code-reviewer', input }),
    );
    const handler = createAgentFunctionHandler(async () => app.deps);

    // Act
    await handler(
      {
        executionId: execution.id,
        agent: 'code-reviewer',
        traceId: execution.traceId,
        attempt: 1,
        maxAttempts: 3,
      },
      lambdaContext('aiops-prod-agent-code-reviewer'),
    );

    // Assess
    expect(Buffer.byteLength(JSON.stringify(full))).toBeGreaterThan(MAX_RESULT_BYTES);
    const stored = await app.deps.repos.executions.findById(execution.id);
    expect(stored?.status).toBe('completed');
    const output = stored?.output as { findings: { ruleId: string; message: string }[] };
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    const total = full.findings.length;
    const kept = output.findings.length - 1;
    expect(output.findings.at(-1)).toMatchObject({
      ruleId: RESULT_TRUNCATED_RULE,
      message: expect.stringContaining(`${total - kept} of ${total} findings were left out`),
    });
    const counts = Object.values(stored?.findingCounts ?? {}) as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(full.findings.filter((f) => !f.suppressed).length);
  });
});
