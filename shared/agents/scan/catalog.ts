/**
 * An agent's rules as one typed catalog (../../../docs/architecture.md, Scans and rules): every
 * rule is a row of id, severity, category, title, why, how to fix, CWE and
 * docs link, and its samples — at least one input it must fire on and one it
 * must stay quiet on, gitleaks style. test/rules runs every sample through the
 * agent, docs/rules/<agent>.md is generated from the rows and SARIF rule
 * metadata comes from them, so a rule is described once.
 *
 * Ids are checked by the compiler: `catalog.finding('K8S001', …)` with an id
 * the catalog does not hold does not build.
 */
import { AgentError } from '../../core/errors.js';
import type { Finding } from '../finding.js';
import { type Rule, type RuleCatalog, type RuleFindingInput, ruleCatalog, ruleFinding } from '../rules.js';

/**
 * An input a rule is shown on. `path` and `content`: one file, read as
 * `aiops analyze` reads it (the agent's `fromFiles`); `files`: several (a
 * config-drift pair, a template and its `.aiopsignore`); `input`: the agent's
 * JSON input as the API takes it, for agents or fields no file gives.
 */
export type RuleSample = (
  | { path: string; content: string }
  | { files: readonly { path: string; content: string }[] }
  | { input: unknown }
) & {
  /** What the sample shows, when the content does not say it. */
  why?: string;
  /** Bad samples: the line the finding must point at. */
  line?: number;
};

export interface RuleSamples {
  /** Inputs the rule must report (an open finding of this rule). */
  bad: readonly RuleSample[];
  /** Inputs it must not report: the fixed form, or a near miss. */
  good: readonly RuleSample[];
}

export interface RuleSpec<Id extends string = string> extends Rule {
  id: Id;
  /** CWE ids ('CWE-798') for security rules. */
  cwe?: readonly string[];
  /** Where to read more: the upstream documentation the rule follows. */
  docs?: string;
  /** The same check in other tools ('checkov CKV_AZURE_33'): named in the docs, the idea not their code. */
  references?: readonly string[];
  samples: RuleSamples;
}

export interface Catalog<Id extends string = string> {
  /** The agent the rules belong to. */
  readonly agent: string;
  /** Every rule in the order written (docs and SARIF keep it). */
  readonly rules: readonly RuleSpec<Id>[];
  /** The rules keyed by id, as `defineAgent({ rules })` and SARIF take them. */
  readonly byId: RuleCatalog;
  rule(id: Id): RuleSpec<Id>;
  /** A finding of rule `id`: title and remediation from the row, a fingerprint from the place. */
  finding(id: Id, input: RuleFindingInput): Finding;
  has(id: string): id is Id;
}

/**
 * The catalog of an agent's rules. Throws at import on a malformed or
 * repeated id, or a rule without a bad and a good sample.
 */
export function defineRules<const Id extends string>(
  agent: string,
  rules: readonly RuleSpec<Id>[],
): Catalog<Id> {
  for (const rule of rules) {
    if (rule.samples.bad.length === 0 || rule.samples.good.length === 0) {
      throw new AgentError(`Rule ${rule.id} of ${agent} needs at least one bad and one good sample`, {
        details: { agent, ruleId: rule.id },
      });
    }
  }
  const byId = ruleCatalog(rules);
  const specs = new Map<string, RuleSpec<Id>>(rules.map((rule) => [rule.id, rule]));
  const rule = (id: Id): RuleSpec<Id> => {
    const spec = specs.get(id);
    if (spec === undefined)
      throw new AgentError(`${agent} has no rule ${id}`, { details: { agent, ruleId: id } });
    return spec;
  };
  return Object.freeze({
    agent,
    rules,
    byId,
    rule,
    finding: (id: Id, input: RuleFindingInput) => ruleFinding(rule(id), input),
    has: (id: string): id is Id => specs.has(id),
  });
}

/** Several catalogs (an agent's areas, written apart) as one; ids must stay unique. */
export function joinCatalogs<Id extends string>(
  agent: string,
  ...parts: readonly Catalog<Id>[]
): Catalog<Id> {
  return defineRules<Id>(
    agent,
    parts.flatMap((part) => part.rules),
  );
}
