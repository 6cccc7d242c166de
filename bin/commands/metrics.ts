/**
 * `aiops metrics detect`: scores metric series for anomalies, offline.
 *   --input FILE.csv [--output OUT.csv]      one series (`timestamp,value`); CSV to stdout without --output
 *   --input-dir DIR --output-dir DIR         every *.csv under DIR, the tree mirrored under the output
 * Each output row is `timestamp,value,anomaly_score`, one per input row, the
 * score in [0, 1) from the online detector (row t sees rows ≤ t only).
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { detectAnomalies, formatScoredCsv, parseSeriesCsv } from '../../shared/analysis/timeseries/index.js';
import { info, UsageError } from '../cli.js';

interface DetectOptions {
  input?: string;
  output?: string;
  inputDir?: string;
  outputDir?: string;
}

/** Scores one CSV text; returns the output CSV and the number of alarms raised. */
function scoreCsv(text: string, source: string): { csv: string; rows: number; alarms: number } {
  const series = parseSeriesCsv(text, source);
  const result = detectAnomalies({ values: series.values, times: series.times });
  return {
    csv: formatScoredCsv(series, result.scores),
    rows: series.values.length,
    alarms: result.alarms.length,
  };
}

async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => {
    throw new UsageError(`Cannot read ${path}`);
  });
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
    const scored = scoreCsv(await readText(input), input);
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
    const scored = scoreCsv(await readText(file), file);
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
    .option('--input <file>', 'one CSV series with a timestamp,value header')
    .option('--output <file>', 'where to write the scored CSV (default: stdout)')
    .option('--input-dir <dir>', 'score every *.csv under this folder')
    .option('--output-dir <dir>', 'mirror of --input-dir with the scored files')
    .action(detect);
}
