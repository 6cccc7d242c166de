/**
 * Migration safety side by side with squawk (squawk-cli, a devDependency) on
 * the committed corpus of bench/sql/ and its truth: per hazard class, whether
 * the truth holds it, which files each tool flagged it in, and each tool's
 * false positives (on hazard files and on the safe rewrites); then the wall
 * time (median of --runs, whole process) and peak RSS (/usr/bin/time) of both.
 * Ours is `aiops analyze db-query-analyzer <corpus> --format json`, its
 * findings mapped to classes through OURS of bench/sql/classes.ts.
 * Writes bench/results/sql.json.
 *
 *   npm run bench:sql -- [--runs 3] [--pg-version 16]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../bin/cli.js';
import { CLASSES, ourRuleClasses, squawkRuleClasses } from './sql/classes.js';
import { corpusFiles } from './sql/corpus-truth.js';
import { type Reported, type Score, score, type Truth } from './sql/scoring.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'bench/sql/corpus');
const AIOPS = join(ROOT, 'bin/aiops.mjs');
const SQUAWK = join(ROOT, 'node_modules/.bin/squawk');
const TIME = '/usr/bin/time';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'pg-version': { type: 'string', default: '16' },
    out: { type: 'string', default: 'bench/results/sql.json' },
  },
});

interface Timed {
  wallMs: number;
  /** Peak resident set of the process, in KiB; null without /usr/bin/time. */
  maxRssKb: number | null;
  stdout: string;
}

/**
 * Runs a command to its end under /usr/bin/time (when present) for its peak
 * RSS; the wall time includes start-up. Exit code 1 with output is a tool
 * reporting findings, not a failure.
 */
async function timed(command: string, args: readonly string[], cwd: string): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sql-'));
  const rssFile = join(dir, 'rss');
  const withTime = existsSync(TIME);
  const [cmd, argv] = withTime ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, [...args]];
  const start = performance.now();
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        cmd,
        argv,
        { cwd, maxBuffer: 1 << 30, env: { ...process.env, LOG_LEVEL: 'ERROR', NO_COLOR: '1' } },
        (error, out, stderr) => {
          if (error && !(error.code === 1 && out.length > 0))
            reject(new Error(`${command} failed: ${error.message}\n${stderr.slice(0, 2000)}`));
          else resolve(out);
        },
      );
    });
    const wallMs = performance.now() - start;
    const rss = withTime
      ? Number.parseInt((await readFile(rssFile, 'utf8')).trim().split('\n').pop() ?? '', 10)
      : NaN;
    return { wallMs, maxRssKb: Number.isFinite(rss) ? rss : null, stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface SquawkFinding {
  file: string;
  /** 0-based. */
  line: number;
  line_end?: number;
  rule_name: string;
}

/** squawk over the corpus files (paths relative to the corpus), JSON reporter; lines made 1-based. */
async function squawk(files: readonly string[]): Promise<Timed & { reported: Reported[] }> {
  const run = await timed(
    SQUAWK,
    ['--reporter', 'json', `--pg-version=${values['pg-version']}`, ...files],
    CORPUS,
  );
  const findings = JSON.parse(run.stdout || '[]') as SquawkFinding[];
  const reported = findings.map((f) => ({
    file: f.file,
    line: f.line + 1,
    endLine: (f.line_end ?? f.line) + 1,
    rule: f.rule_name,
  }));
  return { ...run, reported };
}

interface OurReport {
  findings: { ruleId: string; suppressed?: boolean; resource?: { file?: string; line?: number } }[];
}

/** `aiops analyze db-query-analyzer` on the corpus folder, run by the node that runs this bench (Node 24). */
async function ours(): Promise<Timed & { reported: Reported[] }> {
  const run = await timed(
    process.execPath,
    [AIOPS, 'analyze', 'db-query-analyzer', 'bench/sql/corpus', '--format', 'json'],
    ROOT,
  );
  const report = JSON.parse(run.stdout) as OurReport;
  const reported = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      file: (f.resource?.file ?? '').replace(/^bench\/sql\/corpus\//, ''),
      line: f.resource?.line ?? 0,
      rule: f.ruleId,
    }));
  return { ...run, reported };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

interface Summary {
  wallMsMedian: number;
  wallMs: number[];
  maxRssKb: number | null;
}

const summarize = (runs: readonly Timed[]): Summary => {
  const rss = runs.map((r) => r.maxRssKb).filter((r): r is number => r !== null);
  return {
    wallMsMedian: Math.round(median(runs.map((r) => r.wallMs))),
    wallMs: runs.map((r) => Math.round(r.wallMs)),
    maxRssKb: rss.length ? Math.max(...rss) : null,
  };
};

/** "3/3 (3 files)" for a class a tool covers, "not mapped" for one it has no rule for. */
function flagged(s: Score, cls: string): string {
  const row = s.classes.find((c) => c.class === cls);
  if (!row) return '';
  if (!row.mapped) return 'not mapped';
  return `${row.tp}/${row.truth} (${row.flaggedFiles} files)`;
}

function fpCell(s: Score, cls: string): string {
  const row = s.classes.find((c) => c.class === cls);
  if (!row?.mapped) return '-';
  return `${row.fpOnSafeFiles}/${row.fpOnHazardFiles}`;
}

function classTable(squawkScore: Score, ourScore: Score): string {
  const rows = squawkScore.classes.map((c) => [
    c.class,
    c.truth ? `${c.truth} in ${c.truthFiles} files` : 'no',
    flagged(squawkScore, c.class),
    fpCell(squawkScore, c.class),
    flagged(ourScore, c.class),
    fpCell(ourScore, c.class),
  ]);
  return renderTable(
    ['class', 'in truth', 'squawk flagged', 'squawk FP safe/hazard', 'ours flagged', 'ours FP safe/hazard'],
    rows,
  );
}

const mb = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);

async function main() {
  const truth = JSON.parse(await readFile(join(ROOT, 'bench/sql/truth.json'), 'utf8')) as Truth;
  const files = await corpusFiles(CORPUS);
  const missing = files.filter((f) => !truth.files[f]);
  if (missing.length)
    throw new Error(`not in truth.json (run npx tsx bench/sql/make-truth.ts): ${missing.join(', ')}`);
  const runs = Math.max(1, Number.parseInt(values.runs, 10) || 3);
  const squawkRuns: Awaited<ReturnType<typeof squawk>>[] = [];
  const ourRuns: Awaited<ReturnType<typeof ours>>[] = [];
  // Interleaved, so a burst of load on the shared machine hits both tools alike.
  for (let i = 0; i < runs; i++) {
    squawkRuns.push(await squawk(files));
    ourRuns.push(await ours());
  }
  const classIds = CLASSES.map((c) => c.id);
  const squawkScore = score(truth, squawkRuns[0]?.reported ?? [], squawkRuleClasses(), classIds);
  const ourScore = score(truth, ourRuns[0]?.reported ?? [], ourRuleClasses(), classIds);
  const squawkTime = summarize(squawkRuns);
  const ourTime = summarize(ourRuns);
  const hazardFiles = Object.values(truth.files).filter((f) => f.kind === 'hazard').length;

  console.log(
    `Corpus: ${files.length} migrations (${hazardFiles} with hazards, ${files.length - hazardFiles} safe rewrites), ` +
      `${squawkScore.classes.reduce((n, c) => n + c.truth, 0)} expected findings in ${classIds.length} classes; ` +
      `squawk --pg-version=${values['pg-version']}.\n`,
  );
  console.log(classTable(squawkScore, ourScore));
  console.log(
    '\nFP safe/hazard: findings where the truth expects none, on safe-rewrite files / on hazard files.',
  );
  for (const [name, s] of [
    ['squawk', squawkScore],
    ['ours', ourScore],
  ] as const) {
    console.log(
      `\n${name}: TP ${s.tp}, FN ${s.fn} (mapped classes), FP ${s.fp} (${s.fpOnSafeFiles} on safe rewrites)`,
    );
    for (const f of s.falsePositives) console.log(`  FP ${f.file}:${f.line} ${f.rule} (${f.class})`);
    for (const c of s.classes)
      for (const m of c.misses) console.log(`  missed ${m.file}:${m.line} ${c.class}`);
    const other = Object.entries(s.other);
    if (other.length)
      console.log(
        `  findings of rules mapped to no class: ${other.map(([r, n]) => `${r} ×${n}`).join(', ')}`,
      );
    for (const f of s.otherFindings.slice(0, 20))
      console.log(`    ${f.file}:${f.line} ${f.rule}${f.safeFile ? ' (safe-rewrite file)' : ''}`);
  }
  console.log(
    `\n${renderTable(
      ['tool', `wall, median of ${runs}`, 'runs (ms)', 'peak RSS'],
      [
        ['squawk', `${squawkTime.wallMsMedian} ms`, squawkTime.wallMs.join(', '), mb(squawkTime.maxRssKb)],
        ['ours', `${ourTime.wallMsMedian} ms`, ourTime.wallMs.join(', '), mb(ourTime.maxRssKb)],
      ],
    )}`,
  );
  const load = loadavg()[0]?.toFixed(2);
  console.log(`(${cpus().length} CPUs, load ${load}; whole process, start-up included)`);

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, load1: Number(load) },
    corpus: {
      files: files.length,
      hazardFiles,
      safeFiles: files.length - hazardFiles,
      classes: classIds.length,
    },
    pgVersion: values['pg-version'],
    squawk: { ...squawkScore, time: squawkTime },
    ours: { ...ourScore, time: ourTime },
  };
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${values.out}`);
}

await main();
