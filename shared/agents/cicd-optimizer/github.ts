/**
 * The GitHub Actions checks: supply chain (pinning, deprecated majors),
 * privileged triggers, script injection, token permissions, secrets, and
 * the efficiency of the job graph (timeouts, caches, needless `needs`,
 * matrix size). Each check reads the model of ./github-model.ts and reports
 * the line of the field it is about.
 */
import type { Path } from '../../analysis/documents/structured.js';
import { expressionsIn, references, untrustedFields } from './expressions.js';
import {
  actionRef,
  actionRepo,
  FULL_SHA,
  type Job,
  jobsOf,
  jobText,
  runnerLabels,
  type Step,
  stepsAt,
  triggersOf,
} from './github-model.js';
import { matrixSize } from './matrix.js';
import { isJson, lineOfText, type Pipeline, text } from './pipelines.js';
import type { Place, Report } from './report.js';

export interface GithubOptions {
  /** The repository is public (input `public`); undefined when not known. */
  public?: boolean;
  matrixLimit: number;
}

const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run'];
const PR_TRIGGERS = ['pull_request', 'pull_request_target'];

/** Refs that name the pull request's (or the triggering run's) head: code the fork author wrote. */
const UNTRUSTED_REF =
  /github\.event\.pull_request\.head\.|github\.head_ref|github\.event\.workflow_run\.head_|refs\/pull\/|github\.event\.number|github\.event\.pull_request\.number|github\.event\.pull_request\.merge_commit_sha/;

/** The oldest major still supported per official action: older ones run on removed Node versions or retired services. */
const SUPPORTED_MAJOR: Readonly<Record<string, number>> = {
  'actions/checkout': 4,
  'actions/setup-node': 4,
  'actions/cache': 4,
  'actions/upload-artifact': 4,
  'actions/download-artifact': 4,
  'actions/setup-python': 5,
  'actions/setup-java': 4,
  'actions/setup-go': 5,
  'actions/github-script': 7,
};

const RETIRED_RUNNERS = /^(?:ubuntu-(?:16|18|20)\.04|windows-2016|windows-2019|macos-1[0-3])$/;
const TEST_OR_LINT =
  /\b(?:test|tests|lint|eslint|biome|tsc|typecheck|check|jest|vitest|pytest|mocha|go vet|clippy|rubocop|flake8|ruff|mypy)\b/i;
const DEPLOY_LIKE = /deploy|release|publish|promote|rollout/i;

class Checker {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly report: Report,
  ) {}

  get file(): string {
    return this.pipeline.file;
  }

  line(path: Path): number | undefined {
    return this.pipeline.lineOf(path);
  }

  place(kind: string, name: string, path: Path): Place {
    const line = this.line(path);
    return { kind, name, file: this.file, ...(line === undefined ? {} : { line }) };
  }

  /** The line of a text inside a field (an expression in a `run: |` block), the field's own line otherwise. */
  placeOfText(kind: string, name: string, path: Path, needle: string): Place {
    const line = lineOfText(this.pipeline, this.line(path), needle);
    return { kind, name, file: this.file, ...(line === undefined ? {} : { line }) };
  }

  /** The major version of an action ref: `v2`, `v2.7.0`, or a SHA with a `# v2.7.0` comment. */
  majorOf(step: Step, ref: string): number | undefined {
    const tag = /^v?(\d+)(?:\.|$)/.exec(ref);
    if (tag !== undefined && tag !== null) return Number(tag[1]);
    const line = this.line([...step.path, 'uses']);
    const source = line === undefined ? undefined : this.pipeline.lines[line - 1];
    const comment = source === undefined ? null : /#\s*v?(\d+)(?:\.\d+)*\b/.exec(source);
    return comment === null ? undefined : Number(comment[1]);
  }

  steps(steps: readonly Step[], owner: string): void {
    for (const step of steps) {
      if (step.uses !== undefined) this.uses(step, owner);
      this.injection(step, owner);
      this.workflowCommands(step, owner);
    }
  }

  uses(step: Step, owner: string): void {
    const uses = step.uses ?? '';
    const place = this.place('Step', `${owner}: ${step.label}`, [...step.path, 'uses']);
    if (uses.startsWith('docker://')) {
      if (!uses.includes('@sha256:')) {
        this.report.add('CICD001', place, `${uses} runs a Docker image by a mutable tag, not a digest.`, {
          key: [owner, step.index],
        });
      }
      return;
    }
    const ref = actionRef(uses);
    if (ref === undefined) return;
    const repo = actionRepo(ref.name);
    if (!FULL_SHA.test(ref.ref)) {
      const official = repo.startsWith('actions/') || repo.startsWith('github/');
      this.report.add(
        'CICD001',
        place,
        `${uses} is pinned to ${ref.ref === '' ? 'nothing' : `"${ref.ref}"`}, which can be moved to other code.`,
        {
          key: [owner, step.index],
          ...(official ? { severity: 'low' as const } : {}),
          evidence: { action: ref.name, ref: ref.ref },
        },
      );
    }
    const supported = SUPPORTED_MAJOR[repo];
    const major = this.majorOf(step, ref.ref);
    if (supported !== undefined && major !== undefined && major < supported) {
      this.report.add(
        'CICD013',
        place,
        `${ref.name} v${major} is deprecated (runs on a removed Node version or a retired service); use v${supported} or later.`,
        { key: [owner, step.index, 'action'], evidence: { action: ref.name, major, supported } },
      );
    }
  }

  injection(step: Step, owner: string): void {
    const scripts: { field: Path; text: string; what: string }[] = [];
    if (step.run !== undefined)
      scripts.push({ field: [...step.path, 'run'], text: step.run, what: 'run script' });
    const withs = step.value.with;
    const script = isJson(withs) ? text(withs.script) : undefined;
    if (script !== undefined && repoOf(step) === 'actions/github-script') {
      scripts.push({ field: [...step.path, 'with', 'script'], text: script, what: 'github-script script' });
    }
    for (const { field, text: body, what } of scripts) {
      for (const expression of expressionsIn(body)) {
        const fields = untrustedFields(expression.body);
        if (fields.length === 0) continue;
        this.report.add(
          'CICD003',
          this.placeOfText('Step', `${owner}: ${step.label}`, field, expression.raw),
          `${expression.raw} is pasted into the ${what}; ${fields.join(', ')} is written by whoever opens the issue, pull request, comment or branch.`,
          { key: [owner, step.index, expression.body], evidence: { expression: expression.raw, fields } },
        );
      }
    }
  }

  workflowCommands(step: Step, owner: string): void {
    if (step.run === undefined) return;
    for (const command of ['set-output', 'save-state', 'set-env', 'add-path']) {
      const needle = `::${command} `;
      const at = step.run.includes(needle)
        ? needle
        : step.run.includes(`::${command}::`)
          ? `::${command}::`
          : undefined;
      if (at === undefined) continue;
      const disabled = command === 'set-env' || command === 'add-path';
      this.report.add(
        'CICD014',
        this.placeOfText('Step', `${owner}: ${step.label}`, [...step.path, 'run'], at),
        `::${command} is ${disabled ? 'disabled' : 'deprecated'}; write to the ${fileFor(command)} file instead.`,
        { key: [owner, step.index, command], ...(disabled ? { severity: 'high' as const } : {}) },
      );
    }
  }
}

function fileFor(command: string): string {
  return (
    {
      'set-output': '$GITHUB_OUTPUT',
      'save-state': '$GITHUB_STATE',
      'set-env': '$GITHUB_ENV',
      'add-path': '$GITHUB_PATH',
    }[command] ?? '$GITHUB_OUTPUT'
  );
}

/** The repository of a step's action (`actions/checkout`), '' for a `run:` step or a local action. */
function repoOf(step: Step): string {
  return actionRepo(actionRef(step.uses ?? '')?.name ?? '');
}

function isCheckout(step: Step): boolean {
  return repoOf(step) === 'actions/checkout';
}

/** The checkout step of a job that fetches the pull request's (or triggering run's) head, if any. */
function untrustedCheckout(job: Job): Step | undefined {
  return job.steps.find((step) => {
    if (!isCheckout(step)) return false;
    const withs = step.value.with;
    return isJson(withs) && UNTRUSTED_REF.test(String(withs.ref ?? '') + String(withs.repository ?? ''));
  });
}

function privileged(c: Checker, job: Job, triggers: Set<string>, report: Report): void {
  const trigger = PRIVILEGED_TRIGGERS.find((t) => triggers.has(t));
  if (trigger === undefined) return;
  const checkout = untrustedCheckout(job);
  if (checkout !== undefined) {
    const runs = job.steps.filter(
      (s) => s.index > checkout.index && (s.run !== undefined || s.uses !== undefined),
    );
    report.add(
      'CICD002',
      c.place('Step', `${job.id}: ${checkout.label}`, [...checkout.path, 'with', 'ref']),
      `Job ${job.id} runs on ${trigger} (base repository secrets and write token) and checks out the pull request's head` +
        `${runs.length > 0 ? `, then runs ${runs.length} step${runs.length === 1 ? '' : 's'} on it` : ''}.`,
      { key: [job.id], evidence: { trigger, laterSteps: runs.length } },
    );
    secretsInJob(c, job, trigger, report);
  }
  if (job.uses !== undefined && job.value.secrets === 'inherit') {
    report.add(
      'CICD006',
      c.place('Job', job.id, [...job.path, 'secrets']),
      `Job ${job.id} passes every secret to ${job.uses} under ${trigger}.`,
      { key: [job.id, 'inherit'] },
    );
  }
}

/** Secrets a job that runs pull request code reads: the first reference's line. */
function secretsInJob(c: Checker, job: Job, trigger: string, report: Report): void {
  const names = [
    ...new Set([...jobText(job).matchAll(/secrets\.([A-Za-z_][\w-]*)/g)].map((m) => m[1] ?? '')),
  ].filter((name) => name !== 'GITHUB_TOKEN');
  if (names.length === 0) return;
  report.add(
    'CICD006',
    c.placeOfText('Job', job.id, job.path, `secrets.${names[0]}`),
    `Job ${job.id} runs pull request code under ${trigger} and reads ${names.map((n) => `secrets.${n}`).join(', ')}.`,
    { key: [job.id], evidence: { secrets: names } },
  );
}

function permissions(c: Checker, pipeline: Pipeline, jobs: readonly Job[], report: Report): void {
  const top = pipeline.value.permissions;
  if (top === undefined) {
    const open = jobs.filter((job) => job.value.permissions === undefined);
    if (open.length > 0) {
      report.add(
        'CICD004',
        c.place('Workflow', pipeline.file, ['jobs']),
        `No permissions at the workflow level, nor on job${open.length === 1 ? '' : 's'} ${open.map((j) => j.id).join(', ')}: their token gets the repository default.`,
        { evidence: { jobs: open.map((j) => j.id) } },
      );
    }
  }
  const scopes: { path: Path; value: unknown; name: string; workflowLevel: boolean }[] = [
    { path: ['permissions'], value: top, name: 'the workflow', workflowLevel: true },
    ...jobs.map((job) => ({
      path: [...job.path, 'permissions'],
      value: job.value.permissions,
      name: `job ${job.id}`,
      workflowLevel: false,
    })),
  ];
  for (const scope of scopes) {
    if (scope.value === 'write-all') {
      report.add(
        'CICD005',
        c.place('Workflow', pipeline.file, scope.path),
        `${capital(scope.name)} grants write-all.`,
        {
          severity: 'high',
          key: [scope.name],
        },
      );
    } else if (scope.workflowLevel && isJson(scope.value) && jobs.length > 1) {
      const writes = Object.entries(scope.value)
        .filter(([, v]) => v === 'write')
        .map(([k]) => k);
      const first = writes[0];
      if (first === undefined) continue;
      report.add(
        'CICD005',
        c.place('Workflow', pipeline.file, [...scope.path, first]),
        `The workflow grants ${writes.map((w) => `${w}: write`).join(', ')} to all ${jobs.length} jobs.`,
        { key: [scope.name, ...writes], evidence: { writes } },
      );
    }
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function runner(c: Checker, job: Job, triggers: Set<string>, options: GithubOptions, report: Report): void {
  const labels = runnerLabels(job.value);
  const path = [...job.path, 'runs-on'];
  for (const label of labels) {
    if (RETIRED_RUNNERS.test(label)) {
      report.add(
        'CICD013',
        c.place('Job', job.id, path),
        `Job ${job.id} runs on ${label}, a retired runner image.`,
        {
          key: [job.id, 'runner'],
          evidence: { runner: label },
        },
      );
    }
  }
  const onPullRequests = PR_TRIGGERS.filter((t) => triggers.has(t));
  if (options.public === true && labels.includes('self-hosted') && onPullRequests.length > 0) {
    report.add(
      'CICD011',
      c.place('Job', job.id, path),
      `Job ${job.id} runs ${onPullRequests.join(' and ')} events of a public repository on a self-hosted runner.`,
      { key: [job.id] },
    );
  }
  containerImages(c, job, report);
}

/** The job's `container:` and `services:` images on a moving tag. */
function containerImages(c: Checker, job: Job, report: Report): void {
  const images: { name: string | undefined; path: Path; role: string }[] = [];
  const container = job.value.container;
  images.push({
    name: isJson(container) ? text(container.image) : text(container),
    path: [...job.path, 'container'],
    role: 'runs in',
  });
  const services = job.value.services;
  for (const [service, value] of Object.entries(isJson(services) ? services : {})) {
    images.push({
      name: isJson(value) ? text(value.image) : undefined,
      path: [...job.path, 'services', service, 'image'],
      role: `starts service ${service} from`,
    });
  }
  for (const image of images) {
    if (image.name === undefined || !mutableImage(image.name)) continue;
    report.add(
      'CICD020',
      c.place('Job', job.id, image.path),
      `Job ${job.id} ${image.role} ${image.name}, a mutable image.`,
      {
        key: [job.id, image.path.join('.')],
      },
    );
  }
}

/** `node`, `node:latest`: no tag or the moving one; images built from variables are not judged. */
export function mutableImage(image: string): boolean {
  if (image.includes('$') || image.includes('@sha256:')) return false;
  const last = image.split('/').pop() ?? image;
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest';
}

function continueOnError(c: Checker, job: Job, report: Report): void {
  const jobLevel = job.value['continue-on-error'] === true;
  const name = `${job.id} ${text(job.value.name) ?? ''}`;
  if (jobLevel && TEST_OR_LINT.test(name)) {
    report.add(
      'CICD012',
      c.place('Job', job.id, [...job.path, 'continue-on-error']),
      `Job ${job.id} tests or lints but never fails.`,
      {
        key: [job.id],
      },
    );
  }
  for (const step of job.steps) {
    if (step.value['continue-on-error'] !== true) continue;
    if (!TEST_OR_LINT.test(`${step.label} ${step.run ?? ''} ${step.uses ?? ''}`)) continue;
    report.add(
      'CICD012',
      c.place('Step', `${job.id}: ${step.label}`, [...step.path, 'continue-on-error']),
      `Step "${step.label}" of job ${job.id} tests or lints but its failure is ignored.`,
      { key: [job.id, step.index] },
    );
  }
}

interface Ecosystem {
  setup: string;
  install: RegExp;
  /** Whether the setup step caches already (its `with:`). */
  caches(withs: Record<string, unknown>, major: number | undefined): boolean;
  name: string;
}

const ECOSYSTEMS: readonly Ecosystem[] = [
  {
    setup: 'actions/setup-node',
    install: /\b(?:npm (?:ci|install|i)\b|yarn(?: install)?\b|pnpm (?:install|i)\b)/,
    caches: (w) => typeof w.cache === 'string' && w.cache !== '',
    name: 'npm/yarn/pnpm',
  },
  {
    setup: 'actions/setup-python',
    install: /\b(?:pip3? install|poetry install|pipenv install|uv (?:sync|pip install))\b/,
    caches: (w) => typeof w.cache === 'string' && w.cache !== '',
    name: 'pip',
  },
  {
    setup: 'actions/setup-java',
    install: /\b(?:mvn|mvnw|gradle|gradlew)\b/,
    caches: (w) => typeof w.cache === 'string' && w.cache !== '',
    name: 'Maven/Gradle',
  },
  {
    setup: 'actions/setup-go',
    install: /\bgo (?:build|test|mod download|install)\b/,
    // setup-go caches modules by default from v4 on.
    caches: (w, major) => w.cache !== false && w.cache !== 'false' && (major === undefined || major >= 4),
    name: 'Go modules',
  },
];

const CACHE_ACTIONS = new Set([
  'actions/cache',
  'swatinem/rust-cache',
  'gradle/actions',
  'gradle/gradle-build-action',
]);

function caching(c: Checker, job: Job, report: Report): void {
  if (job.steps.some((s) => CACHE_ACTIONS.has(repoOf(s)))) return;
  const scripts = job.steps.map((s) => s.run ?? '').join('\n');
  for (const ecosystem of ECOSYSTEMS) {
    const setup = job.steps.find((s) => repoOf(s) === ecosystem.setup);
    if (setup === undefined || !ecosystem.install.test(scripts)) continue;
    const withs = isJson(setup.value.with) ? setup.value.with : {};
    if (ecosystem.caches(withs, c.majorOf(setup, actionRef(setup.uses ?? '')?.ref ?? ''))) continue;
    report.add(
      'CICD008',
      c.place('Step', `${job.id}: ${setup.label}`, [...setup.path, 'uses']),
      `Job ${job.id} installs ${ecosystem.name} dependencies but ${ecosystem.setup} caches nothing.`,
      { key: [job.id, ecosystem.setup] },
    );
  }
  if (/\bcargo (?:build|test|check|clippy)\b/.test(scripts)) {
    report.add(
      'CICD008',
      c.place('Job', job.id, job.path),
      `Job ${job.id} builds with Cargo and caches nothing.`,
      {
        key: [job.id, 'cargo'],
      },
    );
  }
}

function timeout(c: Checker, job: Job, report: Report): void {
  if (job.uses !== undefined || job.value['timeout-minutes'] !== undefined) return;
  report.add(
    'CICD007',
    c.place('Job', job.id, job.path),
    `Job ${job.id} has no timeout-minutes (default 360).`,
    {
      key: [job.id],
    },
  );
}

/** The longest chain of jobs through `needs` (in jobs), cycles cut. */
export function longestChain(jobs: readonly Job[]): number {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const memo = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const needs = byId.get(id)?.needs ?? [];
    const d = 1 + Math.max(0, ...needs.map((n) => depth(n, seen)));
    seen.delete(id);
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...jobs.map((j) => depth(j.id, new Set())));
}

const UPLOAD = /actions\/upload-artifact/i;
const DOWNLOAD = /actions\/download-artifact/i;

function needsWithoutData(c: Checker, jobs: readonly Job[], report: Report): void {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const chain = longestChain(jobs);
  for (const job of jobs) {
    if (job.value.environment !== undefined || DEPLOY_LIKE.test(`${job.id} ${text(job.value.name) ?? ''}`))
      continue;
    const body = jobText(job);
    const downloads = job.steps.some((s) => DOWNLOAD.test(s.uses ?? ''));
    job.needs.forEach((need, index) => {
      const needed = byId.get(need);
      if (needed === undefined) return;
      if (references(body, `needs.${need}.`) || references(body, `needs['${need}']`)) return;
      if (downloads && needed.steps.some((s) => UPLOAD.test(s.uses ?? ''))) return;
      const needsPath: Path = Array.isArray(job.value.needs)
        ? [...job.path, 'needs', index]
        : [...job.path, 'needs'];
      report.add(
        'CICD009',
        c.place('Job', job.id, needsPath),
        `Job ${job.id} waits for ${need} but uses none of its outputs, result or artifacts; the longest chain is ${chain} of ${jobs.length} jobs.`,
        { key: [job.id, need], evidence: { criticalPathJobs: chain, totalJobs: jobs.length } },
      );
    });
  }
}

function matrix(c: Checker, job: Job, limit: number, report: Report): void {
  const strategy = job.value.strategy;
  if (!isJson(strategy) || !isJson(strategy.matrix)) return;
  const size = matrixSize(strategy.matrix);
  if (size === undefined || size.combinations <= limit) return;
  report.add(
    'CICD010',
    c.place('Job', job.id, [...job.path, 'strategy', 'matrix']),
    `Job ${job.id} expands to ${size.combinations} combinations (${size.axes.map((a) => `${a.name} × ${a.values}`).join(', ')}), over the bound of ${limit}.`,
    { key: [job.id], evidence: { ...size, limit } },
  );
}

export function checkWorkflow(pipeline: Pipeline, report: Report, options: GithubOptions): { jobs: number } {
  const c = new Checker(pipeline, report);
  const jobs = jobsOf(pipeline);
  const triggers = triggersOf(pipeline.value);
  permissions(c, pipeline, jobs, report);
  needsWithoutData(c, jobs, report);
  for (const job of jobs) {
    c.steps(job.steps, job.id);
    if (job.uses !== undefined) {
      const ref = actionRef(job.uses);
      if (ref !== undefined && !FULL_SHA.test(ref.ref)) {
        report.add(
          'CICD001',
          c.place('Job', job.id, [...job.path, 'uses']),
          `${job.uses} is a reusable workflow pinned to "${ref.ref}".`,
          {
            key: [job.id],
          },
        );
      }
      if (
        job.value.secrets === 'inherit' &&
        ref !== undefined &&
        !PRIVILEGED_TRIGGERS.some((t) => triggers.has(t))
      ) {
        report.add(
          'CICD006',
          c.place('Job', job.id, [...job.path, 'secrets']),
          `Job ${job.id} passes every secret to ${job.uses}.`,
          {
            severity: 'medium',
            key: [job.id, 'inherit'],
          },
        );
      }
    }
    privileged(c, job, triggers, report);
    runner(c, job, triggers, options, report);
    continueOnError(c, job, report);
    caching(c, job, report);
    timeout(c, job, report);
    matrix(c, job, options.matrixLimit, report);
  }
  return { jobs: jobs.length };
}

/** action.yml: a composite action's steps, and the runtime of a JavaScript action. */
export function checkAction(pipeline: Pipeline, report: Report): { jobs: number } {
  const c = new Checker(pipeline, report);
  const runs = pipeline.value.runs;
  if (!isJson(runs)) return { jobs: 0 };
  const using = text(runs.using) ?? '';
  if (/^node(?:12|16)$/.test(using)) {
    report.add(
      'CICD013',
      c.place('Action', pipeline.file, ['runs', 'using']),
      `The action runs on ${using}, which GitHub removed from its runners.`,
      {
        key: ['using'],
      },
    );
  }
  if (using === 'composite') c.steps(stepsAt(runs, ['runs']), 'action');
  return { jobs: 0 };
}
