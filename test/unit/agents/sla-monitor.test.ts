import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { AgentResult } from '../../../shared/agents/contract.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import agent from '../../../shared/agents/sla-monitor/index.js';
import { SLA_RULES } from '../../../shared/agents/sla-monitor/rules.js';
import { prometheusCounters, sloYaml, trafficCsv } from '../../../shared/agents/sla-monitor/samples.js';
import type { SlaOutput, SloReport } from '../../../shared/agents/sla-monitor/schema.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { aiops } from '../../helpers/cli.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const ROOT = 'test/fixtures/sla-monitor';
const context = { traceId: 'trace-sla', now: new Date('2026-06-01T12:00:00Z') };

function file(name: string) {
  return { path: `${ROOT}/${name}`, content: readFileSync(`${ROOT}/${name}`, 'utf8') };
}

/** The line of the first line holding `snippet` at or after the line holding `after`. */
function line(name: string, snippet: string, after?: string): number {
  const lines = readFileSync(`${ROOT}/${name}`, 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" is not in ${name}`);
  return index + 1;
}

async function analyze(input: unknown): Promise<SlaOutput> {
  return (await runAgent('sla-monitor', input, context)) as SlaOutput;
}

const files = (...names: string[]) => ({ files: names.map(file) });
const bySlo = (result: SlaOutput) =>
  Object.fromEntries(result.slos.map((s) => [s.name, s])) as Record<string, SloReport>;
type Row = [string, string, string | undefined, number | undefined, string];
const rows = (result: AgentResult): Row[] =>
  result.findings.map(
    (f): Row => [f.ruleId, f.severity, f.resource?.file, f.resource?.line, f.resource?.name ?? ''],
  );

const SHOP = [
  'shop/slos.yaml',
  'shop/checkout-requests.json',
  'shop/checkout-latency.json',
  'shop/payments-cloudwatch.json',
  'shop/search.csv',
];

describe('sla-monitor on the shop fixture', () => {
  it('reports each SLO’s firing alerts, gaps, missing data and bad definitions at their lines', async () => {
    // Act
    const result = await analyze(files(...SHOP));

    // Assess
    const slos = `${ROOT}/shop/slos.yaml`;
    const s = 'shop/slos.yaml';
    expect(rows(result)).toEqual([
      ['SLO001', 'critical', slos, line(s, '- name: checkout-availability'), 'checkout-availability'],
      ['SLO002', 'high', slos, line(s, '- name: checkout-availability'), 'checkout-availability'],
      ['SLO008', 'high', slos, line(s, 'target: 0.999'), 'inventory-availability'],
      ['SLO007', 'high', slos, line(s, 'sli:', 'reports-freshness'), 'reports-freshness'],
      [
        'SLO006',
        'medium',
        `${ROOT}/shop/payments-cloudwatch.json`,
        // The first point after the hole, in the total series (the one the gaps are read from).
        line('shop/payments-cloudwatch.json', '"2026-05-30T15:00:00Z"', '"Id": "total"'),
        'payments-availability',
      ],
      ['SLO003', 'medium', slos, line(s, '- name: checkout-availability'), 'checkout-availability'],
      ['SLO003', 'medium', slos, line(s, '- name: payments-availability'), 'payments-availability'],
      ['SLO003', 'medium', slos, line(s, '- name: payments-availability'), 'payments-availability'],
      ['SLO009', 'medium', slos, line(s, 'target: 90'), 'reports-freshness'],
      [
        'SLO010',
        'low',
        `${ROOT}/shop/checkout-requests.json`,
        line('shop/checkout-requests.json', '"job":"cart"') - 1,
        `${ROOT}/shop/checkout-requests.json`,
      ],
    ]);
    expect(result.summary).toBe(
      '6 SLOs evaluated (2 ok, 1 warning, 1 page, 1 no-data, 1 invalid); 10 open findings (1 critical, 3 high, 5 medium, 1 low). Alerting rules generated for 5 SLOs.',
    );
  });

  it('gives each SLO the status its data shows, and none for what had no data', async () => {
    const slos = bySlo(await analyze(files(...SHOP)));
    expect(Object.fromEntries(Object.entries(slos).map(([name, s]) => [name, s.status]))).toEqual({
      'checkout-availability': 'page',
      'checkout-latency': 'ok',
      'payments-availability': 'warning',
      'search-availability': 'ok',
      'inventory-availability': 'invalid',
      'reports-freshness': 'no-data',
    });
    expect(slos['reports-freshness']).toMatchObject({
      sli: null,
      burnRates: {},
      alerts: [],
      timeToExhaustionMinutes: null,
    });
    expect(slos['inventory-availability']?.budget.consumed).toBeNull();
  });

  it('reads raw Prometheus counters across a reset: the 3 % outage of the last 45 minutes pages', async () => {
    const checkout = bySlo(await analyze(files(...SHOP)))['checkout-availability'];

    // Assess: total sums the 200, 500 and 503 series (the cart series is another service).
    expect(checkout?.series).toEqual([
      { role: 'good', selector: 'http_requests_total{service="checkout",code!~"5.."}', matched: 1 },
      { role: 'total', selector: 'http_requests_total{service="checkout"}', matched: 3 },
    ]);
    expect(checkout?.evaluatedAt).toBe('2026-06-01T12:00:00.000Z');
    expect(checkout?.dataFrom).toBe('2026-05-31T10:01:00.000Z');
    // A reset that were read as a drop would make good negative and the SLI absurd.
    expect(checkout?.sli).toBeGreaterThan(99.8);
    expect(checkout?.sli).toBeLessThan(99.9);
    expect(checkout?.burnRates['1h']).toBeGreaterThan(14.4);
    expect(checkout?.burnRates['5m']).toBeGreaterThan(14.4);
    expect(checkout?.alerts.map((a) => [a.name, a.firing])).toEqual([
      ['page-fast', true],
      ['page-slow', true],
      ['ticket-fast', false],
      ['ticket-slow', true],
    ]);
    expect(checkout?.budget.minutes).toBeCloseTo(43.2, 9);
    expect(checkout?.timeToExhaustionMinutes).toBeCloseTo(
      ((checkout?.budget.remaining ?? 0) * 43_200) / (checkout?.burnRates['1h'] ?? 1),
      6,
    );
  });

  it('takes a latency SLI from the histogram bucket at the threshold over _count', async () => {
    const latency = bySlo(await analyze(files(...SHOP)))['checkout-latency'];
    expect(latency?.series).toEqual([
      { role: 'good', selector: 'http_request_duration_seconds_bucket{le="0.3"}', matched: 1 },
      { role: 'total', selector: 'http_request_duration_seconds_count', matched: 1 },
    ]);
    expect(latency?.sli).toBeCloseTo(99.6, 1);
    expect(latency?.burnRates['1d']).toBeCloseTo(0.4, 2);
    expect(latency?.budget.minutes).toBeCloseTo(0.01 * 28 * 1440, 9);
  });

  it('reads CloudWatch results newest first, and a ticket burn at 4× over a day', async () => {
    const payments = bySlo(await analyze(files(...SHOP)))['payments-availability'];
    expect(payments?.dataFrom).toBe('2026-05-25T13:00:00.000Z');
    expect(payments?.burnRates['1d']).toBeCloseTo(4, 2);
    expect(payments?.alerts.filter((a) => a.firing).map((a) => a.name)).toEqual([
      'ticket-fast',
      'ticket-slow',
    ]);
    expect(payments?.coverage).toBeCloseTo(168 / (30 * 24), 9);
  });
});

describe('sla-monitor on healthy data', () => {
  it('reports no finding and status ok, with the budget in minutes and events', async () => {
    const result = await analyze(files('healthy/slo.yaml', 'healthy/search.csv'));
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
    const [search] = result.slos;
    expect(search?.status).toBe('ok');
    expect(search?.coverage).toBeCloseTo(0.1, 9);
    expect(search?.budget.minutes).toBeCloseTo(43.2, 9);
    expect(search?.budget.events).toBeCloseTo((0.001 * (search?.events.total ?? 0)) / 0.1, 6);
    expect(search?.budget.consumedEvents).toBe(search?.events.bad);
    expect(search?.budget.remaining).toBeGreaterThan(0.99);
  });

  it('the shop’s healthy SLOs give no finding of severity high or above', async () => {
    const result = await analyze(files(...SHOP));
    const healthy = ['checkout-latency', 'search-availability'];
    expect(result.findings.filter((f) => healthy.includes(f.resource?.name ?? ''))).toEqual([]);
  });
});

describe('sla-monitor inputs', () => {
  it('reads function results without __name__ as counts per step, matched by their labels', async () => {
    // Prepare: `sum by (code) (increase(...[1m]))` over two hours, 5 % errors for the last 10 minutes.
    const END = Date.UTC(2026, 5, 1, 12, 0) / 1000;
    const series = (code: string, value: (i: number) => number) => ({
      metric: { service: 'checkout', code, slo_series: code === '503' ? 'bad' : 'total' },
      values: Array.from({ length: 120 }, (_, i) => [END - (119 - i) * 60, String(value(i))]),
    });
    const content = JSON.stringify({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [series('503', (i) => (i >= 110 ? 50 : 0)), series('all', () => 1000)],
      },
    });
    const definition = [
      'slos:',
      '  - name: checkout',
      '    target: 99.9',
      '    sli:',
      '      kind: availability',
      '      bad: \'{slo_series="bad"}\'',
      '      total: \'{slo_series="total"}\'',
    ].join('\n');

    // Act
    const result = await analyze({
      files: [
        { path: 'slo.yaml', content: definition },
        { path: 'q.json', content },
      ],
    });

    // Assess: 50 of 1000 fail per minute for 10 minutes → burn 50 over 5m, 50 × 10/60 over 1h.
    const [report] = result.slos;
    expect(report?.burnRates['5m']).toBeCloseTo(50, 9);
    expect(report?.burnRates['1h']).toBeCloseTo(50 / 6, 9);
    expect(report?.status).toBe('warning');
    // 1d and 2h (and 3d and 6h) hold the same two hours here: both tickets.
    expect(result.findings.map((f) => f.ruleId)).toEqual(['SLO003', 'SLO003']);
  });

  it('reports a threshold between histogram buckets as ill-formed, with the buckets', async () => {
    const definition = readFileSync(`${ROOT}/shop/slos.yaml`, 'utf8').replace(
      'thresholdMs: 300',
      'thresholdMs: 250',
    );
    const result = await analyze({
      files: [{ path: 'slos.yaml', content: definition }, file('shop/checkout-latency.json')],
    });
    const finding = result.findings.find((f) => f.resource?.name === 'checkout-latency');
    expect(finding?.ruleId).toBe('SLO008');
    expect(finding?.resource?.line).toBe(line('shop/slos.yaml', 'thresholdMs'));
    expect(finding?.message).toContain('(le: 0.05, 0.1, 0.3, 1, +Inf)');
    expect(bySlo(result)['checkout-latency']?.status).toBe('invalid');
  });

  it('finds ill-formed definitions: selectors, SLIs, duplicate names, shapes', async () => {
    const definition = [
      'slos:',
      '  - name: a',
      '    target: 99.9',
      "    sli: { kind: availability, good: 'up{job=api', total: up }",
      '  - name: b',
      '    target: "99.5%"',
      '    window: 1d',
      '    sli: { kind: latency, good: fast_total, bad: slow_total, total: all_total }',
      '  - name: b',
      '    target: 99',
      '    sli: { kind: availability, good: ok_total, total: all_total }',
      '  - name: c',
      '    target: 99',
      '    sli: { kind: throughput }',
    ].join('\n');
    const result = await analyze({ files: [{ path: 'slos.yaml', content: definition }] });
    expect(result.findings.map((f) => [f.ruleId, f.resource?.name, f.resource?.line, f.message])).toEqual([
      [
        'SLO008',
        'a',
        4,
        'a: sli.good "up{job=api": "up{job=api" is not a metric name with optional {label matchers}.',
      ],
      ['SLO008', 'b', 8, 'b: sli gives both good and bad: give one of them with total.'],
      ['SLO008', 'b', 9, 'b: a second SLO named b (first at slos.yaml:5).'],
      ['SLO008', 'c', 14, expect.stringContaining('c: sli.kind:')],
      ['SLO009', 'b', 7, expect.stringContaining('window 1d is shorter than the 3d window')],
    ]);
    expect(result.slos.map((s) => [s.name, s.status])).toEqual([
      ['a', 'invalid'],
      ['b', 'invalid'],
      ['b', 'invalid'],
    ]);
  });

  it('reports a file it cannot read or does not understand, and never crashes on it', async () => {
    const result = await analyze({
      files: [
        { path: 'slo.yaml', content: 'slos:\n  - name: x\n    target: [99\n' },
        { path: 'alerts.json', content: '{"groups": []}' },
        {
          path: 'range.json',
          content: '{"status": "error", "data": {"resultType": "vector", "result": []}}',
        },
        { path: 'cw.json', content: '{"MetricDataResults": [{"Id": "a"}]}' },
        { path: 'empty.csv', content: 'timestamp,good,total\n' },
        { path: 'trailing.json', content: '{\n  "status": "success",\n}\n' },
      ],
    });
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file, f.resource?.line])).toEqual([
      ['SLO000', 'alerts.json', 1],
      ['SLO000', 'cw.json', 1],
      ['SLO000', 'empty.csv', 1],
      ['SLO000', 'range.json', 1],
      ['SLO000', 'slo.yaml', 4],
      ['SLO000', 'trailing.json', 3],
    ]);
    expect(result.slos).toEqual([]);
  });

  it('rejects an input with neither SLOs nor files', async () => {
    await expect(analyze({})).rejects.toBeInstanceOf(AgentValidationError);
  });

  it('takes inline SLOs; without metric files they have no data', async () => {
    const result = await analyze({
      slos: [
        { name: 'api', target: 99.9, sli: { kind: 'availability', good: 'ok_total', total: 'all_total' } },
      ],
    });
    expect(result.slos[0]?.status).toBe('no-data');
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file])).toEqual([['SLO007', undefined]]);
  });

  it('says data that ends before the run is stale', async () => {
    const result = (await runAgent(
      'sla-monitor',
      {
        files: [
          { path: 'slo.yaml', content: sloYaml() },
          { path: 'checkout.csv', content: trafficCsv() },
        ],
      },
      { traceId: 'stale', now: new Date('2026-06-01T15:00:00Z') },
    )) as SlaOutput;
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      [
        'SLO006',
        'medium',
        'checkout-availability: the data ends at 2026-06-01T12:00:00.000Z, 3.0 h before the run: the burn rates and status are as of then.',
      ],
    ]);
  });

  it('a budget smaller than one event is unachievable', async () => {
    const result = await analyze({
      files: [
        { path: 'slo.yaml', content: sloYaml({ target: '99.99999' }) },
        { path: 'checkout.csv', content: trafficCsv({ baseline: 0 }) },
      ],
    });
    const finding = result.findings.find((f) => f.ruleId === 'SLO009');
    expect(finding?.message).toBe(
      'checkout-availability: at the traffic seen (7200000 events per 30d) the budget is 0.72 events: one failed event spends it 1.39 times over.',
    );
  });

  it('selects Prometheus series by every matcher kind', async () => {
    const definition = sloYaml()
      .replace('    source: checkout.csv\n', '')
      .replace('code!~"5.."', 'code=~"2..|3.."')
      .replace(
        'total: http_requests_total{service="checkout"}',
        'total: http_requests_total{service!="cart",code!=""}',
      );
    const result = await analyze({
      files: [
        { path: 'slo.yaml', content: definition },
        { path: 'm.json', content: prometheusCounters({ '200': 1000, '302': 10, '503': 1 }) },
      ],
    });
    expect(result.slos[0]?.series.map((s) => s.matched)).toEqual([2, 3]);
    expect(result.slos[0]?.sli).toBeCloseTo((100 * 1010) / 1011, 9);
  });
});

describe('sla-monitor output', () => {
  it('validates as SARIF 2.1.0 with the catalog’s rules', async () => {
    const result = await analyze(files(...SHOP));
    const log = toSarif([
      {
        agent: { name: agent.name, version: agent.version, description: agent.description },
        rules: SLA_RULES,
        result,
      },
    ]);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const ruleIds = log.runs[0]?.tool.driver.rules?.map((r) => r.id);
    expect(ruleIds).toContain('SLO001');
  });

  it('reads files by content whatever their names', () => {
    expect(agent.accepts?.('metrics/export.json')).toBe(true);
    expect(agent.accepts?.('slo.yml')).toBe(true);
    expect(agent.accepts?.('search.csv')).toBe(true);
    expect(agent.accepts?.('package.json')).toBe(false);
    expect(agent.accepts?.('README.md')).toBe(false);
  });

  it('is documented in the README: a table row and every rule', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('| `sla-monitor` |');
    expect(readme).toContain('### sla-monitor');
    for (const { id } of SLA_RULES.rules) expect(readme).toMatch(new RegExp(`\\| ${id} \\|`));
  });
});

describe('aiops analyze sla-monitor slos.yaml metrics.json', () => {
  it('maps the files by content, pages with --fail-on critical, and says the data is old', async () => {
    // Act: a real process, with the wall clock of the run (months after the fixture's data).
    const { code, stdout } = await aiops([
      'analyze',
      'sla-monitor',
      `${ROOT}/shop/slos.yaml`,
      `${ROOT}/shop/checkout-requests.json`,
      '--format',
      'json',
      '--fail-on',
      'critical',
    ]);

    // Assess
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as SlaOutput;
    expect(bySlo(result)['checkout-availability']?.status).toBe('page');
    expect(bySlo(result)['checkout-latency']?.status).toBe('no-data');
    const checkout = result.findings
      .filter((f) => f.resource?.name === 'checkout-availability')
      .map((f) => f.ruleId);
    expect(checkout).toEqual(['SLO001', 'SLO002', 'SLO003', 'SLO006']);
    expect(result.rules.prometheus).toContain('slo:sli_error:ratio_rate3d');
  }, 120_000);
});
