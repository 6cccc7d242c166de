/** Reads the shared Loghub samples (BENCH_DIR, default ../shared/bench) for the tests that need real data. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCsvObjects } from '../../../../shared/analysis/documents/csv.js';

const root = new URL('../../../..', import.meta.url).pathname;
export const loghubDir = join(resolve(root, process.env.BENCH_DIR ?? '../shared/bench'), 'loghub');
export const hasLoghub = existsSync(join(loghubDir, 'HDFS', 'HDFS_2k.log'));

/** The header formats a user gives for each system (from the bench README). */
export const FORMATS = {
  HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
  Hadoop: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>',
  Spark: '<Date> <Time> <Level> <Component>: <Content>',
  Zookeeper: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>',
  BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  Apache: '\\[<Time>\\] \\[<Level>\\] <Content>',
  OpenSSH: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>',
  Linux: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
} as const;

export type Dataset = keyof typeof FORMATS;
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
