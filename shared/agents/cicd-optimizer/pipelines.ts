/**
 * Which CI system a file belongs to, read with lines. Files are recognised by
 * their path where the system fixes it (`.github/workflows/`, `.gitlab-ci.yml`,
 * `.circleci/config.yml`, `.buildkite/`) and otherwise by their shape, so a
 * workflow kept as a fixture or pasted into the API is still read. YAML is
 * read as 1.2 (GitHub's `on:` stays a key, not `true`) with merge keys, which
 * GitLab templates use (`<<: *defaults`); JUnit XML reports and GitHub's jobs
 * JSON ride along as files too. Anything else is listed as skipped, with why.
 */
import { basename } from 'node:path';
import {
  type InputProblem,
  type Locator,
  type ParsedDocument,
  parseAllWithLines,
} from '../../analysis/documents/structured.js';

export type Json = Record<string, unknown>;
export type { Locator };

export type PipelineKind = 'github-workflow' | 'github-action' | 'gitlab' | 'circleci' | 'buildkite';

export interface Pipeline {
  kind: PipelineKind;
  file: string;
  value: Json;
  lineOf: Locator;
  /** The file's lines (0-based array), to find an expression inside a multi-line script. */
  lines: readonly string[];
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function slashes(path: string): string {
  return path.replaceAll('\\', '/');
}

const GITHUB_WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
const GITHUB_ACTION_PATH = /(?:^|\/)action\.ya?ml$/i;
const GITLAB_PATH = /(?:^|\/)(?:\.gitlab-ci\.ya?ml|[^/]*\.gitlab-ci\.ya?ml)$/i;
const CIRCLECI_PATH = /(?:^|\/)\.circleci\/config\.ya?ml$/i;
const BUILDKITE_PATH = /(?:^|\/)(?:\.buildkite\/[^/]+|buildkite\.ya?ml|pipeline\.buildkite\.ya?ml)$/i;

/** Keys GitLab reserves at the top level: every other top-level map with a script is a job. */
export const GITLAB_RESERVED = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'spec',
]);

function hasJobWith(value: Json, keys: readonly string[]): boolean {
  const jobs = value.jobs;
  return isJson(jobs) && Object.values(jobs).some((job) => isJson(job) && keys.some((k) => k in job));
}

/** What a YAML document is, from its path first and its shape second. */
export function kindOf(path: string, value: Json): PipelineKind | undefined {
  const file = slashes(path);
  if (GITHUB_WORKFLOW_PATH.test(file) && 'jobs' in value) return 'github-workflow';
  if (GITHUB_ACTION_PATH.test(file) && isJson(value.runs)) return 'github-action';
  if (GITLAB_PATH.test(file)) return 'gitlab';
  if (CIRCLECI_PATH.test(file)) return 'circleci';
  if (BUILDKITE_PATH.test(file) && Array.isArray(value.steps)) return 'buildkite';
  if ('on' in value && hasJobWith(value, ['runs-on', 'steps', 'uses'])) return 'github-workflow';
  if (isJson(value.runs) && typeof value.runs.using === 'string') return 'github-action';
  if (hasJobWith(value, ['docker', 'machine', 'macos', 'executor']) || isJson(value.orbs)) return 'circleci';
  if (Array.isArray(value.steps) && value.steps.some((s) => isJson(s) && ('command' in s || 'commands' in s)))
    return 'buildkite';
  const gitlabJobs = Object.entries(value).some(
    ([key, job]) => !GITLAB_RESERVED.has(key) && isJson(job) && ('script' in job || 'trigger' in job),
  );
  if (gitlabJobs || Array.isArray(value.stages)) return 'gitlab';
  return undefined;
}

export type ReadFile =
  | { type: 'pipeline'; pipeline: Pipeline }
  | { type: 'junit'; file: string; content: string }
  | { type: 'jobs'; file: string; value: unknown }
  | { type: 'problem'; problem: InputProblem }
  | { type: 'skipped'; skipped: SkippedFile };

function readYaml(file: string, content: string): ReadFile[] {
  const stream = parseAllWithLines(content, { version: '1.2', merge: true });
  const out: ReadFile[] = stream.problems.map((problem) => ({
    type: 'problem',
    problem: { file, ...problem },
  }));
  const lines = content.split(/\r?\n/);
  const documents = stream.documents.filter((d): d is ParsedDocument & { value: Json } => isJson(d.value));
  for (const document of documents) {
    const kind = kindOf(file, document.value);
    if (kind === undefined) continue;
    out.push({
      type: 'pipeline',
      pipeline: { kind, file, value: document.value, lineOf: document.lineOf, lines },
    });
  }
  if (out.length === 0) {
    out.push({
      type: 'skipped',
      skipped: {
        file,
        reason:
          'YAML that is not a GitHub Actions workflow or action, GitLab CI, CircleCI or Buildkite pipeline',
      },
    });
  }
  return out;
}

function readJsonFile(file: string, content: string): ReadFile {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return { type: 'problem', problem: { file, message: `not valid JSON (${(error as Error).message})` } };
  }
  const jobsPage = (v: unknown) => isJson(v) && Array.isArray(v.jobs);
  if (jobsPage(value) || (Array.isArray(value) && value.length > 0 && value.every(jobsPage))) {
    return { type: 'jobs', file, value };
  }
  return {
    type: 'skipped',
    skipped: { file, reason: 'JSON that is not a GitHub Actions jobs listing ({ jobs: [...] })' },
  };
}

/** One input file as what it holds: pipelines, a test report, run timings, a problem, or skipped with why. */
export function readFile(path: string, content: string): ReadFile[] {
  const name = basename(slashes(path));
  if (/\.xml$/i.test(name)) {
    return /<testsuites?[\s>]/.test(content)
      ? [{ type: 'junit', file: path, content }]
      : [{ type: 'skipped', skipped: { file: path, reason: 'XML that is not a JUnit test report' } }];
  }
  if (/\.json$/i.test(name)) return [readJsonFile(path, content)];
  if (/\.ya?ml$/i.test(name) || BUILDKITE_PATH.test(slashes(path))) return readYaml(path, content);
  return [
    {
      type: 'skipped',
      skipped: { file: path, reason: 'not a YAML pipeline, a JUnit XML report or a jobs JSON listing' },
    },
  ];
}

/** Where CI systems keep their files, and names people give pipelines kept elsewhere. */
const CI_FOLDER = /(?:^|\/)\.(?:github|circleci|buildkite)\//i;
const CI_NAME =
  /(?:^|[-_.])(?:ci|cd|pipelines?|workflows?|build|release|deploy|buildkite|gitlab-ci|action)(?:[-_.]|$)/i;

/**
 * What `aiops analyze cicd-optimizer FOLDER` reads: YAML where CI systems keep
 * it or named like a pipeline, JUnit XML, jobs JSON — so walking a repository
 * does not list every Kubernetes manifest and compose file as skipped. A file
 * named on the command line is read whatever its name (and listed as skipped,
 * with why, when it is no pipeline).
 */
export function acceptsPipelineFile(path: string): boolean {
  const file = slashes(path);
  const name = basename(file);
  if (/\.ya?ml$/i.test(name)) return CI_FOLDER.test(file) || CI_NAME.test(name.replace(/\.ya?ml$/i, '.'));
  if (/\.xml$/i.test(name)) return /junit|test|report/i.test(file);
  return /\.json$/i.test(name) && /jobs|runs/i.test(name);
}

/** How far below a `run:` key an expression is looked for: longer scripts are rare and belong in a file. */
const MAX_SCRIPT_LINES = 400;

/**
 * The 1-based line at or after `from` whose text holds `needle`, or `from`
 * when none does (a folded scalar rewrote it): how an expression deep inside a
 * `run: |` block gets its own line instead of the `run:` key's.
 */
export function lineOfText(pipeline: Pipeline, from: number | undefined, needle: string): number | undefined {
  if (from === undefined) return undefined;
  const last = Math.min(pipeline.lines.length, from - 1 + MAX_SCRIPT_LINES);
  for (let i = from - 1; i < last; i += 1) {
    if (pipeline.lines[i]?.includes(needle)) return i + 1;
  }
  return from;
}
