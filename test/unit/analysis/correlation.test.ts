/** Incident correlation: anomaly windows, timing, and a ranking by time and evidence. */
import { describe, expect, it } from '@jest/globals';
import { runAgent } from '../../../shared/agents/registry.js';
import {
  anomalyWindows,
  correlate,
  DEFAULT_CORRELATION_OPTIONS,
  type LogSignal,
  type MetricAnomaly,
} from '../../../shared/analysis/correlation/index.js';
import { logSignals, samplingIntervalMs, triage } from '../../../shared/app/workflows/triage.js';
import { fixture } from '../../helpers/fixtures.js';

const at = (hhmmss: string) => Date.parse(`2026-11-25T${hhmmss}Z`);
const options = { ...DEFAULT_CORRELATION_OPTIONS, intervalMs: 60_000, lookbackMs: 15 * 60_000 };

const anomaly = (
  time: string,
  severity: MetricAnomaly['severity'] = 'high',
  metric = 'p99',
): MetricAnomaly => ({
  metric,
  time: at(time),
  value: 3000,
  score: 0.8,
  severity,
});

const signal = (id: string, start: string | undefined, overrides: Partial<LogSignal> = {}): LogSignal => ({
  id,
  title: `template ${id}`,
  severity: 'high',
  kinds: ['error'],
  count: 3,
  start: start === undefined ? undefined : at(start),
  end: start === undefined ? undefined : at(start) + 5_000,
  ...overrides,
});

describe('anomalyWindows', () => {
  it('merges anomalies of one metric at most two intervals apart, and keeps metrics apart', () => {
    // Act
    const windows = anomalyWindows(
      [
        anomaly('10:03:00'),
        anomaly('10:05:00', 'critical'),
        anomaly('10:20:00'),
        anomaly('10:04:00', 'low', 'cpu'),
      ],
      60_000,
    );

    // Assess
    expect(
      windows.map((w) => [
        w.metric,
        new Date(w.start).toISOString(),
        new Date(w.end).toISOString(),
        w.points,
        w.severity,
      ]),
    ).toEqual([
      ['p99', '2026-11-25T10:03:00.000Z', '2026-11-25T10:06:00.000Z', 2, 'critical'],
      ['cpu', '2026-11-25T10:04:00.000Z', '2026-11-25T10:05:00.000Z', 1, 'low'],
      ['p99', '2026-11-25T10:20:00.000Z', '2026-11-25T10:21:00.000Z', 1, 'high'],
    ]);
  });
});

describe('correlate', () => {
  it('ranks what starts at the onset above what starts earlier, above what starts during it', () => {
    // Act
    const report = correlate(
      [
        signal('during', '10:04:30'),
        signal('early', '09:55:00'),
        signal('onset', '10:03:10'),
        signal('long-before', '08:00:00', { end: at('08:01:00') }),
      ],
      [anomaly('10:03:00'), anomaly('10:04:00'), anomaly('10:05:00')],
      options,
    );

    // Assess
    expect(report.candidates.map((c) => [c.signalId, c.relation])).toEqual([
      ['onset', 'coincides'],
      ['early', 'precedes'],
      ['during', 'follows'],
      ['long-before', 'unrelated'],
    ]);
    expect(report.candidates[0]).toMatchObject({ rank: 1, leadSeconds: -10, window: { metric: 'p99' } });
    expect(report.candidates[1]?.leadSeconds).toBe(480);
    expect(report.candidates[1]?.reasons[0]).toBe(
      'started 480.0 s before the onset of the p99 anomaly at 2026-11-25T10:03:00.000Z',
    );
    expect(report.unexplained).toEqual([]);
  });

  it('breaks a timing tie by severity, kind and evidence: a root-cause error beats a warning', () => {
    const report = correlate(
      [
        signal('warning', '10:02:59', { severity: 'low', kinds: ['warning'], count: 1 }),
        signal('symptom', '10:03:00', { kinds: ['error', 'burst'], count: 40 }),
        signal('cause', '10:03:00', { kinds: ['error', 'root-cause'], count: 2 }),
      ],
      [anomaly('10:03:00')],
      options,
    );
    expect(report.candidates.map((c) => c.signalId)).toEqual(['cause', 'symptom', 'warning']);
    expect(report.candidates[0]?.score).toBeGreaterThan(report.candidates[1]?.score ?? 100);
  });

  it('counts a signal still going when the anomaly began, and one without time, below aligned ones', () => {
    const report = correlate(
      [signal('chronic', '09:00:00', { end: at('10:30:00') }), signal('untimed', undefined)],
      [anomaly('10:03:00')],
      options,
    );
    expect(report.candidates.map((c) => [c.signalId, c.relation])).toEqual([
      ['chronic', 'ongoing'],
      ['untimed', 'untimed'],
    ]);
    expect(report.candidates[1]?.reasons[0]).toContain('no timestamps');
    expect(report.unexplained).toHaveLength(1);
  });

  it('reports windows no signal explains, and ranks signals on evidence alone without anomalies', () => {
    const withoutLogs = correlate([], [anomaly('10:03:00')], options);
    expect(withoutLogs.unexplained.map((w) => w.start)).toEqual(['2026-11-25T10:03:00.000Z']);

    const withoutMetrics = correlate(
      [signal('a', '10:00:00', { severity: 'medium' }), signal('b', '10:01:00')],
      [],
      options,
    );
    expect(withoutMetrics.candidates.map((c) => c.signalId)).toEqual(['b', 'a']);
    expect(withoutMetrics.candidates[0]?.reasons[0]).toBe('no metric anomaly to align it with');
  });

  it('is deterministic and keeps at most maxCandidates', () => {
    const signals = Array.from({ length: 15 }, (_, i) => signal(`s${i}`, '10:03:00'));
    const a = correlate(signals, [anomaly('10:03:00')], { ...options, maxCandidates: 5 });
    const b = correlate([...signals].reverse(), [anomaly('10:03:00')], { ...options, maxCandidates: 5 });
    expect(a.candidates).toHaveLength(5);
    expect(a).toEqual(b);
  });
});

describe('triage over real agent results', () => {
  it('aligns the shop incident log with its latency spike', async () => {
    // Prepare
    const points = fixture('metrics/shop-p99-latency.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => {
        const [timestamp, value] = row.split(',');
        return { timestamp: `${timestamp?.replace(' ', 'T')}Z`, value: Number(value) };
      });
    const context = { traceId: 't', now: new Date('2026-11-25T12:00:00Z') };
    const logs = await runAgent('log-analyzer', { text: fixture('logs/shop-incident.log') }, context);
    const metricsInput = { points, metric: 'p99LatencyMs' };
    const metrics = await runAgent('anomaly-detector', metricsInput, context);

    // Act
    const report = triage(logs, metrics, metricsInput, 15);

    // Assess
    expect(samplingIntervalMs(metricsInput)).toBe(60_000);
    expect(logSignals(logs).length).toBeGreaterThanOrEqual(3);
    expect(report.candidates.slice(0, 3).map((c) => c.title)).toEqual([
      'Connection to <*> refused',
      'GET <*> in <*>',
      expect.stringContaining('Thread starvation'),
    ]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['TRIAGE001', 'TRIAGE001', 'TRIAGE001']);
    expect(report.summary).toMatch(
      /^\d+ log signal\(s\), 1 anomaly window\(s\); top candidate "Connection to <\*> refused"/,
    );
  });
});
