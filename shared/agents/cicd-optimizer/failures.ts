/**
 * Failure root-cause candidates from logs. Every line of a job's passing and
 * failing logs goes through the log template miner (shared/analysis/logs), so
 * `connect ECONNREFUSED 10.0.3.7:5432` and `…10.0.4.2:5432` are one event;
 * the events that occur in failing logs and never in the passing logs of the
 * same job are the candidates, and those that read as errors rank first,
 * earlier ones before later ones (the first error usually causes the rest).
 */
import { createMiner } from '../../analysis/logs/index.js';
import type { StepLog } from './schema.js';

export interface Candidate {
  template: string;
  /** The first line of the failing log the template stands for, as written. */
  line: string;
  /** Failing-log lines of the template. */
  count: number;
  score: number;
}

export interface JobCauses {
  job: string;
  /** Whether passing logs of the job were there to compare with. */
  compared: boolean;
  candidates: Candidate[];
}

const ERROR_WORDS =
  /\b(?:error|errors|failed|failure|fail|fatal|exception|panic|refused|timed? ?out|denied|not found|cannot|unable|missing|undefined|segmentation|killed|oom|exit code [1-9]\d*)\b/i;
/** GitHub's timestamp prefix (`2026-05-01T10:00:00.1234567Z `) and ANSI colours carry nothing about the event. */
const PREFIX = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\s?/;
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const MAX_CANDIDATES = 5;
const MAX_LINE = 500;

function clean(line: string): string {
  return line.replace(PREFIX, '').replace(ANSI, '').trim().slice(0, MAX_LINE);
}

const FAILED = new Set(['failure', 'failed', 'timed_out', 'error']);

export function isFailure(conclusion: string | null | undefined): boolean {
  return FAILED.has(String(conclusion ?? '').toLowerCase());
}

function linesOf(logs: readonly StepLog[]): string[] {
  return logs.flatMap((log) => log.text.split(/\r?\n/).map(clean)).filter((line) => line.length > 0);
}

function causesOf(job: string, failing: readonly StepLog[], passing: readonly StepLog[]): JobCauses {
  const miner = createMiner();
  const bad = linesOf(failing);
  const good = linesOf(passing);
  for (const line of [...good, ...bad]) miner.add(line);
  const seen = new Set(good.map((line) => miner.match(line)?.template ?? line));
  const found = new Map<string, { line: string; count: number; first: number }>();
  bad.forEach((line, index) => {
    const template = miner.match(line)?.template ?? line;
    if (seen.has(template)) return;
    const entry = found.get(template);
    if (entry === undefined) found.set(template, { line, count: 1, first: index });
    else entry.count += 1;
  });
  const candidates = [...found.entries()]
    .filter(([, entry]) => ERROR_WORDS.test(entry.line))
    .map(([template, entry]) => ({
      template,
      line: entry.line,
      count: entry.count,
      // Error words first; among them, earlier lines first.
      score: Math.round((1 + (1 - entry.first / Math.max(1, bad.length))) * 1000) / 1000,
    }))
    .sort((a, b) => b.score - a.score || a.template.localeCompare(b.template))
    .slice(0, MAX_CANDIDATES);
  return { job, compared: passing.length > 0, candidates };
}

/** Candidates per job that has a failing log. */
export function failureCauses(logs: readonly StepLog[]): JobCauses[] {
  const jobs = [...new Set(logs.map((log) => log.job))].sort();
  return jobs.flatMap((job) => {
    const mine = logs.filter((log) => log.job === job);
    const failing = mine.filter((log) => isFailure(log.conclusion));
    if (failing.length === 0) return [];
    return [
      causesOf(
        job,
        failing,
        mine.filter((log) => log.conclusion.toLowerCase() === 'success'),
      ),
    ];
  });
}
