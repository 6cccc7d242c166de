/**
 * Reads every lockfile among the files (shared/analysis/dependencies/), then
 * runs the checks through the scan pipeline: licences against the policy and
 * the project licence, registry metadata (outdated, deprecated,
 * unmaintained), the tree (duplicates, heavy dependencies, depth), unused
 * declared dependencies when sources are given, and OSV advisories. Besides
 * the findings: the licence table, each lockfile's tree facts, the files not
 * read and why, and a CycloneDX 1.6 SBOM. The score is the `survival` policy
 * over open findings.
 */
import { basename } from 'node:path';
import { normaliseLicense } from '../../analysis/dependencies/licenses.js';
import { readLockfiles } from '../../analysis/dependencies/lockfiles.js';
import type { LockedPackage, Lockfile } from '../../analysis/dependencies/model.js';
import { describeMatch, matchAdvisories } from '../../analysis/dependencies/osv.js';
import type { AgentContext, Finding, SourceFile } from '../contract.js';
import { readAdvisories } from '../scan/advisories.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { SURVIVAL_WEIGHTS, survivalScore } from '../scan/score.js';
import { type LicensedPackage, licenseFindings, licenseTable, projectKind } from './licenses.js';
import { DEFAULT_STALE_DAYS, indexMetadata, type MetadataIndex, metadataFindings } from './metadata.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';
import { toCycloneDx } from './sbom.js';
import type { DependencyInput, DependencyOutput } from './schema.js';
import { DEFAULT_LIMITS, treeFacts, treeFindings } from './tree.js';
import { unusedJsDependencies } from './unused-js.js';
import { unusedPythonDependencies } from './unused-python.js';

/** What the agent reads besides lockfiles: manifests, sources and configuration for the unused check. */
export function readsFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    name === 'package.json' ||
    name === 'pyproject.toml' ||
    /\.(?:[cm]?[jt]sx?|py|vue|svelte|astro|json|jsonc|ya?ml|toml|cfg|ini|sh)$/.test(name) ||
    /^(?:dockerfile|containerfile|makefile|procfile|\.[\w-]*rc)$/.test(name)
  );
}

function licensed(lockfiles: readonly Lockfile[], index: MetadataIndex): LicensedPackage[] {
  return lockfiles.flatMap((lockfile) =>
    lockfile.packages.map((pkg): LicensedPackage => {
      const meta = index.of(pkg);
      const stated = pkg.license ?? meta?.license;
      const parsed = stated === undefined ? undefined : normaliseLicense(stated);
      return {
        pkg,
        expected: meta !== undefined || lockfile.recordsLicenses === true,
        ...(stated === undefined
          ? {}
          : { stated, source: pkg.license === undefined ? 'metadata' : 'lockfile' }),
        ...(parsed === undefined ? {} : { parsed }),
      };
    }),
  );
}

function unreadable(lockfile: Lockfile): Finding {
  return RULES.finding('DEPS-UNREADABLE', {
    message: `${lockfile.file} could not be read as a ${lockfile.kind} lockfile: ${lockfile.problem?.message ?? 'unknown format'}.`,
    resource: {
      kind: 'Lockfile',
      name: lockfile.file,
      file: lockfile.file,
      ...(lockfile.problem?.line ? { line: lockfile.problem.line } : {}),
    },
  });
}

function vulnerabilities(
  packages: readonly LockedPackage[],
  advisories: Parameters<typeof matchAdvisories>[1],
) {
  const { matches, advisories: usable } = matchAdvisories(packages, advisories);
  const findings = matches.map((match) => {
    const { message, severity, evidence } = describeMatch(match);
    return RULES.finding('DEPS-VULNERABLE', {
      message,
      severity,
      evidence,
      resource: {
        kind: 'Package',
        name: `${match.pkg.name}@${match.pkg.version}`,
        file: match.pkg.file,
        ...(match.pkg.line ? { line: match.pkg.line } : {}),
      },
      key: [match.advisory.id],
    });
  });
  return { findings, advisories: usable };
}

/** The files the agent did not read (not a lockfile, manifest, source or configuration it knows), and why. */
function unreadFiles(files: readonly SourceFile[], lockfiles: readonly Lockfile[]) {
  const read = new Set(lockfiles.map((l) => l.file));
  return files
    .filter((f) => !read.has(f.path) && !readsFile(f.path))
    .map((f) => ({
      path: f.path,
      reason: 'not a lockfile, manifest, source or configuration file dependency-analyzer reads',
    }));
}

interface Checked {
  findings: Finding[];
  lockfiles: Lockfile[];
  licensed: LicensedPackage[];
  unread: { path: string; reason: string }[];
  facts: Map<string, ReturnType<typeof treeFacts>>;
  libyears: number;
  project: { kind: string; license: string };
}

function check(files: readonly SourceFile[], input: DependencyInput, now: Date): Checked {
  const read = readAdvisories(files, input.advisories ?? []);
  const sources = read.sources;
  // The same advisory in several *.osv.json files (one per service folder) is one advisory.
  const advisories = [...new Map(read.advisories.map((a) => [a.id, a])).values()];
  const lockfiles = readLockfiles(sources);
  const index = indexMetadata(input.metadata);
  const items = licensed(lockfiles, index);
  const projectLicense =
    input.project?.license ??
    lockfiles.find((l) => l.project?.license)?.project?.license ??
    manifestLicense(sources);
  const project = projectKind(projectLicense);
  const packages = lockfiles.flatMap((l) => l.packages);
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const facts = new Map(lockfiles.map((l) => [l.file, treeFacts(l)]));
  const meta = metadataFindings(packages, index, now, input.limits?.staleDays ?? DEFAULT_STALE_DAYS);
  const findings = [
    ...lockfiles.filter((l) => l.problem).map(unreadable),
    ...licenseFindings(items, input.policy, project),
    ...meta.findings,
    ...lockfiles.flatMap((l) => treeFindings(l, facts.get(l.file) ?? treeFacts(l), limits)),
    ...unusedJsDependencies(sources, lockfiles),
    ...unusedPythonDependencies(sources),
    ...vulnerabilities(packages, advisories).findings,
  ];
  return {
    findings,
    lockfiles,
    licensed: items,
    unread: unreadFiles(sources, lockfiles),
    facts,
    libyears: meta.libyears,
    project,
  };
}

/** The licence of the root package.json, when the lockfile does not carry it (yarn, pnpm). */
function manifestLicense(files: readonly SourceFile[]): string | undefined {
  const manifest = files.find((f) => f.path === 'package.json' || f.path.endsWith('/package.json'));
  if (manifest === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(manifest.content);
    const license = (value as { license?: unknown }).license;
    return typeof license === 'string' ? license : undefined;
  } catch {
    return undefined;
  }
}

const count = (open: readonly Finding[], ...ids: string[]) =>
  open.filter((f) => ids.includes(f.ruleId)).length;

export async function analyzeDependencies(
  input: DependencyInput,
  context: AgentContext,
): Promise<DependencyOutput> {
  let checked: Checked | undefined;
  const scan = await runScan({
    files: input.files,
    ignore: input.ignore,
    check(files) {
      checked = check(files, input, context.now);
      return checked;
    },
  });
  // runScan calls check exactly once before it returns.
  const result = checked as Checked;
  const distinct = new Set(
    result.lockfiles.flatMap((l) => l.packages.map((p) => `${p.ecosystem}:${p.name}@${p.version}`)),
  );
  const direct = new Set(
    result.lockfiles.flatMap((l) =>
      (result.facts.get(l.file)?.direct ?? []).map((k) => `${l.ecosystem}:${k}`),
    ),
  );
  const maxDepth = Math.max(0, ...[...result.facts.values()].map((f) => f.maxDepth));
  const licenses = licenseTable(result.licensed);
  const read = result.lockfiles.filter((l) => !l.problem && l.packages.length > 0);
  const score = survivalScore(scan.findings, SURVIVAL_WEIGHTS);
  const unknown = result.licensed.filter((i) => i.parsed === undefined && (i.expected || i.stated)).length;
  const unrecorded = result.licensed.filter((i) => !i.expected && i.stated === undefined).length;
  const summary =
    result.lockfiles.length === 0
      ? `No lockfile among the ${plural(scan.files.length, 'file')} given: nothing to analyse (${describeCounts(scan.counts)})` +
        `${result.unread.length > 0 ? `; ${plural(result.unread.length, 'file')} not read (see unread)` : ''}.`
      : `Read ${plural(read.length, 'lockfile')} with ${plural(distinct.size, 'package')} (${direct.size} direct, depth ${maxDepth}); ` +
        `${describeCounts(scan.counts)}; ${plural(licenses.length, 'licence')} (project: ${result.project.license}, ${result.project.kind})` +
        `${unknown > 0 ? `, ${unknown} without a recognised licence` : ''}` +
        `${unrecorded > 0 ? `, ${unrecorded} not recorded in the lockfile (give registry metadata)` : ''}` +
        `${scan.suppressed > 0 ? `; ${scan.suppressed} suppressed` : ''}` +
        `${result.unread.length > 0 ? `; ${plural(result.unread.length, 'file')} not read (see unread)` : ''}.`;
  return {
    summary,
    score,
    findings: scan.findings,
    metrics: {
      lockfiles: result.lockfiles.length,
      packages: distinct.size,
      direct: direct.size,
      transitive: Math.max(0, distinct.size - direct.size),
      maxDepth,
      duplicates: count(scan.open, 'DEPS-DUPLICATE'),
      vulnerable: count(scan.open, 'DEPS-VULNERABLE'),
      outdated: count(scan.open, 'DEPS-OUTDATED-MAJOR', 'DEPS-OUTDATED-MINOR'),
      deprecated: count(scan.open, 'DEPS-DEPRECATED'),
      unused: count(scan.open, 'DEPS-UNUSED'),
      licensesUnknown: unknown,
      libyears: result.libyears,
    },
    licenses,
    lockfiles: result.lockfiles.map((l) => ({
      file: l.file,
      kind: l.kind,
      packages: l.packages.length,
      direct: result.facts.get(l.file)?.direct.length ?? 0,
      maxDepth: result.facts.get(l.file)?.maxDepth ?? 0,
      ...(l.problem ? { problem: l.problem.message } : {}),
    })),
    unread: result.unread,
    sbom: toCycloneDx(
      result.lockfiles,
      result.licensed,
      (file) => result.facts.get(file)?.direct ?? [],
      context.now,
    ) as DependencyOutput['sbom'],
  };
}
