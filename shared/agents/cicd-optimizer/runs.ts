/**
 * What the runs say: per run, the critical path through the job graph with
 * the durations recorded (the graph from the workflow file whose jobs the run
 * names, by `name:` or id — a matrix job `test (20)` is job `test` — or, with
 * no workflow, every job on its own), the slowest steps across runs, and jobs
 * that both passed and failed on the same commit.
 */
import { type Job, jobsOf } from './github-model.js';
import type { Pipeline } from './pipelines.js';
import type { JobRun } from './schema.js';

export interface RunGroup {
  run: string;
  jobs: JobRun[];
}

export interface RunTiming {
  run: string;
  sha?: string;
  workflow?: string;
  criticalPath: { job: string; minutes: number }[];
  criticalPathMinutes: number;
  wallClockMinutes?: number;
  totalJobMinutes: number;
  jobs: number;
  /** The workflow file and the job the path starts at, when a workflow matched. */
  file?: string;
  line?: number;
}

function minutesBetween(
  start: string | null | undefined,
  end: string | null | undefined,
): number | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms / 60_000 : undefined;
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** `test (ubuntu, 20)` → `test`; `build / compile` (a reusable workflow's job) → `build`. */
export function baseName(name: string): string {
  return (
    name
      .replace(/\s*\(.*\)\s*$/, '')
      .split(' / ')[0]
      ?.trim() ?? name
  );
}

/** Runs from the input's pages (one page, a list) and jobs JSON files: grouped by run id and attempt. */
export function groupRuns(pages: readonly { jobs: JobRun[] }[]): RunGroup[] {
  const groups = new Map<string, JobRun[]>();
  pages.forEach((page, index) => {
    for (const job of page.jobs) {
      const key =
        job.run_id === undefined
          ? `#${index + 1}`
          : `${job.run_id}${job.run_attempt && job.run_attempt > 1 ? `/${job.run_attempt}` : ''}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
  });
  // Files arrive in path order (`…-attempt-2.json` before `….json`): runs read in id and attempt order.
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([run, jobs]) => ({ run, jobs }));
}

interface Matched {
  pipeline: Pipeline;
  jobs: Job[];
  /** Run job name → workflow job id. */
  idOf: (name: string) => string | undefined;
}

function matchWorkflow(group: RunGroup, workflows: readonly Pipeline[]): Matched | undefined {
  let best: { matched: Matched; hits: number } | undefined;
  for (const pipeline of workflows) {
    const jobs = jobsOf(pipeline);
    const byName = new Map<string, string>();
    for (const job of jobs) {
      byName.set(job.id, job.id);
      const display = job.value.name;
      if (typeof display === 'string' && !display.includes('${{')) byName.set(display, job.id);
    }
    const idOf = (name: string) => byName.get(name) ?? byName.get(baseName(name));
    const hits = group.jobs.filter((j) => idOf(j.name) !== undefined).length;
    if (hits > 0 && (best === undefined || hits > best.hits))
      best = { matched: { pipeline, jobs, idOf }, hits };
  }
  return best?.matched;
}

/** Longest path by duration through `needs`, cycles cut; returns the path. */
function longestPath(
  durations: ReadonlyMap<string, number>,
  needs: ReadonlyMap<string, readonly string[]>,
): string[] {
  const memo = new Map<string, { total: number; path: string[] }>();
  const visit = (id: string, seen: Set<string>): { total: number; path: string[] } => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    seen.add(id);
    let best = { total: 0, path: [] as string[] };
    for (const need of needs.get(id) ?? []) {
      if (seen.has(need) || !durations.has(need)) continue;
      const before = visit(need, seen);
      if (before.total > best.total) best = before;
    }
    seen.delete(id);
    const result = { total: best.total + (durations.get(id) ?? 0), path: [...best.path, id] };
    memo.set(id, result);
    return result;
  };
  let longest = { total: -1, path: [] as string[] };
  for (const id of [...durations.keys()].sort()) {
    const result = visit(id, new Set());
    if (result.total > longest.total) longest = result;
  }
  return longest.path;
}

export function runTiming(group: RunGroup, workflows: readonly Pipeline[]): RunTiming | undefined {
  const timed = group.jobs.flatMap((job) => {
    const minutes = minutesBetween(job.started_at, job.completed_at);
    return minutes === undefined ? [] : [{ job, minutes }];
  });
  if (timed.length === 0) return undefined;
  const matched = matchWorkflow(group, workflows);
  const durations = new Map<string, number>();
  for (const { job, minutes } of timed) {
    const id = matched?.idOf(job.name) ?? job.name;
    durations.set(id, Math.max(durations.get(id) ?? 0, minutes));
  }
  const needs = new Map((matched?.jobs ?? []).map((j) => [j.id, j.needs] as const));
  const path = longestPath(durations, needs);
  const starts = timed.map((t) => Date.parse(t.job.started_at ?? '')).filter(Number.isFinite);
  const ends = timed.map((t) => Date.parse(t.job.completed_at ?? '')).filter(Number.isFinite);
  const first = path[0];
  const line =
    first === undefined || matched === undefined ? undefined : matched.pipeline.lineOf(['jobs', first]);
  const sha = group.jobs.find((j) => j.head_sha)?.head_sha ?? undefined;
  const workflow = group.jobs.find((j) => j.workflow_name)?.workflow_name ?? undefined;
  return {
    run: group.run,
    ...(sha === undefined ? {} : { sha }),
    ...(workflow === undefined ? {} : { workflow }),
    criticalPath: path.map((job) => ({ job, minutes: round1(durations.get(job) ?? 0) })),
    criticalPathMinutes: round1(path.reduce((sum, job) => sum + (durations.get(job) ?? 0), 0)),
    ...(starts.length > 0 && ends.length > 0
      ? { wallClockMinutes: round1((Math.max(...ends) - Math.min(...starts)) / 60_000) }
      : {}),
    totalJobMinutes: round1(timed.reduce((sum, t) => sum + t.minutes, 0)),
    jobs: group.jobs.length,
    ...(matched === undefined ? {} : { file: matched.pipeline.file }),
    ...(line === undefined ? {} : { line }),
  };
}

export interface SlowStep {
  job: string;
  step: string;
  medianMinutes: number;
  runs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The slowest steps by median duration across runs (a step named the same in the same job is one step). */
export function slowestSteps(groups: readonly RunGroup[], top: number): SlowStep[] {
  const durations = new Map<string, { job: string; step: string; values: number[] }>();
  for (const group of groups) {
    for (const job of group.jobs) {
      for (const step of job.steps ?? []) {
        const minutes = minutesBetween(step.started_at, step.completed_at);
        if (minutes === undefined) continue;
        const key = JSON.stringify([baseName(job.name), step.name]);
        const entry = durations.get(key) ?? { job: baseName(job.name), step: step.name, values: [] };
        entry.values.push(minutes);
        durations.set(key, entry);
      }
    }
  }
  return [...durations.values()]
    .map((e) => ({
      job: e.job,
      step: e.step,
      medianMinutes: round1(median(e.values)),
      runs: e.values.length,
    }))
    .sort(
      (a, b) =>
        b.medianMinutes - a.medianMinutes || a.job.localeCompare(b.job) || a.step.localeCompare(b.step),
    )
    .slice(0, top);
}

export interface Flaky {
  name: string;
  sha: string;
  passed: number;
  failed: number;
}

/** Names with both outcomes on the same commit. */
export function flaky(outcomes: readonly { name: string; sha: string; passed: boolean }[]): Flaky[] {
  const counts = new Map<string, Flaky>();
  for (const o of outcomes) {
    const key = JSON.stringify([o.name, o.sha]);
    const entry = counts.get(key) ?? { name: o.name, sha: o.sha, passed: 0, failed: 0 };
    if (o.passed) entry.passed += 1;
    else entry.failed += 1;
    counts.set(key, entry);
  }
  return [...counts.values()]
    .filter((e) => e.passed > 0 && e.failed > 0)
    .sort((a, b) => a.name.localeCompare(b.name) || a.sha.localeCompare(b.sha));
}
