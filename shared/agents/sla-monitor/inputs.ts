/**
 * What each input file is, told by its content: an SLO file (YAML or JSON
 * holding `slos:`, a list of SLOs, or one SLO), a Prometheus range-query
 * response, a CloudWatch GetMetricData response, or a CSV of counts. A file
 * that is none of these is a problem (SLO000), never skipped in silence.
 */
import { readCsv } from '../../analysis/documents/csv.js';
import {
  type InputProblem,
  type Locator,
  type ParsedDocument,
  parseWithLines,
} from '../../analysis/documents/structured.js';
import type { SourceFile } from '../contract.js';
import { jsonLocator } from './json-lines.js';
import type { SlaInput } from './schema.js';
import {
  isCloudWatchResponse,
  isPrometheusMatrix,
  readCloudWatch,
  readCsvSeries,
  readPrometheus,
  type Series,
} from './series.js';
import { isSloDocument, readSlo, readSloItems, type ShapeProblem, type Slo } from './slos.js';

export interface Inputs {
  slos: Slo[];
  series: Series[];
  problems: InputProblem[];
  /** SLO items whose shape is wrong (SLO008 on the item). */
  shapeProblems: ShapeProblem[];
  /** Files read, by kind. */
  files: { slo: number; metrics: number };
}

/** A CSV: named .csv, or a first line with a comma and none of a YAML or JSON document's `{`, `[`, `:` or `#`. */
function looksLikeCsv(file: SourceFile): boolean {
  if (/\.csv$/i.test(file.path)) return true;
  const first = file.content.trimStart().split('\n', 1)[0] ?? '';
  return first.includes(',') && !first.startsWith('#') && !/[{[:]/.test(first);
}

/** The line of a JSON.parse error, from the position its message gives. */
function jsonErrorLine(content: string, error: unknown): number | undefined {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return undefined;
  return content.slice(0, Number(position)).split('\n').length;
}

/**
 * A JSON or YAML document and a locator of its lines. Metric exports run to
 * megabytes, and lines are only needed for the few points a finding is on:
 * JSON is read with JSON.parse and its lines found by a scan only when asked
 * (the YAML reader with positions takes about a second per 200 kB). A `.json`
 * file that is not JSON is reported as such, not read again as YAML.
 */
function readStructured(path: string, content: string): ParsedDocument | { error: string; line?: number } {
  const json = /\.json$/i.test(path);
  if (json || /^\s*[[{]/.test(content)) {
    try {
      const value: unknown = JSON.parse(content);
      let located: Locator | undefined;
      const lineOf: Locator = (at) => {
        located ??= jsonLocator(content);
        return located(at);
      };
      return { value, lineOf };
    } catch (error) {
      // A YAML file may open with a flow mapping (`{`): the YAML reader says whether it is one.
      if (json) {
        const line = jsonErrorLine(content, error);
        return { error: 'not valid JSON', ...(line === undefined ? {} : { line }) };
      }
    }
  }
  return parseWithLines(content);
}

function readFile(file: SourceFile, inputs: Inputs): void {
  if (looksLikeCsv(file)) {
    const table = readCsv(file.content);
    if (table.error) inputs.problems.push({ file: file.path, ...table.error });
    inputs.series.push(...readCsvSeries(file.path, table.records, inputs.problems));
    inputs.files.metrics += 1;
    return;
  }
  const parsed = readStructured(file.path, file.content);
  if ('error' in parsed) {
    inputs.problems.push({
      file: file.path,
      ...(parsed.line === undefined ? {} : { line: parsed.line }),
      message: parsed.error,
    });
    return;
  }
  const { value, lineOf } = parsed;
  if (isPrometheusMatrix(value)) {
    inputs.series.push(
      ...readPrometheus(file.path, value as Record<string, unknown>, lineOf, inputs.problems),
    );
    inputs.files.metrics += 1;
  } else if (isCloudWatchResponse(value)) {
    inputs.series.push(
      ...readCloudWatch(file.path, value as Record<string, unknown>, lineOf, inputs.problems),
    );
    inputs.files.metrics += 1;
  } else if (isSloDocument(value)) {
    inputs.slos.push(...readSloItems(value, lineOf, file.path, inputs.shapeProblems));
    inputs.files.slo += 1;
  } else {
    inputs.problems.push({
      file: file.path,
      line: 1,
      message:
        'neither SLO definitions (slos:) nor metric series (a Prometheus range query, a CloudWatch GetMetricData response, a timestamp,good,total CSV)',
    });
  }
}

/** Every SLO and series of the input: inline SLOs first, then the files in order. */
export function readInputs(input: SlaInput, files: readonly SourceFile[]): Inputs {
  const inputs: Inputs = {
    slos: [],
    series: [],
    problems: [],
    shapeProblems: [],
    files: { slo: 0, metrics: 0 },
  };
  for (const spec of input.slos ?? []) inputs.slos.push(readSlo(spec, () => undefined, undefined));
  for (const file of files) readFile(file, inputs);
  return inputs;
}
