/**
 * The project's own CI workflow passes its own agent: `aiops analyze
 * cicd-optimizer .github/workflows` gives no high (or critical) finding, and
 * the workflow keeps mirroring .ci/run (PostgreSQL, npm ci, lint, typecheck,
 * tests, CDK synth).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readFiles } from '../../../bin/commands/read-files.js';
import type { CicdOutput } from '../../../shared/agents/cicd-optimizer/schema.js';
import { loadAgent, runAgent } from '../../../shared/agents/registry.js';

const root = new URL('../../..', import.meta.url).pathname;

describe('the project CI workflow under cicd-optimizer', () => {
  it('has no high or critical finding', async () => {
    // Prepare
    const previous = process.cwd();
    process.chdir(root);
    let result: CicdOutput;
    try {
      const agent = await loadAgent('cicd-optimizer');
      const read = await readFiles(['.github/workflows'], agent, {
        maxFiles: 100,
        maxFileBytes: 1024 * 1024,
      });

      // Act
      result = (await runAgent('cicd-optimizer', agent.fromFiles?.(read.files), {
        traceId: 'self',
        now: new Date('2026-06-01T12:00:00Z'),
      })) as CicdOutput;
    } finally {
      process.chdir(previous);
    }

    // Assess
    expect(result.metrics.pipelines).toBeGreaterThan(0);
    expect(result.skipped).toEqual([]);
    expect(result.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
  });

  it('runs the same steps as .ci/run', () => {
    // Prepare
    const workflow = readFileSync(`${root}/.github/workflows/ci.yml`, 'utf8');

    // Assess
    for (const step of [
      'image: postgres:',
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm run jest',
      'npx cdk synth',
      'TEST_DATABASE_URL',
    ]) {
      expect([step, workflow.includes(step)]).toEqual([step, true]);
    }
  });
});
