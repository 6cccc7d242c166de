import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { curColumn } from '../../../shared/agents/cost-optimizer/cur.js';
import { forecastCosts } from '../../../shared/agents/cost-optimizer/forecast.js';
import agent from '../../../shared/agents/cost-optimizer/index.js';
import { COST_RULES } from '../../../shared/agents/cost-optimizer/rules.js';
import type { CostOutput } from '../../../shared/agents/cost-optimizer/schema.js';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { readCsv } from '../../../shared/analysis/documents/csv.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

const ROOT = 'test/fixtures/cost';
const context = { traceId: 'trace-cost', now: new Date('2025-03-14T09:30:00Z') };

function file(name: string) {
  return { path: `${ROOT}/${name}`, content: readFileSync(`${ROOT}/${name}`, 'utf8') };
}

/** The 1-based line of the first line of a fixture holding `snippet` after the line holding `after`. */
function line(name: string, snippet: string, after?: string): number {
  const lines = readFileSync(`${ROOT}/${name}`, 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" is not in ${name}`);
  return index + 1;
}

async function analyze(input: unknown): Promise<CostOutput> {
  return (await runAgent('cost-optimizer', input, context)) as CostOutput;
}

const rows = (result: CostOutput) =>
  result.findings
    .map((f) => [
      f.ruleId,
      f.resource?.name,
      f.resource?.line,
      (f.evidence as { monthlySavingsUsd?: number })?.monthlySavingsUsd,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));

describe('cost-optimizer', () => {
  it('finds the known waste of the fixture inventory, to the cent, each at its line', async () => {
    // Prepare: hand computation, in cents, each saving rounded once.
    const web = { rightsize: 28032 / 2, graviton: 0, commit: 0 }; // m5.2xlarge → m5.xlarge halves the price
    web.graviton = Math.round(14016 * (1 - 0.1632 / 0.192)); // m5.xlarge → m7g.xlarge: 15 % of 140.16 = 21.02
    web.commit = Math.round((14016 - web.graviton) * 0.28); // Compute Savings Plan on what is left: 33.36
    const orders = { generation: Math.round(26572 * (1 - 0.178 / 0.182)) }; // db.m4 → db.m6i: 5.84
    const ordersGraviton = Math.round((26572 - orders.generation) * (1 - 0.168 / 0.178)); // → db.m7g: 14.60
    const expected = {
      COST001: 7008,
      COST002: web.rightsize,
      COST003: web.commit,
      COST004: 2500,
      COST005: 5000 + 365,
      COST006: 2000 + orders.generation,
      COST007: web.graviton + ordersGraviton,
      COST008: 4600,
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0);

    // Act
    const result = await analyze({ files: [file('inventory.json')] });

    // Assess
    expect([web.graviton, web.commit, orders.generation, ordersGraviton]).toEqual([2102, 3336, 584, 1460]);
    expect(total).toBe(42971);
    expect(result.totals.savingsMonthlyUsd).toBe(429.71);
    expect(result.totals.currentMonthlyUsd).toBe(1024.77);
    expect(result.totals.byRule).toEqual(
      Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v / 100])),
    );
    expect(result.totals.byPriority).toEqual({
      critical: 0,
      high: 70.08,
      medium: 227.17,
      low: 132.46,
      info: 0,
    });
    const f = 'inventory.json';
    expect(rows(result)).toEqual([
      ['COST001', 'i-idle', line(f, '"utilisation"', 'i-idle'), 70.08],
      ['COST002', 'i-web', line(f, '"instanceType"', 'i-web'), 140.16],
      ['COST003', 'i-web', line(f, '"pricingModel"', 'i-web'), 33.36],
      ['COST004', 'snap-old', line(f, 'snap-old'), 25],
      ['COST005', 'eipalloc-1', line(f, 'eipalloc-1'), 3.65],
      ['COST005', 'vol-orphan', line(f, 'vol-orphan'), 50],
      ['COST006', 'orders-db', line(f, '"instanceType"', 'orders-db'), 5.84],
      ['COST006', 'vol-data', line(f, 'vol-data'), 20],
      ['COST007', 'i-web', line(f, '"instanceType"', 'i-web'), 21.02],
      ['COST007', 'orders-db', line(f, '"instanceType"', 'orders-db'), 14.6],
      ['COST008', 'logs-bucket', line(f, 'logs-bucket'), 46],
    ]);
    const web2 = result.recommendations.find((r) => r.ruleId === 'COST002');
    expect(web2).toMatchObject({ resourceId: 'i-web', current: 'm5.2xlarge', recommended: 'm5.xlarge' });
    expect(
      result.recommendations.find((r) => r.ruleId === 'COST006' && r.resourceId === 'orders-db'),
    ).toMatchObject({
      current: 'db.m4.large',
      recommended: 'db.m6i.large',
    });
    expect(result.score).toBe(58);
    expect(result.summary).toContain('$429.71/month');
  });

  it('leaves a well-run inventory clean', async () => {
    // Act
    const result = await analyze({ files: [file('clean.json')] });

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.totals.savingsMonthlyUsd).toBe(0);
    expect(result.score).toBe(100);
  });

  it('takes suppressed findings out of the totals', async () => {
    // Act
    const result = await analyze({
      files: [file('inventory.json')],
      ignore: [{ ruleId: 'COST008', reason: 'the log bucket is emptied by the pipeline' }],
    });

    // Assess
    const suppressed = result.findings.filter((f) => f.suppressed);
    expect(suppressed.map((f) => f.ruleId)).toEqual(['COST008']);
    expect(result.totals.savingsMonthlyUsd).toBe(383.71);
    expect(result.totals.byRule.COST008).toBeUndefined();
  });

  it('reads an AWS Cost and Usage Report CSV: resources grouped, scaled to a 730-hour month, rows with lines', async () => {
    // Act
    const result = await analyze({ files: [file('cur.csv')] });

    // Assess: 2 days of data; i-0abc 9.216 × 730 / 48 = 140.16, the idle EIP 0.24 × 730 / 48 = 3.65, the gp2 volume 101.29.
    expect(rows(result)).toEqual([
      ['COST003', 'i-0abc', 2, 33.36],
      ['COST005', 'eipalloc-0def', 3, 3.65],
      ['COST006', 'vol-0123', 4, Math.round(10129 * 0.2) / 100],
      ['COST007', 'arn:aws:rds:us-east-1:123:db:orders', 9, Math.round(9125 * (1 - 0.239 / 0.25)) / 100],
      ['COST007', 'i-0abc', 2, 21.02],
    ]);
    expect(result.totals.currentMonthlyUsd).toBe(140.16 + 3.65 + 101.29 + 91.25);
    // The reserved RDS instance is no commitment candidate.
    expect(result.findings.some((f) => f.ruleId === 'COST003' && f.resource?.name.includes('rds'))).toBe(
      false,
    );
  });

  it('parses quoted CSV fields and normalises both CUR header styles', () => {
    // Act
    const parsed = readCsv('a,b\r\n"x, y","he said ""hi"""\n"multi\nline",2\n').records;

    // Assess
    expect(parsed).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'he said "hi"'] },
      { line: 3, cells: ['multi\nline', '2'] },
    ]);
    expect(curColumn('lineItem/UnblendedCost')).toBe('line_item_unblended_cost');
    expect(curColumn('line_item_unblended_cost')).toBe('line_item_unblended_cost');
    expect(curColumn('product/regionCode')).toBe('product_region_code');
  });

  it('forecasts a linear trend with a weekly pattern exactly', () => {
    // Prepare: 100 + 2·t + a weekday effect summing to zero, 28 days from Monday 2025-01-06.
    const effect = [-10, 5, 5, 5, 5, 0, -10]; // Sun … Sat
    const truth = (t: number) => {
      const weekday = new Date(Date.UTC(2025, 0, 6 + t)).getUTCDay();
      return 100 + 2 * t + (effect[weekday] ?? 0);
    };
    const series = Array.from({ length: 28 }, (_, t) => ({
      date: new Date(Date.UTC(2025, 0, 6 + t)).toISOString().slice(0, 10),
      cost: truth(t),
    }));

    // Act
    const forecast = forecastCosts(series, 30);

    // Assess
    const expected = Array.from({ length: 30 }, (_, h) => truth(28 + h)).reduce((a, b) => a + b, 0);
    expect(forecast?.totalUsd).toBeCloseTo(expected, 2);
    expect(forecast?.trendUsdPerDay).toBeCloseTo(2, 6);
    expect(forecast?.weekly).toEqual({ Sun: -10, Mon: 5, Tue: 5, Wed: 5, Thu: 5, Fri: 0, Sat: -10 });
    expect(forecast?.daily[0]).toEqual({ date: '2025-02-03', cost: truth(28) });
    expect(forecast?.lowerUsd).toBeCloseTo(expected, 2);
    // Not a fixed multiplier of the last month.
    expect(forecast?.totalUsd).not.toBeCloseTo(
      series.slice(-30).reduce((a, p) => a + p.cost, 0),
      0,
    );
  });

  it('puts a forecast with an interval in the result when daily costs are given', async () => {
    // Prepare: a noisy upward series.
    const dailyCosts = Array.from({ length: 21 }, (_, t) => ({
      date: new Date(Date.UTC(2025, 1, 1 + t)).toISOString().slice(0, 10),
      cost: 50 + t + (t % 3) - 1,
    }));

    // Act
    const result = await analyze({
      resources: [{ type: 's3', id: 'b', monthlyCost: 1, lifecycleRules: true }],
      dailyCosts,
    });

    // Assess
    expect(result.forecast?.horizonDays).toBe(30);
    expect(result.forecast?.trendUsdPerDay).toBeGreaterThan(0.9);
    expect(result.forecast?.lowerUsd).toBeLessThan(result.forecast?.totalUsd ?? 0);
    expect(result.forecast?.upperUsd).toBeGreaterThan(result.forecast?.totalUsd ?? 0);
    expect(result.summary).toContain('Forecast next 30 days');
    expect(forecastCosts(dailyCosts.slice(0, 5), 30)).toBeUndefined();
  });

  it('reports a file that does not parse as COST000 at its line, and skips unrelated JSON', async () => {
    // Act
    const result = await analyze({
      files: [
        { path: 'broken.json', content: '{\n  "resources": [\n    { "type": "ec2", \n' },
        { path: 'other.json', content: '{ "name": "not an inventory" }' },
        { path: 'bad.json', content: '[{ "type": "ec2", "id": "i-1", "monthlyCost": -3 }]' },
      ],
    });

    // Assess
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file])).toEqual([
      ['COST000', 'bad.json'],
      ['COST000', 'broken.json'],
    ]);
    expect(result.metrics.filesSkipped).toBe(1);
  });

  it('estimates costs from the catalog when none is given, and rejects an empty input', async () => {
    // Act
    const result = await analyze({
      resources: [
        {
          type: 'AWS::EC2::Instance',
          id: 'i-2',
          instanceType: 'm5.large',
          uptime: 100,
          region: 'eu-west-1',
          pricingModel: 'reserved',
          architecture: 'arm64',
        },
      ],
    });

    // Assess: 0.096 × 1.1146 × 730.
    expect(result.totals.currentMonthlyUsd).toBe(Math.round(0.096 * 1.1146 * 730 * 100) / 100);
    expect(() => validateAgentInput('cost-optimizer', {})).toThrow(AgentValidationError);
    expect(agent.accepts?.('inventory/cur-2025-02.csv')).toBe(true);
    expect(agent.accepts?.('package.json')).toBe(false);
  });

  it('reads daily costs from an inventory, a date,cost CSV and fromFiles, and flags bad rows', async () => {
    // Prepare
    const days = (n: number, from: number) =>
      Array.from({ length: n }, (_, t) => ({
        date: new Date(Date.UTC(2025, 1, from + t)).toISOString().slice(0, 10),
        cost: 10,
      }));
    const inventory = JSON.stringify(
      { dailyCosts: [...days(4, 1), { date: 'yesterday', cost: 1 }] },
      null,
      2,
    );
    const csv = ['date,cost', ...days(4, 5).map((d) => `${d.date},${d.cost}`), 'later,x'].join('\n');
    const input = agent.fromFiles?.([
      { path: 'costs/inventory.yaml', content: inventory },
      { path: 'costs/daily.csv', content: csv },
      { path: 'costs/notes.txt', content: 'hello' },
      { path: 'costs/empty.csv', content: '' },
      {
        path: 'costs/.aiopsignore',
        content: 'COST000 *.csv hand-written series\nCOST000 *.yaml hand-written series\n',
      },
    ]);

    // Act
    const result = await analyze(input);

    // Assess: 8 days of 10 → a flat forecast of 300 over 30 days.
    expect(result.forecast?.totalUsd).toBe(300);
    expect(result.forecast?.historyDays).toBe(8);
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file, f.resource?.line, f.suppressed])).toEqual([
      ['COST000', 'costs/daily.csv', 6, true],
      ['COST000', 'costs/inventory.yaml', 19, true],
    ]);
    expect(result.metrics.filesSkipped).toBe(2);
  });

  it('reads CUR 2.0 headers, Savings Plan and spot usage, and skips a CSV it does not know', async () => {
    // Prepare
    const cur = [
      'line_item_usage_start_date,line_item_product_code,line_item_usage_type,line_item_resource_id,line_item_usage_amount,line_item_unblended_cost,line_item_line_item_type,product_instance_type,product_region_code',
      '2025-02-01T00:00:00Z,AmazonEC2,BoxUsage:c5.large,i-sp,24,2.04,SavingsPlanCoveredUsage,c5.large,eu-west-1',
      '2025-02-01T00:00:00Z,AmazonEC2,SpotUsage:c5.large,i-spot,24,0.80,Usage,c5.large,eu-west-1',
      '2025-02-01T00:00:00Z,AmazonS3,TimedStorage-ByteHrs,my-bucket,1,2.00,Usage,,eu-west-1',
      '2025-02-01T00:00:00Z,AmazonEC2,EBS:SnapshotUsage,snap-1,1,0.50,Usage,,eu-west-1',
      'not-a-date,AmazonEC2,x,y,1,zz,Usage,,',
    ].join('\n');

    // Act
    const result = await analyze({
      files: [
        { path: 'cur2.csv', content: cur },
        { path: 'other.csv', content: 'a,b\n1,2\n' },
      ],
    });

    // Assess: covered and spot usage are no commitment candidates; S3 from a CUR has no lifecycle facts.
    expect(result.findings.filter((f) => f.ruleId === 'COST003')).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'COST008')).toEqual([]);
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(['COST000', 'COST007', 'COST007']);
    expect(result.metrics.resources).toBe(4);
    expect(result.metrics.filesSkipped).toBe(1);
  });

  it('is documented in the README: a table row and every rule', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('| `cost-optimizer` |');
    expect(readme).toContain('### cost-optimizer');
    for (const { id } of COST_RULES.rules) expect(readme).toMatch(new RegExp(`\\| ${id} \\|`));
  });
});
