/**
 * cicd-optimizer: read every file as what it is (pipelines.ts), run the
 * checks of its CI system (github.ts, gitlab.ts), then what the runs, test
 * reports and logs say (runs.ts, junit.ts, failures.ts), and let the scan
 * engine (runScan) apply suppressions last — inline `# aiops:allow` comments,
 * `.aiopsignore` files and the input's `ignore` — so a suppressed finding
 * stays in the result, marked, and leaves the counts and the score.
 *
 * The score is the `survival` policy with the shared weights: one high
 * finding (an injection) leaves 80, each low one (a missing timeout) takes 2 %
 * of what is left. Files the agent does not understand are listed in
 * `skipped` and the summary, never scored.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import type { Finding } from '../contract.js';
import { problemFindingInput } from '../scan/problems.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { SURVIVAL_WEIGHTS, survivalScore } from '../scan/score.js';
import { SUPPRESSION_RULES } from '../suppressions.js';
import { failureCauses, isFailure } from './failures.js';
import { checkAction, checkWorkflow, type GithubOptions } from './github.js';
import { checkBuildkite, checkCircleci, checkGitlab } from './gitlab.js';
import { commitOf, parseJunit } from './junit.js';
import { type Pipeline, type PipelineKind, type ReadFile, readFile, type SkippedFile } from './pipelines.js';
import { Report } from './report.js';
import {
  CICD_RULES,
  type CicdCategory,
  DEFAULT_MATRIX_LIMIT,
  DEFAULT_SLOW_PIPELINE_MINUTES,
  DEFAULT_SLOW_STEP_MINUTES,
} from './rules.js';
import { flaky, groupRuns, type RunGroup, type RunTiming, runTiming, slowestSteps } from './runs.js';
import { type CicdInput, type CicdOutput, type JobRun, jobRunSchema } from './schema.js';

type Metrics = CicdOutput['metrics'];
type Timings = NonNullable<CicdOutput['timings']>;

const CATEGORY_METRICS = {
  security: 'findingsSecurity',
  reliability: 'findingsReliability',
  efficiency: 'findingsEfficiency',
  correctness: 'findingsCorrectness',
} as const satisfies Record<CicdCategory, string>;

const SLOWEST_STEPS = 5;

/** The checks of each CI system; each returns how many jobs it read. */
const CHECKS: Record<
  PipelineKind,
  (pipeline: Pipeline, report: Report, options: GithubOptions) => { jobs: number }
> = {
  'github-workflow': checkWorkflow,
  'github-action': checkAction,
  gitlab: checkGitlab,
  circleci: checkCircleci,
  buildkite: checkBuildkite,
};

interface Read {
  pipelines: Pipeline[];
  problems: InputProblem[];
  skipped: SkippedFile[];
  jobPages: { jobs: JobRun[] }[];
  reports: { file?: string; sha: string; xml: string }[];
}

function jobPagesOf(file: string, value: unknown, read: Read): void {
  const pages = Array.isArray(value) ? value : [value];
  for (const page of pages) {
    const jobs = (page as { jobs: unknown[] }).jobs.map((job) => jobRunSchema.safeParse(job));
    const bad = jobs.findIndex((j) => !j.success);
    if (bad >= 0) {
      read.problems.push({
        file,
        message: `job ${bad + 1} is not a GitHub Actions job (it needs at least a name)`,
      });
      continue;
    }
    read.jobPages.push({ jobs: jobs.flatMap((j) => (j.success ? [j.data] : [])) });
  }
}

function sortInto(read: Read, item: ReadFile): void {
  switch (item.type) {
    case 'pipeline':
      read.pipelines.push(item.pipeline);
      break;
    case 'problem':
      read.problems.push(item.problem);
      break;
    case 'skipped':
      read.skipped.push(item.skipped);
      break;
    case 'jobs':
      jobPagesOf(item.file, item.value, read);
      break;
    case 'junit': {
      const sha = commitOf(item.file, item.content);
      if (sha === undefined) {
        read.skipped.push({
          file: item.file,
          reason:
            'JUnit report without a commit (no sha/commit property, no hex path segment): flakiness needs one',
        });
      } else read.reports.push({ file: item.file, sha, xml: item.content });
      break;
    }
  }
}

function readInput(input: CicdInput): Read {
  const read: Read = { pipelines: [], problems: [], skipped: [], jobPages: [], reports: [] };
  for (const file of input.files ?? []) {
    if (/(?:^|[\\/])\.aiopsignore$/.test(file.path)) continue;
    for (const item of readFile(file.path, file.content)) sortInto(read, item);
  }
  if (input.runs !== undefined)
    read.jobPages.push(...(Array.isArray(input.runs) ? input.runs : [input.runs]));
  for (const report of input.testReports ?? []) read.reports.push({ sha: report.sha, xml: report.xml });
  return read;
}

/** `public`, else the repository metadata's `visibility` or `private`; undefined when neither says. */
function isPublic(input: CicdInput): boolean | undefined {
  if (input.public !== undefined) return input.public;
  const repository = input.repository;
  if (repository?.visibility !== undefined) return repository.visibility.toLowerCase() === 'public';
  return repository?.private === undefined ? undefined : !repository.private;
}

function checkPipelines(read: Read, input: CicdInput, report: Report): Map<string, number> {
  const jobs = new Map<string, number>();
  const visible = isPublic(input);
  const options = {
    ...(visible === undefined ? {} : { public: visible }),
    matrixLimit: input.matrixLimit ?? DEFAULT_MATRIX_LIMIT,
  };
  for (const pipeline of read.pipelines) {
    const counted = CHECKS[pipeline.kind](pipeline, report, options);
    jobs.set(pipeline.file, (jobs.get(pipeline.file) ?? 0) + counted.jobs);
  }
  return jobs;
}

function runFindings(groups: readonly RunGroup[], read: Read, input: CicdInput, report: Report) {
  const workflows = read.pipelines.filter((p) => p.kind === 'github-workflow');
  const timings = groups.flatMap((group) => {
    const timing = runTiming(group, workflows);
    return timing === undefined ? [] : [timing];
  });
  const slowPipeline = input.slowPipelineMinutes ?? DEFAULT_SLOW_PIPELINE_MINUTES;
  for (const timing of timings) {
    if (timing.criticalPathMinutes < slowPipeline) continue;
    report.add(
      'CICD030',
      runPlace(timing),
      `Run ${timing.run}: the critical path ${timing.criticalPath.map((j) => `${j.job} (${j.minutes} min)`).join(' → ')} takes ${timing.criticalPathMinutes} min of ${timing.totalJobMinutes} job-minutes.`,
      {
        key: [timing.workflow, timing.criticalPath.map((j) => j.job).join('>')],
        evidence: { criticalPath: timing.criticalPath },
      },
    );
  }
  const steps = slowestSteps(groups, SLOWEST_STEPS);
  const slowStep = input.slowStepMinutes ?? DEFAULT_SLOW_STEP_MINUTES;
  for (const step of steps.filter((s) => s.medianMinutes >= slowStep)) {
    report.add(
      'CICD031',
      { kind: 'Step', name: `${step.job}: ${step.step}` },
      `Step "${step.step}" of job ${step.job} takes ${step.medianMinutes} min (median of ${plural(step.runs, 'run')}).`,
      { key: [step.job, step.step] },
    );
  }
  const flakyJobs = flaky(
    groups.flatMap((g) =>
      g.jobs.flatMap((job) =>
        job.head_sha && (job.conclusion === 'success' || isFailure(job.conclusion))
          ? [{ name: job.name, sha: job.head_sha, passed: job.conclusion === 'success' }]
          : [],
      ),
    ),
  );
  for (const job of flakyJobs) {
    report.add(
      'CICD033',
      { kind: 'Job', name: job.name },
      `Job ${job.name} passed ${plural(job.passed, 'time')} and failed ${plural(job.failed, 'time')} on commit ${job.sha.slice(0, 12)}.`,
      { key: [job.name, job.sha], evidence: { ...job } },
    );
  }
  return { timings, steps, flakyJobs };
}

function runPlace(timing: RunTiming) {
  return {
    kind: 'Run',
    name: timing.workflow ?? timing.run,
    ...(timing.file === undefined ? {} : { file: timing.file }),
    ...(timing.line === undefined ? {} : { line: timing.line }),
  };
}

function testFindings(read: Read, report: Report, problems: InputProblem[]) {
  const outcomes: { name: string; sha: string; passed: boolean }[] = [];
  read.reports.forEach((r, index) => {
    const parsed = parseJunit(r.xml);
    if ('problem' in parsed) {
      problems.push({ file: r.file ?? `testReports[${index}]`, message: parsed.problem });
      return;
    }
    for (const result of parsed.results) {
      if (result.outcome !== 'skipped')
        outcomes.push({ name: result.test, sha: r.sha, passed: result.outcome === 'passed' });
    }
  });
  const tests = flaky(outcomes);
  for (const test of tests) {
    report.add(
      'CICD032',
      { kind: 'Test', name: test.name },
      `${test.name} passed ${plural(test.passed, 'time')} and failed ${plural(test.failed, 'time')} on commit ${test.sha.slice(0, 12)}.`,
      { key: [test.name, test.sha], evidence: { ...test } },
    );
  }
  return tests;
}

function logFindings(input: CicdInput, report: Report) {
  const causes = failureCauses(input.logs ?? []);
  for (const cause of causes) {
    const [top] = cause.candidates;
    if (top === undefined) continue;
    report.add(
      'CICD034',
      { kind: 'Job', name: cause.job },
      `Job ${cause.job} failed; the first candidate ${cause.compared ? 'absent from its passing runs' : '(no passing run to compare with)'}: "${top.line}".`,
      { key: [cause.job, top.template], evidence: { candidates: cause.candidates } },
    );
  }
  return causes;
}

function categoryOf(id: string): string | undefined {
  return CICD_RULES.has(id) ? CICD_RULES.rule(id).category : SUPPRESSION_RULES[id]?.category;
}

function categoryMetrics(open: readonly Finding[]) {
  const out = { findingsSecurity: 0, findingsReliability: 0, findingsEfficiency: 0, findingsCorrectness: 0 };
  for (const finding of open) {
    const category = categoryOf(finding.ruleId);
    if (category !== undefined && category in CATEGORY_METRICS)
      out[CATEGORY_METRICS[category as CicdCategory]] += 1;
  }
  return out;
}

export async function analyzeCicd(input: CicdInput): Promise<CicdOutput> {
  const read = readInput(input);
  const report = new Report();
  const jobCounts = checkPipelines(read, input, report);
  const groups = groupRuns(read.jobPages);
  const problems = [...read.problems];
  const runs = runFindings(groups, read, input, report);
  const tests = testFindings(read, report, problems);
  const causes = logFindings(input, report);
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    check: () => ({
      findings: [
        ...problems.map((p) =>
          CICD_RULES.finding('CICD000', problemFindingInput(p, { label: 'The input', name: 'input' })),
        ),
        ...report.findings,
      ],
    }),
  });
  const score = survivalScore(scan.findings, SURVIVAL_WEIGHTS);
  const longest = Math.max(0, ...runs.timings.map((t) => t.criticalPathMinutes));
  const metrics: Metrics = {
    pipelines: read.pipelines.length,
    jobs: [...jobCounts.values()].reduce((a, b) => a + b, 0),
    parseErrors: problems.length,
    skippedFiles: read.skipped.length,
    runs: groups.length,
    testReports: read.reports.length,
    ...categoryMetrics(scan.open),
    suppressed: scan.suppressed,
    ...(runs.timings.length === 0 ? {} : { criticalPathMinutes: longest }),
  };
  const timed = groups.length > 0 || read.reports.length > 0 || (input.logs ?? []).length > 0;
  const timings: Timings | undefined = timed
    ? {
        runs: runs.timings.map(({ file: _file, line: _line, ...rest }) => rest),
        slowestSteps: runs.steps,
        flakyJobs: runs.flakyJobs.map(({ name, ...rest }) => ({ job: name, ...rest })),
        flakyTests: tests.map(({ name, ...rest }) => ({ test: name, ...rest })),
        failureCauses: causes.map(({ job, candidates }) => ({ job, candidates })),
      }
    : undefined;
  return {
    summary: summarise(metrics, describeCounts(scan.counts), scan.suppressed, score, read.skipped),
    score,
    findings: scan.findings,
    metrics,
    pipelines: read.pipelines.map((p) => ({
      file: p.file,
      kind: p.kind,
      jobs: jobCounts.get(p.file) ?? 0,
      findings: scan.open.filter((f) => f.resource?.file === p.file).length,
    })),
    ...(timings === undefined ? {} : { timings }),
    skipped: read.skipped,
  };
}

function summarise(
  metrics: Metrics,
  counts: string,
  suppressed: number,
  score: number,
  skipped: readonly SkippedFile[],
): string {
  const parts = [`${plural(metrics.pipelines, 'pipeline file')} (${plural(metrics.jobs, 'job')})`];
  if (metrics.runs > 0) parts.push(plural(metrics.runs, 'run'));
  if (metrics.testReports > 0) parts.push(plural(metrics.testReports, 'test report'));
  let summary = `${parts.join(', ')}: ${counts}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}. Score ${score}/100.`;
  if (metrics.criticalPathMinutes !== undefined)
    summary += ` Longest critical path ${metrics.criticalPathMinutes} min.`;
  if (metrics.parseErrors > 0) summary += ` ${plural(metrics.parseErrors, 'input')} could not be read.`;
  if (skipped.length > 0) {
    const names = skipped.map((s) => s.file);
    summary += ` ${plural(skipped.length, 'file')} not understood and skipped (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}).`;
  }
  return summary;
}
