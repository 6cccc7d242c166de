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
 *
 * Agreement mode, on migration folders with no truth (a real project's
 * history, say): each --dir is linted by both tools (every .sql under it, in
 * path order; ours is run from inside the folder), and their findings are
 * matched per hazard class by file and line (spans that overlap), through the
 * same rule maps (bench/sql/agreement.ts). Per class: places both flagged,
 * squawk only, ours only, and agreement = both / (both + squawk only + ours
 * only); overall over the classes both cover. Then a few places of each
 * disagreement, our findings of rules mapped to no class (each SQL000 parse
 * error and SQL013 / SQL014 name finding listed: on a history that runs, each
 * is a likely false positive), squawk's unmapped rules, and time and peak RSS
 * of one run of each (--runs for more). A run over --timeout seconds is cut
 * and reported. --assume-in-transaction passes the same flag to squawk, for
 * tools that run each file in one transaction (Prisma, Diesel, golang-migrate):
 * squawk then leaves alone what the file did to tables it created. Writes
 * bench/results/sql-agreement.json.
 *
 *   npm run bench:sql -- --dir <folder> [--dir <folder2>] [--timeout 300] [--examples 3] [--assume-in-transaction]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../bin/cli.js';
import {
  type Agreement,
  agreement,
  classesFromMessage,
  type LintFinding,
  statementSpans,
} from './sql/agreement.js';
import { CLASSES, ourRuleClasses, squawkRuleClasses } from './sql/classes.js';
import { corpusFiles } from './sql/corpus-truth.js';
import { type Score, score, type Truth } from './sql/scoring.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'bench/sql/corpus');
const AIOPS = join(ROOT, 'bin/aiops.mjs');
const SQUAWK = join(ROOT, 'node_modules/.bin/squawk');
const TIME = '/usr/bin/time';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    'pg-version': { type: 'string', default: '16' },
    out: { type: 'string' },
    dir: { type: 'string', multiple: true },
    timeout: { type: 'string', default: '300' },
    examples: { type: 'string', default: '3' },
    'assume-in-transaction': { type: 'boolean', default: false },
  },
});

interface Timed {
  wallMs: number;
  /** Peak resident set of the process, in KiB; null without /usr/bin/time. */
  maxRssKb: number | null;
  stdout: string;
  /** Cut by the time limit: stdout is empty then. */
  timedOut?: boolean;
}

/** Exit code of coreutils `timeout` when it cut the command. */
const TIMED_OUT = 124;

/**
 * Runs a command to its end under /usr/bin/time (when present) for its peak
 * RSS; the wall time includes start-up. Exit code 1 with output is a tool
 * reporting findings, not a failure. With `limitS`, the command runs under
 * `timeout`, so a cut run ends the tool itself, not only its wrapper.
 */
async function timed(command: string, args: readonly string[], cwd: string, limitS?: number): Promise<Timed> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sql-'));
  const rssFile = join(dir, 'rss');
  const withTime = existsSync(TIME);
  const inner = limitS === undefined ? [command, ...args] : ['timeout', String(limitS), command, ...args];
  const [cmd, argv] = withTime
    ? [TIME, ['-f', '%M', '-o', rssFile, ...inner]]
    : [inner[0] ?? command, inner.slice(1)];
  const start = performance.now();
  try {
    const { stdout, timedOut } = await new Promise<{ stdout: string; timedOut: boolean }>(
      (resolve, reject) => {
        execFile(
          cmd,
          argv,
          { cwd, maxBuffer: 1 << 30, env: { ...process.env, LOG_LEVEL: 'ERROR', NO_COLOR: '1' } },
          (error, out, stderr) => {
            if (limitS !== undefined && error?.code === TIMED_OUT) resolve({ stdout: '', timedOut: true });
            else if (error && !(error.code === 1 && out.length > 0))
              reject(new Error(`${command} failed: ${error.message}\n${stderr.slice(0, 2000)}`));
            else resolve({ stdout: out, timedOut: false });
          },
        );
      },
    );
    const wallMs = performance.now() - start;
    const rss = withTime
      ? Number.parseInt((await readFile(rssFile, 'utf8')).trim().split('\n').pop() ?? '', 10)
      : NaN;
    return { wallMs, maxRssKb: Number.isFinite(rss) ? rss : null, stdout, timedOut };
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
  message?: string;
}

/** squawk over `files` (paths relative to `cwd`), JSON reporter; lines made 1-based. */
async function squawk(
  files: readonly string[],
  cwd = CORPUS,
  limitS?: number,
): Promise<Timed & { reported: LintFinding[] }> {
  const run = await timed(
    SQUAWK,
    [
      '--reporter',
      'json',
      `--pg-version=${values['pg-version']}`,
      ...(values['assume-in-transaction'] ? ['--assume-in-transaction'] : []),
      ...files,
    ],
    cwd,
    limitS,
  );
  const findings = JSON.parse(run.stdout || '[]') as SquawkFinding[];
  const reported = findings.map((f) => ({
    file: f.file,
    line: f.line + 1,
    endLine: (f.line_end ?? f.line) + 1,
    rule: f.rule_name,
    message: f.message,
  }));
  return { ...run, reported };
}

interface OurReport {
  findings: {
    ruleId: string;
    message?: string;
    suppressed?: boolean;
    resource?: { file?: string; line?: number };
    evidence?: { findingsLeftOut?: Record<string, number> };
  }[];
  metrics?: { files?: number; statements?: number; parseErrors?: number; ddlFailures?: number };
}

/**
 * `aiops analyze db-query-analyzer <target> --format json`, run from `cwd` by
 * the node that runs this bench (Node 24); file paths made relative to the
 * target.
 */
async function ours(
  target = 'bench/sql/corpus',
  cwd = ROOT,
  limitS?: number,
): Promise<Timed & { reported: LintFinding[]; report: OurReport | null }> {
  const run = await timed(
    process.execPath,
    [AIOPS, 'analyze', 'db-query-analyzer', target, '--format', 'json'],
    cwd,
    limitS,
  );
  if (run.timedOut) return { ...run, reported: [], report: null };
  const report = JSON.parse(run.stdout) as OurReport;
  const prefix = target === '.' ? './' : `${target.replace(/\/$/, '')}/`;
  const reported = report.findings
    .filter((f) => !f.suppressed)
    .map((f) => {
      const file = f.resource?.file ?? '';
      return {
        file: file.startsWith(prefix) ? file.slice(prefix.length) : file,
        line: f.resource?.line ?? 0,
        rule: f.ruleId,
        message: f.message,
      };
    });
  return { ...run, reported, report };
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
  const runs = Math.max(1, Number.parseInt(values.runs ?? '3', 10) || 3);
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
  const out = values.out ?? 'bench/results/sql.json';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(0)}%`);

/** Rule ids of a class, per tool, for the table. */
function rulesOf(cls: string): { squawk: string; ours: string } {
  const ourRules = [...ourRuleClasses().entries()].filter(([, cs]) => cs.includes(cls)).map(([r]) => r);
  return {
    squawk: CLASSES.find((c) => c.id === cls)?.squawk.join(', ') ?? '',
    ours: ourRules.join(', ') || 'none',
  };
}

function agreementTable(a: Agreement, truncated: ReadonlySet<string>): string {
  const rows = a.classes
    .filter(
      (c) => c.both.length + c.squawkOnly.length + c.oursOnly.length > 0 || (c.squawkCovers && c.oursCovers),
    )
    .map((c) => {
      const cut = rulesOf(c.class)
        .ours.split(', ')
        .some((r) => truncated.has(r));
      return [
        c.class,
        c.squawkCovers && c.oursCovers ? 'yes' : c.oursCovers ? 'ours only' : 'squawk only',
        String(c.both.length),
        String(c.squawkOnly.length),
        String(c.oursOnly.length),
        `${pct(c.agreement)}${cut ? ' (ours truncated)' : ''}`,
      ];
    });
  return renderTable(['class', 'both cover', 'both', 'squawk only', 'ours only', 'agreement'], rows);
}

const lineOf = (f: LintFinding) => `${f.file}:${f.line}`;
const oneLine = (s: string | undefined, n = 160) => (s ?? '').replace(/\s+/g, ' ').slice(0, n);

function printExamples(a: Agreement, limit: number): void {
  for (const c of a.classes.filter((x) => x.squawkCovers && x.oursCovers)) {
    for (const [label, places, tool] of [
      ['squawk only', c.squawkOnly, 'squawk'],
      ['ours only', c.oursOnly, 'ours'],
    ] as const) {
      if (places.length === 0) continue;
      console.log(`  ${c.class}, ${label} (${places.length}):`);
      for (const p of places.slice(0, limit)) {
        const f = p[tool][0];
        if (f) console.log(`    ${lineOf(f)} ${f.rule}: ${oneLine(f.message)}`);
      }
    }
  }
}

/** Parse errors per file: how many, and the first. */
function printParseErrors(label: string, findings: readonly LintFinding[]): void {
  const byFile = new Map<string, LintFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, fs] of byFile) {
    const first = fs[0];
    if (first)
      console.log(`  ${file}: ${fs.length} ${label}, first at line ${first.line}: ${oneLine(first.message)}`);
  }
}

function printUnmapped(a: Agreement, limit: number): void {
  const ourRules = Object.entries(a.unmapped.ours).sort(([x], [y]) => x.localeCompare(y));
  console.log(
    `\nours, rules mapped to no class: ${ourRules.map(([r, fs]) => `${r} ×${fs.length}`).join(', ') || 'none'}`,
  );
  for (const [rule, fs] of ourRules) {
    if (rule === 'SQL000') printParseErrors('SQL000', fs);
    // Every name finding: on a history that ran, each is a likely false positive.
    else
      for (const f of rule === 'SQL013' || rule === 'SQL014' ? fs : fs.slice(0, limit))
        console.log(`  ${lineOf(f)} ${rule}: ${oneLine(f.message, 220)}`);
  }
  const squawkRules = Object.entries(a.unmapped.squawk).sort(([x], [y]) => x.localeCompare(y));
  console.log(
    `squawk, rules mapped to no class: ${squawkRules.map(([r, fs]) => `${r} ×${fs.length}`).join(', ') || 'none'}`,
  );
  printParseErrors('syntax-error', a.unmapped.squawk['syntax-error'] ?? []);
}

/** Our findings, each widened to the statement it starts (see statementSpans), so squawk's line inside it meets it. */
async function toStatementEnds(dir: string, findings: readonly LintFinding[]): Promise<LintFinding[]> {
  const spans = new Map<string, [number, number][]>();
  const out: LintFinding[] = [];
  for (const f of findings) {
    if (!spans.has(f.file)) {
      const text = await readFile(join(dir, f.file), 'utf8').catch(() => '');
      spans.set(f.file, statementSpans(text));
    }
    const span = spans.get(f.file)?.find(([a, b]) => a <= f.line && f.line <= b);
    out.push(span ? { ...f, endLine: span[1] } : f);
  }
  return out;
}

/** Agreement mode: both tools on one folder with no truth. */
async function agreementOn(dir: string, runs: number, limitS: number, examples: number) {
  const files = await corpusFiles(dir);
  if (files.length === 0) throw new Error(`no .sql file under ${dir}`);
  const squawkRuns: Awaited<ReturnType<typeof squawk>>[] = [];
  const ourRuns: Awaited<ReturnType<typeof ours>>[] = [];
  for (let i = 0; i < runs; i++) {
    squawkRuns.push(await squawk(files, dir, limitS));
    ourRuns.push(await ours('.', dir, limitS));
  }
  const first = ourRuns[0];
  const timedOut = ourRuns.some((r) => r.timedOut) || squawkRuns.some((r) => r.timedOut);
  const a = agreement({
    squawk: squawkRuns[0]?.reported ?? [],
    ours: await toStatementEnds(dir, first?.reported ?? []),
    squawkRules: squawkRuleClasses(),
    ourRules: ourRuleClasses(),
    classIds: CLASSES.map((c) => c.id),
    classesOf: classesFromMessage,
  });
  const leftOut = Object.assign(
    {},
    ...(first?.report?.findings ?? [])
      .filter((f) => f.ruleId === 'SQL015')
      .map((f) => f.evidence?.findingsLeftOut ?? {}),
  ) as Record<string, number>;
  const truncated = new Set(Object.keys(leftOut));
  const metrics = first?.report?.metrics;

  console.log(
    `\n== ${dir}: ${files.length} .sql files; squawk --pg-version=${values['pg-version']}${values['assume-in-transaction'] ? ' --assume-in-transaction' : ''}` +
      (metrics
        ? `; ours read ${metrics.statements} statements, ${metrics.parseErrors} parse errors, ${metrics.ddlFailures} DDL statements failed in the name check`
        : '') +
      '\n',
  );
  if (timedOut) console.log(`A run exceeded --timeout ${limitS} s: its findings are missing below.\n`);
  console.log(agreementTable(a, truncated));
  const o = a.overall;
  console.log(
    `\noverall, over classes both cover: both ${o.both}, squawk only ${o.squawkOnly}, ours only ${o.oursOnly}, agreement ${pct(o.agreement)}`,
  );
  if (truncated.size)
    console.log(
      `ours listed at most 100 findings per rule; left out: ${Object.entries(leftOut)
        .map(([r, n]) => `${n} ${r}`)
        .join(', ')}`,
    );
  console.log('\ndisagreements (first of each):');
  printExamples(a, examples);
  printUnmapped(a, examples);
  const squawkTime = summarize(squawkRuns);
  const ourTime = summarize(ourRuns);
  console.log(
    `\n${renderTable(
      ['tool', `wall, median of ${runs}`, 'peak RSS'],
      [
        ['squawk', `${squawkTime.wallMsMedian} ms`, mb(squawkTime.maxRssKb)],
        ['ours', `${ourTime.wallMsMedian} ms${timedOut ? ' (cut)' : ''}`, mb(ourTime.maxRssKb)],
      ],
    )}`,
  );
  const counts = (places: { length: number }) => places.length;
  return {
    dir,
    files: files.length,
    timedOut,
    ourMetrics: metrics ?? null,
    findingsLeftOut: leftOut,
    overall: o,
    classes: a.classes.map((c) => ({
      class: c.class,
      squawkCovers: c.squawkCovers,
      oursCovers: c.oursCovers,
      both: counts(c.both),
      squawkOnly: c.squawkOnly.map((p) => ({
        file: p.file,
        line: p.line,
        rules: p.squawk.map((f) => f.rule),
      })),
      oursOnly: c.oursOnly.map((p) => ({ file: p.file, line: p.line, rules: p.ours.map((f) => f.rule) })),
      agreement: c.agreement,
    })),
    unmapped: a.unmapped,
    squawk: { time: squawkTime },
    ours: { time: ourTime },
  };
}

async function agreementMain(dirs: readonly string[]) {
  const runs = Math.max(1, Number.parseInt(values.runs ?? '1', 10) || 1);
  const limitS = Math.max(1, Number.parseInt(values.timeout, 10) || 300);
  const examples = Math.max(0, Number.parseInt(values.examples, 10) || 0);
  const results = [];
  for (const dir of dirs) results.push(await agreementOn(dir, runs, limitS, examples));
  const load = loadavg()[0]?.toFixed(2);
  console.log(`(${cpus().length} CPUs, load ${load}; whole process, start-up included)`);
  const out = values.out ?? 'bench/results/sql-agreement.json';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), pgVersion: values['pg-version'], assumeInTransaction: values['assume-in-transaction'], results }, null, 2)}\n`,
  );
  console.log(`\nwrote ${out}`);
}

if (values.dir?.length) await agreementMain(values.dir.map((d) => resolve(d)));
else await main();
