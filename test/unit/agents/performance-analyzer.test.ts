import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { SourceFile } from '../../../shared/agents/contract.js';
import agent, { acceptsPerformanceInput } from '../../../shared/agents/performance-analyzer/index.js';
import type { PerformanceOutput } from '../../../shared/agents/performance-analyzer/schema.js';
import {
  holmAdjust,
  mannWhitneyU,
  normalSurvival,
  percentile,
} from '../../../shared/agents/performance-analyzer/statistics.js';
import { routeOfPath, sqlFingerprint } from '../../../shared/agents/performance-analyzer/traces.js';
import { getAgent, runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

const ROOT = 'test/fixtures/perf';
const context = { traceId: 'trace-perf', now: new Date('2026-03-01T00:00:00Z') };

function file(name: string): SourceFile {
  return { path: `${ROOT}/${name}`, content: readFileSync(`${ROOT}/${name}`, 'utf8') };
}

async function analyze(input: unknown): Promise<PerformanceOutput> {
  return (await runAgent('performance-analyzer', input, context)) as PerformanceOutput;
}

async function analyzeFiles(...names: string[]): Promise<PerformanceOutput> {
  return analyze(agent.fromFiles?.(names.map(file)));
}

function rows(result: PerformanceOutput): [string, string, string | undefined][] {
  return result.findings.map((f) => [f.ruleId, f.severity, f.resource?.name]);
}

describe('statistics', () => {
  it('computes the Mann-Whitney U statistic and p-values known from SciPy', () => {
    // Ranks of x = [3,4,2,6,2,5] in the pooled sample: 2,2 → 1.5 each, 3 → 3, 4 → 4, 5 → 5.5, 6 → 7.5:
    // R = 23, U = R − n(n+1)/2 = 23 − 21 = 2.
    const tied = mannWhitneyU([3, 4, 2, 6, 2, 5], [9, 7, 5, 10, 6, 8]);
    expect(tied.u).toBe(2);
    expect(tied.uOther).toBe(34);
    // scipy.stats.mannwhitneyu(x, y, alternative=..., method='asymptotic')
    expect(tied.pGreater).toBeCloseTo(0.9960472777460493, 12);
    expect(tied.pTwoSided).toBeCloseTo(0.012591911490379705, 12);
    expect(tied.cliffsDelta).toBeCloseTo(-8 / 9, 12);

    const untied = mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12]);
    expect(untied.u).toBe(17);
    // mean 10, variance 5·4·10/12, continuity-corrected z = 6.5 / √16.667
    expect(untied.z).toBeCloseTo(6.5 / Math.sqrt(200 / 12), 12);
    expect(untied.pGreater).toBeCloseTo(0.055673443266570206, 12);
    expect(untied.cliffsDelta).toBeCloseTo(0.7, 12);
  });

  it('gives no evidence for identical samples', () => {
    const same = [5, 7, 7, 9, 12, 15, 15, 15, 20];
    const result = mannWhitneyU(same, same);
    expect(result.u).toBe(same.length ** 2 / 2);
    expect(result.cliffsDelta).toBe(0);
    expect(result.pGreater).toBeGreaterThan(0.5);
    expect(mannWhitneyU([4, 4, 4], [4, 4, 4]).pGreater).toBe(1);
  });

  it('has the normal tail, percentiles and Holm adjustment right', () => {
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 12);
    expect(normalSurvival(-1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normalSurvival(8)).toBeCloseTo(6.22096057427178e-16, 25);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBeCloseTo(9.55, 12);
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
  });
});

describe('performance-analyzer traces', () => {
  it('finds the N+1 query and the critical path through concurrent branches of an OTLP trace', async () => {
    const result = await analyzeFiles('otlp-orders-trace.json');
    expect(rows(result)).toEqual([
      ['PERF005', 'medium', 'loadLineItems'],
      ['PERF006', 'info', 'GET /orders/{id}'],
    ]);
    const n1 = result.findings[0];
    expect(n1?.resource).toEqual({
      kind: 'Span',
      name: 'loadLineItems',
      namespace: 'orders-api',
      file: `${ROOT}/otlp-orders-trace.json`,
    });
    expect(n1?.evidence).toMatchObject({
      resource: 'select id, name, price_cents from products where id = ?',
      calls: 6,
      maxConcurrent: 1,
      wallMs: 168,
    });
    // loadLineItems runs beside the inventory call, which ends later: it is off the critical path.
    const [trace] = result.traces;
    expect(trace?.durationMs).toBe(400);
    expect(trace?.criticalPath.map((p) => [p.name, p.service, p.onPathMs, p.sharePercent])).toEqual([
      ['GET /orders/{id}', 'orders-api', 25, 6.3],
      ['SELECT orders', 'orders-api', 20, 5],
      ['GET', 'orders-api', 10, 2.5],
      ['GET /stock/{orderId}', 'inventory', 10, 2.5],
      ['SELECT stock', 'inventory', 200, 50],
      ['serializeOrder', 'orders-api', 135, 33.8],
    ]);
    expect(trace?.criticalPath.reduce((sum, p) => sum + p.onPathMs, 0)).toBe(400);
  });

  it('reads X-Ray segments across services and finds repeated DynamoDB calls', async () => {
    const result = await analyzeFiles('xray-checkout-traces.json');
    expect(rows(result)).toEqual([
      ['PERF005', 'medium', 'checkout-api'],
      ['PERF006', 'info', 'checkout-api'],
    ]);
    expect(result.findings[0]?.evidence).toMatchObject({ resource: 'DynamoDB.GetItem products', calls: 6 });
    const [trace] = result.traces;
    expect(trace?.source).toBe('xray');
    expect(trace?.traceId).toBe('1-67754a00-5e2c1a7bd3e44f0a9c6b2d11');
    expect(trace?.criticalPath.map((p) => [p.name, p.onPathMs])).toEqual([
      ['checkout-api', 70],
      ['validateCart', 40],
      ...Array.from({ length: 6 }, () => ['DynamoDB', 35]),
      ['payments.internal', 20],
      ['payments', 20],
      ['payments@payments-db.cluster-c1.eu-west-1.rds.amazonaws.com', 140],
    ]);
  });

  it('keeps a batched trace clean: middleware siblings are not calls to a resource', async () => {
    const result = await analyzeFiles('otlp-good-trace.json');
    expect(rows(result)).toEqual([['PERF006', 'info', 'GET /orders/{id}']]);
    expect(result.score).toBe(100);
  });

  it('normalises SQL and URL paths into resource keys', () => {
    expect(sqlFingerprint("SELECT * FROM t WHERE id IN (1, 2, 3) AND name = 'o''neil' -- x")).toBe(
      'select * from t where id in (?) and name = ?',
    );
    expect(routeOfPath('/users/42/orders/3f2b8c1e-9d4a-4c1b-8e2f-1a2b3c4d5e6f?x=1')).toBe(
      '/users/{id}/orders/{id}',
    );
  });
});

describe('performance-analyzer profiles', () => {
  it('ranks functions by self time from timeDeltas, not hit counts', async () => {
    const result = await analyzeFiles('invoice-service.cpuprofile');
    const [top, second] = result.hotFunctions;
    // formatCurrency has 30 hits to renderInvoice's 13, but its samples are 0.1 ms apart.
    expect(top).toMatchObject({ functionName: 'renderInvoice', line: 88, selfMs: 12.1, selfPercent: 50.2 });
    expect(second).toMatchObject({ functionName: 'formatCurrency', selfMs: 3 });
    const hot = result.findings.filter((f) => f.ruleId === 'PERF007');
    expect(hot.map((f) => [f.severity, f.resource?.name, f.resource?.file, f.resource?.line])).toEqual([
      ['medium', 'renderInvoice', '/srv/app/dist/invoice.js', 88],
      ['low', 'formatCurrency', '/srv/app/dist/invoice.js', 12],
      ['low', 'stringify', `${ROOT}/invoice-service.cpuprofile`, undefined],
    ]);
  });
});

describe('performance-analyzer endpoints', () => {
  it('applies the API rules with route SLOs, rates and cache headers', async () => {
    const result = await analyzeFiles('endpoint-stats.json');
    // Most severe first, then by place: each endpoint's finding is at the line its entry starts on.
    expect(rows(result)).toEqual([
      ['PERF001', 'high', 'GET /v1/orders/{id}'],
      ['PERF002', 'medium', 'GET /v1/products'],
      ['PERF004', 'medium', 'POST /v1/orders'],
      ['PERF003', 'medium', 'GET /v1/reports/{id}'],
      ['PERF002', 'low', 'GET /v1/me'],
    ]);
    expect(result.findings.every((f) => f.resource?.file === `${ROOT}/endpoint-stats.json`)).toBe(true);
    expect(result.findings.map((f) => f.resource?.line)).toEqual([42, 15, 56, 67, 90]);
  });

  it('keeps good statistics clean', async () => {
    const result = await analyzeFiles('endpoint-stats-good.json');
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
  });

  it('detects a shifted latency distribution and leaves identical and same-distribution ones alone', async () => {
    const result = await analyzeFiles('latency-current.json');
    expect(rows(result)).toEqual([['PERF008', 'medium', 'GET /v1/search']]);
    const byRoute = new Map(result.regressions.map((r) => [r.route, r]));
    expect(byRoute.get('/v1/search')).toMatchObject({ regressed: true, baselineN: 240, currentN: 240 });
    expect(byRoute.get('/v1/search')?.adjustedPValue).toBeLessThan(1e-10);
    expect(byRoute.get('/v1/health')).toMatchObject({ regressed: false, cliffsDelta: 0 });
    expect(byRoute.get('/v1/items')?.regressed).toBe(false);
    expect(result.summary).toContain('1 of 3 endpoints regressed');
  });

  it('takes inline endpoints, SLOs, baseline and thresholds', async () => {
    const slow = Array.from({ length: 30 }, (_, i) => 200 + i * 5);
    const fast = Array.from({ length: 30 }, (_, i) => 100 + i * 5);
    const result = await analyze({
      endpoints: [{ method: 'get', route: '/v1/a', samplesMs: slow, errors: 3 }],
      baseline: { endpoints: [{ route: '/v1/a', samplesMs: fast }] },
      slos: { p99Ms: 300, errorRatePercent: 20 },
      thresholds: { minRequests: 10 },
    });
    expect(rows(result)).toEqual([
      ['PERF008', 'high', 'GET /v1/a'],
      ['PERF001', 'medium', 'GET /v1/a'],
    ]);
  });
});

describe('performance-analyzer input', () => {
  it('reports unreadable files as PERF000 and suppresses with a reason', async () => {
    const result = await analyze({
      files: [
        { path: 'traces/broken-trace.json', content: '{\n  "resourceSpans": [\n    {"scopeSpans": [ }\n' },
        { path: 'stats/endpoint-stats.json', content: '{"endpoints": [{"method": "GET"}]}' },
        { path: 'traces/otlp-spans.json', content: '{\n  "resourceSpans": []\n  "batches": []\n}' },
        file('endpoint-stats.json'),
        {
          path: '.aiopsignore',
          content: 'PERF003 test/fixtures/perf/** reports are downloaded once a day\n',
        },
      ],
      ignore: [{ ruleId: 'PERF001', reason: 'accepted until the order cache lands' }],
    });
    const problems = result.findings.filter((f) => f.ruleId === 'PERF000');
    expect(problems.map((f) => [f.resource?.file, f.resource?.line])).toEqual([
      ['stats/endpoint-stats.json', undefined],
      ['traces/broken-trace.json', undefined],
      ['traces/otlp-spans.json', 3],
    ]);
    const suppressed = result.findings
      .filter((f) => f.suppressed)
      .map((f) => [f.ruleId, f.suppressionSource]);
    expect(suppressed).toEqual([
      ['PERF001', 'input'],
      ['PERF003', 'aiopsignore'],
    ]);
    expect(result.metrics.suppressed).toBe(2);
  });

  it('validates the input and is registered', () => {
    expect(getAgent('performance-analyzer')?.fileOptions?.map((o) => o.flag)).toEqual(['baseline', 'slos']);
    expect(() => validateAgentInput('performance-analyzer', {})).toThrow(AgentValidationError);
    expect(() =>
      validateAgentInput('performance-analyzer', {
        endpoints: [{ method: 'GET', route: '/a', count: 1, errors: 2 }],
      }),
    ).toThrow(AgentValidationError);
    expect(acceptsPerformanceInput('perf/app.cpuprofile')).toBe(true);
    expect(acceptsPerformanceInput('exports/otel-traces.jsonl')).toBe(true);
    expect(acceptsPerformanceInput('package.json')).toBe(false);
  });
});
