/**
 * Runs every engine over the files, then applies suppressions last: inline
 * `aiops:allow` comments (each file's own comment syntax), `.aiopsignore`
 * files, CloudFormation `Metadata.aiops.ignore` and the input's `ignore`.
 * A generic secret on a line already reported as a Dockerfile or IaC secret is
 * left out (same problem, more specific rule). Findings are sorted by
 * severity, then file and line; the risk score counts open findings only.
 */
import { basename, extname } from 'node:path';
import { commentMarkers, isDockerfile, languageOf } from '../../analysis/source/files.js';
import { type AgentContext, countFindings, type Finding, SEVERITIES } from '../contract.js';
import {
  applySuppressions,
  fromIgnoreInput,
  mergeSuppressions,
  type ParsedSuppressions,
  parseAiopsIgnore,
  parseInlineAllows,
} from '../suppressions.js';
import { scanCode } from './code.js';
import {
  advisoriesFromFile,
  lockedPackages,
  lockfileKind,
  type OsvAdvisory,
  scanDependencies,
} from './dependencies.js';
import { scanDockerfile } from './dockerfile.js';
import { parseTemplate, scanCloudFormation } from './iac-cloudformation.js';
import { parseTerraform, scanTerraform } from './iac-terraform.js';
import { RISK_WEIGHTS } from './rules.js';
import { osvAdvisorySchema, type SecurityInput, type SecurityOutput } from './schema.js';
import { scanSecrets } from './secrets.js';

const TEMPLATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);

function isTerraform(path: string): boolean {
  return /\.tf(?:\.json)?$/i.test(path);
}

/** 100 × (1 − Π(1 − weight)) over open findings (RISK_WEIGHTS). */
export function riskScore(findings: readonly Finding[]): number {
  let safe = 1;
  for (const finding of findings) if (!finding.suppressed) safe *= 1 - RISK_WEIGHTS[finding.severity];
  return Math.round(100 * (1 - safe));
}

function compare(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.resource?.file ?? '').localeCompare(b.resource?.file ?? '') ||
    (a.resource?.line ?? 0) - (b.resource?.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export async function analyzeSecurity(input: SecurityInput, context: AgentContext): Promise<SecurityOutput> {
  const suppressions: ParsedSuppressions[] = [{ suppressions: fromIgnoreInput(input.ignore), problems: [] }];
  const advisories: OsvAdvisory[] = [...(input.advisories ?? [])];
  const findings: Finding[] = [];
  const terraform = [];
  const lockfiles = [];
  let scanned = 0;
  let dockerfiles = 0;
  let templates = 0;
  let codeFiles = 0;
  let unreadableAdvisories = 0;

  for (const file of input.files) {
    if (basename(file.path) === '.aiopsignore') {
      suppressions.push(parseAiopsIgnore(file.content, file.path));
      continue;
    }
    if (/\.osv\.json$/i.test(file.path)) {
      for (const entry of advisoriesFromFile(file) ?? [undefined]) {
        const parsed = osvAdvisorySchema.safeParse(entry);
        if (parsed.success) advisories.push(parsed.data);
        else unreadableAdvisories++;
      }
      continue;
    }
    scanned++;
    const markers = commentMarkers(file.path);
    if (markers.length > 0) suppressions.push(parseInlineAllows(file.path, file.content, markers));
    findings.push(...scanSecrets(file, { now: context.now }));
    const lockfile = lockfileKind(file.path) !== undefined;
    if (lockfile) lockfiles.push(file);
    if (isDockerfile(file.path)) {
      dockerfiles++;
      findings.push(...scanDockerfile(file));
    } else if (isTerraform(file.path)) {
      terraform.push(file);
    } else if (!lockfile && TEMPLATE_EXTENSIONS.has(extname(file.path).toLowerCase())) {
      const parsed = parseTemplate(file);
      if (parsed !== undefined && 'template' in parsed) templates++;
      const scan = scanCloudFormation(file, parsed);
      findings.push(...scan.findings);
      suppressions.push(scan.suppressions);
    }
    if (!lockfile) {
      if (languageOf(file.path) !== undefined) codeFiles++;
      findings.push(...scanCode(file));
    }
  }
  templates += terraform.length;
  findings.push(...scanTerraform(await parseTerraform(terraform)));
  const dependencies = scanDependencies(lockedPackages(lockfiles), advisories);
  findings.push(...dependencies.findings);

  // A literal in ENV/ARG or a template property is reported by its specific rule; the generic one would repeat it.
  const assignedName = (f: Finding) => {
    const name = (f.evidence as { name?: unknown } | undefined)?.name;
    return `${f.resource?.file}\u0000${typeof name === 'string' ? name : ''}`;
  };
  const specific = new Set(
    findings.filter((f) => f.ruleId === 'DOCKER004' || f.ruleId === 'IAC-HARDCODED-SECRET').map(assignedName),
  );
  const deduplicated = findings.filter(
    (f) => f.ruleId !== 'SEC-GENERIC-SECRET' || !specific.has(assignedName(f)),
  );

  const result = applySuppressions(deduplicated.sort(compare), mergeSuppressions(...suppressions));
  const open = result.filter((f) => !f.suppressed);
  const risk = riskScore(result);
  const counts = countFindings(result);
  const suppressed = result.length - open.length;
  const byArea = {
    secrets: open.filter((f) => f.ruleId.startsWith('SEC-')).length,
    docker: open.filter((f) => f.ruleId.startsWith('DOCKER')).length,
    iac: open.filter((f) => f.ruleId.startsWith('IAC-')).length,
    code: open.filter((f) => f.ruleId.startsWith('CODE-')).length,
    dependencies: open.filter((f) => f.ruleId === 'DEP-VULNERABLE').length,
  };
  const skipped = input.skipped ?? [];
  const severities = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const summary =
    `Scanned ${plural(scanned, 'file')}: ` +
    (open.length === 0
      ? 'no open findings'
      : `${plural(open.length, 'open finding')} (${severities.join(', ')})`) +
    `; risk ${risk}/100. Secrets ${byArea.secrets}, Dockerfile ${byArea.docker}, IaC ${byArea.iac}, code ${byArea.code}, ` +
    `dependencies ${byArea.dependencies} (${plural(dependencies.packages, 'locked package')}, ${plural(dependencies.advisories, 'advisory', 'advisories')})` +
    `${suppressed > 0 ? `; ${suppressed} suppressed` : ''}` +
    `${unreadableAdvisories > 0 ? `; ${plural(unreadableAdvisories, 'advisory', 'advisories')} in *.osv.json files could not be read` : ''}` +
    `${skipped.length > 0 ? `; ${plural(skipped.length, 'file')} skipped (see skipped)` : ''}.`;

  return {
    summary,
    score: 100 - risk,
    riskScore: risk,
    findings: result,
    metrics: {
      files: scanned,
      secrets: byArea.secrets,
      dockerfiles,
      templates,
      codeFiles,
      packages: dependencies.packages,
      advisories: dependencies.advisories,
      vulnerablePackages: byArea.dependencies,
      suppressed,
      filesSkipped: skipped.length,
      riskScore: risk,
    },
    skipped,
  };
}
