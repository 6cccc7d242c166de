/**
 * The performance-analyzer rules as data, and the default thresholds they
 * use. PERF001–PERF004 are the API rules of ORIGIN.md #28 on endpoint
 * statistics; PERF005 and PERF006 read traces, PERF007 CPU profiles and
 * PERF008 compares latency samples with a baseline.
 */
import { defineRules } from '../scan/catalog.js';
import { type ScorePolicyName, type SeverityWeights, SURVIVAL_WEIGHTS } from '../scan/score.js';
import { latencies, profileSample, quietStats, statsSample, traceSample } from './samples.js';

export const PERF_RULES = defineRules('performance-analyzer', [
  {
    id: 'PERF000',
    severity: 'medium',
    category: 'correctness',
    title: 'Performance input not readable',
    description:
      'A file that is not JSON, or JSON that is none of the inputs the analyzer reads (OTLP/JSON traces, X-Ray ' +
      'BatchGetTraces output, a V8 .cpuprofile, endpoint statistics), or has fields of the wrong type. Nothing ' +
      'in it was analysed.',
    remediation:
      'Export traces as OTLP/JSON (`resourceSpans`) or with `aws xray batch-get-traces`, profiles with ' +
      '`node --cpu-prof` or the DevTools profiler, and statistics as `{ endpoints: [...] }`.',
    samples: {
      bad: [{ path: 'otlp-orders-trace.json', content: '{\n  "resourceSpans": [\n    {,\n  ]\n}', line: 3 }],
      good: [quietStats],
    },
  },
  {
    id: 'PERF001',
    severity: 'medium',
    category: 'performance',
    title: 'p99 latency over the SLO',
    description:
      'The endpoint’s 99th percentile latency exceeds its SLO (the route’s own, else the global one, else ' +
      '1000 ms). One request in a hundred is slower than promised; high when p99 is more than twice the SLO. ' +
      'Endpoints with fewer requests than `thresholds.minRequests` are not judged.',
    remediation:
      'Open the slowest traces of the route (PERF006 shows where their time goes), remove N+1 calls, add ' +
      'indexes or caching, and move slow work off the request path.',
    samples: {
      bad: [
        statsSample([{ method: 'GET', route: '/v1/orders/{id}', count: 1200, p99Ms: 2100 }], {
          slos: { p99Ms: 800 },
        }),
      ],
      good: [
        statsSample([{ method: 'GET', route: '/v1/orders/{id}', count: 1200, p99Ms: 640 }], {
          slos: { p99Ms: 800 },
        }),
      ],
    },
  },
  {
    id: 'PERF002',
    severity: 'medium',
    category: 'performance',
    title: 'Hot GET endpoint served without caching headers',
    description:
      'A GET (or HEAD) endpoint called at least `thresholds.hotGetPerMinute` times a minute answers without ' +
      'freshness (Cache-Control max-age / s-maxage / public, Expires) or validators (ETag, Last-Modified). ' +
      'GET is idempotent: a CDN, the API Gateway cache or the client could answer most of these requests.',
    remediation:
      'Send `Cache-Control: public, max-age=N` (or `private` for per-user data) with an ETag, answer ' +
      '`If-None-Match` with 304, and cache at the edge (CloudFront) or in API Gateway. Mark an endpoint whose ' +
      'answers must never be reused `cacheable: false` in the statistics.',
    precision: 'medium',
    samples: {
      bad: [
        statsSample(
          [{ method: 'GET', route: '/v1/products', count: 90000, cacheHeaders: [] }],
          {},
          '25 calls a second, no caching headers',
        ),
      ],
      good: [
        statsSample([
          {
            method: 'GET',
            route: '/v1/products',
            count: 90000,
            cacheHeaders: ['Cache-Control: public, max-age=60', 'ETag: "v42"'],
          },
        ]),
      ],
    },
  },
  {
    id: 'PERF003',
    severity: 'medium',
    category: 'performance',
    title: 'Large responses',
    description:
      'The mean response is at least `thresholds.largeResponseBytes` (default 1 MiB): high when it is five ' +
      'times that. Low when only the largest response is over it. A Lambda behind API Gateway fails above 6 MB.',
    remediation:
      'Paginate lists, select only the fields clients use, compress (gzip / br), and serve large objects from ' +
      'S3 through presigned URLs.',
    samples: {
      bad: [statsSample([{ method: 'POST', route: '/v1/reports', count: 50, meanResponseBytes: 3_400_000 }])],
      good: [
        statsSample([
          {
            method: 'POST',
            route: '/v1/reports',
            count: 50,
            meanResponseBytes: 48_200,
            maxResponseBytes: 212_000,
          },
        ]),
      ],
    },
  },
  {
    id: 'PERF004',
    severity: 'medium',
    category: 'reliability',
    title: 'Error rate over the threshold',
    description:
      'The share of failed requests (errors ÷ count) exceeds the route’s SLO, else the global one, else 1 %; ' +
      'high from five times the threshold. Endpoints with fewer requests than `thresholds.minRequests` are not ' +
      'judged.',
    remediation:
      'Group the failures by status and cause (log-analyzer on the service logs), fix the dominant one, and ' +
      'return 4xx for client mistakes so they do not count as server errors.',
    samples: {
      bad: [statsSample([{ method: 'POST', route: '/v1/orders', count: 4000, errors: 160 }])],
      good: [statsSample([{ method: 'POST', route: '/v1/orders', count: 4000, errors: 12 }])],
    },
  },
  {
    id: 'PERF005',
    severity: 'medium',
    category: 'performance',
    title: 'N+1 call pattern in a trace',
    description:
      'One span has `thresholds.nPlusOneMin` (default 5) or more child spans calling the same resource: the ' +
      'same SQL statement once literals are removed, the same downstream route, RPC method or AWS operation. ' +
      'High from 50 calls, or when the calls take half of the trace.',
    remediation:
      'Fetch the rows in one query (`WHERE id = ANY($1)`, a join, a DataLoader), call a batch endpoint ' +
      '(BatchGetItem, a list route), or run the calls concurrently when they cannot be merged.',
    samples: {
      bad: [
        traceSample(
          [1, 2, 3, 4, 5, 6].map((id) => `SELECT * FROM order_items WHERE order_id = ${id}`),
          'one query per order line',
        ),
      ],
      good: [traceSample(['SELECT * FROM order_items WHERE order_id = ANY($1)'], 'the lines in one query')],
    },
  },
  {
    id: 'PERF006',
    severity: 'info',
    category: 'performance',
    title: 'Critical path of a trace',
    description:
      'The chain of spans that determines when the trace ends, with each span’s share of the trace duration. ' +
      'Walking back from the end of the root span, the span’s last-finishing child before the cursor is on the ' +
      'path, then the child that finished before that one started, and so on; the gaps are the parent’s own ' +
      'time. Concurrent work off this chain does not delay the response. Reported for the slowest trace of ' +
      'each root operation.',
    remediation:
      'Speed up the spans with the largest shares first; work off the critical path only helps once it joins ' +
      'the path. Run independent steps of the path concurrently.',
    samples: {
      bad: [traceSample(['SELECT * FROM orders WHERE id = $1'])],
      good: [quietStats],
    },
  },
  {
    id: 'PERF007',
    severity: 'low',
    category: 'performance',
    title: 'Hot function by self time',
    description:
      'A function (by name, script and line) whose own samples take at least `thresholds.hotFunctionPercent` ' +
      '(default 10 %) of the profile’s busy time (idle excluded); medium from 30 %. Self time comes from the ' +
      'sample intervals (timeDeltas), or hit counts × the mean interval when a profile has none.',
    remediation:
      'Look at the function at the reported line: avoid repeated work in loops (memoise, precompile regular ' +
      'expressions, hoist JSON parsing), use a better data structure, or move CPU-heavy work off the event loop.',
    samples: {
      bad: [
        profileSample(
          [
            { name: 'parseInvoice', hits: 60 },
            { name: 'handleRequest', hits: 20 },
          ],
          'parseInvoice takes 75 % of the busy time',
        ),
      ],
      good: [
        profileSample(
          Array.from({ length: 12 }, (_, i) => ({ name: `step${i + 1}`, hits: 5 })),
          'twelve functions sharing the time evenly',
        ),
      ],
    },
  },
  {
    id: 'PERF008',
    severity: 'medium',
    category: 'performance',
    title: 'Latency regression against the baseline',
    description:
      'The current latency samples of an endpoint are stochastically larger than the baseline’s: a one-sided ' +
      'Mann-Whitney U test (normal approximation with tie and continuity corrections, Holm-adjusted over the ' +
      'endpoints tested) below `thresholds.regressionAlpha` (default 0.01) with Cliff’s delta of at least ' +
      '`thresholds.regressionMinEffect` (default 0.147, "small"). Low for a small effect, medium from 0.33, ' +
      'high from 0.474 (large).',
    remediation:
      'Compare the traces and profiles of the two versions (PERF006 shares, PERF007 hot functions), find the ' +
      'change that added the time, and roll it back or fix it before the regression reaches the SLO.',
    samples: {
      bad: [
        statsSample([{ method: 'GET', route: '/v1/orders/{id}', count: 24, samplesMs: latencies(180) }], {
          baseline: [{ method: 'GET', route: '/v1/orders/{id}', samplesMs: latencies(120) }],
        }),
      ],
      good: [
        statsSample([{ method: 'GET', route: '/v1/orders/{id}', count: 24, samplesMs: latencies(121) }], {
          baseline: [{ method: 'GET', route: '/v1/orders/{id}', samplesMs: latencies(120) }],
        }),
      ],
    },
  },
] as const);

export type PerfRuleId = (typeof PERF_RULES.rules)[number]['id'];

export const DEFAULT_THRESHOLDS = {
  /** SLO p99 when neither the route nor the input's slos set one. */
  p99Ms: 1000,
  /** Error-rate SLO (percent) when none is set. */
  errorRatePercent: 1,
  /** Endpoints with fewer requests are not judged on p99 or error rate. */
  minRequests: 20,
  /** A GET at this rate or more is hot (PERF002). */
  hotGetPerMinute: 60,
  /** Mean response size from which PERF003 reports (1 MiB). */
  largeResponseBytes: 1_048_576,
  /** Sibling calls to one resource from which PERF005 reports. */
  nPlusOneMin: 5,
  /** Self-time share of the busy profile time from which PERF007 reports. */
  hotFunctionPercent: 10,
  /** Significance level of the regression test, after Holm's adjustment. */
  regressionAlpha: 0.01,
  /** Smallest Cliff's delta reported (Romano et al.: 0.147 small, 0.33 medium, 0.474 large). */
  regressionMinEffect: 0.147,
  /** Fewer samples on either side: the endpoint is not tested. */
  minSamples: 8,
} as const;

export type Thresholds = { -readonly [K in keyof typeof DEFAULT_THRESHOLDS]: number };

/** Statistics without a window are read as one hour of traffic. */
export const DEFAULT_WINDOW_SECONDS = 3600;

/** Score: `survival`, 100 × Π(1 − w) over open findings. */
export const SCORE_POLICY: ScorePolicyName = 'survival';
export const SEVERITY_WEIGHTS: SeverityWeights = SURVIVAL_WEIGHTS;
