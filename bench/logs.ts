/**
 * Log template mining on Loghub's 2k samples: grouping accuracy per data set
 * against the original and the corrected ground truth, their averages, and
 * throughput. One miner configuration for every system; the only per-system
 * input is the header format a user would give. Writes bench/results/logs.json.
 *
 *   npm run bench:logs -- [--dataset Linux] [--explain] [--rounds 5]
 *   npm run bench:logs -- --speed …   whole-process speed of the CLI instead (bench/logs-speed.ts)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable } from '../bin/cli.js';
import { readCsvObjects } from '../shared/analysis/documents/csv.js';
import { groupingAccuracy } from '../shared/analysis/logs/accuracy.js';
import { compileLogFormat, contentOf, type LogFormat } from '../shared/analysis/logs/format.js';
import { inferLogFormat } from '../shared/analysis/logs/infer.js';
import { createMiner } from '../shared/analysis/logs/miner.js';
import { getConfig } from '../shared/core/config.js';

if (process.argv.includes('--speed')) {
  await import('./logs-speed.js');
  process.exit();
}

const DATASETS: readonly { name: string; format: string }[] = [
  { name: 'HDFS', format: '<Date> <Time> <Pid> <Level> <Component>: <Content>' },
  { name: 'Hadoop', format: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>' },
  { name: 'Spark', format: '<Date> <Time> <Level> <Component>: <Content>' },
  { name: 'Zookeeper', format: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>' },
  {
    name: 'BGL',
    format: '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>',
  },
  { name: 'Apache', format: '\\[<Time>\\] \\[<Level>\\] <Content>' },
  { name: 'OpenSSH', format: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>' },
  { name: 'Linux', format: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>' },
];

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    explain: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/logs.json' },
  },
});

const benchDir = getConfig().env.BENCH_DIR;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Two passes, as the CLI makes them: learn every message, then assign each its final template. */
function mine(contents: readonly string[]): string[] {
  const miner = createMiner();
  for (const content of contents) miner.add(content);
  return contents.map((content) => String((miner.match(content) ?? miner.add(content)).templateId));
}

function groupBy(ids: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  ids.forEach((id, line) => {
    const group = groups.get(id);
    if (group) group.push(line);
    else groups.set(id, [line]);
  });
  return groups;
}

/** Prints every true event that is split or mixed with another, with a sample line per predicted group. */
function explain(name: string, contents: readonly string[], truth: readonly string[], predicted: string[]) {
  const byPredicted = groupBy(predicted);
  for (const [trueId, lines] of groupBy(truth)) {
    const ids = new Set(lines.map((i) => predicted[i] ?? ''));
    const mixed = [...ids].some((id) => (byPredicted.get(id) ?? []).some((j) => truth[j] !== trueId));
    if (ids.size === 1 && !mixed) continue;
    process.stdout.write(
      `\n[${name}] ${trueId} (${lines.length} lines) → ${ids.size} groups${mixed ? ', mixed' : ''}\n`,
    );
    for (const id of ids) {
      const members = byPredicted.get(id) ?? [];
      const own = members.filter((j) => truth[j] === trueId);
      const other = [...new Set(members.filter((j) => truth[j] !== trueId).map((j) => truth[j]))];
      const sample = contents[own[0] ?? 0]?.slice(0, 150);
      process.stdout.write(`   ${own.length} lines, with ${other.join(',') || 'nothing else'}: ${sample}\n`);
    }
  }
}

interface Row {
  dataset: string;
  lines: number;
  templates: number;
  truthTemplates: number;
  /** Against the original ground truth, with the format above. */
  original: number;
  /** Against the corrected ground truth (Khan et al. 2022). */
  corrected: number;
  /** Original ground truth, header format inferred instead of given. */
  inferred: number;
  /** Original ground truth, each line taking the template add() returned as it streamed by (one pass). */
  online: number;
}

const truthOf = async (dir: string, file: string) =>
  readCsvObjects(await readFile(join(dir, file), 'utf8')).map((r) => r.fields.EventId ?? '');

const rows: Row[] = [];
const corpora: { format: LogFormat; lines: string[] }[] = [];
for (const { name, format } of DATASETS) {
  if (values.dataset && values.dataset !== name) continue;
  const dir = join(benchDir, 'loghub', name);
  const compiled = compileLogFormat(format);
  const lines = splitLines(await readFile(join(dir, `${name}_2k.log`), 'utf8'));
  corpora.push({ format: compiled, lines });
  const contents = lines.map((line) => contentOf(compiled, line));
  const ids = mine(contents);
  const truth = await truthOf(dir, `${name}_2k.log_structured.csv`);
  const corrected = await truthOf(dir, `${name}_2k.log_structured_corrected.csv`);
  const inferredFormat = inferLogFormat(lines);
  const inferred = inferredFormat === undefined ? undefined : compileLogFormat(inferredFormat);
  const online = createMiner();
  rows.push({
    dataset: name,
    lines: lines.length,
    templates: new Set(ids).size,
    truthTemplates: new Set(truth).size,
    original: round(groupingAccuracy(truth, ids)),
    corrected: round(groupingAccuracy(corrected, ids)),
    inferred: round(groupingAccuracy(truth, mine(lines.map((line) => contentOf(inferred, line))))),
    online: round(
      groupingAccuracy(
        truth,
        contents.map((content) => online.add(content).template),
      ),
    ),
  });
  if (values.explain) explain(name, contents, truth, ids);
}

// Throughput: fresh miners on every data set, repeated; the first round warms the JIT up.
const rounds = Number(values.rounds);
const time = { parse: 0, learn: 0, assign: 0 };
let measured = 0;
for (let r = 0; r <= rounds; r++) {
  for (const { format, lines } of corpora) {
    const miner = createMiner();
    const t0 = performance.now();
    const contents = lines.map((line) => contentOf(format, line));
    const t1 = performance.now();
    for (const content of contents) miner.add(content);
    const t2 = performance.now();
    for (const content of contents) miner.match(content);
    const t3 = performance.now();
    if (r === 0) continue;
    time.parse += t1 - t0;
    time.learn += t2 - t1;
    time.assign += t3 - t2;
    measured += lines.length;
  }
}
const perSecond = (ms: number) => Math.round(measured / (ms / 1000));
const throughput = {
  lines: measured,
  /** Template assignment as the CLI does it: learn every message, then assign each its final template. */
  linesPerSecond: perSecond(time.learn + time.assign),
  learnPerSecond: perSecond(time.learn),
  assignPerSecond: perSecond(time.assign),
  /** The same with header parsing, done once per pass. */
  withHeaderParsingPerSecond: perSecond(2 * time.parse + time.learn + time.assign),
};

const average = (key: 'original' | 'corrected' | 'inferred' | 'online') =>
  rows.length === 0 ? 0 : round(rows.reduce((sum, row) => sum + row[key], 0) / rows.length);
const format4 = (n: number) => n.toFixed(4);
process.stdout.write(
  `${renderTable(
    [
      'dataset',
      'GA original',
      'GA corrected',
      'GA inferred format',
      'GA online (1 pass)',
      'templates',
      'truth',
    ],
    [
      ...rows.map((r) => [
        r.dataset,
        format4(r.original),
        format4(r.corrected),
        format4(r.inferred),
        format4(r.online),
        String(r.templates),
        String(r.truthTemplates),
      ]),
      [
        'average',
        ...(['original', 'corrected', 'inferred', 'online'] as const).map((k) => format4(average(k))),
        '',
        '',
      ],
    ],
  )}\n`,
);
const n = (x: number) => x.toLocaleString('en');
process.stdout.write(
  `\ntemplate assignment: ${n(throughput.linesPerSecond)} lines/s on one core, learn and assign passes ` +
    `(learn ${n(throughput.learnPerSecond)}, assign ${n(throughput.assignPerSecond)}); ` +
    `${n(throughput.withHeaderParsingPerSecond)} lines/s with header parsing\n`,
);

if (!values.dataset) {
  const result = {
    benchDir,
    configuration: 'createMiner() defaults, the same for every data set',
    datasets: rows,
    average: {
      original: average('original'),
      corrected: average('corrected'),
      inferred: average('inferred'),
      online: average('online'),
    },
    throughput,
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${values.out}\n`);
}
