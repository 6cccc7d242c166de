/**
 * Findings about manifest objects: every finding names its object (kind, name,
 * namespace, file) and the line of the field it is about, so annotation
 * suppressions match by object and inline `# aiops:allow` comments by line.
 */
import type { Finding, Severity } from '../contract.js';
import type { ManifestObject, Path } from './manifests.js';
import { K8S_RULES, type K8sRuleId } from './rules.js';

export interface FindingOptions {
  severity?: Severity;
  evidence?: Record<string, unknown>;
  /** What identifies the place inside the object (container name, field); see ruleFinding. */
  key?: readonly (string | number | undefined)[];
  /** Replaces the rule's remediation where the rule's usual advice would be wrong for this object. */
  remediation?: string;
}

export function resourceOf(
  object: ManifestObject,
  line: number | undefined,
): NonNullable<Finding['resource']> {
  return {
    kind: object.kind,
    name: object.name,
    ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
    ...(object.file === undefined ? {} : { file: object.file }),
    ...(line === undefined ? {} : { line }),
  };
}

export class Report {
  readonly findings: Finding[] = [];

  add(
    rule: K8sRuleId,
    object: ManifestObject,
    path: Path,
    message: string,
    options: FindingOptions = {},
  ): Finding {
    const finding = K8S_RULES.finding(rule, {
      message,
      resource: resourceOf(object, object.lineOf(path)),
      ...(options.evidence === undefined ? {} : { evidence: options.evidence }),
      ...(options.severity === undefined ? {} : { severity: options.severity }),
      ...(options.key === undefined ? {} : { key: options.key }),
    });
    if (options.remediation !== undefined) finding.remediation = options.remediation;
    this.findings.push(finding);
    return finding;
  }
}
