/** Reads the shared Loghub samples (BENCH_DIR, default ../shared/bench) for the tests that need real data. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOGHUB_FORMATS } from '../../../../bench/data.js';
import { readCsvObjects } from '../../../../shared/analysis/documents/csv.js';

const root = new URL('../../../..', import.meta.url).pathname;
export const loghubDir = join(resolve(root, process.env.BENCH_DIR ?? '../shared/bench'), 'loghub');
export const hasLoghub = existsSync(join(loghubDir, 'HDFS', 'HDFS_2k.log'));

export type Dataset = 'HDFS' | 'Hadoop' | 'Spark' | 'Zookeeper' | 'BGL' | 'Apache' | 'OpenSSH' | 'Linux';
/** The header formats a user gives for each system: the benchmarks' own table. */
export const FORMATS = LOGHUB_FORMATS as Readonly<Record<Dataset, string>>;
export const DATASETS = Object.keys(FORMATS) as Dataset[];

export function rawLines(dataset: Dataset): string[] {
  const lines = readFileSync(join(loghubDir, dataset, `${dataset}_2k.log`), 'utf8').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function records(dataset: Dataset, file: string): Record<string, string>[] {
  return readCsvObjects(readFileSync(join(loghubDir, dataset, file), 'utf8')).map((r) => r.fields);
}

/** The visible reason in the test name when the data is missing. */
export const skipNote = hasLoghub ? '' : ` — SKIPPED: no Loghub data under ${loghubDir} (set BENCH_DIR)`;
