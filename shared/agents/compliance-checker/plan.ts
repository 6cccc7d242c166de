/**
 * The remediation plan: the failing findings grouped by rule, and the rules
 * ordered greedily by how many failing controls each change clears — a
 * control clears once every rule failing it is fixed, so each step picks the
 * rule that completes the most controls given the steps before it (then the
 * one that touches the most, then the worst severity, then the most
 * findings, then the id, so the order is stable).
 */
import { SEVERITIES } from '../contract.js';
import { type ControlOutcome, compareLocated, type LocatedFinding } from './assess.js';
import type { PlanStep } from './schema.js';

/** Locations named per step; the count says how many findings there are. */
const LISTED_LOCATIONS = 10;

interface RuleGroup {
  key: string;
  findings: LocatedFinding[];
  /** Failing controls ('soc2 CC6.1') its findings fail. */
  affects: Set<string>;
}

function groupByRule(outcomes: readonly ControlOutcome[]): {
  rules: Map<string, RuleGroup>;
  controls: Map<string, Set<string>>;
} {
  const rules = new Map<string, RuleGroup>();
  const controls = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const { framework, report, failing } of outcomes) {
    const control = `${framework.id} ${report.id}`;
    for (const f of failing) {
      const key = `${f.agent}/${f.ruleId}`;
      const group = rules.get(key) ?? { key, findings: [], affects: new Set<string>() };
      rules.set(key, group);
      group.affects.add(control);
      const id = [key, f.file, f.line, f.message, f.source].join('\u0000');
      if (!seen.has(id)) group.findings.push(f);
      seen.add(id);
      controls.set(control, (controls.get(control) ?? new Set<string>()).add(key));
    }
  }
  return { rules, controls };
}

interface Candidate {
  group: RuleGroup;
  clears: string[];
  touches: number;
  worst: number;
}

function better(a: Candidate, b: Candidate): boolean {
  return (
    (a.clears.length - b.clears.length ||
      a.touches - b.touches ||
      b.worst - a.worst ||
      a.group.findings.length - b.group.findings.length ||
      b.group.key.localeCompare(a.group.key)) > 0
  );
}

function candidate(
  group: RuleGroup,
  remaining: ReadonlyMap<string, Set<string>>,
  fixed: ReadonlySet<string>,
): Candidate {
  const clears = [...group.affects]
    .filter((control) =>
      [...(remaining.get(control) ?? [])].every((rule) => rule === group.key || fixed.has(rule)),
    )
    .filter((control) => remaining.has(control))
    .sort();
  return {
    group,
    clears,
    touches: [...group.affects].filter((control) => remaining.has(control)).length,
    worst: Math.min(...group.findings.map((f) => SEVERITIES.indexOf(f.severity))),
  };
}

function stepOf(step: number, chosen: Candidate): PlanStep {
  const { group } = chosen;
  const findings = [...group.findings].sort(compareLocated);
  const first = findings[0];
  const locations = [
    ...new Set(
      findings.flatMap((f) =>
        f.file === undefined ? [] : [f.line === undefined ? f.file : `${f.file}:${f.line}`],
      ),
    ),
  ];
  const [agent = '', ruleId = ''] = group.key.split('/');
  return {
    step,
    agent,
    ruleId,
    title: first?.title ?? ruleId,
    findings: findings.length,
    locations: locations.slice(0, LISTED_LOCATIONS),
    clears: chosen.clears,
    affects: [...group.affects].sort(),
    ...(first?.remediation === undefined ? {} : { remediation: first.remediation }),
  };
}

/** Steps until every failing control is cleared. */
export function remediationPlan(outcomes: readonly ControlOutcome[]): PlanStep[] {
  const { rules, controls } = groupByRule(outcomes);
  const remaining = new Map(controls);
  const fixed = new Set<string>();
  const steps: PlanStep[] = [];
  while (fixed.size < rules.size) {
    let best: Candidate | undefined;
    for (const group of rules.values()) {
      if (fixed.has(group.key)) continue;
      const next = candidate(group, remaining, fixed);
      if (best === undefined || better(next, best)) best = next;
    }
    if (best === undefined) break;
    fixed.add(best.group.key);
    for (const control of best.clears) remaining.delete(control);
    steps.push(stepOf(steps.length + 1, best));
  }
  return steps;
}
