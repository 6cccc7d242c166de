/**
 * Whole-process speed of `aiops logs templates` (and of `aiops metrics
 * detect`): what a user waits for, start-up, reading, header parsing, mining
 * and the CSV output included, next to the engine alone on the same lines.
 *
 *   npm run bench:logs -- --speed [--dataset HDFS] [--lines 100000] [--runs 5]
 *   npm run bench:logs -- --speed --input FILE [--log-format FORMAT]
 *   npm run bench:logs -- --speed --cli OTHER/bin/aiops.mjs   another checkout's CLI (before/after)
 *
 * Without --input, each Loghub 2k sample (BENCH_DIR/loghub) is grown to
 * --lines lines by repeating it with fresh values: every digit is redrawn, so
 * block ids, addresses, pids and times vary as in a real log while the events
 * and their mix stay the sample's. Each figure is the median of --runs runs
 * (after one that warms the build and the compile cache). When Python's
 * drain3 is installed, the same file goes through it for comparison.
 * Writes bench/results/logs-speed.json for a full run.
 *
 * Rates are given by wall time and by CPU time (user + system, every thread
 * of the process: on Linux, a waited-for child's from /proc/self/stat). On a
 * machine other work shares, wall time measures the neighbours; CPU time
 * stays the program's own.
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
    cli: { type: 'string' },
    out: { type: 'string', default: 'bench/results/logs-speed.json' },
  },
});

const root = new URL('..', import.meta.url).pathname;
const bin = values.cli ?? join(root, 'bin', 'aiops.mjs');
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

interface Cost {
  /** Wall milliseconds. */
  readonly wall: number;
  /** CPU milliseconds (user + system), undefined where they cannot be read. */
  readonly cpu: number | undefined;
}

/** CPU milliseconds of this process's waited-for children so far (Linux), or undefined. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name: state is field 3, cutime and cstime fields 16 and 17, in 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function medianCost(costs: readonly Cost[]): Cost {
  const cpus = costs.map((c) => c.cpu);
  return {
    wall: median(costs.map((c) => c.wall)),
    cpu: cpus.every((c) => c !== undefined) ? median(cpus as number[]) : undefined,
  };
}

/** Median cost of one whole process, after a warm-up run. */
function processCost(file: string, args: readonly string[]): Cost {
  const once = (): Cost => {
    const cpu = childrenCpuMs();
    const started = performance.now();
    execFileSync(file, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const wall = performance.now() - started;
    const after = childrenCpuMs();
    return { wall, cpu: cpu === undefined || after === undefined ? undefined : after - cpu };
  };
  once();
  return medianCost(Array.from({ length: runs }, once));
}

const aiopsCost = (args: readonly string[]) => processCost(process.execPath, [bin, ...args]);

/** CPU milliseconds of this process (every thread), for the engine measured in it. */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median lines/s of the engine alone (a fresh miner per run), and with the header parsed too; by CPU time. */
function engineRates(lines: readonly string[], format: string | undefined) {
  const compiled = format === undefined ? undefined : compileLogFormat(format);
  const learn: number[] = [];
  const parsed: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = ownCpuMs();
    const contents = lines.map((line) => contentOf(compiled, line));
    const t1 = ownCpuMs();
    const miner = createMiner();
    for (const content of contents) miner.add(content);
    const t2 = ownCpuMs();
    if (r === 0) continue; // warms the JIT up
    learn.push(t2 - t1);
    parsed.push(t2 - t0);
  }
  return {
    engineLinesPerSecond: perSecond(lines.length, median(learn)),
    engineWithHeadersLinesPerSecond: perSecond(lines.length, median(parsed)),
  };
}

function drain3Rates(path: string, format: string, lines: number) {
  if (spawnSync('python3', ['-c', 'import drain3']).status !== 0) return undefined;
  const cost = processCost('python3', ['-c', DRAIN3_SCRIPT, path, format]);
  const engine = median(
    Array.from({ length: runs }, () =>
      Number(execFileSync('python3', ['-c', DRAIN3_SCRIPT, path, format], { encoding: 'utf8' }).trim()),
    ),
  );
  return { linesPerSecond: perSecond(lines, cost.wall), engineLinesPerSecond: Math.round(engine) };
}

interface LogsRow {
  dataset: string;
  lines: number;
  wallMs: number;
  cpuMs: number | undefined;
  linesPerSecond: number;
  cpuLinesPerSecond: number | undefined;
  engineLinesPerSecond: number;
  engineWithHeadersLinesPerSecond: number;
  drain3?: { linesPerSecond: number; engineLinesPerSecond: number };
}

function perSecond(count: number, ms: number): number {
  return Math.round(count / (ms / 1000));
}

function measureLogs(dataset: string, path: string, format: string | undefined): LogsRow {
  const lines = splitLines(readFileSync(path, 'utf8'));
  const formatArgs = format === undefined ? [] : ['--log-format', format];
  const cost = aiopsCost([
    'logs',
    'templates',
    '--input',
    path,
    ...formatArgs,
    '--output',
    join(work, 'out.csv'),
  ]);
  const drain3 = format === undefined ? undefined : drain3Rates(path, format, lines.length);
  return {
    dataset,
    lines: lines.length,
    wallMs: Math.round(cost.wall),
    cpuMs: cost.cpu === undefined ? undefined : Math.round(cost.cpu),
    linesPerSecond: perSecond(lines.length, cost.wall),
    cpuLinesPerSecond: cost.cpu === undefined ? undefined : perSecond(lines.length, cost.cpu),
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
  const cost = aiopsCost(['metrics', 'detect', '--input', path, '--output', join(work, 'scored.csv')]);
  const engine: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const started = ownCpuMs();
    const series = parseSeriesCsv(text, path);
    detectAnomalies({ values: series.values, times: series.times });
    if (r > 0) engine.push(ownCpuMs() - started);
  }
  return {
    rows: count,
    wallMs: Math.round(cost.wall),
    cpuMs: cost.cpu === undefined ? undefined : Math.round(cost.cpu),
    rowsPerSecond: perSecond(count, cost.wall),
    cpuRowsPerSecond: cost.cpu === undefined ? undefined : perSecond(count, cost.cpu),
    engineRowsPerSecond: perSecond(count, median(engine)),
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
  const start = aiopsCost(['logs', 'templates', '--input', empty, '--log-format', '<Content>']);
  const startMs = Math.round(start.wall);
  const metrics = values.input === undefined ? measureMetrics(lineCount) : undefined;

  const maybe = (x: number | undefined, unit = '') => (x === undefined ? '—' : `${n(x)}${unit}`);
  const drain = (row: LogsRow) =>
    row.drain3 ? `${n(row.drain3.linesPerSecond)} / ${n(row.drain3.engineLinesPerSecond)}` : '—';
  process.stdout.write(
    `${renderTable(
      [
        'logs templates',
        'lines',
        'wall',
        'lines/s',
        'CPU',
        'lines/s by CPU',
        'engine lines/s',
        '+ headers',
        'drain3 whole / engine',
      ],
      logs.map((r) => [
        r.dataset,
        n(r.lines),
        `${r.wallMs} ms`,
        n(r.linesPerSecond),
        maybe(r.cpuMs, ' ms'),
        maybe(r.cpuLinesPerSecond),
        n(r.engineLinesPerSecond),
        n(r.engineWithHeadersLinesPerSecond),
        drain(r),
      ]),
    )}\n`,
  );
  const total = logs.reduce((sum, r) => sum + r.lines, 0);
  const wall = logs.reduce((sum, r) => sum + r.wallMs, 0);
  const cpu = logs.every((r) => r.cpuMs !== undefined)
    ? logs.reduce((sum, r) => sum + (r.cpuMs ?? 0), 0)
    : undefined;
  process.stdout.write(
    `\nwhole process: ${n(perSecond(total, wall))} lines/s by wall time` +
      `${cpu === undefined ? '' : `, ${n(perSecond(total, cpu))} by CPU time`}` +
      ` over ${logs.length} file(s), median of ${runs} runs each; start-up (an empty file) ${startMs} ms` +
      `${start.cpu === undefined ? '' : `, ${Math.round(start.cpu)} ms CPU`}\n`,
  );
  process.stdout.write('engine: miner.add alone on the parsed messages, in process, by CPU time\n');
  if (logs.every((r) => r.drain3 === undefined)) {
    process.stdout.write(
      'Python Drain: drain3 is not installed here (pip install drain3), so not compared\n',
    );
  }
  if (metrics !== undefined) {
    process.stdout.write(
      `metrics detect: ${n(metrics.rows)} rows in ${metrics.wallMs} ms, ${n(metrics.rowsPerSecond)} rows/s ` +
        `whole process (${maybe(metrics.cpuRowsPerSecond)} by CPU time); ` +
        `engine (parse + detect) ${n(metrics.engineRowsPerSecond)} rows/s by CPU time\n`,
    );
  }
  if (values.input === undefined && values.dataset === undefined) {
    const result = {
      lines: lineCount,
      runs,
      start,
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
