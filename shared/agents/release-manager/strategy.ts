/**
 * The rollout strategy and the decision, from the risk and the facts behind it:
 *
 * - hold: inside a freeze window; risk critical (≥ 75); risk high (≥ 50)
 *   with an incident on the touched code in the last 7 days (the team is
 *   still recovering); a migration that breaks the running version (split
 *   it: expand, deploy, then contract); a canary that failed.
 * - blue-green: a backward-compatible migration: both versions can share the
 *   migrated schema, and switching back is instant.
 * - feature flag: a large behaviour change (500+ source lines, or a
 *   `feature` / `breaking` label): ship it dark and ramp the flag.
 * - canary: everything else.
 *
 * Steps 1 → 5 → 25 → 100 %, with 50 % added from high risk; each step bakes
 * 10 + 0.4 × risk minutes (rounded to 5), so a low-risk change waits 10
 * minutes per step and a high one 30–40: long enough for the canary judge
 * to gather its minimum samples at one-minute resolution.
 */
import type { CanaryReport } from './judge.js';
import type { RiskAssessment } from './risk.js';
import type { ReleaseOutput } from './schema.js';

export const RECENT_INCIDENT_DAYS = 7;
export const LARGE_CHANGE_SOURCE_LINES = 500;

export type Strategy = ReleaseOutput['strategy'];

export function bakeMinutes(risk: number): number {
  return Math.round((10 + 0.4 * risk) / 5) * 5;
}

function ramp(risk: number): Strategy['steps'] {
  const bake = bakeMinutes(risk);
  const percents = risk >= 50 ? [1, 5, 25, 50, 100] : [1, 5, 25, 100];
  return percents.map((percent) => ({ percent, bakeMinutes: percent === 100 ? 0 : bake }));
}

export function recommendStrategy(
  risk: RiskAssessment,
  labels: readonly string[],
  canary?: CanaryReport,
): Strategy {
  const { facts, score } = risk;
  const hold: string[] = [];
  if (facts.timing.freeze !== undefined) {
    hold.push(
      `the planned time (${facts.timing.local}) is inside freeze window ${facts.timing.freeze.name ?? 'without a name'}`,
    );
  }
  if (score >= 75) hold.push(`risk ${score} is critical: split the release or reduce its risk first`);
  const recent = facts.history.filter((m) => m.kind === 'incident' && m.daysBefore <= RECENT_INCIDENT_DAYS);
  if (score >= 50 && recent.length > 0) {
    hold.push(
      `risk ${score} with incident ${recent[0]?.id} on ${recent[0]?.file.path} ${recent[0]?.daysBefore} days ago`,
    );
  }
  const breaking = facts.migrations.filter((m) => m.breaking.length > 0);
  if (breaking.length > 0) {
    hold.push(
      `${breaking[0]?.file.path} breaks the running version (${breaking[0]?.breaking[0]?.statement}): expand first, deploy, then contract in a later release`,
    );
  }
  if (canary?.verdict === 'no-go') hold.push('the canary failed its judgement: roll it back');
  if (hold.length > 0) return { kind: 'hold', steps: [], reasons: hold };
  if (facts.migrations.length > 0) {
    return {
      kind: 'blue-green',
      steps: [{ percent: 100, bakeMinutes: bakeMinutes(score) }],
      reasons: [
        `${facts.migrations.length === 1 ? 'a backward-compatible migration' : `${facts.migrations.length} backward-compatible migrations`} (${facts.migrations[0]?.file.path}): run it, switch all traffic to green, keep blue ready for ${bakeMinutes(score)} minutes`,
      ],
    };
  }
  const flagged = labels.filter((l) => /feature|breaking|behaviou?r/i.test(l));
  if (facts.sourceChurn >= LARGE_CHANGE_SOURCE_LINES || flagged.length > 0) {
    return {
      kind: 'feature-flag',
      steps: ramp(score),
      reasons: [
        facts.sourceChurn >= LARGE_CHANGE_SOURCE_LINES
          ? `${facts.sourceChurn} source lines change behaviour: deploy dark behind a flag and ramp the flag`
          : `labelled ${flagged.join(', ')}: deploy dark behind a flag and ramp the flag`,
      ],
    };
  }
  return {
    kind: 'canary',
    steps: ramp(score),
    reasons: [
      `risk ${score} (${risk.level}): canary steps with ${bakeMinutes(score)} minutes of bake time each, judged against the baseline at every step`,
    ],
  };
}

/** hold when the strategy holds (a failed canary is a no-go), hold while the canary is inconclusive, else go. */
export function decide(strategy: Strategy, canary?: CanaryReport): ReleaseOutput['decision'] {
  if (canary?.verdict === 'no-go') return 'no-go';
  if (strategy.kind === 'hold' || canary?.verdict === 'inconclusive') return 'hold';
  return 'go';
}
