/**
 * Where the benchmarks' public data sets are (Loghub, NAB), and a plain answer when
 * they are not there: a benchmark run without its data says where to get it and
 * exits 2, instead of failing on the first file it cannot open.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig } from '../shared/core/config.js';

const SOURCES: Readonly<Record<string, string>> = {
  loghub:
    "Loghub's 2k samples (https://github.com/logpai/loghub): per system X, X_2k.log and X_2k.log_structured.csv in loghub/X/",
  nab: 'the Numenta Anomaly Benchmark (https://github.com/numenta/NAB): data/, labels/combined_windows.json and the reference results in nab/',
};

/** `$BENCH_DIR/<set>` (BENCH_DIR defaults to ../shared/bench), or exits 2 saying what to put there. */
export function benchData(set: 'loghub' | 'nab'): string {
  const root = getConfig().env.BENCH_DIR;
  const dir = join(root, set);
  if (!existsSync(dir)) {
    process.stderr.write(
      `No ${set} data under ${dir}.\nSet BENCH_DIR to the folder holding ${set}/ — ${SOURCES[set]}.\n`,
    );
    process.exit(2);
  }
  return root;
}

/** The eight Loghub systems of the shared set, each with the header format a user would give (logparser's convention). */
export const LOGHUB_FORMATS: Readonly<Record<string, string>> = {
  HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
  Hadoop: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>',
  Spark: '<Date> <Time> <Level> <Component>: <Content>',
  Zookeeper: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>',
  BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  Apache: '\\[<Time>\\] \\[<Level>\\] <Content>',
  OpenSSH: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>',
  Linux: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
};
