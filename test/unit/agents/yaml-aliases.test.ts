/**
 * #13: YAML aliases in every agent that reads YAML. A template that reuses one
 * anchor a few hundred times is read like any other file; a "billion laughs"
 * bomb is stopped quickly and becomes that file's parse finding, never the
 * loss of the other files' findings.
 */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { fixture } from '../../helpers/fixtures.js';

const context = { traceId: 'trace-yaml', now: new Date('2026-03-01T00:00:00Z') };

/** Nine levels, each a list of ten aliases of the level before: 10^9 strings once expanded. */
function bomb(prefix = ''): string {
  const levels = [`${prefix}l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < 9; i++)
    levels.push(
      `${prefix}l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(',')}]`,
    );
  return `${levels.join('\n')}\n`;
}

interface Result {
  findings: Finding[];
}

const byFile = (result: Result, file: string) => result.findings.filter((f) => f.resource?.file === file);

/** A CloudFormation template whose buckets share one tag list through an anchor, as generators write them. */
function bucketsSharingTags(count: number): string {
  const buckets = Array.from(
    { length: count },
    (_, i) => `  Bucket${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *tags\n`,
  );
  return (
    "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  SharedTags: &tags\n    - { Key: team, Value: data }\n" +
    `Resources:\n${buckets.join('')}`
  );
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await run();
  return { value, elapsedMs: performance.now() - started };
}

describe('#13 YAML aliases', () => {
  it('#13 security-scanner: a template reusing one anchor 150 times is scanned; a bomb is IAC-PARSE-ERROR for its file only', async () => {
    // Prepare
    const files = [
      { path: 'infra/insecure.yaml', content: fixture('security/cloudformation/insecure.yaml') },
      { path: 'infra/buckets.yaml', content: bucketsSharingTags(150) },
      {
        path: 'infra/bomb.yaml',
        content: `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n${bomb('X')}`,
      },
    ];

    // Act
    const { value: result, elapsedMs } = await timed(
      async () => (await runAgent('security-scanner', { files }, context)) as Result,
    );

    // Assess
    expect(byFile(result, 'infra/bomb.yaml').map((f) => f.ruleId)).toEqual(['IAC-PARSE-ERROR']);
    expect(byFile(result, 'infra/bomb.yaml')[0]?.message).toMatch(/alias/i);
    expect(byFile(result, 'infra/buckets.yaml').map((f) => f.ruleId)).not.toContain('IAC-PARSE-ERROR');
    expect(byFile(result, 'infra/buckets.yaml').length).toBeGreaterThanOrEqual(150);
    expect(byFile(result, 'infra/insecure.yaml').map((f) => f.ruleId)).toContain('IAC-S3-PUBLIC-ACCESS');
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('#13 k8s-optimizer: a kustomization reusing an anchor 150 times is read; a kustomization bomb is K8S000 for its file only', async () => {
    // Prepare
    const images = Array.from({ length: 150 }, (_, i) => `  - { name: svc-${i}, newTag: *tag }`).join('\n');
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n' +
      '      containers:\n        - name: web\n          image: svc-7\n';
    const files = [
      {
        path: 'deploy/base/kustomization.yaml',
        content: `x-tag: &tag "1.4.2"\nresources: [web.yaml]\nimages:\n${images}\n`,
      },
      { path: 'deploy/base/web.yaml', content: deployment },
      { path: 'deploy/other/kustomization.yaml', content: `resources: []\n${bomb()}` },
    ];

    // Act
    const { value: result, elapsedMs } = await timed(
      async () => (await runAgent('k8s-optimizer', { files }, context)) as Result,
    );

    // Assess: the deployment is still analysed, the bomb is one parse finding.
    expect(byFile(result, 'deploy/other/kustomization.yaml').map((f) => f.ruleId)).toEqual(['K8S000']);
    expect(byFile(result, 'deploy/base/kustomization.yaml')).toEqual([]);
    expect(byFile(result, 'deploy/base/web.yaml').length).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('#13 cost-optimizer: an inventory reusing an anchor 150 times is read; a bomb is COST000 for its file only', async () => {
    // Prepare
    const resources = Array.from(
      { length: 150 },
      (_, i) =>
        `  - { type: ec2, id: i-${i}, region: us-east-1, instanceType: m5.large, monthlyCost: 70, utilisation: *idle }`,
    ).join('\n');
    const files = [
      {
        path: 'costs/fleet.yaml',
        content: `x-idle: &idle { cpu: { p50: 0.5, p95: 1, max: 2 } }\nresources:\n${resources}\n`,
      },
      { path: 'costs/bomb.yaml', content: bomb() },
    ];

    // Act
    const result = (await runAgent('cost-optimizer', { files }, context)) as Result;

    // Assess
    expect(byFile(result, 'costs/bomb.yaml').map((f) => f.ruleId)).toEqual(['COST000']);
    expect(result.findings.filter((f) => f.ruleId === 'COST000')).toHaveLength(1);
    expect(result.findings.length).toBeGreaterThanOrEqual(150);
  });

  it('#13 config-drift-detector: a config reusing an anchor 150 times is compared; a bomb is a 400 on its field', async () => {
    // Prepare
    const config = (timeout: number) =>
      `defaults: &d { timeoutMs: ${timeout} }\n${Array.from({ length: 150 }, (_, i) => `svc${i}: *d`).join('\n')}\n`;

    // Act
    const result = (await runAgent(
      'config-drift-detector',
      { baseline: config(1000), target: config(2000) },
      context,
    )) as Result;
    let refused: unknown;
    try {
      validateAgentInput('config-drift-detector', { baseline: bomb(), target: {} });
    } catch (error) {
      refused = error;
    }

    // Assess
    expect(result.findings.length).toBeGreaterThanOrEqual(150);
    expect(refused).toBeInstanceOf(AgentValidationError);
    expect((refused as AgentValidationError).errors[0]?.path).toBe('input.baseline');
  });
});
