/**
 * Metric series from the three export formats the agent reads, each point
 * with where it was written (for findings on gaps and bad data):
 *
 * - Prometheus range-query JSON (`/api/v1/query_range`): a series that keeps
 *   its `__name__` is a raw metric, and one named like a counter (`_total`,
 *   `_count`, `_bucket`, `_sum`) holds cumulative values, turned into
 *   increases with counter resets handled as `increase()` does. A series
 *   without `__name__` is the result of a function (`increase`, `sum`), read
 *   as counts per step. `NaN` values are missing points.
 * - CloudWatch GetMetricData JSON: each result (`Id`, `Label`) is counts per
 *   period (the Sum statistic), newest first as CloudWatch returns them.
 * - CSV `timestamp,good,total` (or `bad`): counts per row.
 *
 * Timestamps: epoch seconds or milliseconds (by size) or ISO 8601.
 */
import type { InputProblem, Locator } from '../../analysis/documents/structured.js';

export interface Point {
  at: number;
  /** NaN: missing. */
  value: number;
}

export interface Series {
  file: string;
  format: 'prometheus' | 'cloudwatch' | 'csv';
  /** `__name__` is the metric (Prometheus), the Id (CloudWatch) or the column (CSV). */
  labels: Record<string, string>;
  /** Another name the series answers to (a CloudWatch Label). */
  alias?: string;
  points: Point[];
  /** Values are a counter's running total, not counts per step. */
  cumulative: boolean;
  /** The line of point i (or of the series when points have none). */
  lineOf(i?: number): number | undefined;
}

const COUNTER_SUFFIX = /_(?:total|count|bucket|sum)$/;

/** Epoch seconds or milliseconds (by magnitude), or an ISO 8601 text; NaN when neither. */
export function toMillis(value: unknown): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string') return Number.NaN;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return toMillis(Number(trimmed));
  return Date.parse(trimmed);
}

function toValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
  return Number(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Prometheus query_range response: `{ status, data: { resultType: 'matrix', result } }`. */
export function isPrometheusMatrix(value: unknown): boolean {
  return isRecord(value) && isRecord(value.data) && Array.isArray(value.data.result) && 'status' in value;
}

export function isCloudWatchResponse(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.MetricDataResults);
}

function stringLabels(metric: unknown): Record<string, string> {
  if (!isRecord(metric)) return {};
  return Object.fromEntries(Object.entries(metric).map(([k, v]) => [k, String(v)]));
}

export function readPrometheus(
  file: string,
  value: Record<string, unknown>,
  lineOf: Locator,
  problems: InputProblem[],
): Series[] {
  const data = value.data as Record<string, unknown>;
  if (value.status !== 'success' || (data.resultType !== undefined && data.resultType !== 'matrix')) {
    problems.push({
      file,
      line: lineOf(['data', 'resultType']) ?? lineOf(['status']),
      message: `a Prometheus response with status ${String(value.status)} and resultType ${String(data.resultType)}: only a successful range query (matrix) holds series over time`,
    });
    return [];
  }
  return (data.result as unknown[]).flatMap((item, i) => {
    if (!isRecord(item) || !Array.isArray(item.values)) {
      problems.push({ file, line: lineOf(['data', 'result', i]), message: 'a result without `values`' });
      return [];
    }
    const labels = stringLabels(item.metric);
    const points = item.values.map((pair) =>
      Array.isArray(pair)
        ? { at: toMillis(pair[0]), value: toValue(pair[1]) }
        : { at: Number.NaN, value: Number.NaN },
    );
    const name = labels.__name__;
    return [
      {
        file,
        format: 'prometheus' as const,
        labels,
        points,
        cumulative: name !== undefined && COUNTER_SUFFIX.test(name),
        lineOf: (p?: number) => lineOf(['data', 'result', i, ...(p === undefined ? [] : ['values', p])]),
      },
    ];
  });
}

export function readCloudWatch(
  file: string,
  value: Record<string, unknown>,
  lineOf: Locator,
  problems: InputProblem[],
): Series[] {
  return (value.MetricDataResults as unknown[]).flatMap((item, i) => {
    const timestamps = isRecord(item) ? item.Timestamps : undefined;
    const values = isRecord(item) ? item.Values : undefined;
    if (
      !isRecord(item) ||
      !Array.isArray(timestamps) ||
      !Array.isArray(values) ||
      typeof item.Id !== 'string'
    ) {
      problems.push({
        file,
        line: lineOf(['MetricDataResults', i]),
        message: 'a MetricDataResults entry without Id, Timestamps and Values',
      });
      return [];
    }
    const points = timestamps.map((t, j) => ({ at: toMillis(t), value: toValue(values[j]) }));
    return [
      {
        file,
        format: 'cloudwatch' as const,
        labels: { __name__: item.Id, ...(typeof item.Label === 'string' ? { label: item.Label } : {}) },
        ...(typeof item.Label === 'string' ? { alias: item.Label } : {}),
        points,
        cumulative: false,
        lineOf: (p?: number) =>
          lineOf(['MetricDataResults', i, ...(p === undefined ? [] : ['Timestamps', p])]),
      },
    ];
  });
}

const TIME_COLUMN = /^(?:timestamp|time|ts|date|datetime|@timestamp)$/i;

/**
 * A CSV of counts per row: a time column (named timestamp / time / date, else
 * the first) and one series per other column (`good`, `total`, `bad`).
 */
export function readCsvSeries(
  file: string,
  records: readonly { line: number; cells: string[] }[],
  problems: InputProblem[],
): Series[] {
  const [header, ...rows] = records;
  if (header === undefined || rows.length === 0) {
    problems.push({ file, line: 1, message: 'a CSV without a header and data rows' });
    return [];
  }
  const names = header.cells.map((c) => c.trim());
  const timeIndex = Math.max(
    0,
    names.findIndex((n) => TIME_COLUMN.test(n)),
  );
  const lines = rows.map((r) => r.line);
  return names.flatMap((name, column) => {
    if (column === timeIndex || name === '') return [];
    const points = rows.map((r) => ({ at: toMillis(r.cells[timeIndex]), value: toValue(r.cells[column]) }));
    return [
      {
        file,
        format: 'csv' as const,
        labels: { __name__: name },
        points,
        cumulative: false,
        lineOf: (p?: number) => (p === undefined ? header.line : lines[p]),
      },
    ];
  });
}
