/**
 * cost-optimizer on inputs from the field: several Cost and Usage Report
 * deliveries of one month, CloudFormation templates, and files it does not
 * understand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { CostOutput } from '../../../shared/agents/cost-optimizer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';

const ROOT = 'test/fixtures/cost';
const context = { traceId: 'trace-cost-inputs', now: new Date('2025-04-05T08:00:00Z') };
const DRAFT = 'cur-deliveries/20250301-20250401/6c1f0d3e-2b7a-4c55-9a0e-1d2f3b4c5d6e/acme-cur-1.csv';
const FINAL = 'cur-deliveries/20250301-20250401/f0e9d8c7-b6a5-4f43-8e21-0a9b8c7d6e5f/acme-cur-1.csv';

const file = (name: string) => ({
  path: `${ROOT}/${name}`,
  content: readFileSync(`${ROOT}/${name}`, 'utf8'),
});

async function analyze(input: unknown): Promise<CostOutput> {
  return (await runAgent('cost-optimizer', input, context)) as CostOutput;
}

describe('cost-optimizer inputs', () => {
  it('counts a month once when a not-final and the final report delivery are both given', async () => {
    // Prepare: the final delivery alone is the reference.
    const finalOnly = await analyze({ files: [file(FINAL)] });

    // Act: the earlier (no invoice id yet) delivery of March comes first.
    const result = await analyze({ files: [file(DRAFT), file(FINAL)] });

    // Assess
    expect(result.metrics.resources).toBe(2);
    expect(result.totals).toEqual(finalOnly.totals);
    expect(result.recommendations.map((r) => [r.ruleId, r.resourceId])).toEqual(
      finalOnly.recommendations.map((r) => [r.ruleId, r.resourceId]),
    );
    expect(result.metrics.curRowsDropped).toBe(20);
    expect(result.notes).toEqual([expect.stringContaining(`${ROOT}/${DRAFT}`)]);
    expect(result.notes?.[0]).toMatch(
      /2025-03.*not final.*counted .*f0e9d8c7.*final, invoice EUINGB25-1234567/,
    );
    expect(result.summary).toContain('left out');
  });

  it('reads a CloudFormation template through the resource model: what costs money, no price invented', async () => {
    // Act
    const result = await analyze({ files: [file('template.yaml')] });

    // Assess
    const byId = Object.fromEntries((result.templateResources ?? []).map((t) => [t.id, t]));
    expect(Object.keys(byId).sort()).toEqual([
      'ApiFunction',
      'DataVolume',
      'OrdersDb',
      'OrdersTable',
      'UploadsBucket',
      'WebServer',
    ]);
    // m4.large (the parameter's default) at $0.10/h × 730; 200 GiB gp2 at $0.10; two db.m5.large for Multi-AZ.
    expect(byId.WebServer?.monthlyUsd).toBe(73);
    expect(byId.DataVolume?.monthlyUsd).toBe(20);
    expect(byId.OrdersDb?.basis).toMatch(/Multi-AZ/);
    for (const id of ['UploadsBucket', 'OrdersTable', 'ApiFunction']) {
      expect([id, byId[id]?.monthlyUsd, byId[id]?.basis]).toEqual([id, undefined, 'priced by usage']);
    }
    expect(result.metrics.resources).toBe(3);
    expect(result.summary).not.toMatch(/^0 resources/);
    expect(result.summary).toMatch(/3 priced by usage/);
    expect(result.findings.map((f) => [f.ruleId, f.resource?.name]).sort()).toEqual([
      ['COST006', 'DataVolume'],
      ['COST006', 'WebServer'],
      ['COST007', 'OrdersDb'],
      ['COST007', 'WebServer'],
    ]);
  });

  it('a template priced only by usage has no score', async () => {
    // Act
    const result = await analyze({
      files: [
        {
          path: 'queue.yaml',
          content:
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n",
        },
      ],
    });

    // Assess
    expect(result.score).toBeUndefined();
    expect(result.templateResources).toEqual([
      { file: 'queue.yaml', line: 3, id: 'Jobs', type: 'AWS::SQS::Queue', basis: 'priced by usage' },
    ]);
  });

  it('an input it does not understand says so: a COST000 finding and no score, never 100/100', async () => {
    // Act
    const result = await analyze({
      files: [{ path: 'deploy/values.yaml', content: 'replicaCount: 2\nimage:\n  repository: nginx\n' }],
    });

    // Assess
    expect(result.score).toBeUndefined();
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file])).toEqual([
      ['COST000', 'deploy/values.yaml'],
    ]);
    expect(result.summary).not.toMatch(/100\/100/);
    expect(result.summary).toMatch(/not understood/);
  });
});
