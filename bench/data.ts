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
