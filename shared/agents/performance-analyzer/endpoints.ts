/**
 * Endpoint rules on statistics (ORIGIN.md #28): PERF001 p99 over the SLO,
 * PERF002 cacheable hot GETs, PERF003 large responses, PERF004 error rate,
 * and PERF008 regressions of latency samples against a baseline.
 */
import type { Finding } from '../contract.js';
import { DEFAULT_THRESHOLDS, PERF_RULES, type Thresholds } from './rules.js';
import type { EndpointStat, LatencySamples, PerformanceOutput, Slos } from './schema.js';
import { holmAdjust, mannWhitneyU, percentile, round } from './statistics.js';

export interface Endpoint {
  stat: EndpointStat;
  file?: string;
  /** Where the endpoint's entry starts in its file. */
  line?: number;
  windowSeconds: number;
}

type Regression = PerformanceOutput['regressions'][number];

function nameOf(stat: { method?: string | undefined; route: string }): string {
  return stat.method === undefined ? stat.route : `${stat.method} ${stat.route}`;
}

function resourceOf(endpoint: Endpoint): NonNullable<Finding['resource']> {
  return {
    kind: 'Endpoint',
    name: nameOf(endpoint.stat),
    ...(endpoint.file === undefined ? {} : { file: endpoint.file }),
    ...(endpoint.line === undefined ? {} : { line: endpoint.line }),
  };
}

function requestsOf(stat: EndpointStat): number {
  return stat.count ?? stat.samplesMs?.length ?? 0;
}

function p99Of(stat: EndpointStat): number | undefined {
  if (stat.p99Ms !== undefined) return stat.p99Ms;
  return stat.samplesMs !== undefined && stat.samplesMs.length > 0
    ? percentile(stat.samplesMs, 99)
    : undefined;
}

function sloFor(slos: Slos, stat: EndpointStat) {
  const own = (slos.routes ?? []).find(
    (r) => r.route === stat.route && (r.method === undefined || r.method === stat.method),
  );
  return {
    p99Ms: own?.p99Ms ?? slos.p99Ms ?? DEFAULT_THRESHOLDS.p99Ms,
    errorRatePercent: own?.errorRatePercent ?? slos.errorRatePercent ?? DEFAULT_THRESHOLDS.errorRatePercent,
  };
}

/** 'cached' (freshness or a validator), 'no-store' (explicitly not reusable) or 'none'. */
export function cachePolicy(headers: readonly string[]): 'cached' | 'no-store' | 'none' {
  let noStore = false;
  for (const header of headers) {
    const colon = header.indexOf(':');
    const name = (colon < 0 ? header : header.slice(0, colon)).trim().toLowerCase();
    const value =
      colon < 0
        ? ''
        : header
            .slice(colon + 1)
            .trim()
            .toLowerCase();
    if (name === 'etag' || name === 'last-modified') return 'cached';
    if (name === 'expires' && value !== '0' && value !== '-1') return 'cached';
    if (name === 'cache-control' || name === 'cdn-cache-control' || name === 'surrogate-control') {
      const directives = value.split(',').map((d) => d.trim());
      for (const directive of directives) {
        const [key, arg] = directive.split('=').map((part) => part.trim());
        if ((key === 'max-age' || key === 's-maxage') && Number(arg) > 0) return 'cached';
        if (key === 'public' || key === 'immutable' || key === 'stale-while-revalidate') return 'cached';
        if (key === 'no-store') noStore = true;
      }
    }
  }
  return noStore ? 'no-store' : 'none';
}

/** What the endpoint rules read of one endpoint. */
interface Judged {
  endpoint: Endpoint;
  name: string;
  resource: NonNullable<Finding['resource']>;
  requests: number;
  /** Enough requests to judge p99 and the error rate. */
  judged: boolean;
  slo: ReturnType<typeof sloFor>;
}

/** PERF001: p99 over the route's SLO. */
function p99Finding({ endpoint, name, resource, requests, judged, slo }: Judged): Finding | undefined {
  const p99 = p99Of(endpoint.stat);
  if (!judged || p99 === undefined || p99 <= slo.p99Ms) return undefined;
  const { stat } = endpoint;
  return PERF_RULES.finding('PERF001', {
    message: `${name}: p99 ${round(p99, 1)} ms is over its ${slo.p99Ms} ms SLO (${round(p99 / slo.p99Ms, 2)}×, ${requests} requests).`,
    resource,
    severity: p99 > 2 * slo.p99Ms ? 'high' : 'medium',
    evidence: { p50Ms: stat.p50Ms, p95Ms: stat.p95Ms, p99Ms: round(p99, 3), sloP99Ms: slo.p99Ms, requests },
  });
}

/** PERF002: a hot GET answered without freshness or validators. */
function cachingFinding(
  { endpoint, name, resource, requests }: Judged,
  thresholds: Thresholds,
): Finding | undefined {
  const { stat } = endpoint;
  const perMinute = (requests / endpoint.windowSeconds) * 60;
  const hotGet =
    (stat.method === 'GET' || stat.method === 'HEAD') &&
    stat.cacheable !== false &&
    perMinute >= thresholds.hotGetPerMinute;
  if (!hotGet) return undefined;
  const policy = cachePolicy(stat.cacheHeaders ?? []);
  if (policy === 'cached') return undefined;
  return PERF_RULES.finding('PERF002', {
    message:
      `${name} is called ${round(perMinute, 1)} times a minute and its responses carry ` +
      (policy === 'no-store'
        ? 'Cache-Control: no-store: if the data tolerates seconds of staleness, a short max-age would absorb most calls.'
        : 'no freshness or validator headers: nothing between the client and the service may reuse them.'),
    resource,
    severity: policy === 'no-store' ? 'low' : 'medium',
    evidence: { requestsPerMinute: round(perMinute, 2), cacheHeaders: stat.cacheHeaders ?? [] },
  });
}

/** PERF003: mean (or largest) response over the size threshold. */
function sizeFinding({ endpoint, name, resource }: Judged, thresholds: Thresholds): Finding | undefined {
  const limit = thresholds.largeResponseBytes;
  const mean = endpoint.stat.meanResponseBytes;
  const max = endpoint.stat.maxResponseBytes;
  const meanLarge = mean !== undefined && mean >= limit;
  if (!meanLarge && (max === undefined || max < limit)) return undefined;
  return PERF_RULES.finding('PERF003', {
    message: meanLarge
      ? `${name} answers ${kib(mean)} on average${max === undefined ? '' : ` (largest ${kib(max)})`}.`
      : `${name}'s largest response is ${kib(max ?? 0)}${mean === undefined ? '' : ` (mean ${kib(mean)})`}.`,
    resource,
    severity: meanLarge ? (mean >= 5 * limit ? 'high' : 'medium') : 'low',
    evidence: { meanResponseBytes: mean, maxResponseBytes: max, thresholdBytes: limit },
  });
}

/** PERF004: error rate over the route's SLO. */
function errorRateFinding({ endpoint, name, resource, requests, judged, slo }: Judged): Finding | undefined {
  const { errors } = endpoint.stat;
  if (!judged || errors === undefined || requests === 0) return undefined;
  const ratePercent = (errors / requests) * 100;
  if (ratePercent <= slo.errorRatePercent) return undefined;
  return PERF_RULES.finding('PERF004', {
    message: `${name}: ${errors} of ${requests} requests failed (${round(ratePercent, 2)} %, threshold ${slo.errorRatePercent} %).`,
    resource,
    severity: ratePercent >= 5 * Math.max(slo.errorRatePercent, 0.1) ? 'high' : 'medium',
    evidence: {
      errors,
      requests,
      errorRatePercent: round(ratePercent, 3),
      thresholdPercent: slo.errorRatePercent,
    },
  });
}

/** PERF001–PERF004 on each endpoint. */
export function endpointFindings(
  endpoints: readonly Endpoint[],
  slos: Slos,
  thresholds: Thresholds,
): Finding[] {
  return endpoints.flatMap((endpoint) => {
    const requests = requestsOf(endpoint.stat);
    const judged: Judged = {
      endpoint,
      name: nameOf(endpoint.stat),
      resource: resourceOf(endpoint),
      requests,
      judged: requests >= thresholds.minRequests,
      slo: sloFor(slos, endpoint.stat),
    };
    return [
      p99Finding(judged),
      cachingFinding(judged, thresholds),
      sizeFinding(judged, thresholds),
      errorRateFinding(judged),
    ].filter((f): f is Finding => f !== undefined);
  });
}

function kib(bytes: number): string {
  return bytes >= 1_048_576 ? `${round(bytes / 1_048_576, 2)} MiB` : `${round(bytes / 1024, 1)} KiB`;
}

/**
 * PERF008: each endpoint with current samples against its baseline
 * (same route, and method when the baseline names one), one-sided
 * Mann-Whitney U with Holm's adjustment over the endpoints tested.
 */
export function regressionFindings(
  endpoints: readonly Endpoint[],
  baseline: readonly LatencySamples[],
  thresholds: Thresholds,
): { findings: Finding[]; regressions: Regression[] } {
  const tests: { endpoint: Endpoint; current: number[]; base: number[] }[] = [];
  for (const endpoint of endpoints) {
    const current = endpoint.stat.samplesMs ?? [];
    if (current.length < thresholds.minSamples) continue;
    const base = baseline.find(
      (b) => b.route === endpoint.stat.route && (b.method === undefined || b.method === endpoint.stat.method),
    );
    if (base === undefined || base.samplesMs.length < thresholds.minSamples) continue;
    tests.push({ endpoint, current, base: base.samplesMs });
  }
  const results = tests.map((t) => mannWhitneyU(t.current, t.base));
  const adjusted = holmAdjust(results.map((r) => r.pGreater));
  const findings: Finding[] = [];
  const regressions: Regression[] = tests.map((t, i) => {
    const r = results[i] as (typeof results)[number];
    const adjustedP = adjusted[i] as number;
    const row: Regression = {
      method: t.endpoint.stat.method,
      route: t.endpoint.stat.route,
      baselineN: t.base.length,
      currentN: t.current.length,
      u: r.u,
      z: round(r.z, 4),
      pValue: r.pGreater,
      adjustedPValue: adjustedP,
      cliffsDelta: round(r.cliffsDelta, 4),
      baselineP50Ms: round(percentile(t.base, 50), 3),
      currentP50Ms: round(percentile(t.current, 50), 3),
      baselineP95Ms: round(percentile(t.base, 95), 3),
      currentP95Ms: round(percentile(t.current, 95), 3),
      regressed: adjustedP < thresholds.regressionAlpha && r.cliffsDelta >= thresholds.regressionMinEffect,
    };
    if (row.regressed) {
      const delta = r.cliffsDelta;
      findings.push(
        PERF_RULES.finding('PERF008', {
          message:
            `${nameOf(t.endpoint.stat)} is slower than the baseline: p50 ${row.baselineP50Ms} → ${row.currentP50Ms} ms, ` +
            `p95 ${row.baselineP95Ms} → ${row.currentP95Ms} ms; Mann-Whitney U = ${r.u}, p = ${formatP(adjustedP)} ` +
            `(Holm-adjusted), Cliff's delta ${row.cliffsDelta}.`,
          resource: resourceOf(t.endpoint),
          severity: delta >= 0.474 ? 'high' : delta >= 0.33 ? 'medium' : 'low',
          evidence: row,
        }),
      );
    }
    return row;
  });
  return { findings, regressions };
}

function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : String(round(p, 4));
}
