/**
 * `aiops metrics detect`: scores metric series for anomalies, offline.
 *   --input FILE.csv [--output OUT.csv]      one series (`timestamp,value`); CSV to stdout without --output
 *   --input-dir DIR --output-dir DIR         every *.csv under DIR, the tree mirrored under the output
 * Each output row is `timestamp,value,anomaly_score`, one per input row, the
 * score in [0, 1) from the online detector (row t sees rows ≤ t only).
 *
 * A file is streamed into the series (its text is never held whole) unless it
 * quotes fields; the detector then needs the whole series, and the scored CSV
 * is written in one piece.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import {
  type CsvSeries,
  detectAnomalies,
  formatScoredCsv,
  parseSeriesCsv,
  SeriesCsvBuilder,
  type SeriesCsvOptions,
} from '../../shared/analysis/timeseries/index.js';
import { info, UsageError } from '../cli.js';
import { forEachLine } from './text-stream.js';

interface DetectOptions {
  input?: string;
  output?: string;
  inputDir?: string;
  outputDir?: string;
  valueColumn?: string;
}

/** Scores one series; returns the output CSV and the number of alarms raised. */
function score(series: CsvSeries): { csv: string; rows: number; alarms: number } {
  const result = detectAnomalies({ values: series.values, times: series.times });
  return {
    csv: formatScoredCsv(series, result.scores),
    rows: series.values.length,
    alarms: result.alarms.length,
  };
}

function cannotRead(path: string, error: unknown): unknown {
  // Node's system errors (ENOENT, EACCES, EISDIR) name the call that failed: the user's to fix.
  // Anything else (a malformed file's ValidationError) goes on as it is.
  const syscall =
    typeof error === 'object' && error !== null ? (error as { syscall?: unknown }).syscall : undefined;
  return typeof syscall === 'string' ? new UsageError(`Cannot read ${path}`) : error;
}

/**
 * The series of a CSV file, streamed: a record is a line as long as no line
 * holds a quote, split at its commas, as the CSV reader would (blank lines
 * skipped, a byte-order mark dropped). A quote may open a field holding a
 * line break, so a file with one is read whole by the CSV reader instead.
 */
async function readSeries(path: string, options: SeriesCsvOptions): Promise<CsvSeries> {
  const builder = new SeriesCsvBuilder(path, options);
  let lineNumber = 0;
  let quoted = false;
  try {
    await forEachLine(
      path,
      (line) => {
        lineNumber++;
        if (quoted || line === '') return;
        if (line.includes('"')) quoted = true;
        else builder.add(lineNumber, (lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line).split(','));
      },
      { stop: () => quoted },
    );
    if (!quoted) return builder.finish();
    return parseSeriesCsv(await readFile(path, 'utf8'), path, options);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

async function csvFilesUnder(dir: string): Promise<string[]> {
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new UsageError(`No such folder: ${dir}`);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function detect(options: DetectOptions): Promise<void> {
  const { input, output, inputDir, outputDir } = options;
  const either = 'Give either --input FILE.csv or --input-dir DIR';
  if (input !== undefined && inputDir !== undefined) throw new UsageError(either);
  if (input !== undefined) {
    if (outputDir !== undefined) throw new UsageError('--output-dir goes with --input-dir; use --output');
    const scored = score(await readSeries(input, { valueColumn: options.valueColumn }));
    if (output === undefined) process.stdout.write(scored.csv);
    else {
      await mkdir(dirname(output), { recursive: true });
      await writeFile(output, scored.csv);
    }
    info(`${input}: ${scored.rows} rows, ${scored.alarms} alarms`);
    return;
  }
  if (inputDir === undefined) throw new UsageError(either);
  if (outputDir === undefined || output !== undefined) {
    throw new UsageError('--input-dir needs --output-dir (and no --output)');
  }
  const files = await csvFilesUnder(inputDir);
  let alarms = 0;
  for (const file of files) {
    const scored = score(await readSeries(file, { valueColumn: options.valueColumn }));
    const target = join(outputDir, relative(inputDir, file));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, scored.csv);
    alarms += scored.alarms;
  }
  info(`${files.length} files scored into ${outputDir}, ${alarms} alarms`);
}

export function registerMetrics(program: Command): void {
  const metrics = program.command('metrics').description('metric series analysis, offline');
  metrics
    .command('detect')
    .description('score every row of timestamp,value CSV series for anomalies (adds anomaly_score)')
    .option(
      '--input <file>',
      'one CSV series: a time column (timestamp, time, date…) and a value column (value, or the only other one)',
    )
    .option('--value-column <name>', 'the column holding the values, when there are several')
    .option('--output <file>', 'where to write the scored CSV (default: stdout)')
    .option('--input-dir <dir>', 'score every *.csv under this folder')
    .option('--output-dir <dir>', 'mirror of --input-dir with the scored files')
    .action(detect);
}
