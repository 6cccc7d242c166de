/**
 * release-manager: the risk of a release (risk.ts), the rollout strategy
 * (strategy.ts), the canary verdict (judge.ts) and the findings that name
 * what they found, through the common scan pipeline (suppressions, order,
 * counts). Pure: the run's clock (`now`) stands in for a planned time not given.
 */
import type { AgentContext, Finding } from '../contract.js';
import type { RuleFindingInput } from '../rules.js';
import { problemFindingInput } from '../scan/problems.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { readRelease } from './inputs.js';
import { JUDGE_DEFAULTS, type JudgedMetric, judgeCanary } from './judge.js';
import type { Release, Where } from './model.js';
import { isSource, isTest } from './paths.js';
import {
  AUTHOR_MIN_DEPLOYS,
  AUTHOR_RATE_FINDING,
  assessRisk,
  type RiskAssessment,
  TESTS_MIN_SOURCE_LINES,
} from './risk.js';
import { RELEASE_RULES, type ReleaseRuleId } from './rules.js';
import type { ReleaseInput, ReleaseOutput } from './schema.js';
import { decide, recommendStrategy } from './strategy.js';

export const DEFAULT_LOOKBACK_DAYS = 90;

/** The resource of a finding: the input file and line when read from a file, else the thing by name. */
function resource(kind: string, name: string, where: Where): NonNullable<RuleFindingInput['resource']> {
  return {
    kind,
    name,
    // A line means something only in a file: input fields (the `changes` text) give the name alone.
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.file === undefined || where.line === undefined ? {} : { line: where.line }),
  };
}

type Add = (id: ReleaseRuleId, input: RuleFindingInput) => void;

function changeFindings(release: Release, risk: RiskAssessment, add: Add): void {
  const { facts } = risk;
  if (facts.timing.freeze !== undefined) {
    const freeze = facts.timing.freeze;
    add('REL001', {
      message:
        `The deploy is planned ${facts.timing.local}, inside freeze window ${freeze.name ?? ''} (${freeze.start.toISOString()} – ${freeze.end.toISOString()}).`.replace(
          '  ',
          ' ',
        ),
      resource: resource('FreezeWindow', freeze.name ?? freeze.start.toISOString(), freeze.where),
      evidence: {
        plannedAt: release.plannedAt?.instant.toISOString(),
        start: freeze.start.toISOString(),
        end: freeze.end.toISOString(),
      },
    });
  } else if (facts.timing.slot !== 'working-hours' && release.plannedAt?.given === true) {
    add('REL009', {
      message: `The deploy is planned ${facts.timing.local}: ${facts.timing.slot === 'weekend' ? 'a weekend or Friday afternoon' : 'outside working hours'}.`,
      resource: resource('PlannedTime', release.plannedAt.instant.toISOString(), release.plannedAt.where),
    });
  }
  for (const migration of facts.migrations) {
    const file = migration.file;
    if (migration.reversible === false) {
      add('REL002', {
        message: `${file.path} has no rollback migration in the change set.`,
        resource: resource('Migration', file.path, file.where),
      });
    }
    for (const statement of migration.breaking) {
      add('REL003', {
        message: `${file.path}: \`${statement.statement}\` breaks the version still running during the rollout.`,
        resource: resource('Migration', file.path, statement.at.where),
        key: [statement.statement],
      });
    }
  }
  const seen = new Set<string>();
  for (const match of facts.history) {
    const key = `${match.file.path}\u0000${match.kind}\u0000${match.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    add('REL006', {
      message: `${match.file.path} was involved in ${match.kind === 'incident' ? `incident ${match.id}` : `rolled-back deploy ${match.id}`} ${match.daysBefore} days before the planned deploy (via ${match.via}).`,
      resource: resource('File', match.file.path, match.file.where),
      evidence: { kind: match.kind, id: match.id, time: match.time.toISOString(), via: match.via },
      key: [match.kind, match.id],
    });
  }
  for (const bump of facts.bumps.filter((b) => b.kind === 'major')) {
    add('REL007', {
      message: `${bump.name} moves from ${bump.from} to ${bump.to} (a new major version) in ${bump.file}.`,
      resource: resource('Dependency', bump.name, bump.at.where),
      evidence: { file: bump.file, from: bump.from, to: bump.to },
    });
  }
  if (facts.sourceChurn >= TESTS_MIN_SOURCE_LINES && facts.testChurn === 0) {
    const sources = release.changes.filter((f) => isSource(f.path) && !isTest(f.path));
    const largest = [...sources].sort((a, b) => b.additions + b.deletions - (a.additions + a.deletions))[0];
    if (largest !== undefined) {
      add('REL008', {
        message: `${plural(facts.sourceChurn, 'source line')} changed in ${plural(sources.length, 'file')} and no test changed (largest: ${largest.path}).`,
        resource: resource('File', largest.path, largest.where),
      });
    }
  }
  for (const record of facts.authors) {
    const rate = record.deploys === 0 ? 0 : record.rollbacks / record.deploys;
    if (record.deploys < AUTHOR_MIN_DEPLOYS || rate < AUTHOR_RATE_FINDING || record.example === undefined)
      continue;
    add('REL010', {
      message: `${record.rollbacks} of ${record.author}'s ${record.deploys} deploys in the lookback were rolled back.`,
      resource: resource('Author', record.author, record.example.where),
      evidence: { deploys: record.deploys, rollbacks: record.rollbacks },
    });
  }
}

function canaryFindings(judged: readonly JudgedMetric[], add: Add): void {
  for (const { metric, verdict, shapeChanged } of judged) {
    const at = resource('Metric', metric.name, metric.where);
    if (verdict.classification === 'not-assessed') {
      add('REL005', { message: `${metric.name} not assessed: ${verdict.reason}.`, resource: at });
    } else if (verdict.failed) {
      add('REL004', {
        message: `${metric.name}: ${verdict.reason}.`,
        resource: at,
        evidence: { mannWhitney: verdict.mannWhitney, shift: verdict.shift, ks: verdict.ks },
        ...(metric.criticality === 'critical' ? { severity: 'critical' as const } : {}),
      });
    } else if (shapeChanged) {
      add('REL011', {
        message: `${metric.name}: distributions differ (KS D = ${verdict.ks?.d}, p = ${verdict.ks?.p}) with no shift of the median.`,
        resource: at,
        evidence: { ks: verdict.ks, mannWhitney: verdict.mannWhitney },
      });
    }
  }
}

type Body = Pick<ReleaseOutput, 'score' | 'risk' | 'strategy' | 'canary' | 'decision' | 'metrics'>;

function summaryOf(output: Body, counts: string): string {
  const parts = [
    `Risk ${output.risk.score}/100 (${output.risk.level})`,
    `strategy ${output.strategy.kind}`,
    ...(output.canary === undefined
      ? []
      : [
          `canary ${output.canary.verdict}${output.canary.score === null ? '' : ` (score ${output.canary.score})`}`,
        ]),
  ];
  return `${parts.join('; ')}: ${output.decision}. ${counts[0]?.toUpperCase()}${counts.slice(1)}.`;
}

export async function analyzeRelease(input: ReleaseInput, context: AgentContext): Promise<ReleaseOutput> {
  const options = { ...JUDGE_DEFAULTS, ...input.options };
  const lookback = input.options?.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  let release: Release | undefined;
  let risk: RiskAssessment | undefined;
  let canary: ReturnType<typeof judgeCanary>;
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    check(files) {
      const findings: Finding[] = [];
      const add: Add = (id, finding) => findings.push(RELEASE_RULES.finding(id, finding));
      release = readRelease(input, files, context.now);
      for (const problem of release.problems) add('REL000', problemFindingInput(problem));
      risk = assessRisk(release, lookback);
      canary = judgeCanary(release.metrics, options);
      changeFindings(release, risk, add);
      canaryFindings(canary?.judged ?? [], add);
      return { findings };
    },
  });
  // runScan ran `check`, which set both.
  const assessed = risk as RiskAssessment;
  const read = release as Release;
  const report = canary?.report;
  const strategy = recommendStrategy(assessed, read.labels, report);
  const output: Body = {
    score: 100 - assessed.score,
    risk: { score: assessed.score, level: assessed.level, reasons: assessed.reasons },
    strategy,
    ...(report === undefined ? {} : { canary: report }),
    decision: decide(strategy, report),
    metrics: {
      risk: assessed.score,
      filesChanged: assessed.facts.files,
      linesChanged: assessed.facts.churn,
      migrations: assessed.facts.migrations.length,
      canaryMetrics: read.metrics.length,
      ...(report?.score === null || report === undefined ? {} : { canaryScore: report.score }),
      findings: scan.open.length,
    },
  };
  return { ...output, summary: summaryOf(output, describeCounts(scan.counts)), findings: scan.findings };
}
