import { describe, expect, it } from '@jest/globals';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { cpuPoints } from '../../helpers/fixtures.js';

const context = { traceId: 'trace-metrics', now: new Date('2026-11-25T12:00:00Z') };
const cpu = cpuPoints();

interface Result {
  summary: string;
  anomalies: { time: string; value: number; expected: { low: number; high: number }; severity: string }[];
  prediction?: { crossed: boolean; crossesAt: string | null; slopePerHour: number };
  findings: { ruleId: string; severity: string }[];
  metrics: { points: number; missing: number; anomalies: number };
}

const analyze = async (input: unknown) =>
  (await runAgent('anomaly-detector', input, context)) as unknown as Result;

describe('anomaly-detector', () => {
  it('finds the CPU spike on a daily-cycling series, with the usual range of that time of day', async () => {
    // Act
    const result = await analyze({ points: cpu, metric: 'api CPUUtilization' });

    // Assess
    const spike = result.anomalies.find((a) => a.time === '2025-12-03T01:40:00.000Z');
    expect(spike).toBeDefined();
    expect(spike?.value).toBeGreaterThan(spike?.expected.high ?? Number.POSITIVE_INFINITY);
    expect(spike?.severity).toBe('high');
    expect(result.metrics.points).toBe(cpu.length);
    expect(result.anomalies.length).toBeLessThanOrEqual(3);
  });

  it('is stricter at low sensitivity and looser at high', async () => {
    const low = await analyze({ points: cpu, sensitivity: 'low' });
    const high = await analyze({ points: cpu, sensitivity: 'high' });
    expect(low.anomalies.length).toBeLessThanOrEqual(high.anomalies.length);
    expect(low.anomalies.map((a) => a.time)).toContain('2025-12-03T01:40:00.000Z');
  });

  it('projects when a filling disk crosses its threshold, from a CloudWatch GetMetricData result', async () => {
    // Prepare: disk usage rising 0.5 points an hour with noise, newest first as CloudWatch returns it.
    const start = Date.parse('2026-11-20T00:00:00Z');
    const timestamps: string[] = [];
    const values: number[] = [];
    for (let h = 0; h < 96; h += 1) {
      timestamps.push(new Date(start + h * 3_600_000).toISOString());
      values.push(40 + 0.5 * h + ((h * 7) % 5) * 0.2);
    }
    const cloudwatch = {
      MetricDataResults: [
        {
          Id: 'disk',
          Label: 'disk_used_percent',
          Timestamps: timestamps.reverse(),
          Values: values.reverse(),
        },
      ],
    };

    // Act
    const result = await analyze({ cloudwatch, threshold: { value: 90, direction: 'above' } });

    // Assess: at 40 + 0.5 h the line reaches 90 at h = 100, i.e. 4 h after the last point (h = 95).
    expect(result.prediction?.crossed).toBe(false);
    const eta = Date.parse(result.prediction?.crossesAt ?? '');
    expect(Math.abs(eta - (start + 100 * 3_600_000))).toBeLessThan(3 * 3_600_000);
    expect(result.prediction?.slopePerHour).toBeCloseTo(0.5, 1);
    expect(result.findings[0]).toMatchObject({ ruleId: 'ANOM002', severity: 'high' });
  });

  it('reports a threshold already crossed, and handles missing values', async () => {
    const points = cpu.slice(0, 50).map((p, i) => ({ ...p, value: i % 10 === 3 ? null : p.value }));
    const result = await analyze({ points, threshold: { value: 1, direction: 'above' } });
    expect(result.prediction?.crossed).toBe(true);
    expect(result.findings[0]?.ruleId).toBe('ANOM003');
    expect(result.metrics.missing).toBe(5);
  });

  it('rejects input with neither or both series forms', () => {
    expect(() => validateAgentInput('anomaly-detector', {})).toThrow(AgentValidationError);
    expect(() =>
      validateAgentInput('anomaly-detector', {
        points: [],
        cloudwatch: { MetricDataResults: [{ Timestamps: [], Values: [] }] },
      }),
    ).toThrow(AgentValidationError);
  });
});
