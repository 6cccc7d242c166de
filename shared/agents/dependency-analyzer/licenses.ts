/**
 * Licence findings and the licence table. Each package's licence is what its
 * lockfile declares, else what the registry metadata says. The project's own
 * licence (input `project.license`, else the root manifest's, else
 * proprietary — the cautious reading for code that states none) decides what
 * copyleft means: in proprietary code a GPL or AGPL dependency is high and an
 * LGPL, MPL or EPL one medium (linking and file-level obligations); in a
 * permissively licensed project only strong and network copyleft are
 * reported, as medium (the combined work would carry the GPL); a copyleft
 * project has no conflict. Development-only packages are not distributed, so
 * they are left out unless the policy says `includeDev`.
 */
import {
  alternatives,
  classOf,
  type LicenseClass,
  type LicenseNode,
  normaliseLicense,
} from '../../analysis/dependencies/licenses.js';
import type { LockedPackage } from '../../analysis/dependencies/model.js';
import type { Finding, Severity } from '../contract.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';
import type { DependencyInput } from './schema.js';

/** A package with the licence it is known by and where that came from. */
export interface LicensedPackage {
  pkg: LockedPackage;
  /** The licence as stated; undefined when neither the lockfile nor the metadata states one. */
  stated?: string;
  source?: 'lockfile' | 'metadata';
  /** Whether a licence was to be expected: the lockfile records licences, or metadata was given for the package. */
  expected: boolean;
  /** The stated licence as a parsed SPDX expression; undefined when it is not one. */
  parsed?: { expression: string; tree: LicenseNode };
}

export type ProjectKind = 'proprietary' | 'permissive' | 'copyleft';

/** The project's licence class from its stated licence; none stated or not open source reads as proprietary. */
export function projectKind(license: string | undefined): { kind: ProjectKind; license: string } {
  if (license === undefined || /^(?:unlicensed|proprietary|see license in)/i.test(license.trim()))
    return { kind: 'proprietary', license: license ?? '(none stated)' };
  const parsed = normaliseLicense(license);
  if (parsed === undefined) return { kind: 'proprietary', license };
  const cls = classOf(parsed.tree);
  if (cls === 'permissive') return { kind: 'permissive', license: parsed.expression };
  if (cls === 'weak-copyleft' || cls === 'strong-copyleft' || cls === 'network-copyleft')
    return { kind: 'copyleft', license: parsed.expression };
  return { kind: 'proprietary', license: parsed.expression };
}

const where = (pkg: LockedPackage) => ({
  kind: 'Package',
  name: `${pkg.name}@${pkg.version}`,
  file: pkg.file,
  ...(pkg.line ? { line: pkg.line } : {}),
});

function copyleftSeverity(cls: LicenseClass, project: ProjectKind): Severity | undefined {
  if (project === 'copyleft') return undefined;
  if (cls === 'network-copyleft' || cls === 'strong-copyleft')
    return project === 'proprietary' ? 'high' : 'medium';
  if (cls === 'weak-copyleft' && project === 'proprietary') return 'medium';
  return undefined;
}

const upper = (ids: readonly string[] | undefined) =>
  ids === undefined ? undefined : new Set(ids.map((id) => normaliseLicense(id)?.expression ?? id));

/** The findings of one licensed package under the policy and the project's licence. */
function findingsOf(
  item: LicensedPackage,
  policy: NonNullable<DependencyInput['policy']>,
  project: { kind: ProjectKind; license: string },
): Finding[] {
  const { pkg, parsed, stated } = item;
  if ((pkg.dev && policy.includeDev !== true) || (!item.expected && stated === undefined)) return [];
  if (parsed === undefined) {
    return [
      RULES.finding('DEPS-LICENSE-UNKNOWN', {
        message:
          stated === undefined
            ? `${pkg.name} ${pkg.version} states no licence: without one, no right to use or distribute it is granted.`
            : `${pkg.name} ${pkg.version} states "${stated.slice(0, 120)}", which is not an SPDX licence expression: read the terms before shipping it.`,
        resource: where(pkg),
        evidence: { stated: stated ?? null, source: item.source ?? null },
      }),
    ];
  }
  const findings: Finding[] = [];
  const alts = alternatives(parsed.tree).map((alt) => alt.map((l) => l.id));
  const deny = upper(policy.deny);
  const allow = upper(policy.allow);
  const evidence = { license: parsed.expression, source: item.source, projectLicense: project.license };
  if (deny && alts.every((alt) => alt.some((id) => deny.has(id)))) {
    findings.push(
      RULES.finding('DEPS-LICENSE-DENIED', {
        message: `${pkg.name} ${pkg.version} is licensed ${parsed.expression}, denied by the licence policy.`,
        resource: where(pkg),
        evidence,
      }),
    );
  } else if (allow && !alts.some((alt) => alt.every((id) => allow.has(id)))) {
    findings.push(
      RULES.finding('DEPS-LICENSE-NOT-ALLOWED', {
        message: `${pkg.name} ${pkg.version} is licensed ${parsed.expression}, which the allow list does not cover.`,
        resource: where(pkg),
        evidence,
      }),
    );
  }
  const cls = classOf(parsed.tree);
  const severity = copyleftSeverity(cls, project.kind);
  if (severity !== undefined) {
    findings.push(
      RULES.finding('DEPS-LICENSE-COPYLEFT', {
        message:
          `${pkg.name} ${pkg.version} is licensed ${parsed.expression} (${cls}) in a ${project.kind} project ` +
          `(${project.license}): ${cls === 'weak-copyleft' ? 'changes to it, and the way it is linked, carry obligations' : 'distributing the combined work would put it under the copyleft licence'}.`,
        resource: where(pkg),
        severity,
        evidence: { ...evidence, class: cls },
      }),
    );
  } else if (cls === 'restricted') {
    findings.push(
      RULES.finding('DEPS-LICENSE-RESTRICTED', {
        message: `${pkg.name} ${pkg.version} is licensed ${parsed.expression}: source-available or non-commercial, not an open-source licence.`,
        resource: where(pkg),
        evidence: { ...evidence, class: cls },
      }),
    );
  }
  return findings;
}

export function licenseFindings(
  items: readonly LicensedPackage[],
  policy: DependencyInput['policy'],
  project: { kind: ProjectKind; license: string },
): Finding[] {
  return items.flatMap((item) => findingsOf(item, policy ?? {}, project));
}

export interface LicenseRow {
  license: string;
  class: LicenseClass;
  count: number;
  packages: string[];
}

/**
 * Licence → count and packages, most used first; a package that states none is under "(none)", one
 * whose lockfile records no licences and for which no metadata was given under "(not recorded)".
 */
export function licenseTable(items: readonly LicensedPackage[]): LicenseRow[] {
  const rows = new Map<string, LicenseRow>();
  for (const { pkg, parsed, stated, expected } of items) {
    const license = parsed?.expression ?? stated ?? (expected ? '(none)' : '(not recorded)');
    const row = rows.get(license) ?? {
      license,
      class: parsed ? classOf(parsed.tree) : 'unknown',
      count: 0,
      packages: [],
    };
    const id = `${pkg.name}@${pkg.version}`;
    if (!row.packages.includes(id)) {
      row.packages.push(id);
      row.count++;
    }
    rows.set(license, row);
  }
  return [...rows.values()]
    .map((row) => ({ ...row, packages: row.packages.sort() }))
    .sort((a, b) => b.count - a.count || a.license.localeCompare(b.license));
}
