/**
 * The anomaly-detector's view of the time-series engine: scores per point,
 * the score a sensitivity alarms at, and the CSV form of a series.
 */

import { readCsv } from '../../analysis/documents/csv.js';
import { detectAnomalies, parseSeriesCsv, scoreOfSurprise } from '../../analysis/timeseries/index.js';
import { AgentValidationError } from '../../core/errors.js';

/**
 * Alarm levels in the detector's surprise (−log10 p of the most surprising
 * view): medium is the detector's detection level (p ≤ 0.001 per view, where
 * the damping of the rows after a detection starts, so scores past it are one
 * per incident), high a decade earlier, low a decade and a half later.
 */
export const SENSITIVITY_THRESHOLDS = {
  high: scoreOfSurprise(2),
  medium: scoreOfSurprise(3),
  low: scoreOfSurprise(4.5),
} as const;

/** One score in [0, 1) per point; a missing value (null) is a gap the detector skips. */
export function scoreSeries(values: readonly (number | null)[], times: readonly number[]): number[] {
  return detectAnomalies({ values: values.map((v) => v ?? Number.NaN), times: [...times] }).scores;
}

/** The line of each data row as parseSeriesCsv reads them: after the header, rows of blank cells skipped. */
function rowLines(text: string): number[] {
  const [, ...rows] = readCsv(text).records;
  return rows.filter((row) => !row.cells.every((cell) => cell.trim() === '')).map((row) => row.line);
}

export interface CsvPoint {
  timestamp: number;
  value: number | null;
  file: string;
  line: number;
}

/** The points of a `timestamp,value` CSV, each with its file and line. */
export function parsePointsCsv(text: string, source: string): CsvPoint[] {
  const series = parseSeriesCsv(text, source);
  const lines = rowLines(text);
  return series.times.map((time, i) => {
    const line = lines[i] ?? i + 2;
    if (!Number.isFinite(time)) {
      throw new AgentValidationError(`${source}: row ${line} has no readable timestamp`, [
        { path: `${source}:${line}`, message: 'timestamp is not a recognisable time' },
      ]);
    }
    const value = series.values[i];
    return {
      timestamp: time,
      value: value === undefined || Number.isNaN(value) ? null : value,
      file: source,
      line,
    };
  });
}
