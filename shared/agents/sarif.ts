/**
 * SARIF 2.1.0 from agent results (../../docs/architecture.md, CLI conventions), shaped
 * for GitHub code scanning: one run per agent, every rule in
 * `tool.driver.rules` with its docs, results pointing at their rule by index,
 * repository-relative locations with a line ≥ 1, our fingerprint as a partial
 * fingerprint (so alerts follow code that moves), and suppressed findings kept
 * with a SARIF `suppressions` entry (GitHub closes those as dismissed).
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { AgentResult, Finding, Severity } from './contract.js';
import type { Rule } from './rules.js';
import type { Catalog } from './scan/catalog.js';
import { SUPPRESSION_RULES } from './suppressions.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifRunInput {
  agent: { name: string; version: string; description: string };
  rules?: Catalog;
  result: AgentResult;
  /**
   * Repository-relative file that findings without a file are reported at
   * (line 1): GitHub code scanning rejects a whole upload when one result has
   * no location. The CLI passes the first file it read (or the `--input`
   * file). Absent: such findings become location-less results, which SARIF
   * allows.
   */
  anchor?: string;
}

export interface SarifOptions {
  /** `tool.driver.informationUri`: where users read about the tool. */
  informationUri?: string;
}

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub's `security-severity` scale (a number as a string): over 9.0 is
 * critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. Info findings carry
 * none.
 */
const SECURITY_SEVERITY: Partial<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** Suppressions written next to the code they silence; the others live apart (`.aiopsignore`, the input). */
const IN_SOURCE = new Set<string>(['inline', 'annotation', 'cloudformation']);

/** 'Missing CPU/memory requests' → 'MissingCpuMemoryRequests' (SARIF `name` is an identifier). */
function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]?.toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}

function sarifRule(rule: Rule): Sarif.ReportingDescriptor {
  const securitySeverity = rule.category === 'security' ? SECURITY_SEVERITY[rule.severity] : undefined;
  return {
    id: rule.id,
    name: ruleName(rule.title) || rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description}\n\nRemediation: ${rule.remediation}`,
      markdown: `**${rule.title}**\n\n${rule.description}\n\n**Remediation:** ${rule.remediation}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: [rule.category],
      precision: rule.precision ?? 'high',
      ...(securitySeverity === undefined ? {} : { 'security-severity': securitySeverity }),
    },
  };
}

/** A rule for a finding whose id no catalog knows (agents that predate rule catalogs). */
function ruleFromFinding(finding: Finding): Rule {
  return {
    id: finding.ruleId,
    severity: finding.severity,
    category: 'general',
    title: finding.title,
    description: finding.title,
    remediation: finding.remediation ?? 'See the finding message.',
  };
}

/** A repository-relative path as a URI reference: forward slashes, no `./`, each segment percent-encoded. */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = path
    .replaceAll('\\', '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function locations(finding: Finding, anchor: string | undefined): Sarif.Location[] | undefined {
  const file = finding.resource?.file ?? anchor;
  if (file === undefined) return undefined;
  const line = finding.resource?.file === undefined ? 1 : (finding.resource.line ?? 1);
  const r = finding.resource;
  return [
    {
      physicalLocation: { artifactLocation: artifactUri(file), region: { startLine: line } },
      ...(r === undefined
        ? {}
        : {
            logicalLocations: [
              {
                name: r.name,
                fullyQualifiedName: `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`,
                kind: 'resource',
              },
            ],
          }),
    },
  ];
}

function sarifResult(finding: Finding, ruleIndex: number, anchor: string | undefined): Sarif.Result {
  const located = locations(finding, anchor);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message.trim() === '' ? finding.title : finding.message },
    ...(located === undefined ? {} : { locations: located }),
    partialFingerprints: { 'aiops/v1': finding.fingerprint },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: IN_SOURCE.has(finding.suppressionSource ?? 'input') ? 'inSource' : 'external',
              status: 'accepted',
              ...(finding.suppressionReason === undefined
                ? {}
                : { justification: finding.suppressionReason }),
            },
          ],
        }
      : {}),
    properties: { severity: finding.severity },
  };
}

function sarifRun(input: SarifRunInput, options: SarifOptions): Sarif.Run {
  const rules: Rule[] = Object.values(input.rules?.byId ?? {});
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const indexOf = (finding: Finding): number => {
    const known = index.get(finding.ruleId);
    if (known !== undefined) return known;
    rules.push(SUPPRESSION_RULES[finding.ruleId] ?? ruleFromFinding(finding));
    index.set(finding.ruleId, rules.length - 1);
    return rules.length - 1;
  };
  const results = input.result.findings.map((finding) =>
    sarifResult(finding, indexOf(finding), input.anchor),
  );
  return {
    tool: {
      driver: {
        name: `aiops-${input.agent.name}`,
        version: input.agent.version,
        ...(options.informationUri === undefined ? {} : { informationUri: options.informationUri }),
        fullDescription: { text: input.agent.description },
        rules: rules.map(sarifRule),
      },
    },
    results,
    columnKind: 'utf16CodeUnits',
    properties: {
      summary: input.result.summary,
      ...(input.result.score === undefined ? {} : { score: input.result.score }),
      ...(input.result.metrics === undefined ? {} : { metrics: input.result.metrics }),
    },
  };
}

/** One SARIF log with a run per agent result. */
export function toSarif(runs: readonly SarifRunInput[], options: SarifOptions = {}): Sarif.Log {
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: runs.map((run) => sarifRun(run, options)) };
}
