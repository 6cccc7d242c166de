/**
 * The inputs each rule is shown on (./rules.ts): an SLO file and a CSV of
 * hourly request counts up to 2026-06-01 12:00 UTC (the time the rule
 * samples run at), with errors where the sample needs them. 10,000 requests
 * an hour at a 0.02 % error ratio is the healthy baseline of a 99.9 % SLO
 * (burn rate 0.2). Hourly rows keep the samples short enough to read in the
 * rules docs; the last row alone is the 5-minute and 1-hour window.
 */
import type { RuleSample } from '../scan/catalog.js';

const END = Date.UTC(2026, 5, 1, 12, 0);
const STEP_MINUTES = 60;
const HEALTHY = 0.0002;
const PER_STEP = 10_000;

interface Traffic {
  days?: number;
  /** Error ratio of the last `minutes` of the series. */
  incident?: { minutes: number; ratio: number };
  /** Rows left out: minutes before END of the first and last row of a hole. */
  hole?: { from: number; to: number };
  /** A row whose good count is above its total, minutes before END. */
  broken?: number;
  baseline?: number;
}

/** `timestamp,good,total` rows every hour up to END. */
export function trafficCsv(traffic: Traffic = {}): string {
  const steps = ((traffic.days ?? 3) * 1440) / STEP_MINUTES;
  const rows = ['timestamp,good,total'];
  for (let i = steps - 1; i >= 0; i -= 1) {
    const before = i * STEP_MINUTES;
    if (traffic.hole && before <= traffic.hole.from && before >= traffic.hole.to) continue;
    const inIncident = traffic.incident !== undefined && before < traffic.incident.minutes;
    const ratio = inIncident ? (traffic.incident?.ratio ?? 0) : (traffic.baseline ?? HEALTHY);
    const bad = Math.round(PER_STEP * ratio);
    const good = traffic.broken === before ? PER_STEP + 5 : PER_STEP - bad;
    rows.push(`${new Date(END - before * 60_000).toISOString().replace('.000Z', 'Z')},${good},${PER_STEP}`);
  }
  return `${rows.join('\n')}\n`;
}

/** One SLO fed by checkout.csv; `fields` replaces lines of the definition. */
export function sloYaml(fields: { target?: string; window?: string; source?: string } = {}): string {
  return [
    'slos:',
    '  - name: checkout-availability',
    '    service: checkout',
    `    target: ${fields.target ?? '99.9'}`,
    `    window: ${fields.window ?? '30d'}`,
    `    source: ${fields.source ?? 'checkout.csv'}`,
    '    sli:',
    '      kind: availability',
    '      good: http_requests_total{service="checkout",code!~"5.."}',
    '      total: http_requests_total{service="checkout"}',
    '',
  ].join('\n');
}

/** The SLO file and a CSV. */
export function sample(csv: string, why: string, extra: { slo?: string; line?: number } = {}): RuleSample {
  return {
    files: [
      { path: 'slo.yaml', content: extra.slo ?? sloYaml() },
      { path: 'checkout.csv', content: csv },
    ],
    why,
    ...(extra.line === undefined ? {} : { line: extra.line }),
  };
}

const healthy = sample(trafficCsv(), 'three healthy days: 0.02 % errors, burn rate 0.2');

/** A Prometheus range-query response of one raw counter per code, every minute for two hours up to END. */
export function prometheusCounters(
  codes: Record<string, number>,
  extra: Record<string, number> = {},
): string {
  const series = Object.entries({ ...codes, ...extra }).map(([code, perMinute]) => {
    const metric =
      code in codes
        ? { __name__: 'http_requests_total', service: 'checkout', code }
        : { __name__: code, service: 'checkout' };
    const values = Array.from({ length: 13 }, (_, i) => [
      (END - (12 - i) * 600_000) / 1000,
      String(1_000_000 + perMinute * 10 * i),
    ]);
    return { metric, values };
  });
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: series } });
}

const PROMETHEUS_SLO = sloYaml().replace('    source: checkout.csv\n', '');

export const SAMPLES = {
  SLO000: {
    bad: [
      {
        files: [
          { path: 'slo.yaml', content: sloYaml() },
          { path: 'checkout.csv', content: trafficCsv() },
          { path: 'dashboard.json', content: '{"title": "checkout", "panels": []}' },
        ],
        why: 'a dashboard export is neither SLOs nor metric series',
        line: 1,
      },
    ],
    good: [healthy],
  },
  SLO001: {
    bad: [
      sample(
        trafficCsv({ incident: { minutes: 90, ratio: 0.02 } }),
        '2 % errors for the last 90 minutes: burn rate 20 over 1h and 5m',
        { line: 2 },
      ),
    ],
    good: [
      healthy,
      sample(trafficCsv({ incident: { minutes: 120, ratio: 0.01 } }), '1 % errors: burn rate 10, below 14.4'),
    ],
  },
  SLO002: {
    bad: [
      sample(
        trafficCsv({ incident: { minutes: 480, ratio: 0.008 } }),
        '0.8 % errors for 8 hours: burn rate 8 over 6h and 30m',
      ),
    ],
    good: [
      healthy,
      sample(trafficCsv({ incident: { minutes: 480, ratio: 0.005 } }), '0.5 % errors: burn rate 5, below 6'),
    ],
  },
  SLO003: {
    bad: [
      sample(
        trafficCsv({ incident: { minutes: 1800, ratio: 0.004 } }),
        '0.4 % errors for 30 hours: burn rate 4 over 1d and 2h',
      ),
    ],
    good: [healthy],
  },
  SLO004: {
    bad: [
      sample(trafficCsv({ baseline: 0.012 }), 'three days at 1.2 % errors spend 120 % of the 30-day budget'),
    ],
    good: [healthy],
  },
  SLO005: {
    bad: [
      sample(trafficCsv({ baseline: 0.008 }), 'three days at 0.8 % errors spend 80 % of the 30-day budget'),
    ],
    good: [healthy],
  },
  SLO006: {
    bad: [
      sample(
        trafficCsv({ hole: { from: 600, to: 480 } }),
        'three hourly rows missing the morning of the run',
        {
          line: 63,
        },
      ),
    ],
    good: [healthy],
  },
  SLO007: {
    bad: [
      {
        files: [{ path: 'slo.yaml', content: PROMETHEUS_SLO }],
        why: 'no metric file holds http_requests_total',
      },
    ],
    good: [
      {
        files: [
          { path: 'slo.yaml', content: PROMETHEUS_SLO },
          { path: 'metrics.json', content: prometheusCounters({ '200': 1000, '503': 0 }) },
        ],
      },
    ],
  },
  SLO008: {
    bad: [
      sample(trafficCsv(), 'a window that is not a duration', {
        slo: sloYaml({ window: 'monthly' }),
        line: 5,
      }),
    ],
    good: [healthy],
  },
  SLO009: {
    bad: [
      sample(trafficCsv(), 'a 100 % target has no error budget', {
        slo: sloYaml({ target: '100' }),
        line: 4,
      }),
    ],
    good: [healthy],
  },
  SLO010: {
    bad: [
      {
        files: [
          { path: 'slo.yaml', content: PROMETHEUS_SLO },
          {
            path: 'metrics.json',
            content: prometheusCounters({ '200': 1000 }, { http_request_duration_seconds_count: 1000 }),
          },
        ],
        why: 'a latency series no SLO reads',
      },
    ],
    good: [
      {
        files: [
          { path: 'slo.yaml', content: PROMETHEUS_SLO },
          { path: 'metrics.json', content: prometheusCounters({ '200': 1000, '503': 1 }) },
        ],
      },
    ],
  },
  SLO011: {
    bad: [sample(trafficCsv({ broken: 60 }), 'a row with more good requests than requests', { line: 72 })],
    good: [healthy],
  },
} satisfies Record<string, { bad: RuleSample[]; good: RuleSample[] }>;
