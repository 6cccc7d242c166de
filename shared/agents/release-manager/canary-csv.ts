/**
 * Canary samples as CSV, the way metric exports come: long rows
 * `metric,group,value[,direction,criticality]` (group baseline / control or
 * canary / experiment), or wide rows with `baseline` and `canary` columns for
 * one metric, named after the file. Rows that cannot be used are counted and
 * reported once, at the first of them.
 */
import { basename } from 'node:path';
import { type CsvRecord, readCsv } from '../../analysis/documents/csv.js';
import type { InputProblem } from '../../analysis/documents/structured.js';

export interface CsvMetric {
  name: string;
  baseline: number[];
  canary: number[];
  direction?: string;
  criticality?: string;
  /** The first row of the metric. */
  line: number;
}

const GROUP_BASELINE = /^(baseline|control|base|old|before|primary)$/i;
const GROUP_CANARY = /^(canary|experiment|new|after|candidate)$/i;

type Column = (...names: string[]) => number;

function numberAt(cells: readonly string[], index: number): number {
  const text = cells[index]?.trim() ?? '';
  return text === '' ? Number.NaN : Number(text);
}

class Metrics {
  readonly byName = new Map<string, CsvMetric>();
  readonly unused: number[] = [];

  entry(name: string, line: number): CsvMetric {
    const known = this.byName.get(name) ?? { name, baseline: [], canary: [], line };
    this.byName.set(name, known);
    return known;
  }
}

function readLong(rows: readonly CsvRecord[], column: Column, metrics: Metrics): void {
  const [metricCol, groupCol, valueCol] = [
    column('metric', 'name'),
    column('group', 'variant', 'cohort', 'scope'),
    column('value', 'v'),
  ];
  const directionCol = column('direction');
  const criticalityCol = column('criticality');
  for (const row of rows) {
    const name = row.cells[metricCol]?.trim() ?? '';
    const group = row.cells[groupCol]?.trim() ?? '';
    const value = numberAt(row.cells, valueCol);
    const side = GROUP_BASELINE.test(group) ? 'baseline' : GROUP_CANARY.test(group) ? 'canary' : undefined;
    if (name === '' || side === undefined || !Number.isFinite(value)) {
      metrics.unused.push(row.line);
      continue;
    }
    const metric = metrics.entry(name, row.line);
    metric[side].push(value);
    const direction = directionCol >= 0 ? row.cells[directionCol]?.trim() : undefined;
    if (direction) metric.direction = direction;
    const criticality = criticalityCol >= 0 ? row.cells[criticalityCol]?.trim() : undefined;
    if (criticality) metric.criticality = criticality;
  }
}

function readWide(rows: readonly CsvRecord[], column: Column, metric: CsvMetric, unused: number[]): void {
  const baseCol = column('baseline', 'control');
  const canaryCol = column('canary', 'experiment');
  for (const row of rows) {
    const base = numberAt(row.cells, baseCol);
    const canary = numberAt(row.cells, canaryCol);
    if (Number.isFinite(base)) metric.baseline.push(base);
    if (Number.isFinite(canary)) metric.canary.push(canary);
    if (!Number.isFinite(base) && !Number.isFinite(canary)) unused.push(row.line);
  }
}

/** The metrics of a canary CSV, and what could not be read in it. */
export function readCanaryCsv(
  path: string,
  content: string,
): { metrics: CsvMetric[]; problems: InputProblem[] } {
  const table = readCsv(content);
  const [header, ...rows] = table.records;
  const columns = (header?.cells ?? []).map((cell) => cell.trim().toLowerCase());
  const column: Column = (...names) => columns.findIndex((c) => names.includes(c));
  const metrics = new Metrics();
  const problems: InputProblem[] = [];
  if (
    column('metric', 'name') >= 0 &&
    column('group', 'variant', 'cohort', 'scope') >= 0 &&
    column('value', 'v') >= 0
  ) {
    readLong(rows, column, metrics);
  } else if (column('baseline', 'control') >= 0 && column('canary', 'experiment') >= 0) {
    readWide(
      rows,
      column,
      metrics.entry(basename(path).replace(/\.csv$/i, ''), header?.line ?? 1),
      metrics.unused,
    );
  } else {
    return {
      metrics: [],
      problems: [
        {
          file: path,
          line: 1,
          message: 'a canary CSV needs metric, group and value columns, or baseline and canary columns',
        },
      ],
    };
  }
  if (table.error !== undefined) {
    const line = table.error.line;
    problems.push({
      file: path,
      ...(line === undefined ? {} : { line }),
      message: `CSV stops early: ${table.error.message}`,
    });
  }
  const unused = metrics.unused;
  if (unused.length > 0) {
    problems.push({
      file: path,
      line: unused[0] as number,
      message: `${unused.length === 1 ? '1 row has' : `${unused.length} rows have`} no metric, no baseline / canary group or no number and ${unused.length === 1 ? 'was' : 'were'} not used`,
    });
  }
  return { metrics: [...metrics.byName.values()], problems };
}
