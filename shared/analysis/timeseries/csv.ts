/**
 * Reading and writing metric series as CSV text (`timestamp,value` with a
 * header row). Pure: callers do the file I/O. The original timestamp text is
 * kept so output rows echo their input exactly.
 */
import { type FieldError, ValidationError } from '../../core/errors.js';
import { readCsv } from '../documents/csv.js';

export interface CsvSeries {
  /** Timestamp text as written in the input. */
  readonly timestamps: readonly string[];
  /** Epoch milliseconds, NaN where the text is not a recognisable time. */
  readonly times: readonly number[];
  /** NaN marks a missing or non-numeric value; the detectors treat it as a gap. */
  readonly values: readonly number[];
  /** Value text as written in the input, echoed in the output. */
  readonly valueTexts: readonly string[];
}

const MISSING = new Set(['', 'nan', 'null', 'none', 'na', 'n/a', '-']);
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds for the timestamp forms metric exports use: `YYYY-MM-DD
 * HH:MM:SS[.ffffff]` (read as UTC when no zone is given, as NAB does), ISO
 * 8601, and plain epoch numbers (seconds below 1e11, else milliseconds).
 */
export function parseTimestamp(text: string): number {
  const trimmed = text.trim();
  const match = DATE_TIME.exec(trimmed);
  if (match) {
    const [, y, mo, d, h, mi, s, frac, zone] = match;
    const ms = frac === undefined ? 0 : Number(`0.${frac}`) * 1000;
    let time = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(s ?? 0),
    );
    time += Math.round(ms);
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return time;
  }
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return Math.abs(n) < 1e11 ? n * 1000 : n;
  }
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? Number.NaN : parsed;
}

function parseValue(text: string): number {
  const trimmed = text.trim();
  if (MISSING.has(trimmed.toLowerCase())) return Number.NaN;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : Number.NaN;
}

/**
 * Parses CSV text with a header naming `timestamp` and `value` columns (any
 * order, extra columns ignored). Missing values become NaN rather than errors:
 * real exports have gaps, and the detectors handle them.
 */
export function parseSeriesCsv(text: string, source = 'input'): CsvSeries {
  const [header, ...rows] = readCsv(text).records;
  const names = (header?.cells ?? []).map((h) => h.trim().toLowerCase());
  const timeColumn = names.indexOf('timestamp');
  const valueColumn = names.indexOf('value');
  if (timeColumn < 0 || valueColumn < 0) {
    throw new ValidationError(`${source}: the header must name "timestamp" and "value" columns`, [
      { path: `${source}:${header?.line ?? 1}`, message: `header is "${header?.cells.join(',') ?? ''}"` },
    ]);
  }
  const timestamps: string[] = [];
  const times: number[] = [];
  const values: number[] = [];
  const valueTexts: string[] = [];
  const problems: FieldError[] = [];
  for (const { line, cells } of rows) {
    if (cells.every((cell) => cell.trim() === '')) continue;
    const stamp = cells[timeColumn];
    if (stamp === undefined || cells.length <= valueColumn) {
      if (problems.length < 10) problems.push({ path: `${source}:${line}`, message: 'too few columns' });
      continue;
    }
    timestamps.push(stamp.trim());
    times.push(parseTimestamp(stamp));
    const valueText = (cells[valueColumn] ?? '').trim();
    values.push(parseValue(valueText));
    valueTexts.push(valueText);
  }
  if (problems.length > 0) throw new ValidationError(`${source}: malformed rows`, problems);
  return { timestamps, times, values, valueTexts };
}

/** Formats a score with enough digits to keep the ranking, without float noise. */
function formatScore(score: number): string {
  return Number.isFinite(score) ? String(Math.round(score * 1e6) / 1e6) : '0';
}

/** `timestamp,value,anomaly_score` for every input row, LF line ends. */
export function formatScoredCsv(
  series: Pick<CsvSeries, 'timestamps' | 'valueTexts'>,
  scores: readonly number[],
): string {
  const quote = (cell: string) => (/[",]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const out = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < series.timestamps.length; i++) {
    const stamp = quote(series.timestamps[i] ?? '');
    out.push(`${stamp},${quote(series.valueTexts[i] ?? '')},${formatScore(scores[i] ?? 0)}`);
  }
  return `${out.join('\n')}\n`;
}
