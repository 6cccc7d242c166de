/**
 * pg_stat_statements exports: CSV (`\copy (SELECT … FROM pg_stat_statements)
 * TO 'f.csv' CSV HEADER`) or JSON rows, with the columns of PostgreSQL 13+
 * (total_exec_time, mean_exec_time) or ≤ 12 (total_time, mean_time). Each row
 * keeps the line it starts on, so findings on its query point into the file.
 */
import * as z from 'zod';
import { readCsv } from '../../analysis/documents/csv.js';
import { isObject } from './ast.js';

export interface StatRow {
  query: string;
  calls?: number;
  totalTimeMs?: number;
  meanTimeMs?: number;
  rows?: number;
  file?: string;
  line: number;
  /** The query keeps its own line breaks in the file (a quoted CSV cell), so lines inside it count. */
  multiline: boolean;
}

const numeric = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/),
  ])
  .transform(Number);

/** A pg_stat_statements row as JSON input: `query` and any of the counters, numbers or numeric strings. */
export const statRowSchema = z.looseObject({
  query: z.string().min(1).max(100_000),
  calls: numeric.optional(),
  total_exec_time: numeric.optional(),
  total_time: numeric.optional(),
  mean_exec_time: numeric.optional(),
  mean_time: numeric.optional(),
  rows: numeric.optional(),
});

export type StatRowInput = z.output<typeof statRowSchema>;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A row from named fields, or undefined without a query. */
function rowFrom(
  fields: Record<string, unknown>,
  place: { file?: string; line: number; multiline: boolean },
): StatRow | undefined {
  const query = fields.query;
  if (typeof query !== 'string' || query.trim() === '') return undefined;
  const calls = toNumber(fields.calls);
  const mean = toNumber(fields.mean_exec_time) ?? toNumber(fields.mean_time);
  const total =
    toNumber(fields.total_exec_time) ??
    toNumber(fields.total_time) ??
    (mean !== undefined && calls !== undefined ? mean * calls : undefined);
  const rows = toNumber(fields.rows);
  return {
    query,
    ...(calls === undefined ? {} : { calls }),
    ...(total === undefined ? {} : { totalTimeMs: total }),
    ...(mean !== undefined
      ? { meanTimeMs: mean }
      : total !== undefined && calls
        ? { meanTimeMs: total / calls }
        : {}),
    ...(rows === undefined ? {} : { rows }),
    ...(place.file === undefined ? {} : { file: place.file }),
    line: place.line,
    multiline: place.multiline,
  };
}

/** The rows of a pg_stat_statements CSV export, or undefined when the header has no `query` column. */
export function statisticsFromCsv(file: string, text: string): StatRow[] | undefined {
  const [header, ...records] = readCsv(text).records;
  const names = header?.cells.map((name) => name.trim().toLowerCase());
  if (names === undefined || !names.includes('query')) return undefined;
  if (
    !names.some((n) => ['calls', 'total_exec_time', 'total_time', 'mean_exec_time', 'mean_time'].includes(n))
  ) {
    return undefined;
  }
  return records.flatMap((record) => {
    const fields = Object.fromEntries(names.map((name, i) => [name, record.cells[i]]));
    const row = rowFrom(fields, { file, line: record.line, multiline: true });
    return row === undefined ? [] : [row];
  });
}

/** The row objects of a JSON export: an array, or an object holding one (`rows`, `statements`). */
function jsonRows(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return undefined;
  for (const key of ['pg_stat_statements', 'statements', 'rows', 'data']) {
    if (Array.isArray(value[key])) return value[key] as unknown[];
  }
  return undefined;
}

/** The rows of a pg_stat_statements JSON export, or undefined when it is not one. */
export function statisticsFromJson(
  file: string | undefined,
  value: unknown,
  text?: string,
): StatRow[] | undefined {
  const rows = jsonRows(value);
  if (rows === undefined || rows.length === 0) return undefined;
  if (!rows.every((row) => isObject(row) && typeof row.query === 'string')) return undefined;
  if (
    !rows.some((row) => isObject(row) && ('calls' in row || 'total_exec_time' in row || 'total_time' in row))
  ) {
    return undefined;
  }
  // The k-th `"query":` key is the k-th row's (a query text's own quotes are escaped).
  const lines: number[] = [];
  if (text !== undefined) {
    let line = 1;
    let from = 0;
    for (const match of text.matchAll(/"query"\s*:/g)) {
      for (let i = from; i < match.index; i += 1) if (text.charCodeAt(i) === 10) line += 1;
      from = match.index;
      lines.push(line);
    }
  }
  const lined = lines.length === rows.length;
  return rows.flatMap((row, i) => {
    const parsed = rowFrom(row as Record<string, unknown>, {
      ...(file === undefined ? {} : { file }),
      line: lined ? (lines[i] ?? 1) : 1,
      multiline: false,
    });
    return parsed === undefined ? [] : [parsed];
  });
}
