/**
 * GitLab CI, CircleCI and Buildkite checks: mutable job images, secrets
 * printed to the log, dependency installs without a cache, and (GitLab)
 * pipelines nobody can interrupt or that run on every push; Buildkite command
 * steps without a timeout. Jobs are the top-level maps GitLab does not
 * reserve (hidden `.templates` included, since jobs extend them).
 */
import type { Path } from '../../analysis/documents/structured.js';
import { mutableImage } from './github.js';
import { GITLAB_RESERVED, isJson, type Json, lineOfText, type Pipeline, text } from './pipelines.js';
import type { Place, Report } from './report.js';

/** Variable names that say they hold a secret. */
const SECRET_NAME =
  /(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:_[A-Z0-9]+)*$/i;
/** `echo`/`printf` of `$NAME` or `${NAME}` (not `${#NAME}`, its length), up to the end of the command. */
const PRINTED_VARIABLE = /^\s*(?:echo|printf)\b[^|>]*?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/;
/** A whole-environment dump: `env`, `printenv` or `set` alone on a line or before a pipe. */
const ENV_DUMP = /^\s*(?:env|printenv|set)\s*(?:$|\|)/;
const INSTALL =
  /\b(?:npm (?:ci|install|i)\b|yarn(?: install)?\b|pnpm (?:install|i)\b|pip3? install|poetry install|mvn\b|\.\/mvnw\b|gradle\b|\.\/gradlew\b|bundle install|go mod download|cargo (?:build|test|fetch))/;

function place(pipeline: Pipeline, kind: string, name: string, path: Path): Place {
  const line = pipeline.lineOf(path);
  return { kind, name, file: pipeline.file, ...(line === undefined ? {} : { line }) };
}

function scriptLines(value: unknown): string[] {
  if (typeof value === 'string') return value.split('\n');
  if (Array.isArray(value)) return value.flatMap(scriptLines);
  return [];
}

/** The image name of `image: x` or `image: { name: x }` (GitLab) and `- image: x` (CircleCI). */
function imageName(value: unknown): string | undefined {
  return isJson(value) ? (text(value.name) ?? text(value.image)) : text(value);
}

function images(pipeline: Pipeline, owner: Json, path: Path, name: string, report: Report): void {
  const candidates: { value: unknown; path: Path }[] = [{ value: owner.image, path: [...path, 'image'] }];
  for (const key of ['services', 'docker']) {
    const list = owner[key];
    if (!Array.isArray(list)) continue;
    list.forEach((value, i) => {
      candidates.push({ value, path: [...path, key, i] });
    });
  }
  for (const candidate of candidates) {
    const image = imageName(candidate.value);
    if (image === undefined || !mutableImage(image)) continue;
    report.add(
      'CICD020',
      place(pipeline, 'Job', name, candidate.path),
      `${name} runs in ${image}, a mutable image.`,
      {
        key: [name, image],
      },
    );
  }
}

/**
 * The secret-looking variables a command line prints to the log. Each command
 * of the line (split at `;`, `&&`, `||`) counts only when its output goes to
 * the log: `echo "$TOKEN" | docker login --password-stdin` and
 * `echo "$KEY" > key.pem` print nothing.
 */
export function printedSecretVariables(line: string): string[] {
  const printed = line.split(/;|&&|\|\|/).flatMap((command) => {
    if (/[|>]/.test(command.replace(/\d?>&\d/g, ''))) return [];
    const variables = [...command.matchAll(new RegExp(PRINTED_VARIABLE.source, 'g'))];
    if (variables.length === 0) return [];
    return [...command.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1] ?? '');
  });
  return [...new Set(printed.filter((v) => SECRET_NAME.test(v)))];
}

function printedSecrets(
  pipeline: Pipeline,
  lines: readonly string[],
  path: Path,
  name: string,
  report: Report,
): void {
  for (const line of lines) {
    const printed = printedSecretVariables(line);
    const dump = ENV_DUMP.test(line);
    if (printed.length === 0 && !dump) continue;
    const at = lineOfText(pipeline, pipeline.lineOf(path), line.trim());
    report.add(
      'CICD021',
      { kind: 'Job', name, file: pipeline.file, ...(at === undefined ? {} : { line: at }) },
      dump
        ? `${name} dumps the whole environment to the job log (${line.trim()}).`
        : `${name} prints ${printed.map((v) => `$${v}`).join(', ')} to the job log.`,
      { key: [name, line.trim()], ...(dump ? { severity: 'medium' as const } : {}) },
    );
  }
}

function gitlabJobs(value: Json): [string, Json][] {
  return Object.entries(value).filter(
    (entry): entry is [string, Json] =>
      !GITLAB_RESERVED.has(entry[0]) &&
      isJson(entry[1]) &&
      ('script' in entry[1] || 'extends' in entry[1] || 'trigger' in entry[1]),
  );
}

const cacheOf = (job: Json, defaults: Json, top: Json) => job.cache ?? defaults.cache ?? top.cache;

export function checkGitlab(pipeline: Pipeline, report: Report): { jobs: number } {
  const top = pipeline.value;
  const defaults = isJson(top.default) ? top.default : {};
  images(pipeline, top, [], 'pipeline', report);
  images(pipeline, defaults, ['default'], 'default', report);
  const jobs = gitlabJobs(top);
  for (const [name, job] of jobs) {
    images(pipeline, job, [name], name, report);
    const lines = ['before_script', 'script', 'after_script'].flatMap((k) => scriptLines(job[k]));
    printedSecrets(pipeline, lines, [name], name, report);
    if (
      INSTALL.test(lines.join('\n')) &&
      cacheOf(job, defaults, top) === undefined &&
      !name.startsWith('.')
    ) {
      report.add(
        'CICD008',
        place(pipeline, 'Job', name, [name]),
        `Job ${name} installs dependencies and caches nothing.`,
        {
          key: [name],
        },
      );
    }
  }
  const real = jobs.filter(([name]) => !name.startsWith('.'));
  if (real.length === 0) return { jobs: 0 };
  if (defaults.interruptible === undefined && !jobs.some(([, job]) => job.interruptible !== undefined)) {
    report.add(
      'CICD022',
      { kind: 'Pipeline', name: pipeline.file, file: pipeline.file, line: 1 },
      `None of the ${real.length} jobs is interruptible.`,
    );
  }
  const workflowRules = isJson(top.workflow) && top.workflow.rules !== undefined;
  const unruled = real.filter(
    ([, job]) => job.rules === undefined && job.only === undefined && job.except === undefined,
  );
  if (!workflowRules && unruled.length > 0) {
    report.add(
      'CICD023',
      { kind: 'Pipeline', name: pipeline.file, file: pipeline.file, line: 1 },
      `No workflow:rules, and ${unruled.length} of ${real.length} jobs (${unruled
        .slice(0, 5)
        .map(([n]) => n)
        .join(', ')}) run on every push.`,
      { evidence: { jobs: unruled.map(([n]) => n) } },
    );
  }
  return { jobs: real.length };
}

export function checkCircleci(pipeline: Pipeline, report: Report): { jobs: number } {
  const jobs = isJson(pipeline.value.jobs)
    ? Object.entries(pipeline.value.jobs).filter((e): e is [string, Json] => isJson(e[1]))
    : [];
  const executors = isJson(pipeline.value.executors) ? Object.entries(pipeline.value.executors) : [];
  for (const [name, executor] of executors) {
    if (isJson(executor)) images(pipeline, executor, ['executors', name], `executor ${name}`, report);
  }
  for (const [name, job] of jobs) {
    images(pipeline, job, ['jobs', name], name, report);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    const commands = steps.flatMap((s) =>
      isJson(s) && isJson(s.run) ? scriptLines(s.run.command) : isJson(s) ? scriptLines(s.run) : [],
    );
    printedSecrets(pipeline, commands, ['jobs', name], name, report);
    const cached = steps.some((s) => isJson(s) && ('restore_cache' in s || 'save_cache' in s));
    const orbInstall = steps.some(
      (s) => isJson(s) && Object.keys(s).some((k) => /\/install-packages$/.test(k)),
    );
    if (INSTALL.test(commands.join('\n')) && !cached && !orbInstall) {
      report.add(
        'CICD008',
        place(pipeline, 'Job', name, ['jobs', name]),
        `Job ${name} installs dependencies and caches nothing.`,
        {
          key: [name],
        },
      );
    }
  }
  return { jobs: jobs.length };
}

export function checkBuildkite(pipeline: Pipeline, report: Report): { jobs: number } {
  const steps = Array.isArray(pipeline.value.steps) ? pipeline.value.steps : [];
  let count = 0;
  steps.forEach((step, index) => {
    if (!isJson(step) || !('command' in step || 'commands' in step)) return;
    count += 1;
    const name = text(step.label) ?? text(step.key) ?? `step ${index + 1}`;
    const lines = [...scriptLines(step.command), ...scriptLines(step.commands)];
    printedSecrets(pipeline, lines, ['steps', index], name, report);
    if (step.timeout_in_minutes === undefined) {
      report.add(
        'CICD007',
        place(pipeline, 'Step', name, ['steps', index]),
        `Step ${name} has no timeout_in_minutes.`,
        {
          key: [index, name],
          remediation:
            'Set `timeout_in_minutes` to a few times the step’s usual duration (or a default in the pipeline settings).',
        },
      );
    }
  });
  return { jobs: count };
}
