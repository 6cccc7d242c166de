/**
 * Runs every engine over the files through the scan pipeline (../scan/run.ts):
 * inline `aiops:allow` comments (each file's own comment syntax),
 * `.aiopsignore` files, CloudFormation `Metadata.aiops.ignore` and the
 * input's `ignore` suppress; findings are sorted by severity, then file and
 * line. `*.osv.json` files are advisories, not files to scan. A generic
 * secret on a line already reported as a Dockerfile or IaC secret is left out
 * (same problem, more specific rule). The score is the `survival` policy over
 * open findings; the risk score is what it takes away.
 */
import { extname } from 'node:path';
import { lockedPackages, lockfileKind } from '../../analysis/dependencies/lockfiles.js';
import { isDockerfile, languageOf } from '../../analysis/source/files.js';
import type { AgentContext, Finding, SourceFile } from '../contract.js';
import { readAdvisories } from '../scan/advisories.js';
import { describeCounts, plural, runScan, type ScanResult } from '../scan/run.js';
import { survivalScore } from '../scan/score.js';
import type { ParsedSuppressions } from '../suppressions.js';
import { scanCode } from './code.js';
import { scanDependencies } from './dependencies.js';
import { scanDockerfile } from './dockerfile.js';
import { parseTemplate, scanCloudFormation } from './iac-cloudformation.js';
import { parseTerraform, scanTerraform } from './iac-terraform.js';
import { RISK_WEIGHTS } from './rules.js';
import { SCAN_AREAS, type ScanArea, type SecurityInput, type SecurityOutput } from './schema.js';
import { scanSecrets } from './secrets.js';

const TEMPLATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template']);

function isTerraform(path: string): boolean {
  return /\.tf(?:\.json)?$/i.test(path);
}

/** 100 × (1 − Π(1 − weight)) over open findings (RISK_WEIGHTS): what the `survival` score takes away. */
export function riskScore(findings: readonly Finding[]): number {
  return 100 - survivalScore(findings, RISK_WEIGHTS);
}

/** What was read besides findings, for the metrics and the summary. */
interface Tally {
  scanned: number;
  dockerfiles: number;
  templates: number;
  codeFiles: number;
  packages: number;
  advisories: number;
  unreadableAdvisories: number;
}

const NOTHING_READ: Tally = {
  scanned: 0,
  dockerfiles: 0,
  templates: 0,
  codeFiles: 0,
  packages: 0,
  advisories: 0,
  unreadableAdvisories: 0,
};

/** The files the engines collect for a second pass, and what the per-file engines found. */
interface FileScan {
  /** The areas to look at (the input's `areas`, default all). */
  areas: ReadonlySet<ScanArea>;
  findings: Finding[];
  suppressions: ParsedSuppressions[];
  terraform: SourceFile[];
  lockfiles: SourceFile[];
  tally: Pick<Tally, 'dockerfiles' | 'templates' | 'codeFiles'>;
}

/**
 * Secrets in every file; then the engine its kind calls for (Dockerfile,
 * template, code). A Dockerfile also sees the other files: its build context.
 */
function scanFile(file: SourceFile, now: Date, scan: FileScan, files: readonly SourceFile[]): void {
  const { areas } = scan;
  // A loop, not push(...): a dump can hold more secrets than a call takes arguments.
  if (areas.has('secrets')) for (const finding of scanSecrets(file, { now })) scan.findings.push(finding);
  const lockfile = lockfileKind(file.path) !== undefined;
  if (lockfile && areas.has('dependencies')) scan.lockfiles.push(file);
  if (isDockerfile(file.path)) {
    if (areas.has('dockerfile')) {
      scan.tally.dockerfiles++;
      scan.findings.push(...scanDockerfile(file, files));
    }
  } else if (isTerraform(file.path)) {
    if (areas.has('iac')) scan.terraform.push(file);
  } else if (areas.has('iac') && !lockfile && TEMPLATE_EXTENSIONS.has(extname(file.path).toLowerCase())) {
    const parsed = parseTemplate(file);
    if (parsed !== undefined && 'template' in parsed) scan.tally.templates++;
    const template = scanCloudFormation(file, parsed);
    scan.findings.push(...template.findings);
    scan.suppressions.push(template.suppressions);
  }
  if (!lockfile && areas.has('code')) {
    if (languageOf(file.path) !== undefined) scan.tally.codeFiles++;
    scan.findings.push(...scanCode(file));
  }
}

/**
 * A literal in ENV/ARG or a template property is reported by its specific
 * rule (DOCKER004, IAC-HARDCODED-SECRET); the generic secret rule would repeat it.
 */
function withoutRepeatedSecrets(findings: readonly Finding[]): Finding[] {
  const assignedName = (f: Finding) => {
    const name = (f.evidence as { name?: unknown } | undefined)?.name;
    return `${f.resource?.file}\u0000${typeof name === 'string' ? name : ''}`;
  };
  const specific = new Set(
    findings.filter((f) => f.ruleId === 'DOCKER004' || f.ruleId === 'IAC-HARDCODED-SECRET').map(assignedName),
  );
  return findings.filter((f) => f.ruleId !== 'SEC-GENERIC-SECRET' || !specific.has(assignedName(f)));
}

/** Every engine over the files: per file, then Terraform as one module and the lockfiles against the advisories. */
async function checkFiles(files: readonly SourceFile[], input: SecurityInput, now: Date) {
  const { advisories, sources, unreadable } = readAdvisories(files, input.advisories ?? []);
  const scan: FileScan = {
    areas: new Set(input.areas ?? SCAN_AREAS),
    findings: [],
    suppressions: [],
    terraform: [],
    lockfiles: [],
    tally: { dockerfiles: 0, templates: 0, codeFiles: 0 },
  };
  for (const file of sources) scanFile(file, now, scan, sources);
  const terraform = scanTerraform(await parseTerraform(scan.terraform));
  const dependencies = scanDependencies(lockedPackages(scan.lockfiles), advisories);
  const tally: Tally = {
    ...scan.tally,
    scanned: sources.length,
    templates: scan.tally.templates + scan.terraform.length,
    packages: dependencies.packages,
    advisories: dependencies.advisories,
    unreadableAdvisories: unreadable,
  };
  const findings = withoutRepeatedSecrets([...scan.findings, ...terraform, ...dependencies.findings]);
  return { findings, suppressions: scan.suppressions, tally };
}

/** Open findings per area, as the summary and metrics name them. */
function openByArea(open: readonly Finding[]) {
  const count = (test: (ruleId: string) => boolean) => open.filter((f) => test(f.ruleId)).length;
  return {
    secrets: count((id) => id.startsWith('SEC-')),
    docker: count((id) => id.startsWith('DOCKER')),
    iac: count((id) => id.startsWith('IAC-')),
    code: count((id) => id.startsWith('CODE-')),
    dependencies: count((id) => id === 'DEP-VULNERABLE'),
  };
}

/** One sentence: what was read, what is open by severity and area, what was suppressed or skipped. */
function summarise(
  tally: Tally,
  scan: ScanResult,
  risk: number,
  byArea: ReturnType<typeof openByArea>,
  skipped: number,
): string {
  const unreadable = tally.unreadableAdvisories;
  return (
    `Scanned ${plural(tally.scanned, 'file')}: ${describeCounts(scan.counts)}; risk ${risk}/100. ` +
    `Secrets ${byArea.secrets}, Dockerfile ${byArea.docker}, IaC ${byArea.iac}, code ${byArea.code}, ` +
    `dependencies ${byArea.dependencies} (${plural(tally.packages, 'locked package')}, ${plural(tally.advisories, 'advisory', 'advisories')})` +
    `${scan.suppressed > 0 ? `; ${scan.suppressed} suppressed` : ''}` +
    `${unreadable > 0 ? `; ${plural(unreadable, 'advisory', 'advisories')} in *.osv.json files could not be read` : ''}` +
    `${skipped > 0 ? `; ${plural(skipped, 'file')} skipped (see skipped)` : ''}.`
  );
}

export async function analyzeSecurity(input: SecurityInput, context: AgentContext): Promise<SecurityOutput> {
  let tally: Tally = NOTHING_READ;
  const scan = await runScan({
    files: input.files,
    ignore: input.ignore,
    async check(files) {
      const checked = await checkFiles(files, input, context.now);
      tally = checked.tally;
      return checked;
    },
  });
  const score = survivalScore(scan.findings, RISK_WEIGHTS);
  const risk = 100 - score;
  const byArea = openByArea(scan.open);
  const skipped = input.skipped ?? [];
  const summary = summarise(tally, scan, risk, byArea, skipped.length);
  return {
    summary,
    score,
    riskScore: risk,
    findings: scan.findings,
    metrics: {
      files: tally.scanned,
      secrets: byArea.secrets,
      dockerfiles: tally.dockerfiles,
      templates: tally.templates,
      codeFiles: tally.codeFiles,
      packages: tally.packages,
      advisories: tally.advisories,
      vulnerablePackages: byArea.dependencies,
      suppressed: scan.suppressed,
      filesSkipped: skipped.length,
      riskScore: risk,
    },
    skipped,
  };
}
