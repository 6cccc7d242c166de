/**
 * The release risk score: a transparent additive model. Each factor adds
 * points up to its maximum, the sum is capped at 100, and every reason shows
 * its points, its maximum, why it weighs what it weighs, and its evidence.
 * Bands: under 25 low, under 50 medium, under 75 high, else critical.
 *
 * How the weights were set (priors from published findings, not fitted to
 * any data set here): 25 points is one band. No factor that only raises the
 * chance of failure is worth more than 20, so one bad signal moves a release
 * by at most one band and it takes two strong ones to make it high; the
 * freeze window, a policy rather than a probability, is worth a full band
 * and holds the deploy by itself (strategy.ts).
 *
 * - size, 20: lines changed is the strongest single predictor of a defective
 *   change in just-in-time defect prediction (Mockus & Weiss 2000; Kamei et
 *   al. 2013, who log-transform it), and review catches less past a few
 *   hundred lines. Log scale from 10 lines (0) to 2,000 (full): 50 lines
 *   give 6 points, 500 give 15; lockfiles,
 *   snapshots and vendored code do not count.
 * - spread, 8: files touched (diffusion) adds to size but is correlated with
 *   it, so it weighs less; log scale from 1 file (0) to 50 (full).
 * - history, 20: files that failed recently fail again (the bug cache of Kim
 *   et al. 2007): 5 per changed file and incident or rolled-back deploy that
 *   touched it in the lookback, so four such pairs saturate.
 * - migrations, 20: schema changes are the hardest to roll back, since data
 *   does not roll back with code: 10 for any, +6 when a statement breaks the
 *   running version, +4 when a migration has no way back.
 * - infrastructure and configuration, 12: configuration pushes are a leading
 *   cause of outages in published postmortem studies, and they reach every
 *   instance at once; infrastructure 8, runtime configuration 4, flag
 *   definitions 2.
 * - dependencies, 12: a new major version is a breaking change by SemVer's
 *   definition: 4 each, a minor 1, a patch 0.5; a manifest or lockfile
 *   changed without readable versions 3.
 * - timing, 25: a freeze window 25; otherwise fewer people to notice and
 *   roll back: weekend or Friday afternoon 8, outside working hours 5.
 * - author, 15: the share of the author's deploys rolled back in the
 *   lookback, × 15, with at least 3 deploys (fewer say nothing). A noisy
 *   signal about the change's context, not a judgement of a person.
 * - tests, 10: source changed with no test changed 10 (from 20 source
 *   lines), test churn under a fifth of source churn 5.
 */
import { plural } from '../scan/run.js';
import { type Bump, bumpsOf } from './dependencies.js';
import { type AuthorRecord, authorRecords, type HistoryMatch, historyMatches } from './history.js';
import { type MigrationFacts, migrationsOf } from './migrations.js';
import type { ChangedFile, Release } from './model.js';
import {
  isConfiguration,
  isFlagFile,
  isGenerated,
  isInfrastructure,
  isLockfile,
  isManifest,
  isSource,
  isTest,
} from './paths.js';
import type { ReleaseOutput, RiskReason } from './schema.js';
import { type Timing, timingOf } from './timing.js';

export const RISK_MAX = {
  size: 20,
  spread: 8,
  history: 20,
  migrations: 20,
  infrastructure: 12,
  dependencies: 12,
  timing: 25,
  author: 15,
  tests: 10,
} as const;

/** Up to this many lines a change adds no size points (a one-line fix is not a risk for its size). */
export const SIZE_FLOOR_LINES = 10;
export const SIZE_SATURATION_LINES = 2000;
export const SPREAD_SATURATION_FILES = 50;
export const HISTORY_POINTS_PER_MATCH = 5;
export const AUTHOR_MIN_DEPLOYS = 3;
/** The author factor names a finding (REL010) from this rollback share on. */
export const AUTHOR_RATE_FINDING = 0.3;
export const TESTS_MIN_SOURCE_LINES = 20;

export type RiskLevel = ReleaseOutput['risk']['level'];

/** Everything the model found, for the strategy and the findings. */
export interface RiskFacts {
  churn: number;
  sourceChurn: number;
  testChurn: number;
  files: number;
  history: HistoryMatch[];
  migrations: MigrationFacts[];
  bumps: Bump[];
  unreadDependencyFiles: ChangedFile[];
  infrastructure: ChangedFile[];
  configuration: ChangedFile[];
  flags: ChangedFile[];
  timing: Timing;
  authors: AuthorRecord[];
}

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
  facts: RiskFacts;
}

const churnOf = (files: readonly ChangedFile[]) =>
  files.reduce((sum, f) => sum + f.additions + f.deletions, 0);
/** Where `value` sits between `floor` (0) and `saturation` (1) on a log scale. */
const logShare = (value: number, floor: number, saturation: number) =>
  value <= floor ? 0 : Math.min(1, Math.log10(value / floor) / Math.log10(saturation / floor));
const round1 = (value: number) => Math.round(value * 10) / 10;
const list = (items: readonly string[], max = 5): string[] =>
  items.length <= max ? [...items] : [...items.slice(0, max), `… ${items.length - max} more`];

export function levelOf(score: number): RiskLevel {
  if (score < 25) return 'low';
  if (score < 50) return 'medium';
  if (score < 75) return 'high';
  return 'critical';
}

function sizeReasons(facts: RiskFacts, counted: readonly ChangedFile[]): RiskReason[] {
  return [
    {
      factor: 'size',
      points: round1(RISK_MAX.size * logShare(facts.churn, SIZE_FLOOR_LINES, SIZE_SATURATION_LINES)),
      max: RISK_MAX.size,
      why: 'Lines changed predict failed changes best, with diminishing effect (log scale from 10 lines, full at 2,000).',
      evidence: [
        `${facts.churn} lines changed (${counted.reduce((s, f) => s + f.additions, 0)} added, ${counted.reduce((s, f) => s + f.deletions, 0)} removed), generated files and lockfiles not counted`,
      ],
    },
    {
      factor: 'spread',
      points: round1(RISK_MAX.spread * logShare(facts.files, 1, SPREAD_SATURATION_FILES)),
      max: RISK_MAX.spread,
      why: 'Changes spread over many files touch more behaviour (log scale from 1 file, full at 50).',
      evidence: [`${facts.files} files changed`],
    },
  ];
}

function historyReason(matches: readonly HistoryMatch[]): RiskReason {
  return {
    factor: 'history',
    points: Math.min(RISK_MAX.history, HISTORY_POINTS_PER_MATCH * matches.length),
    max: RISK_MAX.history,
    why: 'Files that caused incidents or rollbacks recently tend to fail again (5 per file and event).',
    evidence: list(
      matches.map(
        (m) =>
          `${m.file.path}: ${m.kind === 'incident' ? `incident ${m.id}` : `rolled-back deploy ${m.id}`} ${m.daysBefore} days before (via ${m.via})`,
      ),
    ),
  };
}

function migrationReason(migrations: readonly MigrationFacts[]): RiskReason {
  const breaking = migrations.filter((m) => m.breaking.length > 0);
  const oneWay = migrations.filter((m) => m.reversible === false);
  const points =
    migrations.length === 0 ? 0 : 10 + (breaking.length > 0 ? 6 : 0) + (oneWay.length > 0 ? 4 : 0);
  return {
    factor: 'migrations',
    points,
    max: RISK_MAX.migrations,
    why: 'Data does not roll back with code: any migration 10, a breaking statement +6, no rollback +4.',
    evidence: list(
      migrations.map(
        (m) =>
          `${m.file.path}${m.breaking.length > 0 ? `: breaks the running version (${m.breaking[0]?.statement})` : ''}${m.reversible === false ? '; no rollback' : m.reversible === 'unknown' ? '; rollback unknown (no diff)' : ''}`,
      ),
    ),
  };
}

function infrastructureReason(facts: RiskFacts): RiskReason {
  const points =
    (facts.infrastructure.length > 0 ? 8 : 0) +
    (facts.configuration.length > 0 ? 4 : 0) +
    (facts.flags.length > 0 ? 2 : 0);
  return {
    factor: 'infrastructure',
    points: Math.min(RISK_MAX.infrastructure, points),
    max: RISK_MAX.infrastructure,
    why: 'Configuration and infrastructure reach every instance at once: infrastructure 8, configuration 4, flags 2.',
    evidence: list([
      ...facts.infrastructure.map((f) => `infrastructure: ${f.path}`),
      ...facts.configuration.map((f) => `configuration: ${f.path}`),
      ...facts.flags.map((f) => `feature flags: ${f.path}`),
    ]),
  };
}

function dependencyReason(facts: RiskFacts): RiskReason {
  const weights = { major: 4, minor: 1, patch: 0.5 } as const;
  const points =
    facts.bumps.reduce((sum, b) => sum + weights[b.kind], 0) +
    (facts.unreadDependencyFiles.length > 0 ? 3 : 0);
  return {
    factor: 'dependencies',
    points: round1(Math.min(RISK_MAX.dependencies, points)),
    max: RISK_MAX.dependencies,
    why: 'A major version is a breaking change by SemVer: major 4, minor 1, patch 0.5; versions unreadable 3.',
    evidence: list([
      ...facts.bumps.map((b) => `${b.name} ${b.from} → ${b.to} (${b.kind}) in ${b.file}`),
      ...facts.unreadDependencyFiles.map((f) => `${f.path} changed (versions not in the input)`),
    ]),
  };
}

function timingReason(timing: Timing, given: boolean): RiskReason {
  const points =
    timing.freeze !== undefined ? 25 : timing.slot === 'weekend' ? 8 : timing.slot === 'off-hours' ? 5 : 0;
  const when = `${given ? 'planned' : 'no planned time given; the run time'} ${timing.local}`;
  return {
    factor: 'timing',
    points,
    max: RISK_MAX.timing,
    why: 'A freeze window is policy (25, and a hold); off hours fewer people notice and roll back (weekend or Friday afternoon 8, nights 5).',
    evidence: [
      when,
      ...(timing.freeze === undefined
        ? []
        : [
            `inside freeze window ${timing.freeze.name ?? ''} ${timing.freeze.start.toISOString()} – ${timing.freeze.end.toISOString()}`.replace(
              '  ',
              ' ',
            ),
          ]),
    ],
  };
}

function authorReason(records: readonly AuthorRecord[]): RiskReason {
  const rated = records.filter((r) => r.deploys >= AUTHOR_MIN_DEPLOYS);
  const worst = Math.max(0, ...rated.map((r) => r.rollbacks / r.deploys));
  return {
    factor: 'author',
    points: round1(RISK_MAX.author * worst),
    max: RISK_MAX.author,
    why: "The share of the author's recent deploys rolled back, × 15, from 3 deploys on.",
    evidence: records.map((r) =>
      r.deploys >= AUTHOR_MIN_DEPLOYS
        ? `${r.author}: ${r.rollbacks} of ${r.deploys} deploys rolled back`
        : `${r.author}: ${plural(r.deploys, 'deploy')} in the lookback, too few to rate`,
    ),
  };
}

function testsReason(facts: RiskFacts): RiskReason {
  const { sourceChurn, testChurn } = facts;
  const points =
    sourceChurn < TESTS_MIN_SOURCE_LINES
      ? 0
      : testChurn === 0
        ? RISK_MAX.tests
        : testChurn < sourceChurn / 5
          ? 5
          : 0;
  return {
    factor: 'tests',
    points,
    max: RISK_MAX.tests,
    why: 'Source changed without tests changing (10), or with test churn under a fifth of it (5), from 20 source lines.',
    evidence: [`${sourceChurn} source lines and ${testChurn} test lines changed`],
  };
}

/** The risk of `release`, planned at its planned time, with incidents and deploys within `lookbackDays`. */
export function assessRisk(release: Release, lookbackDays: number): RiskAssessment {
  // readRelease always sets it (the run's clock when not given).
  const planned = release.plannedAt as NonNullable<Release['plannedAt']>;
  const counted = release.changes.filter((f) => !isGenerated(f.path));
  const dependencyFiles = release.changes.filter((f) => isManifest(f.path) || isLockfile(f.path));
  const bumps = dependencyFiles.flatMap(bumpsOf);
  const facts: RiskFacts = {
    churn: churnOf(counted),
    sourceChurn: churnOf(counted.filter((f) => isSource(f.path))),
    testChurn: churnOf(counted.filter((f) => isTest(f.path))),
    files: counted.length,
    history: historyMatches(release, planned.instant, lookbackDays),
    migrations: migrationsOf(release.changes),
    bumps,
    // Counts without a diff: a dependency changed, which one and how far is unknown.
    unreadDependencyFiles: dependencyFiles.filter((f) => !f.hasPatch),
    infrastructure: release.changes.filter((f) => isInfrastructure(f.path)),
    configuration: release.changes.filter(
      (f) => isConfiguration(f.path) && !isInfrastructure(f.path) && !isFlagFile(f.path),
    ),
    flags: release.changes.filter((f) => isFlagFile(f.path)),
    timing: timingOf(planned, release.freezes),
    authors: authorRecords(release, planned.instant, lookbackDays),
  };
  const reasons: RiskReason[] = [
    ...(release.hasChanges
      ? [
          ...sizeReasons(facts, counted),
          historyReason(facts.history),
          migrationReason(facts.migrations),
          infrastructureReason(facts),
          dependencyReason(facts),
          testsReason(facts),
        ]
      : []),
    timingReason(facts.timing, planned.given),
    authorReason(facts.authors),
  ];
  const score = Math.min(100, Math.round(reasons.reduce((sum, r) => sum + r.points, 0)));
  return { score, level: levelOf(score), reasons, facts };
}
