/**
 * What the one API field `score` (0–100, higher is better) means, as a few
 * named policies an agent picks from instead of a formula of its own
 * (README, Scores). Suppressed findings never count. Each agent states its
 * policy and weights in its rules file; the README table is the user's
 * reference.
 */
import type { Finding, Severity } from '../contract.js';

export type SeverityWeights = Readonly<Record<Severity, number>>;

export const SCORE_POLICIES = {
  deduction:
    'Starts at 100 and loses a fixed number of points per open finding by severity, down to 0: ' +
    'easy to explain ("two high findings cost 30 points"), saturates on large inputs.',
  survival:
    '100 × Π(1 − weight) over open findings: each finding removes a share of what is left, so the ' +
    'score approaches 0 but never jumps there, and one critical finding weighs more than many low ones.',
  'unit-mean':
    "The mean over the units the agent assessed (workloads, systems, files) of each unit's deduction " +
    'score; a unit without findings scores 100, so one bad unit among many good ones lowers the score a little.',
  'savings-share': '100 minus the share of the monthly cost that the findings could save (cost-optimizer).',
  'error-share':
    '100 × the share of log lines that are not errors, minus 10 points per burst (log-analyzer).',
  'anomaly-count':
    '100 minus 5 points per anomaly, minus 50 when the forecast already crossed its threshold or 20 when ' +
    'it is projected to (anomaly-detector).',
  'release-risk':
    '100 minus the release risk, an additive model of the change, its history and its timing, each ' +
    "factor capped and explained in the result's reasons (release-manager).",
} as const;

export type ScorePolicyName = keyof typeof SCORE_POLICIES;

/**
 * The `survival` weights every agent using that policy shares: one critical
 * finding leaves 60, two 36; ten low ones leave 82.
 */
export const SURVIVAL_WEIGHTS: SeverityWeights = {
  critical: 0.4,
  high: 0.2,
  medium: 0.07,
  low: 0.02,
  info: 0,
};

const open = (findings: readonly Finding[]) => findings.filter((f) => !f.suppressed);

/** `deduction`: max(0, 100 − Σ weight) over open findings. */
export function deductionScore(findings: readonly Finding[], weights: SeverityWeights): number {
  const penalty = open(findings).reduce((sum, f) => sum + weights[f.severity], 0);
  return Math.max(0, Math.round(100 - penalty));
}

/** `survival`: round(100 × Π(1 − weight)) over open findings; weights are shares in [0, 1]. */
export function survivalScore(findings: readonly Finding[], weights: SeverityWeights): number {
  const kept = open(findings).reduce((product, f) => product * (1 - weights[f.severity]), 1);
  return Math.round(100 * kept);
}

export interface ScoredUnit {
  /** The unit's own score (usually deductionScore of its findings). */
  score: number;
  /** How much the unit counts (e.g. its lines of code); default 1. */
  weight?: number;
}

/** `unit-mean`: the (weighted) mean of the units' scores, rounded; 100 when nothing was assessed. */
export function unitMeanScore(units: readonly ScoredUnit[]): number {
  const total = units.reduce((sum, unit) => sum + (unit.weight ?? 1), 0);
  if (units.length === 0 || total === 0) return 100;
  return Math.round(units.reduce((sum, unit) => sum + unit.score * (unit.weight ?? 1), 0) / total);
}

/** `savings-share`: 100 minus the percentage of the monthly cost the open findings would save. */
export function savingsShareScore(currentCost: number, savings: number): number {
  if (currentCost === 0) return 100;
  return Math.max(0, Math.min(100, Math.round(100 - (100 * savings) / currentCost)));
}
