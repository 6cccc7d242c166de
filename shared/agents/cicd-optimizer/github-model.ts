/**
 * A GitHub Actions workflow or composite action as jobs and steps with the
 * paths their lines are found at. The shapes GitHub accepts vary (`on:` as a
 * word, a list or a map; `runs-on:` as a label, a list or a group; `needs:` as
 * one job or several); here each becomes one form so the checks stay short.
 */
import type { Path } from '../../analysis/documents/structured.js';
import { isJson, type Json, type Pipeline, text } from './pipelines.js';

export interface Step {
  index: number;
  value: Json;
  path: Path;
  uses?: string;
  run?: string;
  /** `name`, else `uses`, else the first line of `run`: what a person calls the step. */
  label: string;
}

export interface Job {
  id: string;
  value: Json;
  path: Path;
  steps: Step[];
  needs: string[];
  /** A job that calls a reusable workflow (`uses:` at job level) has no steps or runner of its own. */
  uses?: string;
}

function stepLabel(value: Json): string {
  const run = text(value.run);
  return (
    text(value.name) ??
    text(value.uses) ??
    (run === undefined ? 'step' : (run.trim().split('\n')[0] ?? 'run'))
  );
}

export function stepsAt(container: Json, path: Path): Step[] {
  const steps = container.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((value, index): Step[] => {
    if (!isJson(value)) return [];
    const uses = text(value.uses);
    const run = text(value.run);
    return [
      {
        index,
        value,
        path: [...path, 'steps', index],
        ...(uses === undefined ? {} : { uses: uses.trim() }),
        ...(run === undefined ? {} : { run }),
        label: stepLabel(value),
      },
    ];
  });
}

export function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function jobsOf(pipeline: Pipeline): Job[] {
  const jobs = pipeline.value.jobs;
  if (!isJson(jobs)) return [];
  return Object.entries(jobs).flatMap(([id, value]): Job[] => {
    if (!isJson(value)) return [];
    const path = ['jobs', id];
    const uses = text(value.uses);
    return [
      {
        id,
        value,
        path,
        steps: stepsAt(value, path),
        needs: listOf(value.needs),
        ...(uses === undefined ? {} : { uses }),
      },
    ];
  });
}

/** The events a workflow runs on: `on: push`, `on: [push, pull_request]`, `on: { push: … }`. */
export function triggersOf(workflow: Json): Set<string> {
  const on = workflow.on;
  if (isJson(on)) return new Set(Object.keys(on));
  return new Set(listOf(on));
}

/** Runner labels of a job: a label, a list, or `{ group, labels }`. */
export function runnerLabels(job: Json): string[] {
  const runsOn = job['runs-on'];
  if (isJson(runsOn)) return listOf(runsOn.labels);
  return listOf(runsOn);
}

/** `owner/repo[/path]@ref` split; undefined for local (`./`) and Docker references. */
export interface ActionRef {
  name: string;
  ref: string;
}

export function actionRef(uses: string): ActionRef | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const at = uses.lastIndexOf('@');
  if (at <= 0) return { name: uses, ref: '' };
  return { name: uses.slice(0, at), ref: uses.slice(at + 1) };
}

/** `actions/checkout` of `actions/checkout/sub@v4`: the repository an action lives in, lower-case. */
export function actionRepo(name: string): string {
  return name.split('/').slice(0, 2).join('/').toLowerCase();
}

export const FULL_SHA = /^[0-9a-f]{40}$/i;

/** Every text a job's steps would execute or pass on: scripts, `with:` values, `env:`, conditions. */
export function jobText(job: Job): string {
  return JSON.stringify(job.value);
}
