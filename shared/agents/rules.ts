/**
 * Rules as data (../../docs/architecture.md, The agent contract): a scanning agent's
 * checks are rows of id, severity, category, title, docs text and remediation,
 * so adding a check is adding a row, and the same rows feed findings, SARIF
 * rule metadata and the docs.
 */
import { AgentError } from '../core/errors.js';
import { type Finding, fingerprint, type Severity } from './finding.js';

export interface Rule {
  /** 'K8S001', 'SEC-AWS-ACCESS-KEY', 'DOCKER001', 'IAC-S3-PUBLIC', 'SQL001', ... */
  id: string;
  /** Default severity of its findings. */
  severity: Severity;
  /** e.g. 'reliability' | 'security' | 'efficiency' | 'performance' | 'correctness' | 'cost' */
  category: string;
  /** One line. */
  title: string;
  /** Docs text: what it detects and why it matters. */
  description: string;
  /** What to do. */
  remediation: string;
  /** How often a finding of this rule is a true positive (SARIF `precision`); default 'high'. */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
}

export type RuleCatalog = Readonly<Record<string, Rule>>;

/** Rule ids: upper-case words of letters and digits joined by dashes ('K8S001', 'SEC-AWS-ACCESS-KEY'). */
export const RULE_ID_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;

/** Builds a catalog keyed by id from rows; throws on duplicate or malformed ids (checked at import). */
export function ruleCatalog(rules: readonly Rule[]): RuleCatalog {
  const catalog: Record<string, Rule> = {};
  for (const rule of rules) {
    if (!RULE_ID_PATTERN.test(rule.id)) {
      throw new AgentError(`Rule id "${rule.id}" is not upper-case letters, digits and dashes`, {
        details: { ruleId: rule.id },
      });
    }
    if (Object.hasOwn(catalog, rule.id)) {
      throw new AgentError(`Duplicate rule id ${rule.id} in a rule catalog`, {
        details: { ruleId: rule.id },
      });
    }
    catalog[rule.id] = Object.freeze({ ...rule });
  }
  return Object.freeze(catalog);
}

export interface RuleFindingInput {
  message: string;
  /** { kind, name, namespace?, file?, line? } */
  resource?: Finding['resource'];
  /** Never a secret value: mask first. */
  evidence?: unknown;
  /** Overrides rule.severity (e.g. lowered for test fixtures). */
  severity?: Severity;
  /** Parts that identify the place beyond rule id, file and resource name (e.g. container name, column). */
  key?: readonly (string | number | undefined)[];
}

/**
 * A Finding from a rule: ruleId, title and remediation come from the rule; the
 * fingerprint is made of the rule id, file, kind, name, namespace and `key`,
 * never of line numbers (lines move when a file is edited above the finding).
 */
export function ruleFinding(rule: Rule, input: RuleFindingInput): Finding {
  const { resource } = input;
  const finding: Finding = {
    ruleId: rule.id,
    severity: input.severity ?? rule.severity,
    title: rule.title,
    message: input.message,
    remediation: rule.remediation,
    fingerprint: fingerprint(
      rule.id,
      resource?.file,
      resource?.kind,
      resource?.name,
      resource?.namespace,
      ...(input.key ?? []),
    ),
  };
  if (resource !== undefined) finding.resource = resource;
  if (input.evidence !== undefined) finding.evidence = input.evidence;
  return finding;
}
