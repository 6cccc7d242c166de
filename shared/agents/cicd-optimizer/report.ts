/**
 * Findings about pipelines: each names the file, the job (or the workflow,
 * action or pipeline as a whole) and the line of the field it is about, so
 * inline `# aiops:allow` comments match by line and fingerprints stay stable
 * when lines move.
 */
import type { Finding, Severity } from '../contract.js';
import { CICD_RULES, type CicdRuleId } from './rules.js';

export interface Place {
  /** 'Workflow', 'Job', 'Step', 'Action', 'Pipeline', 'Test', 'Run'. */
  kind: string;
  name: string;
  file?: string;
  line?: number;
}

export interface AddOptions {
  severity?: Severity;
  evidence?: Record<string, unknown>;
  /** What identifies the place beyond rule, file, kind and name (a step index, an expression). */
  key?: readonly (string | number | undefined)[];
  remediation?: string;
}

export class Report {
  readonly findings: Finding[] = [];

  add(rule: CicdRuleId, place: Place, message: string, options: AddOptions = {}): Finding {
    const finding = CICD_RULES.finding(rule, {
      message,
      resource: {
        kind: place.kind,
        name: place.name,
        ...(place.file === undefined ? {} : { file: place.file }),
        ...(place.line === undefined ? {} : { line: place.line }),
      },
      ...(options.evidence === undefined ? {} : { evidence: options.evidence }),
      ...(options.severity === undefined ? {} : { severity: options.severity }),
      ...(options.key === undefined ? {} : { key: options.key }),
    });
    if (options.remediation !== undefined) finding.remediation = options.remediation;
    this.findings.push(finding);
    return finding;
  }
}
