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

/** Header names of a time column: `timestamp`, `Time`, `date`, `@timestamp`, `event_time`, `DateTime (UTC)`. */
const TIME_COLUMN =
  /^@?timestamp$|^(?:ts|time|date|datetime)$|(?:^|[\s_.-])(?:time|date|timestamp)(?:$|[\s_.(-])/i;

export interface SeriesCsvOptions {
  /** The column holding the values (`--value-column`); default: `value`, else the only column besides the time. */
  readonly valueColumn?: string;
}

/**
 * Builds a series record by record, for a reader that streams the file: the
 * first record is the header. Its time column is `timestamp`, else the first
 * column named like a time (`Time`, `date`, `event_time`); its value column is
 * the one asked for, else `value`, else the only other column — so a
 * CloudWatch console export (`Timestamp,CPUUtilization`) reads as it is.
 * Extra columns are ignored. Missing values become NaN rather than errors:
 * real exports have gaps, and the detectors handle them.
 */
export class SeriesCsvBuilder {
  readonly #source: string;
  readonly #wantedValue: string | undefined;
  #timeColumn = -1;
  #valueColumn = -1;
  #header = false;
  readonly #timestamps: string[] = [];
  readonly #times: number[] = [];
  readonly #values: number[] = [];
  readonly #valueTexts: string[] = [];
  readonly #problems: FieldError[] = [];

  constructor(source = 'input', options: SeriesCsvOptions = {}) {
    this.#source = source;
    this.#wantedValue = options.valueColumn?.trim().toLowerCase();
  }

  /** One record and the line it starts on; throws a ValidationError at once for a header without the columns. */
  add(line: number, cells: readonly string[]): void {
    if (!this.#header) {
      this.#header = true;
      this.#readHeader(line, cells);
      return;
    }
    if (cells.every((cell) => cell.trim() === '')) return;
    const stamp = cells[this.#timeColumn];
    if (stamp === undefined || cells.length <= this.#valueColumn) {
      if (this.#problems.length < 10) {
        this.#problems.push({ path: `${this.#source}:${line}`, message: 'too few columns' });
      }
      return;
    }
    this.#timestamps.push(stamp.trim());
    this.#times.push(parseTimestamp(stamp));
    const valueText = (cells[this.#valueColumn] ?? '').trim();
    this.#values.push(parseValue(valueText));
    this.#valueTexts.push(valueText);
  }

  #readHeader(line: number, cells: readonly string[] | undefined): void {
    const names = (cells ?? []).map((h) => h.trim().toLowerCase());
    const header = { path: `${this.#source}:${line}`, message: `header is "${cells?.join(',') ?? ''}"` };
    this.#timeColumn = names.indexOf('timestamp');
    if (this.#timeColumn < 0) this.#timeColumn = names.findIndex((name) => TIME_COLUMN.test(name));
    if (this.#timeColumn < 0) {
      throw new ValidationError(`${this.#source}: the header names no time column (timestamp, time, date…)`, [
        header,
      ]);
    }
    const others = names.flatMap((name, i) => (i !== this.#timeColumn && name !== '' ? [i] : []));
    if (this.#wantedValue !== undefined) {
      this.#valueColumn = names.indexOf(this.#wantedValue);
      if (this.#valueColumn < 0 || this.#valueColumn === this.#timeColumn) {
        throw new ValidationError(`${this.#source}: the header has no column "${this.#wantedValue}"`, [
          header,
        ]);
      }
      return;
    }
    this.#valueColumn = names.indexOf('value');
    if (this.#valueColumn < 0 && others.length === 1) this.#valueColumn = others[0] as number;
    if (this.#valueColumn < 0) {
      const choices = others.map((i) => (cells ?? [])[i]?.trim()).join(', ');
      throw new ValidationError(
        `${this.#source}: the header names no "value" column; pick one of ${choices || '(none)'} with --value-column`,
        [header],
      );
    }
  }

  /** The series; throws a ValidationError when there was no header or a row was malformed. */
  finish(): CsvSeries {
    if (!this.#header) this.#readHeader(1, undefined);
    if (this.#problems.length > 0)
      throw new ValidationError(`${this.#source}: malformed rows`, this.#problems);
    return {
      timestamps: this.#timestamps,
      times: this.#times,
      values: this.#values,
      valueTexts: this.#valueTexts,
    };
  }
}

/** A whole CSV text as a series (see SeriesCsvBuilder). */
export function parseSeriesCsv(text: string, source = 'input', options: SeriesCsvOptions = {}): CsvSeries {
  const builder = new SeriesCsvBuilder(source, options);
  for (const { line, cells } of readCsv(text).records) builder.add(line, cells);
  return builder.finish();
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
