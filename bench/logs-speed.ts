/**
 * Whole-process speed of `aiops logs templates` (and of `aiops metrics
 * detect`): what a user waits for, start-up, reading, header parsing, mining
 * and the CSV output included, next to the engine alone on the same lines.
 *
 *   npm run bench:logs -- --speed [--dataset HDFS] [--lines 100000] [--runs 5]
 *   npm run bench:logs -- --speed --input FILE [--log-format FORMAT]
 *
 * Without --input, each Loghub 2k sample (BENCH_DIR/loghub) is grown to
 * --lines lines by repeating it with fresh values: every digit is redrawn, so
 * block ids, addresses, pids and times vary as in a real log while the events
 * and their mix stay the sample's. Each figure is the median of --runs runs
 * (after one that warms the build and the compile cache). When Python's
 * drain3 is installed, the same file goes through it for comparison.
 * Writes bench/results/logs-speed.json for a full run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable } from '../bin/cli.js';
import { compileLogFormat, contentOf } from '../shared/analysis/logs/format.js';
import { createMiner } from '../shared/analysis/logs/miner.js';
import { detectAnomalies, parseSeriesCsv } from '../shared/analysis/timeseries/index.js';
import { getConfig } from '../shared/core/config.js';

/** Loghub's header formats, the ones a user of each system would give. */
const FORMATS: Readonly<Record<string, string>> = {
  HDFS: '<Date> <Time> <Pid> <Level> <Component>: <Content>',
  Hadoop: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>',
  Spark: '<Date> <Time> <Level> <Component>: <Content>',
  Zookeeper: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>',
  BGL: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  Apache: '\\[<Time>\\] \\[<Level>\\] <Content>',
  OpenSSH: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>',
  Linux: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
};

/** Python Drain on the same file: the same header format (logparser's convention), drain3's defaults. */
const DRAIN3_SCRIPT = `
import re, sys, time
from drain3 import TemplateMiner
path, fmt = sys.argv[1], sys.argv[2]
pattern = re.sub(r' +', r'\\\\s+', re.sub(r'<([^<>]+)>', r'(?P<\\\\1>.*?)', fmt))
header = re.compile('^' + pattern + '$')
miner = TemplateMiner()
started = time.perf_counter()
lines = 0
with open(path, encoding='utf-8', errors='replace') as f:
    for line in f:
        line = line.strip()
        m = header.match(line)
        miner.add_log_message(m.group('Content') if m else line)
        lines += 1
print(lines / (time.perf_counter() - started))
`;

const { values } = parseArgs({
  options: {
    speed: { type: 'boolean', default: true },
    dataset: { type: 'string' },
    input: { type: 'string' },
    'log-format': { type: 'string' },
    lines: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/logs-speed.json' },
  },
});

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'aiops.mjs');
const runs = Math.max(1, Number(values.runs));
const lineCount = Math.max(1, Number(values.lines));
const work = mkdtempSync(join(tmpdir(), 'aiops-bench-logs-speed-'));

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A seeded generator (mulberry32), so every run grows the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The sample repeated to `count` lines, every digit redrawn (CRLF kept when the sample has it). */
function grow(sample: string, count: number): string {
  const lines = splitLines(sample);
  const eol = sample.includes('\r\n') ? '\r\n' : '\n';
  const next = random(count);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = lines[i % lines.length] ?? '';
    out.push(line.replace(/\d/g, () => String(Math.floor(next() * 10))));
  }
  return `${out.join(eol)}${eol}`;
}

/** Median wall milliseconds of one whole `aiops` process, after a warm-up run. */
function wallMs(args: readonly string[]): number {
  const once = () => {
    const started = performance.now();
    execFileSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
    return performance.now() - started;
  };
  once();
  return median(Array.from({ length: runs }, once));
}

/** Median lines/s of the engine alone (a fresh miner per run), and with the header parsed too. */
function engineRates(lines: readonly string[], format: string | undefined) {
  const compiled = format === undefined ? undefined : compileLogFormat(format);
  const learn: number[] = [];
  const parsed: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const contents = lines.map((line) => contentOf(compiled, line));
    const t1 = performance.now();
    const miner = createMiner();
    for (const content of contents) miner.add(content);
    const t2 = performance.now();
    if (r === 0) continue; // warms the JIT up
    learn.push(t2 - t1);
    parsed.push(t2 - t0);
  }
  return {
    engineLinesPerSecond: Math.round(lines.length / (median(learn) / 1000)),
    engineWithHeadersLinesPerSecond: Math.round(lines.length / (median(parsed) / 1000)),
  };
}

function drain3Rates(path: string, format: string): { whole: number; engine: number } | undefined {
  if (spawnSync('python3', ['-c', 'import drain3']).status !== 0) return undefined;
  const rates: number[] = [];
  const walls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const out = execFileSync('python3', ['-c', DRAIN3_SCRIPT, path, format], { encoding: 'utf8' });
    walls.push(performance.now() - started);
    rates.push(Number(out.trim()));
  }
  const lines = splitLines(readFileSync(path, 'utf8')).length;
  return { whole: Math.round(lines / (median(walls) / 1000)), engine: Math.round(median(rates)) };
}

interface LogsRow {
  dataset: string;
  lines: number;
  wallMs: number;
  linesPerSecond: number;
  engineLinesPerSecond: number;
  engineWithHeadersLinesPerSecond: number;
  drain3?: { whole: number; engine: number };
}

function measureLogs(dataset: string, path: string, format: string | undefined): LogsRow {
  const lines = splitLines(readFileSync(path, 'utf8'));
  const formatArgs = format === undefined ? [] : ['--log-format', format];
  const ms = wallMs(['logs', 'templates', '--input', path, ...formatArgs, '--output', join(work, 'out.csv')]);
  const drain3 = format === undefined ? undefined : drain3Rates(path, format);
  return {
    dataset,
    lines: lines.length,
    wallMs: Math.round(ms),
    linesPerSecond: Math.round(lines.length / (ms / 1000)),
    ...engineRates(lines, format),
    ...(drain3 === undefined ? {} : { drain3 }),
  };
}

/** A `timestamp,value` series of `count` five-minute rows: a daily cycle, noise, a few spikes. */
function metricSeries(count: number): string {
  const next = random(7);
  const start = Date.UTC(2024, 0, 1);
  const rows = ['timestamp,value'];
  for (let i = 0; i < count; i++) {
    const spike = i % 20_000 === 15_000 ? 40 : 0;
    const value = 50 + 10 * Math.sin((i / 288) * 2 * Math.PI) + next() * 5 + spike;
    const stamp = new Date(start + i * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    rows.push(`${stamp},${value.toFixed(3)}`);
  }
  return `${rows.join('\n')}\n`;
}

function measureMetrics(count: number) {
  const path = join(work, 'series.csv');
  const text = metricSeries(count);
  writeFileSync(path, text);
  const ms = wallMs(['metrics', 'detect', '--input', path, '--output', join(work, 'scored.csv')]);
  const engine: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const started = performance.now();
    const series = parseSeriesCsv(text, path);
    detectAnomalies({ values: series.values, times: series.times });
    if (r > 0) engine.push(performance.now() - started);
  }
  return {
    rows: count,
    wallMs: Math.round(ms),
    rowsPerSecond: Math.round(count / (ms / 1000)),
    engineRowsPerSecond: Math.round(count / (median(engine) / 1000)),
  };
}

const n = (x: number) => x.toLocaleString('en');

async function main(): Promise<void> {
  const logs: LogsRow[] = [];
  if (values.input !== undefined) {
    logs.push(measureLogs(values.input, values.input, values['log-format']));
  } else {
    const benchDir = getConfig().env.BENCH_DIR;
    for (const [dataset, format] of Object.entries(FORMATS)) {
      if (values.dataset !== undefined && values.dataset !== dataset) continue;
      const sample = readFileSync(join(benchDir, 'loghub', dataset, `${dataset}_2k.log`), 'utf8');
      const path = join(work, `${dataset}.log`);
      writeFileSync(path, grow(sample, lineCount));
      logs.push(measureLogs(dataset, path, format));
    }
  }
  const empty = join(work, 'empty.log');
  writeFileSync(empty, '');
  const startMs = Math.round(wallMs(['logs', 'templates', '--input', empty, '--log-format', '<Content>']));
  const metrics = values.input === undefined ? measureMetrics(lineCount) : undefined;

  const drain = (row: LogsRow) => (row.drain3 ? `${n(row.drain3.whole)} / ${n(row.drain3.engine)}` : '—');
  process.stdout.write(
    `${renderTable(
      ['logs templates', 'lines', 'wall', 'lines/s', 'engine lines/s', '+ headers', 'drain3 whole / engine'],
      logs.map((r) => [
        r.dataset,
        n(r.lines),
        `${r.wallMs} ms`,
        n(r.linesPerSecond),
        n(r.engineLinesPerSecond),
        n(r.engineWithHeadersLinesPerSecond),
        drain(r),
      ]),
    )}\n`,
  );
  const total = logs.reduce((sum, r) => sum + r.lines, 0);
  const wall = logs.reduce((sum, r) => sum + r.wallMs, 0);
  process.stdout.write(
    `\nwhole process: ${n(Math.round(total / (wall / 1000)))} lines/s over ${logs.length} file(s), ` +
      `median of ${runs} runs each; start-up (an empty file) ${startMs} ms\n`,
  );
  if (logs.every((r) => r.drain3 === undefined)) {
    process.stdout.write(
      'Python Drain: drain3 is not installed here (pip install drain3), so not compared\n',
    );
  }
  if (metrics !== undefined) {
    process.stdout.write(
      `metrics detect: ${n(metrics.rows)} rows in ${metrics.wallMs} ms, ${n(metrics.rowsPerSecond)} rows/s ` +
        `whole process; engine (parse + detect) ${n(metrics.engineRowsPerSecond)} rows/s\n`,
    );
  }
  if (values.input === undefined && values.dataset === undefined) {
    const result = {
      lines: lineCount,
      runs,
      startMs,
      logs,
      metrics,
      node: process.version,
      measuredAt: new Date(),
    };
    await mkdir(dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nwritten to ${values.out}\n`);
  }
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
