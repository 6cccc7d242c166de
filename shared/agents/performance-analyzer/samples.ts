/**
 * Inputs the performance-analyzer rules are shown on (rules.ts samples):
 * small endpoint statistics, an OTLP/JSON trace and a V8 CPU profile, built
 * here so each sample states only what makes it fire or not.
 */
import type { RuleSample } from '../scan/catalog.js';

type Stat = Record<string, unknown>;

/** One endpoint-statistics file (an hour of traffic). */
export function statsSample(endpoints: readonly Stat[], extra: Stat = {}, why?: string): RuleSample {
  const content = JSON.stringify({ windowSeconds: 3600, ...extra, endpoints }, null, 2);
  return { path: 'endpoint-stats.json', content, ...(why === undefined ? {} : { why }) };
}

/** A quiet POST endpoint: judged, fast, no errors, small answers, not a GET. */
export const quietStats = statsSample(
  [{ method: 'POST', route: '/v1/orders', count: 400, p99Ms: 180, errors: 0, meanResponseBytes: 900 }],
  {},
  'a fast POST endpoint without errors',
);

const T0 = 1_767_225_600_000;
const nanos = (ms: number) => `${BigInt(T0 + ms) * 1_000_000n}`;
const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** An OTLP/JSON trace: GET /orders/{id} (400 ms) running `statements` one after another, 20 ms each. */
export function traceSample(statements: readonly string[], why?: string): RuleSample {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const root = {
    traceId,
    spanId: 'a1b2c3d4e5f60001',
    name: 'GET /orders/{id}',
    kind: 2,
    startTimeUnixNano: nanos(0),
    endTimeUnixNano: nanos(400),
    attributes: [attribute('http.request.method', 'GET'), attribute('http.route', '/orders/{id}')],
  };
  const queries = statements.map((statement, i) => ({
    traceId,
    spanId: `b1b2c3d4e5f6${String(i + 1).padStart(4, '0')}`,
    parentSpanId: root.spanId,
    name: 'pg.query',
    kind: 3,
    startTimeUnixNano: nanos(40 + 25 * i),
    endTimeUnixNano: nanos(60 + 25 * i),
    attributes: [attribute('db.system', 'postgresql'), attribute('db.statement', statement)],
  }));
  const resource = { attributes: [attribute('service.name', 'orders-api')] };
  const content = JSON.stringify({
    resourceSpans: [{ resource, scopeSpans: [{ spans: [root, ...queries] }] }],
  });
  return { path: 'otlp-orders-trace.json', content, ...(why === undefined ? {} : { why }) };
}

/** A V8 CPU profile (hit counts over one second) of the given functions of /srv/app/invoice.js. */
export function profileSample(
  functions: readonly { name: string; hits: number }[],
  why?: string,
): RuleSample {
  const frame = (functionName: string, url: string, lineNumber: number) => ({
    functionName,
    scriptId: '65',
    url,
    lineNumber,
    columnNumber: 2,
  });
  const nodes = [
    { id: 1, callFrame: frame('(root)', '', -1), hitCount: 0, children: functions.map((_, i) => i + 3) },
    { id: 2, callFrame: frame('(idle)', '', -1), hitCount: 20, children: [] },
    ...functions.map((fn, i) => ({
      id: i + 3,
      callFrame: frame(fn.name, 'file:///srv/app/invoice.js', 10 * (i + 1)),
      hitCount: fn.hits,
      children: [],
    })),
  ];
  nodes[0]?.children.push(2);
  const content = JSON.stringify({ nodes, startTime: 0, endTime: 1_000_000 });
  return { path: 'invoice-service.cpuprofile', content, ...(why === undefined ? {} : { why }) };
}

/** `n` latency samples around `center` ms (a fixed spread, no randomness). */
export function latencies(center: number, n = 24): number[] {
  return Array.from({ length: n }, (_, i) => center + ((i * 7) % 11) - 5);
}
