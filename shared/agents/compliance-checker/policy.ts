/**
 * The policy's own mistakes: an exclusion of a control its framework does
 * not list or of a framework not selected, a waiver of a rule no control
 * maps. Each changes nothing, silently — so each is reported (CMP003).
 */
import { CHECKS, type CheckId } from './checks.js';
import { FRAMEWORKS, type Framework } from './mappings/index.js';
import type { CompliancePolicy } from './schema.js';

export interface PolicyProblem {
  message: string;
  /** What the entry names, for the finding's resource and fingerprint. */
  entry: string;
}

function mapsRule(framework: Framework, ruleId: string): boolean {
  return framework.mappings.some((m) =>
    CHECKS[m.check as CheckId].rules.some((rule: string) =>
      rule.endsWith('*') ? ruleId.startsWith(rule.slice(0, -1)) : rule === ruleId,
    ),
  );
}

export function policyProblems(
  policy: CompliancePolicy | undefined,
  selected: readonly Framework[],
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const e of policy?.exclude ?? []) {
    const framework = FRAMEWORKS.find((f) => f.id === e.framework);
    const entry = `exclude ${e.framework} ${e.control}`;
    if (!selected.some((f) => f.id === e.framework)) {
      problems.push({
        entry,
        message: `The policy excludes ${e.framework} ${e.control}, but ${e.framework} is not selected.`,
      });
    } else if (!framework?.controls.some((c) => c.id === e.control)) {
      problems.push({
        entry,
        message: `The policy excludes ${e.framework} ${e.control}, a control ${e.framework} does not list.`,
      });
    }
  }
  for (const w of policy?.waive ?? []) {
    const scope = selected.filter(
      (f) => w.frameworks === undefined || w.frameworks.some((id) => id === f.id),
    );
    if (!scope.some((f) => mapsRule(f, w.rule))) {
      problems.push({
        entry: `waive ${w.rule}`,
        message: `The policy waives ${w.rule}, which no control of ${scope.map((f) => f.id).join(', ') || 'the selected frameworks'} maps.`,
      });
    }
  }
  return problems;
}
